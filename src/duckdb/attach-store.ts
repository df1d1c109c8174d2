/**
 * Attaching a Delta table to DuckDB (attach.ts adds tables given by URL): a snapshot (latest, a
 * version or a timestamp) becomes a DuckDB table. delta-edge does everything Delta: it opens the snapshot, plans with partition pruning and
 * stats skipping (`where` is pushed into the plan; rows are then filtered exactly), reads with
 * deletion vectors, column mapping and partition values applied (the scan of src/core/scan), and
 * hands DuckDB each batch as its own complete Arrow IPC stream (`insertArrowFromIPCStream`), so
 * only bytes cross into duckdb-wasm and the two apache-arrow versions never share objects.
 *
 * Why a table, not a view: duckdb-wasm cannot call back into JavaScript while it scans, so a view
 * over our scan is impossible; and a view over the data files themselves (read_parquet) would skip
 * deletion vectors, column mapping and partition values. So the rows are materialized in DuckDB's
 * memory, once per attach; queries after that cost no network. Memory: the JavaScript side holds at
 * most the batches of the files read ahead plus one batch's IPC bytes; DuckDB ingests each batch
 * as it arrives (one stream per batch, so nothing is buffered until the end of a long stream); the
 * table itself lives in the wasm heap (4 GiB at most): select `columns` and a `where` for big tables.
 *
 * The rows go into a staging table that replaces `name` only when every batch is in: a failed or
 * aborted attach leaves the previous `name` (or none) and no partial table behind.
 */
import { InvalidInputError, codedError } from "../core/errors.js";
import { tableToIPC, Table } from "apache-arrow";
import { outputSchema, scanBatches } from "../core/scan/execute.js";
import { planScan, type ScanOptions } from "../core/scan/plan.js";
import type { ObjectStore } from "../core/storage/object-store.js";
import { openTable } from "../core/table/open.js";
import type { Snapshot } from "../core/table/snapshot.js";
import type { ParquetReader } from "../core/parquet/reader.js";
import { isConnection, quoteIdentifier, type DuckDBConnectionLike, type DuckDBLike } from "./duckdb-like.js";

/**
 * Options of {@link attachDeltaTable}; `columns` (top-level, in this order, default all), `where`
 * and `timeZone` are the scan plan's ({@link ScanOptions}).
 */
export interface AttachDeltaTableOptions extends ScanOptions {
  /** The DuckDB table to create (or replace) in the connection's current schema: any name (it is quoted). */
  name: string;
  /** The table's store (give this or `url`). */
  store?: ObjectStore | undefined;
  /** The table's URL (https://, s3://, memory://, ...: see storeFromUrl), when no store is given. */
  url?: string | undefined;
  /** Settings of the store made from `url` (delta-rs names, e.g. AWS_REGION). */
  storageOptions?: Record<string, string> | undefined;
  /** A snapshot of this table already opened from the same store: its log is not read again. */
  snapshot?: Snapshot | undefined;
  /** Time travel by version (exclusive with timestamp). */
  version?: number | undefined;
  /** Time travel by time: the newest version committed at or before it. */
  timestamp?: string | number | Date | undefined;
  /** Replace an existing table `name` (default true); false makes an existing one an error. */
  replace?: boolean | undefined;
  /** Maximum rows per Arrow IPC stream handed to DuckDB (default 65536; larger batches are sliced). */
  batchSize?: number | undefined;
  /** Files read ahead (default 4). */
  concurrency?: number | undefined;
  /** Parquet decoder (default: the scan's choice). */
  reader?: ParquetReader | undefined;
  /** Called after every batch DuckDB took. */
  onProgress?: ((progress: AttachProgress) => void) | undefined;
  signal?: AbortSignal | undefined;
}

/** Progress of an attach. */
export interface AttachProgress {
  rows: number;
  batches: number;
  /** Arrow IPC bytes handed to DuckDB so far. */
  ipcBytes: number;
  /** Files the plan reads. */
  files: number;
}

/** What was attached. */
export interface AttachedTable {
  name: string;
  /** The table version the rows come from. */
  version: number;
  columns: string[];
  rows: number;
  batches: number;
  ipcBytes: number;
  /** The plan's file counts (pruning and skipping from `where`). */
  files: { total: number; read: number; prunedByPartition: number; skippedByStats: number };
}

/** Failures inside DuckDB while attaching (the DuckDB message is kept; its error is the cause). */
export class DuckDBAttachError extends codedError("DUCKDB_ERROR") {}

/** The table and version errors name. */
type Context = { path: string; version: number };

let stagingCounter = 0;

/** Rows per IPC stream by default (a few MB for typical rows). */
const DEFAULT_ROWS_PER_INSERT = 65536;

/**
 * {@link attachDeltaTable} for a table given by its store (`url` is not looked at): what a bundle
 * should import when it has a store, to leave the URL-based store factories (S3, Azure, GCS) out.
 */
export async function attachFromStore(db: DuckDBLike, options: AttachDeltaTableOptions & { store: ObjectStore }): Promise<AttachedTable> {
  const { name, store } = options;
  if (typeof name !== "string" || name.trim() === "") throw new InvalidInputError("attachDeltaTable needs a table name");
  const rowsPerInsert = positiveInt(options.batchSize, "batchSize") ?? DEFAULT_ROWS_PER_INSERT;
  const snapshot = await openSnapshot(options, store);
  const context = { path: snapshot.tableRoot, version: snapshot.version };
  const plan = planScan(snapshot, { columns: options.columns, where: options.where, timeZone: options.timeZone });
  const conn = isConnection(db) ? db : await db.connect();
  const own = conn !== db;
  const staging = `__delta_edge_staging_${Date.now().toString(36)}_${++stagingCounter}`;
  const progress: AttachProgress = { rows: 0, batches: 0, ipcBytes: 0, files: plan.files.length };
  let created = false;
  try {
    const batches = scanBatches(plan, {
      store,
      batchSize: rowsPerInsert,
      concurrency: options.concurrency,
      signal: options.signal,
      ...(options.reader === undefined ? {} : { reader: options.reader }),
    });
    for await (const batch of batches) {
      // Slices are zero-copy: each IPC buffer stays below `rowsPerInsert` rows whatever the
      // row-group size of the files.
      for (let start = 0; start < batch.numRows; start += rowsPerInsert) {
        const slice = start === 0 && batch.numRows <= rowsPerInsert ? batch : batch.slice(start, start + rowsPerInsert);
        progress.ipcBytes += await insert(conn, new Table([slice]), staging, !created, context);
        created = true;
        progress.rows += slice.numRows;
        progress.batches++;
        options.onProgress?.({ ...progress });
      }
    }
    options.signal?.throwIfAborted();
    // No rows: an IPC stream with the schema alone still creates the (empty) table.
    if (!created) progress.ipcBytes += await insert(conn, new Table(outputSchema(plan)), staging, true, context);
    created = true;
    await swap(conn, staging, name, options.replace !== false, context);
    return {
      name,
      version: snapshot.version,
      columns: plan.outputFields.map((f) => f.name),
      rows: progress.rows,
      batches: progress.batches,
      ipcBytes: progress.ipcBytes,
      files: { total: plan.counts.total, read: plan.files.length, prunedByPartition: plan.counts.prunedByPartition, skippedByStats: plan.counts.skippedByStats },
    };
  } catch (err) {
    if (created) await run(conn, `DROP TABLE IF EXISTS ${quoteIdentifier(staging)}`, context).catch(() => undefined);
    throw err;
  } finally {
    if (own) await conn.close?.();
  }
}

/** Inserts one table as one complete IPC stream; returns its size in bytes. */
async function insert(conn: DuckDBConnectionLike, table: Table, into: string, create: boolean, context: Context): Promise<number> {
  // A fresh, exactly sized buffer per call: AsyncDuckDB transfers it to its Web Worker.
  const bytes = tableToIPC(table, "stream");
  try {
    await conn.insertArrowFromIPCStream(bytes, { name: into, create });
  } catch (err) {
    throw duckdbError(create ? "DuckDB could not create the table" : "DuckDB refused a batch of the table", err, context);
  }
  return bytes.byteLength;
}

/** Replaces `name` with the staging table in one transaction. */
async function swap(conn: DuckDBConnectionLike, staging: string, name: string, replace: boolean, context: Context): Promise<void> {
  await run(conn, "BEGIN TRANSACTION", context);
  try {
    if (replace) await run(conn, `DROP TABLE IF EXISTS ${quoteIdentifier(name)}`, context);
    await run(conn, `ALTER TABLE ${quoteIdentifier(staging)} RENAME TO ${quoteIdentifier(name)}`, context);
    await run(conn, "COMMIT", context);
  } catch (err) {
    await run(conn, "ROLLBACK", context).catch(() => undefined);
    throw err;
  }
}

async function run(conn: DuckDBConnectionLike, sql: string, context: Context): Promise<void> {
  try {
    await conn.query(sql);
  } catch (err) {
    throw duckdbError(`DuckDB failed on ${sql}`, err, context);
  }
}

function duckdbError(message: string, err: unknown, context: Context): DuckDBAttachError {
  const detail = err instanceof Error ? err.message : String(err);
  return new DuckDBAttachError(`${message}: ${detail}`, { ...context, cause: err });
}

async function openSnapshot(options: AttachDeltaTableOptions, store: ObjectStore): Promise<Snapshot> {
  if (options.snapshot !== undefined) {
    if (options.version !== undefined || options.timestamp !== undefined) throw new InvalidInputError("give a snapshot or a version/timestamp, not both");
    return options.snapshot;
  }
  if (options.version !== undefined && options.timestamp !== undefined) throw new InvalidInputError("give either version or timestamp, not both");
  return openTable({ store, version: options.version, timestamp: options.timestamp });
}

function positiveInt(n: number | undefined, what: string): number | undefined {
  if (n === undefined) return undefined;
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidInputError(`${what} must be a positive integer, got ${n}`);
  return n;
}
