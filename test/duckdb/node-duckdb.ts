/**
 * duckdb-wasm's Node build for tests: the blocking bindings (`@duckdb/duckdb-wasm/blocking`, the
 * same wasm the browser runs, instantiated in-process, about a second), a connection, and SQL
 * results read back as bytes — DuckDB's own Arrow IPC output, decoded with the project's
 * apache-arrow — so DuckDB's apache-arrow never meets ours.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { tableFromIPC, type Table } from "apache-arrow";
import type { DuckDBBindings, DuckDBConnection } from "@duckdb/duckdb-wasm/blocking";

/** A running in-process DuckDB. */
export interface NodeDuckDB {
  bindings: DuckDBBindings;
  conn: DuckDBConnection;
  /** Runs SQL and returns the result as an apache-arrow (the project's version) Table. */
  sql(text: string): Table;
  close(): void;
}

/** Instantiates duckdb-wasm (the exception-handling build when Node supports it) and connects. */
export async function nodeDuckDB(): Promise<NodeDuckDB> {
  const require = createRequire(import.meta.url);
  const entry = require.resolve("@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs");
  const dist = dirname(entry);
  const duckdb = require(entry) as typeof import("@duckdb/duckdb-wasm/blocking");
  const bundles = {
    mvp: { mainModule: join(dist, "duckdb-mvp.wasm"), mainWorker: join(dist, "duckdb-node-mvp.worker.cjs") },
    eh: { mainModule: join(dist, "duckdb-eh.wasm"), mainWorker: join(dist, "duckdb-node-eh.worker.cjs") },
  };
  const bindings = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await bindings.instantiate(() => undefined);
  bindings.open({});
  const conn = bindings.connect();
  return {
    bindings,
    conn,
    sql: (text) => tableFromIPC(conn.useUnsafe((b, id) => b.runQuery(id, text))),
    close: () => {
      conn.close();
      bindings.reset();
    },
  };
}
