/**
 * Loading parquet-wasm (the Rust arrow/parquet writer compiled to WebAssembly) in any runtime,
 * without Node APIs in core. We use its `esm` build, whose JS glue is runtime-neutral and whose
 * 5 MB `parquet_wasm_bg.wasm` must be handed to `init()`; the glue is imported lazily so read-only
 * bundles never pull it in. Where the wasm comes from depends on the runtime, so it is injectable:
 *
 * - Cloudflare Workers forbid compiling wasm from bytes at runtime; they import the module, which
 *   wrangler precompiles: `import wasm from "parquet-wasm/esm/parquet_wasm_bg.wasm";
 *   setParquetWasm(wasm)` (a `WebAssembly.Module`).
 * - Node: `fetch` cannot read `file:` URLs, so the node entry registers a lazy loader:
 *   `setParquetWasm(() => readFile(fileURLToPath(import.meta.resolve(
 *   "parquet-wasm/esm/parquet_wasm_bg.wasm"))))`. Tests do the same.
 * - Browsers: by default (nothing registered) the glue fetches `parquet_wasm_bg.wasm` next to
 *   itself (`new URL(..., import.meta.url)`), which bundlers such as Vite and webpack rewrite to
 *   the emitted asset URL; or register a URL, a Response or bytes yourself.
 *
 * Instantiation is asynchronous in every case (`WebAssembly.instantiate`, never the synchronous
 * compile browsers refuse on the main thread for modules over 4 KB) and happens once per realm:
 * wasm-bindgen keeps one instance, so a source registered after the first successful load is
 * ignored. A failed load is not cached, so a caller can register a source and retry.
 */

import type * as ParquetWasmModule from "parquet-wasm/esm";
import { codedError } from "../errors.js";

/** The parquet-wasm `esm` module namespace. */
export type ParquetWasm = typeof ParquetWasmModule;

/** Where the wasm can come from: a compiled module, its bytes, a URL, or a fetch Response. */
export type ParquetWasmSource = WebAssembly.Module | BufferSource | URL | string | Response;

/** A lazy source: called on first use (e.g. to read the file in Node or fetch it in a browser). */
export type ParquetWasmLoader = () => ParquetWasmSource | Promise<ParquetWasmSource>;

/** Failure to load parquet-wasm or to encode a file with it. */
export class ParquetWasmError extends codedError("PARQUET_WASM") {}

let registered: ParquetWasmLoader | undefined;
let loading: Promise<ParquetWasm> | undefined;
let loaded: ParquetWasm | undefined;

/**
 * Registers where parquet-wasm's `.wasm` comes from (see the file header for each runtime). Call it
 * before the first write; after a successful load it has no effect.
 */
export function setParquetWasm(source: ParquetWasmSource | ParquetWasmLoader): void {
  registered = typeof source === "function" ? (source as ParquetWasmLoader) : () => source;
  if (loaded === undefined) loading = undefined;
}

/** Whether parquet-wasm is loaded and ready (writes can proceed without awaiting). */
export function parquetWasmReady(): boolean {
  return loaded !== undefined;
}

/**
 * Loads and instantiates parquet-wasm once, from the registered source or the glue's default URL.
 * @throws ParquetWasmError explaining how to register the wasm when loading fails.
 */
export function loadParquetWasm(): Promise<ParquetWasm> {
  if (loaded !== undefined) return Promise.resolve(loaded);
  if (loading === undefined) {
    const attempt = instantiate(registered);
    loading = attempt;
    attempt.then(
      (mod) => {
        loaded = mod;
      },
      () => {
        if (loading === attempt) loading = undefined;
      },
    );
  }
  return loading;
}

async function instantiate(loader: ParquetWasmLoader | undefined): Promise<ParquetWasm> {
  let mod: ParquetWasm;
  try {
    mod = await import("parquet-wasm/esm");
  } catch (e) {
    throw new ParquetWasmError("cannot import parquet-wasm/esm (is the parquet-wasm package installed?)", { cause: e });
  }
  try {
    if (loader === undefined) await mod.default();
    else await mod.default({ module_or_path: await loader() });
  } catch (e) {
    const how =
      loader === undefined
        ? "no wasm source was registered and fetching parquet_wasm_bg.wasm next to parquet-wasm/esm failed; " +
          "call setParquetWasm() with the module (Workers), a lazy file reader (Node) or a URL (browsers)"
        : "the registered source could not be instantiated";
    throw new ParquetWasmError(`cannot load parquet-wasm: ${how}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  return mod;
}
