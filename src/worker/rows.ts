/**
 * GET /api/tables/:schema/:table/rows: a scan streamed as NDJSON (default), a JSON array, CSV or
 * an Arrow IPC stream, with ?columns=&where=&version=&timestamp=&limit=. The body is a pull-based
 * ReadableStream over the scan: a batch is read only when the client has taken the previous
 * one, so memory stays bounded by a few batches whatever the table size. The first batch is read
 * before the response starts, so that plan and read errors still get a JSON error status; an
 * error after that can only abort the stream (the client sees a truncated body).
 */
import type { RecordBatch } from "apache-arrow";
import { planScan } from "../core/scan/plan.js";
import { outputSchema, scanBatches } from "../core/scan/execute.js";
import { encodeRows, ROW_OUTPUT_FORMATS, type RowOutputFormat } from "../core/scan/row-output.js";
import type { ObjectStore } from "../core/storage/object-store.js";
import { HttpError, intParam, listParam, stringParam } from "./http.js";
import { snapshotFromQuery } from "./tables.js";

/** Content-Type of each streamed output format. */
export const CONTENT_TYPES: Record<RowOutputFormat, string> = {
  ndjson: "application/x-ndjson; charset=utf-8",
  json: "application/json; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  arrow: "application/vnd.apache.arrow.stream",
};

/** GET .../rows: streams the selected rows in the requested format. */
export async function rowsRoute(store: ObjectStore, params: URLSearchParams): Promise<Response> {
  const format = (stringParam(params, "format") ?? "ndjson") as RowOutputFormat;
  if (!ROW_OUTPUT_FORMATS.includes(format)) {
    const hint = (format as string) === "parquet" ? " (parquet needs the whole result before its footer: use arrow to stream, or the CLI)" : "";
    throw new HttpError(400, "INVALID_INPUT", `unknown format '${format}'; use one of ${ROW_OUTPUT_FORMATS.join(", ")}${hint}`);
  }
  const snapshot = await snapshotFromQuery(store, params);
  const plan = planScan(snapshot, { columns: listParam(params, "columns"), where: stringParam(params, "where") });
  const batches = await startedEarly(scanBatches(plan, { store, limit: intParam(params, "limit") }));
  const chunks = encodeRows({ batches, fields: plan.outputFields, arrowSchema: outputSchema(plan), format });
  return new Response(byteStream(chunks), { status: 200, headers: { "Content-Type": CONTENT_TYPES[format], "Cache-Control": "no-store" } });
}

/** Reads the first batch now (so errors surface before the response), then replays it. */
export async function startedEarly(batches: AsyncGenerator<RecordBatch>): Promise<AsyncGenerator<RecordBatch>> {
  const first = await batches.next();
  return (async function* () {
    if (first.done) return;
    yield first.value;
    yield* batches;
  })();
}

/** A pull-based byte stream over an async generator of text or bytes; cancelling stops the scan. */
export function byteStream(chunks: AsyncGenerator<string | Uint8Array>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          for (;;) {
            const next = await chunks.next();
            if (next.done) {
              controller.close();
              return;
            }
            const bytes = typeof next.value === "string" ? encoder.encode(next.value) : next.value;
            if (bytes.byteLength === 0) continue;
            controller.enqueue(bytes);
            return;
          }
        } catch (error) {
          controller.error(error);
        }
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}
