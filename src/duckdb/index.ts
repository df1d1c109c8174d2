/**
 * The DuckDB entry ("delta-edge/duckdb"): SQL over Delta tables with duckdb-wasm (an optional
 * peer dependency: install @duckdb/duckdb-wasm yourself; this entry never imports it).
 * `attachDeltaTable(db, { name, store | url, version? | timestamp?, columns?, where? })` reads a
 * snapshot with delta-edge and creates DuckDB table `name` with its rows, streamed as Arrow IPC.
 */
export { attachDeltaTable } from "./attach.js";
export { attachFromStore, DuckDBAttachError, type AttachDeltaTableOptions, type AttachedTable, type AttachProgress } from "./attach-store.js";
export { quoteIdentifier, type DuckDBLike, type DuckDBConnectionLike, type DuckDBDatabaseLike, type DuckDBArrowInsertOptions } from "./duckdb-like.js";
