/**
 * The source rows of a MERGE request: the body read by Content-Type as for writes (body.ts), with
 * only the columns the body itself names. Text bodies are typed by the target table's schema,
 * which would otherwise give a column the body lacks as a column of nulls: an NDJSON source
 * without `id` would then "have" a null key and insert its rows instead of being refused as a
 * source missing its key column. So a CSV body is typed by the table's fields its header names
 * (the header is read ahead, then the bytes replayed), and an NDJSON body's batches keep the
 * top-level keys some line has. Arrow and Parquet bodies carry their own schema. The core reads
 * the whole source into memory anyway (dml/merge/source.ts), so buffering NDJSON here adds none.
 */
import type { RecordBatch } from "apache-arrow";
import type { StructType } from "../core/schema/types.js";
import { CsvReader } from "../core/write/csv-records.js";
import { textLimits } from "../core/write/text-limits.js";
import { bodyBatches, type BodyFormat, type TextBodyLimits } from "./body.js";

/** The body's rows as the MERGE source (see the module comment). */
export async function* mergeSourceBatches(body: ReadableStream<Uint8Array>, format: BodyFormat, target: StructType, limits: TextBodyLimits): AsyncGenerator<RecordBatch> {
  if (format === "csv") {
    const { header, replay } = await csvHeader(body, limits);
    const named = new Set(header);
    yield* bodyBatches(replay, format, { kind: "struct", fields: target.fields.filter((f) => named.has(f.name)) }, limits);
    return;
  }
  if (format !== "ndjson") {
    yield* bodyBatches(body, format, target, limits);
    return;
  }
  const paths = new Set<string>();
  const batches: RecordBatch[] = [];
  for await (const batch of bodyBatches(body, format, target, limits, paths)) batches.push(batch);
  // a leaf path is `\0key\0subkey...`: its top-level key is the column
  const keys = new Set([...paths].map((p) => p.split("\u0000")[1] as string));
  for (const batch of batches) {
    const present = batch.schema.fields.map((f) => f.name).filter((n) => keys.has(n));
    yield present.length === batch.schema.fields.length ? batch : batch.select(present);
  }
}

/** The first CSV record (the header) of a body, and the body's bytes from the start. */
async function csvHeader(body: ReadableStream<Uint8Array>, limits: TextBodyLimits): Promise<{ header: string[]; replay: ReadableStream<Uint8Array> }> {
  const reader = body.getReader();
  const seen: Uint8Array[] = [];
  const csv = new CsvReader(textLimits("request body", limits));
  // not fatal: invalid UTF-8 is reported by the real parse, with its line
  const decoder = new TextDecoder("utf-8");
  let header: (string | null)[] | undefined;
  while (header === undefined) {
    const { done, value } = await reader.read();
    const records = done ? [...csv.push(decoder.decode()), ...csv.end()] : csv.push(decoder.decode(value, { stream: true }));
    if (!done) seen.push(value);
    header = records[0]?.cells ?? (done ? [] : undefined);
    if (done) break;
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
