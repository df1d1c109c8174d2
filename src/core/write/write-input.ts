/**
 * Normalizing what callers hand the writer: an Arrow Table, one RecordBatch, a (async) stream of
 * batches, or plain row objects. The first batch is peeked so the data's schema is known before
 * the table is created or evolved, without buffering the rest of a stream.
 */
import { RecordBatch, Table, type Schema } from "apache-arrow";
import { InvalidInputError } from "../errors.js";
import type { StructType } from "../schema/types.js";
import { inferSchema, rowsToRecordBatch } from "./rows-to-arrow.js";

/** Everything the writer accepts as data. */
export type WriteData = Table | RecordBatch | Iterable<RecordBatch> | AsyncIterable<RecordBatch> | readonly Record<string, unknown>[];

/** Data as a stream of batches plus its Arrow schema (undefined when the stream is empty). */
export interface NormalizedData {
  arrowSchema: Schema | undefined;
  batches: AsyncIterable<RecordBatch>;
}

/** Rows per batch built from row objects. */
const ROWS_PER_BATCH = 65536;

/**
 * Normalizes data. Row objects are converted with `rowSchema` (the table's schema when it exists)
 * or a schema inferred from the rows.
 */
export async function normalizeData(data: WriteData, rowSchema: StructType | undefined): Promise<NormalizedData> {
  if (data instanceof Table || isTable(data)) return { arrowSchema: (data as Table).schema, batches: fromIterable((data as Table).batches) };
  if (data instanceof RecordBatch || isBatch(data)) return { arrowSchema: (data as RecordBatch).schema, batches: fromIterable([data as RecordBatch]) };
  if (Array.isArray(data) && (data.length === 0 || !isBatch(data[0]))) {
    const rows = data as readonly Record<string, unknown>[];
    if (rows.length === 0 && rowSchema === undefined) return { arrowSchema: undefined, batches: fromIterable([]) };
    const schema = rowSchema ? withExtraColumns(rowSchema, rows) : inferSchema(rows);
    const batches: RecordBatch[] = [];
    for (let i = 0; i < rows.length; i += ROWS_PER_BATCH) batches.push(rowsToRecordBatch(rows.slice(i, i + ROWS_PER_BATCH), schema));
    if (batches.length === 0) batches.push(rowsToRecordBatch([], schema));
    return { arrowSchema: batches[0]?.schema, batches: fromIterable(batches) };
  }
  if (typeof (data as AsyncIterable<RecordBatch>)[Symbol.asyncIterator] === "function" || typeof (data as Iterable<RecordBatch>)[Symbol.iterator] === "function") {
    const it = toAsyncIterator(data as Iterable<RecordBatch> | AsyncIterable<RecordBatch>);
    const first = await it.next();
    if (first.done) return { arrowSchema: undefined, batches: fromIterable([]) };
    if (!isBatch(first.value)) throw new InvalidInputError("a data stream must yield Arrow RecordBatches");
    return { arrowSchema: first.value.schema, batches: prepend(first.value, it) };
  }
  throw new InvalidInputError("data must be an Arrow Table, RecordBatch, an (async) iterable of RecordBatches, or an array of row objects");
}

/** The schema plus inferred fields for keys the rows have beyond it (so they can be merged or refused). */
export function withExtraColumns(schema: StructType, rows: readonly Record<string, unknown>[]): StructType {
  const known = new Set(schema.fields.map((f) => f.name));
  const extra = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) if (!known.has(k)) extra.add(k);
  if (extra.size === 0) return schema;
  const inferred = inferSchema(rows.map((r) => Object.fromEntries([...extra].map((k) => [k, r[k]]))));
  return { kind: "struct", fields: [...schema.fields, ...inferred.fields] };
}

function isTable(x: unknown): boolean {
  return typeof x === "object" && x !== null && "batches" in x && "schema" in x && "numRows" in x;
}

function isBatch(x: unknown): x is RecordBatch {
  return typeof x === "object" && x !== null && "schema" in x && "data" in x && "numRows" in x && !("batches" in x);
}

async function* fromIterable(items: Iterable<RecordBatch>): AsyncGenerator<RecordBatch> {
  yield* items;
}

function toAsyncIterator(data: Iterable<RecordBatch> | AsyncIterable<RecordBatch>): AsyncIterator<RecordBatch> {
  if (Symbol.asyncIterator in data) return (data as AsyncIterable<RecordBatch>)[Symbol.asyncIterator]();
  const it = (data as Iterable<RecordBatch>)[Symbol.iterator]();
  return { next: async () => it.next() };
}

async function* prepend(first: RecordBatch, rest: AsyncIterator<RecordBatch>): AsyncGenerator<RecordBatch> {
  yield first;
  for (;;) {
    const r = await rest.next();
    if (r.done) return;
    yield r.value;
  }
}
