/**
 * Responses of the S3-style services (S3, GCS's XML API, Azure Blob) as DeltaErrors: error
 * statuses with their `<Error><Code>/<Message>` bodies (or x-ms-/x-amz-error-code headers) and the
 * attempts the request took, and body reads whose failures become StorageErrors. The request loop
 * itself (timeouts, retries) is retry.ts, shared with every other fetch-based store.
 */
import { DeltaError, NotFoundError, StorageError } from "../errors.js";
import { attemptsOf, attemptsSuffix, describe } from "./retry.js";
import { child, childText, parseXml } from "./s3-xml.js";

/** Reads a response body, turning a timeout while streaming into a StorageError. */
export async function readBytes(response: Response, path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await response.arrayBuffer());
  } catch (cause) {
    if (cause instanceof Error && cause.name === "AbortError") throw cause;
    throw new StorageError(`reading the response body failed: ${describe(cause)}`, { path, cause });
  }
}

/** Reads a response body as text (for XML), mapping failures like {@link readBytes}. */
export async function readText(response: Response, path: string): Promise<string> {
  return new TextDecoder().decode(await readBytes(response, path));
}

/**
 * The DeltaError for a failed response: NotFoundError for 404, StorageError (with status, the
 * service's error code and message) otherwise. Consumes the body.
 */
export async function errorFromResponse(response: Response, path: string, operation: string): Promise<DeltaError> {
  const text = await response.text().catch(() => "");
  const { code, message } = parseErrorBody(text);
  const headerCode = response.headers.get("x-ms-error-code") ?? response.headers.get("x-amz-error-code") ?? undefined;
  const errorCode = code ?? headerCode;
  const detail = [errorCode, message].filter((s) => s !== undefined && s !== "").join(": ");
  const statusText = `${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
  const summary = `${operation} failed: HTTP ${statusText}${detail ? ` (${detail})` : ""}${attemptsSuffix(attemptsOf(response))}`;
  if (response.status === 404) return new NotFoundError(errorCode === undefined ? "object not found" : `not found: ${errorCode}`, { path });
  return new StorageError(summary, { path, status: response.status });
}

/** The `<Code>` and `<Message>` of an S3 or Azure XML error body (both absent when not XML). */
export function parseErrorBody(text: string): { code?: string; message?: string } {
  if (!text.trimStart().startsWith("<")) return {};
  try {
    const root = parseXml(text, "error body");
    const code = childText(root, "Code");
    const message = childText(root, "Message") ?? child(root, "Message")?.text;
    return { ...(code !== undefined ? { code } : {}), ...(message !== undefined ? { message: message.split("\n")[0] as string } : {}) };
  } catch {
    return {};
  }
}
