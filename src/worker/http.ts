/**
 * HTTP plumbing of the Worker API: JSON responses, errors as `{error: {code, message}}` with a
 * status that fits the failure (every DeltaError code has one, see STATUS_OF_CODE; HTTP-level
 * refusals carry their own status), and CORS headers (simple responses and OPTIONS preflights) so
 * that browser pages on other origins can call the API and read tables through `/objects` with
 * Range requests. A 500 means a fault of the Worker itself, never a cause the client can fix.
 */
import { DeltaError, type DeltaErrorCode } from "../core/errors.js";

/** An HTTP-level refusal (auth, size, method, media type) with its status and a stable code. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/**
 * Status of each DeltaError code. 4xx for what the client can change: bad input 400, missing 404,
 * lost races 409; a table the Worker cannot serve as it is (corrupt log or data files, a feature
 * delta-edge does not support) 422, whatever the request; storage (R2) failing 502; operations a
 * store cannot do at all 405 (writes to a read-only store) or 501 (listing static hosting). 500
 * only for faults of the Worker itself (parquet-wasm failing to load or encode, unknown codes, bugs).
 */
export const STATUS_OF_CODE: Readonly<Record<DeltaErrorCode, number>> = {
  INVALID_INPUT: 400,
  NOT_FOUND: 404,
  COMMIT_CONFLICT: 409,
  ALREADY_EXISTS: 409,
  PROTOCOL_ERROR: 422,
  PARQUET_FORMAT: 422,
  PARQUET_SCHEMA_MISMATCH: 422,
  UNSUPPORTED_FEATURE: 422,
  READ_ONLY: 405,
  UNSUPPORTED: 501,
  STORAGE_ERROR: 502,
  PARQUET_WASM: 500,
  // delta-edge/duckdb (not served by the Worker): DuckDB refusing a query or an attach
  DUCKDB_ERROR: 400,
};

/** The status and `{code, message}` of any error thrown while handling a request. */
export function errorStatus(error: unknown): { status: number; code: string; message: string; headers: Record<string, string> } {
  if (error instanceof HttpError) return { status: error.status, code: error.code, message: error.message, headers: error.headers };
  if (error instanceof DeltaError) return { status: STATUS_OF_CODE[error.code] ?? 500, code: error.code, message: error.message, headers: {} };
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, code: "INTERNAL", message: `internal error: ${message}`, headers: {} };
}

/** The JSON error response of any error thrown while handling a request. */
export function errorResponse(error: unknown): Response {
  const { status, code, message, headers } = errorStatus(error);
  return jsonResponse({ error: { code, message } }, status, headers);
}

/** A JSON response (compact, UTF-8). */
export function jsonResponse(value: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(`${JSON.stringify(value)}\n`, { status, headers: { "Content-Type": "application/json; charset=utf-8", ...headers } });
}

/** Headers a page may read from our responses (ranged reads need Content-Range and ETag). */
const EXPOSED = "Content-Range, Content-Length, ETag, Accept-Ranges, Last-Modified, Delta-Changes-Start, Delta-Changes-End, Delta-Changes-Next";
const ALLOWED_HEADERS = "Authorization, Content-Type, Range, If-None-Match, Idempotency-Key";
const ALLOWED_METHODS = "GET, HEAD, POST, OPTIONS";

/** The Access-Control-Allow-Origin value for a request, or undefined when its origin is not allowed. */
function allowedOrigin(request: Request, setting: string | undefined): string | undefined {
  const allowed = (setting ?? "*").split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (allowed.length === 0 || allowed.includes("*")) return "*";
  const origin = request.headers.get("Origin");
  return origin !== null && allowed.includes(origin) ? origin : undefined;
}

/** Adds CORS headers to a response (a copy when its headers are immutable). */
export function withCors(request: Request, response: Response, setting: string | undefined): Response {
  const origin = allowedOrigin(request, setting);
  let out = response;
  try {
    out.headers.set("Vary", "Origin");
  } catch {
    out = new Response(response.body, response); // immutable headers (e.g. from a fetch)
  }
  if (origin !== undefined) {
    out.headers.set("Access-Control-Allow-Origin", origin);
    out.headers.set("Access-Control-Expose-Headers", EXPOSED);
  }
  return out;
}

/** The answer to an OPTIONS preflight. */
export function preflight(request: Request, setting: string | undefined): Response {
  const origin = allowedOrigin(request, setting);
  const headers: Record<string, string> = { Vary: "Origin" };
  if (origin !== undefined) {
    headers["Access-Control-Allow-Origin"] = origin;
    headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS;
    headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS;
    headers["Access-Control-Max-Age"] = "86400";
  }
  return new Response(null, { status: 204, headers });
}

/** A non-negative integer query parameter, or undefined when absent. */
export function intParam(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === "") return undefined;
  if (!/^\d{1,15}$/.test(raw)) throw new HttpError(400, "INVALID_INPUT", `${name} must be a non-negative integer, got '${raw}'`);
  return Number(raw);
}

/** A string query parameter, or undefined when absent or empty. */
export function stringParam(params: URLSearchParams, name: string): string | undefined {
  const raw = params.get(name);
  return raw === null || raw === "" ? undefined : raw;
}

/** A comma-separated list parameter (trimmed, empty items dropped), or undefined. */
export function listParam(params: URLSearchParams, name: string): string[] | undefined {
  const raw = stringParam(params, name);
  return raw?.split(",").map((s) => s.trim()).filter((s) => s !== "");
}
