/**
 * The explorer's SQL engine, loaded by a dynamic import the first time SQL runs (it pulls in
 * duckdb-wasm's JavaScript; the worker script and the 34 MB wasm are fetched from the bundle URL,
 * with download progress). One AsyncDuckDB per page, in its Web Worker; Delta tables are attached
 * with delta-edge/duckdb (re-attached only when the version or the selection changed); results
 * come back as Arrow IPC bytes, streamed, and are decoded with the project's apache-arrow, so
 * duckdb-wasm's own apache-arrow never meets ours, and values are the same canonical values the
 * Data grid shows (exact decimals, microsecond timestamps). At most `maxRows` rows are kept: the
 * query is cancelled once they are in.
 */
import * as duckdb from "@duckdb/duckdb-wasm";
import { RecordBatchReader } from "apache-arrow";
// attach-store.ts, not the entry: the URL-based store factories stay out of the bundle.
import { attachFromStore, type AttachedTable } from "../../src/duckdb/attach-store.js";
import type { ObjectStore, Snapshot } from "../../src/browser/index.js";
import { arrowSchemaToDelta } from "../../src/core/schema/arrow-schema.js";
import { serializeSchema } from "../../src/core/schema/schema-json.js";
import { batchRows } from "../../src/core/scan/rows.js";
import { numRecordsOf, schemaFields, type SchemaField } from "./format.js";

/** Progress of loading the engine or attaching a table. */
export interface EngineProgress {
  message: string;
  /** Done so far and expected in total (undefined when unknown: an indeterminate bar). */
  value?: number | undefined;
  max?: number | undefined;
}

/** A Delta table to have attached under a name. */
export interface EngineTable {
  name: string;
  store: ObjectStore;
  snapshot: Snapshot;
  columns?: string[] | undefined;
  where?: string | undefined;
}

/** A query result. */
export interface SqlResult {
  fields: SchemaField[];
  rows: Array<Record<string, unknown>>;
  /** True when the query had more rows than were kept. */
  truncated: boolean;
}

/** Where duckdb-wasm's worker scripts and wasm are, relative to the page by default. */
export function bundles(base: string): duckdb.DuckDBBundles {
  const url = (file: string): string => new URL(file, new URL(base, location.href)).toString();
  return {
    mvp: { mainModule: url("duckdb-mvp.wasm"), mainWorker: url("duckdb-browser-mvp.worker.js") },
    eh: { mainModule: url("duckdb-eh.wasm"), mainWorker: url("duckdb-browser-eh.worker.js") },
  };
}

/** The version of duckdb-wasm bundled (its bundle files must be the same version). */
export const DUCKDB_VERSION = duckdb.PACKAGE_VERSION;

/**
 * Starts duckdb-wasm: picks the bundle the browser supports, loads it with progress, connects.
 * `bundlesBase` defaults to `duckdb/<version>/` beside the page (the Worker's /duckdb route).
 */
export async function startEngine(options: { bundlesBase?: string | undefined; onProgress: (p: EngineProgress) => void }): Promise<SqlEngine> {
  const base = options.bundlesBase ?? `duckdb/${DUCKDB_VERSION}/`;
  const bundle = await duckdb.selectBundle(bundles(base));
  if (bundle.mainWorker === null) throw new Error("duckdb-wasm offers no worker script for this browser");
  // duckdb-wasm's worker does not report a wasm it cannot fetch (it waits forever): ask first.
  const head = await fetch(bundle.mainModule, { method: "HEAD" }).catch((e: unknown) => e);
  if (!(head instanceof Response) || !head.ok) {
    const why = head instanceof Response ? `HTTP ${head.status}` : String(head);
    throw new Error(`cannot load duckdb-wasm ${DUCKDB_VERSION}: ${bundle.mainModule} answered ${why} (the Worker serves it once scripts/duckdb-bundles.mjs uploaded it)`);
  }
  // A worker from a blob that imports the script: works for a bundle URL on another origin too.
  const script = URL.createObjectURL(new Blob([`importScripts(${JSON.stringify(bundle.mainWorker)});`], { type: "text/javascript" }));
  const worker = new Worker(script);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  options.onProgress({ message: "loading the SQL engine (duckdb-wasm)…" });
  // A worker script that fails to load (404, wrong type) only fires "error" on the worker: without
  // this, instantiate would wait forever.
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener("error", (e) => reject(new Error(`its worker script did not load (${bundle.mainWorker})${e.message ? `: ${e.message}` : ""}`)), { once: true });
  });
  try {
    // The size for the progress bar when the download has no Content-Length (compressed, chunked).
    const size = Number(head.headers.get("content-length") ?? "") || undefined;
    await Promise.race([failed, instantiate(db, bundle, size, options.onProgress)]);
  } catch (error) {
    worker.terminate();
    throw new Error(`cannot load duckdb-wasm ${DUCKDB_VERSION} from ${new URL(base, location.href).toString()}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    URL.revokeObjectURL(script);
  }
  return new SqlEngine(db, await db.connect());
}

function instantiate(db: duckdb.AsyncDuckDB, bundle: duckdb.DuckDBBundle, size: number | undefined, onProgress: (p: EngineProgress) => void): Promise<unknown> {
  const mb = (n: number): string => (n / 1e6).toFixed(1);
  return db.instantiate(bundle.mainModule, bundle.pthreadWorker, (p) => {
    const total = p.bytesTotal > 0 ? p.bytesTotal : size !== undefined && size >= p.bytesLoaded ? size : undefined;
    onProgress({
      message: `loading the SQL engine (duckdb-wasm): ${mb(p.bytesLoaded)}${total === undefined ? "" : ` of ${mb(total)}`} MB`,
      value: p.bytesLoaded,
      max: total,
    });
  });
}

/** One DuckDB with the Delta tables attached so far. */
export class SqlEngine {
  /** Attached tables: name -> what they hold (table root, version, selection). */
  private readonly attached = new Map<string, string>();
  /** The work in progress: attaches and queries run one after another on the one connection. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: duckdb.AsyncDuckDB,
    private readonly conn: duckdb.AsyncDuckDBConnection,
  ) {}

  /** DuckDB's version. */
  version(): Promise<string> {
    return this.db.getVersion();
  }

  /**
   * Attaches a table unless the same snapshot and selection is attached under that name already;
   * returns what was attached (undefined when it was current).
   */
  attach(table: EngineTable, onProgress: (p: EngineProgress) => void): Promise<AttachedTable | undefined> {
    return this.serial(() => this.attachNow(table, onProgress));
  }

  /** Runs SQL; keeps the first `maxRows` rows (then cancels the query). */
  query(sql: string, maxRows: number): Promise<SqlResult> {
    return this.serial(() => this.queryNow(sql, maxRows));
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async attachNow(table: EngineTable, onProgress: (p: EngineProgress) => void): Promise<AttachedTable | undefined> {
    const key = JSON.stringify([table.snapshot.tableRoot, table.snapshot.version, table.columns ?? null, table.where ?? null]);
    if (this.attached.get(table.name) === key) return undefined;
    this.attached.delete(table.name);
    // A WHERE keeps fewer rows than the stats count: then the bar is indeterminate.
    const expected = table.where === undefined ? expectedRows(table.snapshot) : undefined;
    const result = await attachFromStore(this.conn, {
      name: table.name,
      store: table.store,
      snapshot: table.snapshot,
      columns: table.columns,
      where: table.where,
      onProgress: (p) =>
        onProgress({
          message: `attaching ${table.name} (version ${table.snapshot.version}): ${p.rows.toLocaleString("en")} rows`,
          value: p.rows,
          max: expected !== undefined && expected >= p.rows ? expected : undefined,
        }),
    });
    this.attached.set(table.name, key);
    return result;
  }

  private async queryNow(sql: string, maxRows: number): Promise<SqlResult> {
    return this.conn.useUnsafe(async (db, id) => {
      const chunks = resultChunks(db, id, sql);
      const reader = await RecordBatchReader.from(chunks);
      await reader.open();
      const structType = arrowSchemaToDelta(reader.schema, { onWarning: () => undefined });
      const fields = schemaFields(serializeSchema(structType));
      const rows: Array<Record<string, unknown>> = [];
      let truncated = false;
      for await (const batch of reader) {
        for (const row of batchRows(batch, structType.fields)) {
          if (rows.length === maxRows) {
            truncated = true;
            break;
          }
          rows.push(row);
        }
        if (truncated) break;
      }
      if (truncated) await db.cancelPendingQuery(id);
      return { fields, rows, truncated };
    });
  }
}

/** The Arrow IPC stream of a query, chunk by chunk (duckdb-wasm's pending-query protocol). */
async function* resultChunks(db: duckdb.AsyncDuckDB, id: number, sql: string): AsyncGenerator<Uint8Array> {
  let header = await db.startPendingQuery(id, sql, true);
  while (header === null) header = await db.pollPendingQuery(id);
  yield header;
  for (;;) {
    let chunk = await db.fetchQueryResults(id);
    while (chunk === null) chunk = await db.fetchQueryResults(id);
    if (chunk.length === 0) return;
    yield chunk;
  }
}

/** Rows the snapshot holds by its stats (records minus deleted rows), undefined when a file has none. */
function expectedRows(snapshot: Snapshot): number | undefined {
  let n = 0;
  for (const f of snapshot.files()) {
    const records = numRecordsOf(f);
    if (records === undefined) return undefined;
    n += records - Number(f.deletionVector?.cardinality ?? 0);
  }
  return n;
}
