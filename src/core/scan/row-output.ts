/**
 * Encoding scan output as it streams, shared by the CLI `scan` command and the Worker's `/rows`
 * route: NDJSON, a JSON array, CSV (values in the JSON value encoding of DESIGN.md; nested values
 * as JSON text) and an Arrow IPC stream. Every format is produced batch by batch, so memory stays
 * bounded by one batch whatever the size of the result; nothing here gathers the whole scan.
 */
import { AsyncByteQueue, RecordBatchStreamWriter, type RecordBatch, type Schema } from "apache-arrow";
import type { StructField } from "../schema/types.js";
import { batchRows, formatRowJson, type JsonValue } from "./rows.js";
import { concatBytes } from "../util/bytes.js";

/** Streamable output formats. */
export const ROW_OUTPUT_FORMATS = ["ndjson", "json", "csv", "arrow"] as const;
export type RowOutputFormat = (typeof ROW_OUTPUT_FORMATS)[number];

/** What {@link encodeRows} needs: the batches, their fields (logical) and Arrow schema. */
export interface EncodeRowsOptions {
  batches: AsyncIterable<RecordBatch>;
  /** Output fields of the scan (plan.outputFields). */
  fields: readonly StructField[];
  /** Arrow schema of the batches (outputSchema(plan)); used by the arrow format. */
  arrowSchema: Schema;
  format: RowOutputFormat;
}

/** Yields the encoded output: text for ndjson/json/csv, bytes for arrow; at most one batch at a time. */
export async function* encodeRows(options: EncodeRowsOptions): AsyncGenerator<string | Uint8Array> {
  const { batches, fields, format } = options;
  if (format === "arrow") {
    yield* arrowIpcChunks(options.arrowSchema, batches);
    return;
  }
  if (format === "csv") yield `${fields.map((f) => csvCell(f.name)).join(",")}\n`;
  if (format === "json") yield "[";
  let first = true;
  for await (const b of batches) {
    const lines: string[] = [];
    for (const row of batchRows(b, fields)) {
      const json = formatRowJson(row, fields);
      if (format === "csv") lines.push(fields.map((f) => csvValue(json[f.name] ?? null)).join(","));
      else lines.push(JSON.stringify(json));
    }
    if (lines.length === 0) continue;
    if (format === "json") {
      yield `${first ? "\n" : ",\n"}${lines.join(",\n")}`;
      first = false;
    } else yield `${lines.join("\n")}\n`;
  }
  if (format === "json") yield first ? "]\n" : "\n]\n";
}

/** A sink the Arrow writer fills synchronously; the generator below takes what each write produced. */
class ChunkSink extends AsyncByteQueue {
  private chunks: Uint8Array[] = [];
  // The writer hands over Uint8Arrays only (views of the batch's buffers; take() copies them out).
  override write(value: Parameters<AsyncByteQueue["write"]>[0]): void {
    const bytes = value as Uint8Array;
    if (bytes.byteLength > 0) this.chunks.push(bytes);
  }
  take(): Uint8Array {
    const out = concatBytes(this.chunks);
    this.chunks = [];
    return out;
  }
}

/** An Arrow IPC stream (schema, one message per batch, end-of-stream marker), one chunk per batch. */
export async function* arrowIpcChunks(schema: Schema, batches: AsyncIterable<RecordBatch>): AsyncGenerator<Uint8Array> {
  const sink = new ChunkSink();
  const writer = new RecordBatchStreamWriter();
  writer.reset(sink, schema);
  let chunk = sink.take();
  if (chunk.byteLength > 0) yield chunk;
  for await (const b of batches) {
    if (b.numRows === 0) continue;
    writer.write(b);
    chunk = sink.take();
    if (chunk.byteLength > 0) yield chunk;
  }
  writer.finish();
  chunk = sink.take();
  if (chunk.byteLength > 0) yield chunk;
}

function csvValue(v: JsonValue): string {
  if (v === null) return "";
  if (typeof v === "string") return csvCell(v);
  if (typeof v === "object") return csvCell(JSON.stringify(v));
  return String(v);
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) || s.length === 0 ? `"${s.replace(/"/g, '""')}"` : s;
}
