/**
 * HTTP plumbing of the Worker API: JSON responses, errors as `{error: {code, message}}` with a
 * status that fits the failure (DeltaError codes map to 400/404/409, HTTP-level refusals carry
 * their own status), and CORS headers (simple responses and OPTIONS preflights) so that browser
 * pages on other origins can call the API and read tables through `/objects` with Range requests.
 */
import { DeltaError } from "../core/errors.js";

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

/** Status of a DeltaError code: bad input 400, missing 404, lost races 409, the rest 500. */
const STATUS_OF_CODE: Record<string, number> = {
  INVALID_INPUT: 400,
  NOT_FOUND: 404,
  COMMIT_CONFLICT: 409,
  ALREADY_EXISTS: 409,
};

/** The status and JSON body of any error thrown while handling a request. */
export function errorResponse(error: unknown): Response {
  if (error instanceof HttpError) return jsonResponse({ error: { code: error.code, message: error.message } }, error.status, error.headers);
  if (error instanceof DeltaError) {
    return jsonResponse({ error: { code: error.code, message: error.message } }, STATUS_OF_CODE[error.code] ?? 500);
  }
  const message = error instanceof Error ? error.message : String(error);
  return jsonResponse({ error: { code: "INTERNAL", message } }, 500);
}

/** A JSON response (compact, UTF-8). */
export function jsonResponse(value: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(`${JSON.stringify(value)}\n`, { status, headers: { "Content-Type": "application/json; charset=utf-8", ...headers } });
}

/** Headers a page may read from our responses (ranged reads need Content-Range and ETag). */
const EXPOSED = "Content-Range, Content-Length, ETag, Accept-Ranges, Last-Modified, Delta-Changes-Start, Delta-Changes-End, Delta-Changes-Next";
const ALLOWED_HEADERS = "Authorization, Content-Type, Range, If-None-Match";
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
