/**
 * attachDeltaTable: {@link attachFromStore} (attach-store.ts: how a snapshot's rows reach DuckDB)
 * for a table given by its store or its URL (any scheme storeFromUrl knows: https, s3, az, gs,
 * memory, and file paths once delta-edge/node is imported).
 */
import { storeOfLocation } from "../core/storage/table-location.js";
import { attachFromStore, type AttachDeltaTableOptions, type AttachedTable } from "./attach-store.js";
import type { DuckDBLike } from "./duckdb-like.js";

/**
 * Reads a Delta table with delta-edge and creates (or replaces) DuckDB table `name` with its rows.
 * `db` is a duckdb-wasm database (AsyncDuckDB, blocking DuckDBBindings) or a connection.
 */
export async function attachDeltaTable(db: DuckDBLike, options: AttachDeltaTableOptions): Promise<AttachedTable> {
  return attachFromStore(db, { ...options, store: storeOfLocation(options, "attachDeltaTable") });
}
