/**
 * Folder scan/: planning (plan.ts: partition and stats pruning) and executing (execute.ts: decode
 * through parquet/, deletion vectors, partition columns, row filters) reads of a snapshot, and the
 * read API here. Must not import write/ or the parquet libraries (parquet/ reads).
 *
 * The high-level read API: open a table (latest, a version or a timestamp), plan the scan and
 * return its rows as an Arrow Table, a stream of RecordBatches (bounded memory) or row objects.
 */
import type { RecordBatch, Table } from "apache-arrow";
import type { ObjectStore } from "../storage/object-store.js";
import { openTable } from "../table/open.js";
import type { Snapshot } from "../table/snapshot.js";
import { planScan, type ScanOptions, type ScanPlan } from "./plan.js";
import { scanBatches, scanTable, type ExecuteOptions } from "./execute.js";
import { batchRows } from "./rows.js";
import type { Value } from "../arrow/values.js";
import type { ParquetReader } from "../parquet/reader.js";

/** Options of the read functions. */
export interface ReadOptions extends ScanOptions {
  store: ObjectStore;
  /** A snapshot already opened (otherwise the table is opened at version/timestamp/latest). */
  snapshot?: Snapshot | undefined;
  version?: number | undefined;
  timestamp?: string | number | Date | undefined;
  /** Stop after this many rows (reading stops as soon as they are out). */
  limit?: number | undefined;
  /** Maximum rows per batch. */
  batchSize?: number | undefined;
  /** Files read ahead (default 4). */
  concurrency?: number | undefined;
  /** Parquet decoder (default: the scan's default, see ExecuteOptions.reader). */
  reader?: ParquetReader | undefined;
  signal?: AbortSignal | undefined;
}

async function plan(options: ReadOptions): Promise<ScanPlan> {
  const snapshot = options.snapshot ?? (await openTable({ store: options.store, version: options.version, timestamp: options.timestamp }));
  return planScan(snapshot, options);
}

function exec(options: ReadOptions): ExecuteOptions {
  return {
    store: options.store,
    limit: options.limit,
    batchSize: options.batchSize,
    concurrency: options.concurrency,
    signal: options.signal,
    ...(options.reader === undefined ? {} : { reader: options.reader }),
  };
}

/** Reads the selected rows into one Arrow Table. */
export async function readTable(options: ReadOptions): Promise<Table> {
  return scanTable(await plan(options), exec(options));
}

/** Streams the selected rows as Arrow RecordBatches. */
export async function* readBatches(options: ReadOptions): AsyncGenerator<RecordBatch> {
  yield* scanBatches(await plan(options), exec(options));
}

/** Streams the selected rows as plain objects of canonical values (see schema/types.ts). */
export async function* readRows(options: ReadOptions): AsyncGenerator<Record<string, Value>> {
  const p = await plan(options);
  for await (const b of scanBatches(p, exec(options))) yield* batchRows(b, p.outputFields);
}
