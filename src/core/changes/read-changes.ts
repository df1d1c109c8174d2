/**
 * The change data feed's read API: the rows that changed between two versions (or times) of a
 * table, as an Arrow Table, a stream of RecordBatches (bounded memory) or row objects, with the
 * table's columns plus `_change_type`, `_commit_version` and `_commit_timestamp`. Rows come in
 * commit order. See change-plan.ts for what is read before the first row.
 */
import { RecordBatch, Table } from "apache-arrow";
import { deltaSchemaToArrow } from "../schema/arrow-schema.js";
import type { ParquetReader } from "../scan/parquet/adapter.js";
import { scanBatches } from "../scan/execute.js";
import { batchRows } from "../scan/rows.js";
import type { Value } from "../scan/arrow-values.js";
import { changePlanFields, planChanges, type ChangePlan, type ChangesOptions } from "./change-plan.js";

/** Options of the read functions: the feed, plus how to execute it. */
export interface ReadChangesOptions extends ChangesOptions {
  /** Stop after this many rows. */
  limit?: number | undefined;
  /** Maximum rows per batch. */
  batchSize?: number | undefined;
  /** Parquet decoder (default: the scan's choice per run). */
  reader?: ParquetReader | undefined;
  signal?: AbortSignal | undefined;
}

/** Streams the rows of a planned feed as RecordBatches, commit by commit. */
export async function* changeBatches(plan: ChangePlan, options: ReadChangesOptions): AsyncGenerator<RecordBatch> {
  let left = options.limit;
  for (const run of plan.runs) {
    if (left !== undefined && left <= 0) return;
    for await (const b of scanBatches(run, {
      store: options.store,
      limit: left,
      batchSize: options.batchSize,
      concurrency: options.concurrency === undefined ? undefined : Math.min(options.concurrency, 4),
      signal: options.signal,
      ...(options.reader === undefined ? {} : { reader: options.reader }),
    })) {
      if (left !== undefined) left -= b.numRows;
      yield b;
    }
  }
}

/** Streams the changed rows as Arrow RecordBatches. */
export async function* readChangeBatches(options: ReadChangesOptions): AsyncGenerator<RecordBatch> {
  yield* changeBatches(await planChanges(options), options);
}

/** Reads the changed rows into one Arrow Table (an empty feed gives an empty table with the schema). */
export async function readChanges(options: ReadChangesOptions): Promise<Table> {
  const plan = await planChanges(options);
  const batches: RecordBatch[] = [];
  for await (const b of changeBatches(plan, options)) if (b.numRows > 0) batches.push(b);
  if (batches.length > 0) return new Table(batches);
  return new Table(deltaSchemaToArrow({ kind: "struct", fields: await changePlanFields(plan, options) }));
}

/** Streams the changed rows as plain objects of canonical values (see schema/types.ts). */
export async function* readChangeRows(options: ReadChangesOptions): AsyncGenerator<Record<string, Value>> {
  const plan = await planChanges(options);
  const fields = plan.outputFields ?? [];
  for await (const b of changeBatches(plan, options)) yield* batchRows(b, fields);
}
