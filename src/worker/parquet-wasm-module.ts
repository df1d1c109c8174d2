/**
 * parquet-wasm's WebAssembly module, imported the Workers way: wrangler (and our Miniflare bundle)
 * turn a `.wasm` import into a precompiled `WebAssembly.Module`, because Workers forbid compiling
 * wasm from bytes at runtime. This module is only ever imported dynamically (see wasm.ts), so
 * importing the "delta-edge/worker" entry in Node does not trip over the `.wasm` import.
 */
import parquetWasmModule from "parquet-wasm/esm/parquet_wasm_bg.wasm";

export default parquetWasmModule;
