/**
 * attachDeltaTable: {@link attachFromStore} (attach-store.ts: how a snapshot's rows reach DuckDB)
 * for a table given by its store or its URL (any scheme storeFromUrl knows: https, s3, az, gs,
 * memory, and file paths once delta-edge/node is imported).
 */
import { InvalidInputError } from "../core/errors.js";
import type { ObjectStore } from "../core/storage/object-store.js";
import { storeFromUrl } from "../core/storage/url.js";
import { attachFromStore, type AttachDeltaTableOptions, type AttachedTable } from "./attach-store.js";
import type { DuckDBLike } from "./duckdb-like.js";

/**
 * Reads a Delta table with delta-edge and creates (or replaces) DuckDB table `name` with its rows.
 * `db` is a duckdb-wasm database (AsyncDuckDB, blocking DuckDBBindings) or a connection.
 */
export async function attachDeltaTable(db: DuckDBLike, options: AttachDeltaTableOptions): Promise<AttachedTable> {
  return attachFromStore(db, { ...options, store: resolveStore(options) });
}

/** The store of the options: the one given, or one made from `url`. */
function resolveStore(options: AttachDeltaTableOptions): ObjectStore {
  if (options.store !== undefined) return options.store;
  if (options.url === undefined) throw new InvalidInputError("attachDeltaTable needs a store or a url");
  return storeFromUrl({ url: options.url, ...(options.storageOptions === undefined ? {} : { options: options.storageOptions }) });
}
