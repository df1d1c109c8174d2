/**
 * GET /api/tables/:schema/:table/changes: the table's change data feed, streamed like /rows
 * (NDJSON by default, a JSON array, CSV or an Arrow IPC stream), with ?from=V[&to=V] or
 * ?fromTimestamp=ISO[&toTimestamp=ISO], and ?columns=&where=&limit=&format=.
 *
 * Resumable: the response says which versions it covers in `Delta-Changes-Start` and
 * `Delta-Changes-End`, and where to resume in `Delta-Changes-Next` (End + 1). A client that has
 * seen version V asks for `from=V+1`; when nothing was committed since, the answer is an empty
 * feed (200, no rows, Next unchanged) that costs one listing of the log and reads no commit. The
 * whole range is checked before the first byte (a refusal is a 400 JSON error naming the version),
 * and the first batch is read before the response starts, as for /rows.
 */
import type { RecordBatch } from "apache-arrow";
import { changePlanFields, planChanges, type ChangesOptions } from "../core/changes/change-plan.js";
import { changeBatches } from "../core/changes/read-changes.js";
import { deltaSchemaToArrow } from "../core/schema/arrow-schema.js";
import { encodeRows, ROW_OUTPUT_FORMATS, type RowOutputFormat } from "../core/scan/row-output.js";
import type { ObjectStore } from "../core/storage/object-store.js";
import { HttpError, intParam, listParam, stringParam } from "./http.js";
import { byteStream, CONTENT_TYPES, startedEarly } from "./rows.js";

/** GET .../changes: streams the change rows of a version range. */
export async function changesRoute(store: ObjectStore, params: URLSearchParams): Promise<Response> {
  const format = (stringParam(params, "format") ?? "ndjson") as RowOutputFormat;
  if (!ROW_OUTPUT_FORMATS.includes(format)) throw new HttpError(400, "INVALID_INPUT", `unknown format '${format}'; use one of ${ROW_OUTPUT_FORMATS.join(", ")}`);
  const from = intParam(params, "from");
  const fromTimestamp = stringParam(params, "fromTimestamp");
  if ((from === undefined) === (fromTimestamp === undefined)) throw new HttpError(400, "INVALID_INPUT", "give exactly one of from (a version) and fromTimestamp");
  const options: ChangesOptions = {
    store,
    startingVersion: from,
    startingTimestamp: fromTimestamp,
    endingVersion: intParam(params, "to"),
    endingTimestamp: stringParam(params, "toTimestamp"),
    columns: listParam(params, "columns"),
    where: stringParam(params, "where"),
    emptyWhenCaughtUp: true,
  };
  const plan = await planChanges(options);
  const headers = {
    "Content-Type": CONTENT_TYPES[format],
    "Cache-Control": "no-store",
    "Delta-Changes-Start": String(plan.startVersion),
    "Delta-Changes-End": String(plan.endVersion),
    "Delta-Changes-Next": String(plan.endVersion + 1),
  };
  // An empty poll in ndjson or json needs no schema: answered without reading the log further.
  if (plan.runs.length === 0 && (format === "ndjson" || format === "json")) {
    return new Response(format === "json" ? "[]\n" : "", { status: 200, headers });
  }
  const fields = await changePlanFields(plan, options);
  const batches: AsyncGenerator<RecordBatch> = await startedEarly(changeBatches(plan, { ...options, limit: intParam(params, "limit") }));
  const chunks = encodeRows({ batches, fields, arrowSchema: deltaSchemaToArrow({ kind: "struct", fields }), format });
  return new Response(byteStream(chunks), { status: 200, headers });
}
