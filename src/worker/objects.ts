/**
 * GET|HEAD /objects/<key>: read-only access to the bucket under the tables root, for browser
 * readers (HttpStore pointed at `<worker>/objects/<schema>/<table>` reads a table with it). Keys
 * arrive percent-encoded per path segment and are decoded here; invalid ones (bad escapes, empty,
 * `.`/`..` or control characters in a segment, longer than R2's 1024 bytes) are 400. One `Range: bytes=` range is
 * honored (`a-b`, `a-`, suffix `-n`) with 206 and `Content-Range`; a range starting past the end
 * is 416 (its Content-Range names the object size); malformed or multi-range headers are ignored (200
 * with the whole object), as RFC 9110 allows. Responses carry the ETag, Last-Modified and
 * Accept-Ranges, and `If-None-Match` on a full GET answers 304. The body streams from R2.
 */
import { InvalidInputError, NotFoundError, StorageError } from "../core/errors.js";
import { rootPrefix, type Env, type R2ObjectStreamLike } from "./env.js";
import { HttpError } from "./http.js";
import { callR2, R2_MAX_KEY_BYTES, utf8Length, type R2ObjectLike, type R2RangeLike } from "./r2-store.js";

/** A parsed single byte range. */
type ParsedRange = { start: number; end?: number } | { suffix: number };

/** GET or HEAD of one object (segments: the raw path segments after /objects/). */
export async function objectRoute(request: Request, env: Env, segments: readonly string[]): Promise<Response> {
  const key = rootPrefix(env) + objectKey(segments);
  if (utf8Length(key) > R2_MAX_KEY_BYTES) throw new InvalidInputError(`invalid object key: longer than R2's ${R2_MAX_KEY_BYTES} bytes`, { path: keyPath(segments).slice(0, 200) });
  const bucket = env.TABLES;
  if (request.method === "HEAD") {
    const meta = await callR2("head", keyPath(segments), () => bucket.head(key));
    if (meta === null) throw new NotFoundError("object not found", { path: keyPath(segments) });
    return new Response(null, { status: 200, headers: { ...metaHeaders(meta), "Content-Length": String(meta.size) } });
  }
  const range = parseRange(request.headers.get("Range"));
  if (range === undefined) {
    const etag = request.headers.get("If-None-Match");
    const condition = etag === null ? undefined : unquote(etag);
    const object = await callR2("get", keyPath(segments), () => bucket.get(key, condition === undefined ? undefined : { onlyIf: { etagDoesNotMatch: condition } }));
    if (object === null) throw new NotFoundError("object not found", { path: keyPath(segments) });
    if (!hasBody(object)) return new Response(null, { status: 304, headers: metaHeaders(object) });
    return new Response(object.body, { status: 200, headers: { ...metaHeaders(object), "Content-Length": String(object.size) } });
  }
  if ("suffix" in range && range.suffix === 0) return unsatisfiable(env, key, segments);
  let object: R2ObjectStreamLike | R2ObjectLike | null;
  try {
    object = await bucket.get(key, { range: toR2Range(range) });
  } catch {
    // R2 refuses ranges that start at or past the end: tell 404 from 416.
    return unsatisfiable(env, key, segments);
  }
  if (object === null) throw new NotFoundError("object not found", { path: keyPath(segments) });
  if (!hasBody(object)) throw new StorageError("R2 returned an object without a body", { path: keyPath(segments) });
  const size = object.size;
  const start = "suffix" in range ? Math.max(0, size - range.suffix) : range.start;
  const end = "suffix" in range || range.end === undefined ? size - 1 : Math.min(range.end, size - 1);
  if (start > end) {
    await object.body.cancel();
    return unsatisfiable(env, key, segments);
  }
  return new Response(object.body, {
    status: 206,
    headers: { ...metaHeaders(object), "Content-Range": `bytes ${start}-${end}/${size}`, "Content-Length": String(end - start + 1) },
  });
}

/** The object key of the path segments (each percent-decoded; no empty, `.` or `..` segment). */
function objectKey(segments: readonly string[]): string {
  if (segments.length === 0) throw new InvalidInputError("/objects/ needs a key");
  return segments
    .map((raw) => {
      let s: string;
      try {
        s = decodeURIComponent(raw);
      } catch {
        throw new InvalidInputError(`invalid percent-encoding in object key segment '${raw}'`);
      }
      if (s === "" || s === "." || s === ".." || s.includes("/")) throw new InvalidInputError("invalid object key (empty, '.', '..' or encoded '/' segment)");
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u001f\u007f]/.test(s)) throw new InvalidInputError("invalid object key (control character)");
      return s;
    })
    .join("/");
}

function keyPath(segments: readonly string[]): string {
  return `/objects/${segments.join("/")}`;
}

async function unsatisfiable(env: Env, key: string, segments: readonly string[]): Promise<Response> {
  const meta = await callR2("head", keyPath(segments), () => env.TABLES.head(key));
  if (meta === null) throw new NotFoundError("object not found", { path: keyPath(segments) });
  throw new HttpError(416, "RANGE_NOT_SATISFIABLE", `the requested range is not satisfiable (object size ${meta.size})`, {
    "Content-Range": `bytes */${meta.size}`,
    ...metaHeaders(meta),
  });
}

/** One `bytes=` range, or undefined for no header, a malformed header or several ranges. */
export function parseRange(header: string | null): ParsedRange | undefined {
  if (header === null) return undefined;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (m === null) return undefined;
  const [, a = "", b = ""] = m;
  if (a === "" && b === "") return undefined;
  if (a === "") return { suffix: Number(b) };
  const start = Number(a);
  if (b === "") return { start };
  const end = Number(b);
  return end < start ? undefined : { start, end };
}

function toR2Range(range: ParsedRange): R2RangeLike {
  if ("suffix" in range) return { suffix: range.suffix };
  return range.end === undefined ? { offset: range.start } : { offset: range.start, length: range.end - range.start + 1 };
}

function hasBody(object: R2ObjectStreamLike | R2ObjectLike): object is R2ObjectStreamLike {
  return "body" in object && object.body !== undefined && object.body !== null;
}

function metaHeaders(meta: R2ObjectLike): Record<string, string> {
  const headers: Record<string, string> = { ETag: meta.httpEtag, "Accept-Ranges": "bytes", "Content-Type": "application/octet-stream" };
  const uploaded = meta.uploaded instanceof Date ? meta.uploaded : new Date(String(meta.uploaded));
  if (!Number.isNaN(uploaded.getTime())) headers["Last-Modified"] = uploaded.toUTCString();
  return headers;
}

/** An If-None-Match value as R2 wants it: unquoted, without W/; `*` kept; lists are not supported. */
function unquote(value: string): string | undefined {
  const v = value.trim();
  if (v === "*") return "*";
  const m = /^(?:W\/)?"([^"]*)"$/.exec(v);
  return m === null ? undefined : m[1];
}
