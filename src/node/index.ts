/**
 * The Node entry point ("delta-edge/node"): the local-file store and store selection that also
 * understands `file://` URLs and plain paths. Importing this module registers LocalStore for the
 * `file` scheme and for bare paths with the core URL registry, so `storeFromUrl` works on both,
 * and tells parquet-wasm where its .wasm file is.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { setParquetWasm } from "../core/parquet/wasm-loader.js";
import { localConfig } from "../core/storage/storage-options.js";
import { BARE_PATH_SCHEME, registerStoreFactory, storeFromUrl, type StoreFromUrlOptions } from "../core/storage/url.js";
import type { ObjectStore } from "../core/storage/object-store.js";
import { LocalStore } from "./storage/local.js";

export { LocalStore, type LocalStoreOptions } from "./storage/local.js";
export { storeFromUrl, registerStoreFactory, type StoreFromUrlOptions } from "../core/storage/url.js";

// parquet-wasm's .wasm is read from the installed package on first use (fetch cannot read file:).
setParquetWasm(() => readFile(fileURLToPath(import.meta.resolve("parquet-wasm/esm/parquet_wasm_bg.wasm"))));

// Options are validated like every backend's (an unknown --option is an error naming it).
registerStoreFactory("file", ({ url, options, env }) => {
  localConfig({ options, env });
  return new LocalStore({ root: url });
});
registerStoreFactory(BARE_PATH_SCHEME, ({ url, options, env }) => {
  localConfig({ options, env });
  return new LocalStore({ root: resolve(process.cwd(), url) });
});

/**
 * Opens the store of a table location: a local path (relative to the working directory), a
 * file:// URL, or any URL storeFromUrl understands (memory://, https://, registered schemes).
 * Takes the URL or path itself, or the same options object as storeFromUrl.
 */
export function openStore(target: string | StoreFromUrlOptions): ObjectStore {
  return storeFromUrl(typeof target === "string" ? { url: target } : target);
}
