/**
 * Registers parquet-wasm for Worker writes: the module comes from a dynamic import of
 * parquet-wasm-module.ts (a static `.wasm` import, precompiled by the bundler), so it is loaded
 * on the first write only, and never in runtimes that merely import this package entry.
 */
import { setParquetWasm } from "../core/parquet/wasm-loader.js";

let registered = false;

/** Registers the Workers way of loading parquet-wasm (idempotent). */
export function useWorkerParquetWasm(): void {
  if (registered) return;
  registered = true;
  setParquetWasm(async () => (await import("./parquet-wasm-module.js")).default);
}
