/**
 * The Worker's ingest routes, forwarded to the table's DeltaIngest object after authorization:
 *   POST .../ingest        rows (body as for writes) with an Idempotency-Key header (write token)
 *   GET  .../ingest        the object's status (read access)
 *   POST .../ingest/flush  commit everything buffered now (write token)
 *   GET  .../ingest/rejected            rows set aside because they could not be written (read access)
 *   POST .../ingest/rejected?through=N  forget the set-aside pieces up to sequence N (write token)
 * api.ts routes and authorizes them. The body is read here within MAX_BODY_BYTES (413), its
 * Content-Type (415) and its key (400) checked, so the object only sees well-formed requests. When
 * the object cannot be reached (reset, overloaded) the answer is 503 with Retry-After: retrying
 * with the same key is safe.
 */
import { bodyFormat, limitedBody } from "../body.js";
import { maxBodyBytes, type Env } from "../env.js";
import { HttpError } from "../http.js";
import type { IngestEnv } from "./settings.js";
import { ingestObjectName, TABLE_HEADER, tableHeaderValue, type TableRef } from "./table-ref.js";

/** Longest accepted Idempotency-Key. */
export const MAX_KEY_LENGTH = 255;

/** The methods of each path below `.../ingest` ("" is `.../ingest` itself). */
export const INGEST_METHODS: Readonly<Record<string, readonly string[]>> = { "": ["GET", "POST"], flush: ["POST"], rejected: ["GET", "POST"] };

/** Forwards an authorized ingest request (`sub`: the path below `.../ingest`) to the table's object. */
export async function ingestRoute(request: Request, env: Env, ref: TableRef, sub: string): Promise<Response> {
  const namespace = (env as IngestEnv).INGEST;
  if (namespace === undefined) throw new HttpError(501, "INGEST_NOT_CONFIGURED", "ingest needs the INGEST Durable Object binding (class DeltaIngest) in wrangler.toml");
  const headers = new Headers({ [TABLE_HEADER]: tableHeaderValue(ref) });
  let body: ArrayBuffer | undefined;
  if (sub === "" && request.method === "POST") {
    headers.set("Idempotency-Key", idempotencyKey(request));
    const contentType = request.headers.get("Content-Type");
    bodyFormat(contentType);
    headers.set("Content-Type", contentType ?? "");
    body = await new Response(limitedBody(request, maxBodyBytes(env))).arrayBuffer();
  }
  const stub = namespace.get(namespace.idFromName(ingestObjectName(env, ref)));
  const url = new URL(`https://delta-edge-ingest/${sub === "" ? "ingest" : sub}`);
  url.search = new URL(request.url).search;
  try {
    return await stub.fetch(new Request(url, { method: request.method, headers, ...(body === undefined ? {} : { body }) }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new HttpError(503, "INGEST_UNAVAILABLE", `the table's ingest object is unavailable (${message}); retry with the same Idempotency-Key`, { "Retry-After": "1" });
  }
}

/** The request's Idempotency-Key: 1 to 255 visible ASCII characters (400 otherwise). */
function idempotencyKey(request: Request): string {
  const key = request.headers.get("Idempotency-Key");
  if (key === null || key === "") throw new HttpError(400, "INVALID_INPUT", "ingest needs an Idempotency-Key header (a unique id per batch; resend it unchanged when retrying)");
  if (key.length > MAX_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(key)) {
    throw new HttpError(400, "INVALID_INPUT", `the Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} visible ASCII characters`);
  }
  return key;
}
