/**
 * What delta-edge needs of duckdb-wasm, written structurally so that this entry never imports
 * @duckdb/duckdb-wasm (an optional peer dependency) nor its apache-arrow: an AsyncDuckDB or
 * AsyncDuckDBConnection (browser, Web Worker) and the blocking DuckDBBindings or DuckDBConnection
 * (Node, `@duckdb/duckdb-wasm/blocking`) all fit. Only bytes cross this boundary (Arrow IPC in,
 * query results ignored), so the two apache-arrow versions never share objects.
 */

/** Options duckdb-wasm's `insertArrowFromIPCStream` takes. */
export interface DuckDBArrowInsertOptions {
  name: string;
  schema?: string;
  create?: boolean;
}

/** A duckdb-wasm connection (AsyncDuckDBConnection, or the blocking DuckDBConnection). */
export interface DuckDBConnectionLike {
  /** Runs SQL; attachDeltaTable ignores the result. */
  query(text: string): unknown;
  /** Inserts one complete Arrow IPC stream (schema, batches, end-of-stream marker). */
  insertArrowFromIPCStream(buffer: Uint8Array, options: DuckDBArrowInsertOptions): unknown;
  close?(): unknown;
}

/** A duckdb-wasm database (AsyncDuckDB, or the blocking DuckDBBindings): something that connects. */
export interface DuckDBDatabaseLike {
  connect(): DuckDBConnectionLike | Promise<DuckDBConnectionLike>;
}

/** A database or a connection. */
export type DuckDBLike = DuckDBDatabaseLike | DuckDBConnectionLike;

/** True when `db` is already a connection (has insertArrowFromIPCStream taking a buffer first). */
export function isConnection(db: DuckDBLike): db is DuckDBConnectionLike {
  return typeof (db as Partial<DuckDBConnectionLike>).insertArrowFromIPCStream === "function" && typeof (db as Partial<DuckDBConnectionLike>).query === "function" && !("connect" in db);
}

/** A SQL identifier in double quotes (embedded quotes doubled). */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
