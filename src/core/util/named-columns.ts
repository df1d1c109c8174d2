/**
 * A text MERGE source (NDJSON or CSV bytes) typed by the target table's schema but with only the
 * columns the text itself names. Typing text by a table schema gives every column the text lacks
 * as a column of nulls, which is right for a write and wrong for a MERGE: an NDJSON source
 * without `id` would "have" null keys and insert its rows instead of being refused as a source
 * missing its key column (as row objects are, dml/merge/source.ts). So a CSV source is typed by
 * the table fields its header names (the header is read ahead, then the bytes replayed), and an
 * NDJSON source's batches keep the top-level keys some line has (its leaf key paths collected
 * while parsing, json-nesting.ts's `\0key\0subkey`). The caller parses (the Worker with its body
 * limits, the CLI from a file); MERGE reads its whole source into memory anyway, so buffering the
 * NDJSON batches here costs no more. Used by the Worker's merge route and the CLI's `merge`.
 */
import type { RecordBatch } from "apache-arrow";
import type { StructType } from "../schema/types.js";
import { CsvReader } from "../write/csv-records.js";
import { textLimits } from "../write/text-limits.js";

/** Options of {@link namedColumnBatches}. */
export interface NamedColumnOptions {
  format: "ndjson" | "csv";
  bytes: ReadableStream<Uint8Array>;
  /** The target table's schema. */
  target: StructType;
  /** Named in errors (a file name, "request body"). */
  source: string;
  maxLineBytes?: number | undefined;
  maxFieldBytes?: number | undefined;
  /** Parses the bytes typed by `schema`, collecting NDJSON leaf key paths into `jsonPaths` when given. */
  parse: (bytes: ReadableStream<Uint8Array>, schema: StructType, jsonPaths: Set<string> | undefined) => AsyncIterable<RecordBatch>;
}

/** The source's batches with only the columns it names (see the module comment). */
export async function* namedColumnBatches(options: NamedColumnOptions): AsyncGenerator<RecordBatch> {
  const { target, parse } = options;
  if (options.format === "csv") {
    const { header, replay } = await csvHeader(options);
    const named = new Set(header);
    yield* parse(replay, { kind: "struct", fields: target.fields.filter((f) => named.has(f.name)) }, undefined);
    return;
  }
  const paths = new Set<string>();
  const batches: RecordBatch[] = [];
  for await (const batch of parse(options.bytes, target, paths)) batches.push(batch);
  const keys = new Set([...paths].map((p) => p.split("\u0000")[1] as string));
  for (const batch of batches) {
    const present = batch.schema.fields.map((f) => f.name).filter((n) => keys.has(n));
    yield present.length === batch.schema.fields.length ? batch : batch.select(present);
  }
}

/** The first CSV record (the header), and the bytes from the start again. */
async function csvHeader(options: NamedColumnOptions): Promise<{ header: string[]; replay: ReadableStream<Uint8Array> }> {
  const reader = options.bytes.getReader();
  const seen: Uint8Array[] = [];
  const csv = new CsvReader(textLimits(options.source, options));
  // not fatal: invalid UTF-8 is reported by the real parse, with its line
  const decoder = new TextDecoder("utf-8");
  let header: (string | null)[] | undefined;
  for (;;) {
    const { done, value } = await reader.read();
    const records = done ? [...csv.push(decoder.decode()), ...csv.end()] : csv.push(decoder.decode(value, { stream: true }));
    if (!done) seen.push(value);
    header = records[0]?.cells;
    if (header !== undefined || done) break;
  }
  let i = 0;
  const replay = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (i < seen.length) {
        controller.enqueue(seen[i++] as Uint8Array);
        return;
      }
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return { header: (header ?? []).map((c) => c ?? ""), replay };
}
