/**
 * GET /api/tables/:schema/:table/rows: a scan streamed as NDJSON (default), a JSON array, CSV or
 * an Arrow IPC stream, with ?columns=&where=&version=&timestamp=&limit=. The body is a pull-based
 * ReadableStream over the scan: a batch is read only when the client has taken the previous
 * one, so memory stays bounded by a few batches whatever the table size. The first batch is read
 * before the response starts, so that plan and read errors still get a JSON error status. An
 * error after that cannot change the status any more (200 is sent), and workerd ends even an
 * errored body like a complete one: so the body ends with the error in a form no client can take
 * for more rows or a clean end (failureTrailer: a last NDJSON line `{"error":{"code","message"}}`,
 * an unclosed JSON array, a CSV line of one field, a cut-short Arrow message). The failure is
 * logged (console.error) for the Worker's logs.
 */
import type { RecordBatch } from "apache-arrow";
import { planScan } from "../core/scan/plan.js";
import { outputSchema, scanBatches } from "../core/scan/execute.js";
import { encodeRows, ROW_OUTPUT_FORMATS, type RowOutputFormat } from "../core/scan/row-output.js";
import type { ObjectStore } from "../core/storage/object-store.js";
import { errorStatus, HttpError, intParam, listParam, stringParam } from "./http.js";
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
  return new Response(byteStream(chunks, (error) => failureTrailer(format, error)), { status: 200, headers: { "Content-Type": CONTENT_TYPES[format], "Cache-Control": "no-store" } });
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

/**
 * What ends a rows body that failed after it started, per format, so that the failure is never
 * mistaken for the end of the result (workerd ends the chunked body cleanly even when its stream
 * errors): the error's `{"error": {code, message}}` JSON as the last NDJSON line; for JSON after
 * the elements, leaving the array unclosed (invalid JSON); for CSV as a last line of one quoted
 * field; for Arrow inside an IPC message that is cut short (readers fail with a truncation error).
 */
export function failureTrailer(format: RowOutputFormat, error: unknown): string | Uint8Array {
  const { code, message } = errorStatus(error);
  const json = JSON.stringify({ error: { code, message } });
  switch (format) {
    case "ndjson":
      return `${json}\n`;
    case "json":
      return `\n${json}\n`;
    case "csv":
      return `"${json.replaceAll('"', '""')}"\n`;
    case "arrow": {
      const text = new TextEncoder().encode(json);
      const out = new Uint8Array(8 + text.byteLength);
      const view = new DataView(out.buffer);
      view.setInt32(0, -1, true); // continuation marker, then a metadata length the body never reaches
      view.setInt32(4, text.byteLength + 8, true);
      out.set(text, 8);
      return out;
    }
  }
}

/**
 * A pull-based byte stream over an async generator of text or bytes; cancelling stops the scan.
 * On a failure the stream ends with `trailer(error)` when given (else it errors).
 */
export function byteStream(chunks: AsyncGenerator<string | Uint8Array>, trailer?: (error: unknown) => string | Uint8Array): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let failed = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (failed) {
          controller.close();
          return;
        }
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
          console.error(`rows stream failed after the response started: ${errorStatus(error).message}`);
          if (trailer === undefined) controller.error(error);
          else {
            // then close, not error: an errored stream loses what is queued, and workerd drops
            // the tail of a compressed (gzip) body when its stream errors
            const last = trailer(error);
            controller.enqueue(typeof last === "string" ? encoder.encode(last) : last);
            failed = true;
          }
        }
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}
