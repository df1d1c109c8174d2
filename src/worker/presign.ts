/**
 * `POST /api/presign`: short-lived SigV4 presigned URLs for the reads a browser is about to make
 * of a table on an S3-compatible bucket, so that the page reads the bucket directly (the bytes
 * never pass through the Worker) without holding the bucket's keys. Body:
 * `{"bucket", "requests": [{"method": "GET"|"HEAD", "key"} | {"method": "LIST", "prefix",
 * "startAfter"?, "continuationToken"?, "maxKeys"?}]}` (full bucket keys); answer:
 * `{"urls": [...], "expiresIn", "expiresAt"}`, one URL per request, in order.
 *
 * It is not an open signing oracle: reads only (GET, HEAD and listing: never PUT, DELETE or other
 * query parameters), only buckets and key prefixes named in PRESIGN_ALLOW (a listing prefix must
 * lie inside one too), keys without `.`/`..` segments or control characters, at most
 * PRESIGN_MAX_REQUESTS requests and 1 MiB per call, URLs valid PRESIGN_EXPIRES_SECONDS, the read
 * token required when one is set (api.ts authorizes before this runs). See presign-settings.ts.
 */
import { InvalidInputError } from "../core/errors.js";
import { MAX_LIST_KEYS, presignS3, type PresignItem, type PresignResponseBody } from "../core/storage/s3-presign.js";
import { limitedBody } from "./body.js";
import type { Env } from "./env.js";
import { HttpError, jsonResponse } from "./http.js";
import { allowedKey, presignSettings, type PresignSettings } from "./presign-settings.js";

/** Largest accepted body of a presign call. */
export const MAX_PRESIGN_BODY_BYTES = 1024 * 1024;
/** Longest key, start-after or continuation token accepted (S3 keys are at most 1024 UTF-8 bytes). */
const MAX_KEY_BYTES = 1024;

/** Signing keys derived from the secret, shared by the calls an isolate serves. */
const signingKeys = new Map<string, ArrayBuffer>();

/** Handles `POST /api/presign` (authorization already checked). */
export async function presignRoute(request: Request, env: Env): Promise<Response> {
  const settings = presignSettings(env);
  const media = (request.headers.get("Content-Type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (media !== "application/json") {
    throw new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", `send the requests to sign as application/json, not '${media ?? ""}'`);
  }
  const text = await new Response(limitedBody(request, MAX_PRESIGN_BODY_BYTES)).text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new InvalidInputError("the presign request body is not valid JSON");
  }
  const { bucket, items } = parseRequests(body, settings);
  const now = new Date();
  const urls = await presignS3({ config: settings.s3, bucket, items, expiresIn: settings.expiresIn, now, cache: signingKeys });
  const answer: PresignResponseBody = { urls, expiresIn: settings.expiresIn, expiresAt: now.getTime() + settings.expiresIn * 1000 };
  return jsonResponse(answer, 200, { "Cache-Control": "no-store" });
}

/** Validates a presign body against the settings; refusals name the request by its index. */
export function parseRequests(body: unknown, settings: PresignSettings): { bucket: string; items: PresignItem[] } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new InvalidInputError('the presign body must be an object {"bucket", "requests"}');
  const { bucket, requests } = body as { bucket?: unknown; requests?: unknown };
  if (typeof bucket !== "string" || bucket === "") throw new InvalidInputError('"bucket" must be a bucket name');
  if (!settings.allow.has(bucket)) throw new HttpError(403, "PRESIGN_FORBIDDEN", `this Worker does not sign requests for bucket "${bucket}"`);
  if (!Array.isArray(requests) || requests.length === 0) throw new InvalidInputError('"requests" must be a non-empty array');
  if (requests.length > settings.maxRequests) {
    throw new HttpError(413, "TOO_MANY_REQUESTS", `${requests.length} requests in one call; this Worker signs at most ${settings.maxRequests} (PRESIGN_MAX_REQUESTS)`);
  }
  const items = requests.map((raw: unknown, i): PresignItem => {
    if (typeof raw !== "object" || raw === null) throw new InvalidInputError(`requests[${i}] must be an object`);
    const r = raw as Record<string, unknown>;
    const inside = (what: string, key: string): void => {
      if (!allowedKey(settings, bucket, key)) {
        throw new HttpError(403, "PRESIGN_FORBIDDEN", `requests[${i}]: ${what} "${key}" lies outside the prefixes this Worker signs for in bucket "${bucket}"`);
      }
    };
    if (r["method"] === "GET" || r["method"] === "HEAD") {
      const key = keyText(r["key"], `requests[${i}].key`, false);
      if (key.split("/").some((s) => s === "." || s === "..")) throw new InvalidInputError(`requests[${i}].key has a '.' or '..' segment`);
      inside("key", key);
      return { method: r["method"], key };
    }
    if (r["method"] === "LIST") {
      const prefix = keyText(r["prefix"], `requests[${i}].prefix`, true);
      inside("listing prefix", prefix);
      const item: PresignItem = { method: "LIST", prefix };
      if (r["startAfter"] !== undefined) item.startAfter = keyText(r["startAfter"], `requests[${i}].startAfter`, true);
      if (r["continuationToken"] !== undefined) item.continuationToken = keyText(r["continuationToken"], `requests[${i}].continuationToken`, false);
      if (r["maxKeys"] !== undefined) {
        const n = r["maxKeys"];
        if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > MAX_LIST_KEYS) throw new InvalidInputError(`requests[${i}].maxKeys must be an integer from 1 to ${MAX_LIST_KEYS}`);
        item.maxKeys = n;
      }
      return item;
    }
    throw new InvalidInputError(`requests[${i}].method must be GET, HEAD or LIST (reads only), got ${JSON.stringify(r["method"])}`);
  });
  return { bucket, items };
}

function keyText(value: unknown, what: string, emptyOk: boolean): string {
  if (typeof value !== "string" || (!emptyOk && value === "")) throw new InvalidInputError(`${what} must be a ${emptyOk ? "" : "non-empty "}string`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new InvalidInputError(`${what} has control characters`);
  if (new TextEncoder().encode(value).byteLength > MAX_KEY_BYTES) throw new InvalidInputError(`${what} is longer than ${MAX_KEY_BYTES} bytes`);
  return value;
}
