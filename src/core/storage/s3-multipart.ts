/**
 * Multipart upload for large S3 puts: CreateMultipartUpload, parts of equal size (R2 requires
 * that; S3 requires >= 5 MiB but the last) uploaded a few at a time with retries, then
 * CompleteMultipartUpload — whose 200 answer may still carry an `<Error>` body, and whose retry may
 * find the upload already completed (NoSuchUpload): then the object's size decides. Any failure
 * aborts the upload so no parts linger.
 */
import { NotFoundError, StorageError } from "../errors.js";
import type { S3Store } from "./s3.js";
import { errorFromResponse, parseErrorBody, readText } from "./s3-transport.js";
import { childText, escapeXml, parseXml } from "./s3-xml.js";

const MAX_PARTS = 10_000;
const CONCURRENCY = 4;
const TRANSIENT_CODES = new Set(["InternalError", "SlowDown", "ServiceUnavailable", "RequestTimeout"]);

/** Uploads `bytes` to `key` in parts of `store.partSize` bytes (larger if 10 000 parts would not do). */
export async function multipartUpload(store: S3Store, key: string, bytes: Uint8Array): Promise<void> {
  const path = store.pathOf(key);
  const created = await store.send({ method: "POST", key, query: [["uploads", ""]], idempotent: true });
  if (!created.ok) throw await errorFromResponse(created, path, "CreateMultipartUpload");
  const uploadId = childText(parseXml(await readText(created, path), "CreateMultipartUpload"), "UploadId");
  if (uploadId === undefined || uploadId === "") throw new StorageError("CreateMultipartUpload returned no UploadId", { path });
  try {
    const partSize = Math.max(store.partSize, Math.ceil(bytes.byteLength / MAX_PARTS));
    const count = Math.ceil(bytes.byteLength / partSize);
    const etags: string[] = new Array<string>(count);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < count) {
        const index = next++;
        const body = bytes.subarray(index * partSize, Math.min(bytes.byteLength, (index + 1) * partSize));
        const query = [["partNumber", String(index + 1)], ["uploadId", uploadId]] as const;
        const res = await store.send({ method: "PUT", key, query, body, idempotent: true });
        if (!res.ok) throw await errorFromResponse(res, path, `UploadPart ${index + 1}`);
        await res.body?.cancel();
        const etag = res.headers.get("ETag");
        if (etag === null) throw new StorageError(`UploadPart ${index + 1} returned no ETag (is ETag an exposed CORS header?)`, { path });
        etags[index] = etag;
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, count) }, worker));
    await complete(store, key, uploadId, etags, bytes.byteLength);
  } catch (error) {
    await abort(store, key, uploadId);
    throw error;
  }
}

async function complete(store: S3Store, key: string, uploadId: string, etags: string[], size: number): Promise<void> {
  const path = store.pathOf(key);
  const parts = etags.map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${escapeXml(etag)}</ETag></Part>`);
  const body = `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload>${parts.join("")}</CompleteMultipartUpload>`;
  for (let attempt = 0; ; attempt++) {
    const res = await store.send({
      method: "POST",
      key,
      query: [["uploadId", uploadId]],
      headers: { "Content-Type": "application/xml" },
      body,
      idempotent: true,
    });
    if (res.status === 404) {
      // A retried completion finds the upload gone when an earlier attempt succeeded.
      const error = await errorFromResponse(res, path, "CompleteMultipartUpload");
      const meta = await store.head(key).catch(() => undefined);
      if (meta?.size === size) return;
      throw error instanceof NotFoundError ? new StorageError(`CompleteMultipartUpload failed: ${error.message}`, { path }) : error;
    }
    if (!res.ok) throw await errorFromResponse(res, path, "CompleteMultipartUpload");
    const { code, message } = parseErrorBody(await readText(res, path));
    if (code === undefined) return;
    if (!TRANSIENT_CODES.has(code) || attempt >= store.retries) {
      throw new StorageError(`CompleteMultipartUpload failed: ${code}${message ? `: ${message}` : ""}`, { path });
    }
  }
}

async function abort(store: S3Store, key: string, uploadId: string): Promise<void> {
  try {
    const res = await store.send({ method: "DELETE", key, query: [["uploadId", uploadId]], idempotent: true });
    await res.body?.cancel();
  } catch {
    // Best effort: a lifecycle rule (or R2's 7-day expiry) removes abandoned uploads.
  }
}
