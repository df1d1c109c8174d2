/**
 * The rejected store of an ingest object, over HTTP: rows that were acknowledged but can never be
 * written (they no longer fit the table's schema, or their flush failed on them MAX_DATA_ATTEMPTS
 * times) are kept there rather than dropped or left blocking the table.
 *   GET  .../ingest/rejected?limit=      NDJSON, one line per piece (the oldest `limit`, default
 *                                        100): {seq, acknowledgedAt,
 *                                        rejectedAt, reason, rows: [...]} (rows in the JSON value
 *                                        encoding of DESIGN.md, ready to be fixed and sent again)
 *   POST .../ingest/rejected?through=N   forgets the pieces with seq <= N: {pieces, rows}
 */
import { tableFromIPC } from "apache-arrow";
import { arrowSchemaToDelta } from "../../core/schema/arrow-schema.js";
import { batchRows, formatRowJson } from "../../core/scan/rows.js";
import { HttpError, intParam, jsonResponse } from "../http.js";
import type { IngestBuffer } from "./buffer.js";

/** Pieces one GET returns by default. */
const DEFAULT_LIMIT = 100;

/** GET /rejected?limit=: the oldest rejected pieces as NDJSON. */
export function rejectedRows(buffer: IngestBuffer, params: URLSearchParams): Response {
  const lines = buffer.rejectedPieces(intParam(params, "limit") ?? DEFAULT_LIMIT).map((p) => {
    const table = tableFromIPC(p.ipc);
    const fields = arrowSchemaToDelta(table.schema).fields;
    const rows = table.batches.flatMap((b) => [...batchRows(b, fields)].map((r) => formatRowJson(r, fields)));
    return JSON.stringify({ seq: p.seq, acknowledgedAt: new Date(p.at).toISOString(), rejectedAt: new Date(p.rejectedAt).toISOString(), reason: p.reason, rows });
  });
  return new Response(lines.map((l) => `${l}\n`).join(""), { status: 200, headers: { "Content-Type": "application/x-ndjson; charset=utf-8", "Cache-Control": "no-store" } });
}

/** POST /rejected?through=N: forgets rejected pieces up to N. */
export function clearRejected(buffer: IngestBuffer, params: URLSearchParams): Response {
  const through = intParam(params, "through");
  if (through === undefined) throw new HttpError(400, "INVALID_INPUT", "give ?through=<seq>: the last rejected piece to forget (see GET .../ingest/rejected)");
  return jsonResponse(buffer.clearRejected(through));
}
