/**
 * Refusing rows outside the partition being written: every row of a partitioned output must
 * satisfy the partition predicate. Data already in memory (an Arrow Table, a RecordBatch, row
 * objects) is checked completely before anything is written; a stream is checked batch by batch
 * as the writer pulls it, so a bad row stops the write before its commit (files written for
 * earlier batches stay unreferenced, for vacuum).
 */
import type { Data, RecordBatch, Schema } from "apache-arrow";
import { InvalidInputError } from "../errors.js";
import type { BoundExpr } from "../expr/bound.js";
import { predicateMask } from "../scan/row-filter.js";
import { valueReader } from "../arrow/values.js";
import { formatValueJson } from "../scan/rows.js";
import type { StructField, StructType } from "../schema/types.js";
import { validateDataSchema, type DataConformer } from "../write/data-validate.js";

/** What a failed check reports. */
export interface PartitionCheckOptions {
  schema: StructType;
  predicate: BoundExpr;
  /** The predicate's text, for the message. */
  text: string;
  assetName: string;
  /** The partition keys being written, for the message. */
  keys: readonly string[];
  /** The partition columns, whose values the message shows. */
  columns: readonly string[];
}

/** A per-batch check that throws InvalidInputError at the first row outside the partition. */
export function partitionCheck(options: PartitionCheckOptions): (batch: RecordBatch) => void {
  let seen = 0;
  const conformers = new Map<Schema, DataConformer>();
  return (input) => {
    // Values are read as the writer will store them (a millisecond Date column becomes a date...).
    let conformer = conformers.get(input.schema);
    if (conformer === undefined) {
      conformer = validateDataSchema({ arrowSchema: input.schema, schema: options.schema, extraColumns: "ignore" });
      conformers.set(input.schema, conformer);
    }
    const batch = conformer.conform(input);
    const columns: (readonly [StructField, Data])[] = [];
    for (const f of options.schema.fields) {
      const idx = batch.schema.fields.findIndex((x) => x.name === f.name);
      if (idx >= 0) columns.push([f, batch.data.children[idx] as Data]);
    }
    const mask = predicateMask(options.predicate, columns, batch.numRows);
    const bad = mask.findIndex((m) => m !== 1);
    if (bad >= 0) {
      const values = options.columns.map((c) => {
        const entry = columns.find(([f]) => f.name === c);
        if (entry === undefined) return `${c}=(missing)`;
        return `${c}=${JSON.stringify(formatValueJson(valueReader(entry[1], entry[0].type)(bad), entry[0].type))}`;
      });
      throw new InvalidInputError(
        `asset ${options.assetName}: row ${seen + bad} (${values.join(", ")}) is outside partition ${options.keys.join(", ")} (${options.text}); nothing was committed`,
      );
    }
    seen += batch.numRows;
  };
}

/** Checks every batch of data already in memory, then replays it. */
export async function checkedInMemory(batches: AsyncIterable<RecordBatch>, check: (b: RecordBatch) => void): Promise<AsyncIterable<RecordBatch>> {
  const all: RecordBatch[] = [];
  for await (const b of batches) {
    check(b);
    all.push(b);
  }
  return (async function* () {
    yield* all;
  })();
}

/** Checks each batch of a stream as it is pulled. */
export async function* checkedStream(batches: AsyncIterable<RecordBatch>, check: (b: RecordBatch) => void): AsyncGenerator<RecordBatch> {
  for await (const b of batches) {
    check(b);
    yield b;
  }
}
