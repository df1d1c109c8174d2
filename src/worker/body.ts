/**
 * Request bodies of writes as a stream of RecordBatches, by Content-Type: an Arrow IPC stream or
 * file (`application/vnd.apache.arrow.stream|file`), Parquet (`application/vnd.apache.parquet`),
 * NDJSON (`application/x-ndjson`) or CSV (`text/csv`). Bodies are limited in size (413 past the
 * limit, checked on Content-Length first and while streaming; a malformed Content-Length is 400).
 * Arrow, NDJSON and CSV stream through in bounded chunks (text within MAX_LINE_BYTES /
 * MAX_FIELD_BYTES per line and field); Parquet is buffered (its footer is at the end), within the
 * limit. What a body may declare beyond its bytes (columns, values, nesting, schema and footer
 * sizes) is bounded by body-limits.ts. Undecodable bodies become InvalidInputError (400), so a bad
 * row never reaches a commit.
 */
import { RecordBatchReader, type RecordBatch } from "apache-arrow";
import { InvalidInputError } from "../core/errors.js";
import { createHyparquetReader } from "../core/parquet/hyparquet-reader.js";
import { sourceFromBytes } from "../core/parquet/source.js";
import type { StructType } from "../core/schema/types.js";
import { textBatches } from "../core/write/text-input.js";
import { concatBytes } from "../core/util/bytes.js";
import { checkParquetFooter, checkParquetShape, limitArrowSchema, limitBatches, ndjsonFieldLimit } from "./body-limits.js";
import { HttpError } from "./http.js";

/** Rows parsed into one batch from NDJSON/CSV: row objects are bulky, and a Worker has 128 MB. */
const TEXT_CHUNK_ROWS = 16384;
/** Text parsed into one batch (row objects take several times the text). */
const TEXT_CHUNK_BYTES = 4 * 1024 * 1024;

/** Size limits of text bodies (textBatches' options; defaults 16 MiB). */
export interface TextBodyLimits {
  maxLineBytes?: number | undefined;
  maxFieldBytes?: number | undefined;
}

/** Body formats a write accepts. */
export type BodyFormat = "arrow" | "parquet" | "ndjson" | "csv";

const MEDIA_TYPES: Record<string, BodyFormat> = {
  "application/vnd.apache.arrow.stream": "arrow",
  "application/vnd.apache.arrow.file": "arrow",
  "application/x-arrow": "arrow",
  "application/vnd.apache.parquet": "parquet",
  "application/x-parquet": "parquet",
  "application/parquet": "parquet",
  "application/x-ndjson": "ndjson",
  "application/ndjson": "ndjson",
  "application/jsonl": "ndjson",
  "application/x-jsonlines": "ndjson",
  "text/csv": "csv",
};

/** The body format named by a Content-Type header; 415 for anything else. */
export function bodyFormat(contentType: string | null): BodyFormat {
  const media = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const format = MEDIA_TYPES[media];
  if (format === undefined) {
    throw new HttpError(
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      `unsupported Content-Type '${contentType ?? ""}'; send application/vnd.apache.arrow.stream, application/vnd.apache.parquet, application/x-ndjson or text/csv`,
    );
  }
  return format;
}

/** The request body, refused with 413 past `limit` bytes (declared or actually sent). */
export function limitedBody(request: Request, limit: number): ReadableStream<Uint8Array> {
  const declared = request.headers.get("Content-Length");
  if (declared !== null) {
    // workerd refuses most malformed values before the Worker runs; whatever gets here is checked
    if (!/^\d+$/.test(declared.trim())) throw new HttpError(400, "INVALID_INPUT", `malformed Content-Length header '${declared}' (expected a number of bytes)`);
    if (Number(declared) > limit) throw tooLarge(limit);
  }
  if (request.body === null) return new ReadableStream({ start: (c) => c.close() });
  let seen = 0;
  return request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) controller.error(tooLarge(limit));
        else controller.enqueue(chunk);
      },
    }),
  );
}

/** Largest JSON body of a request that takes options as JSON (maintenance, delete, update, restore). */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

/**
 * A request's JSON object body (an empty body is `{}`), within `limit` bytes (and
 * MAX_JSON_BODY_BYTES). `what` names the request in errors ("maintenance"), `usage` what to send.
 * @throws InvalidInputError (400) when it is not a JSON object.
 */
export async function jsonObjectBody(request: Request, limit: number, what: string, usage: string): Promise<Record<string, unknown>> {
  const text = await new Response(limitedBody(request, Math.min(limit, MAX_JSON_BODY_BYTES))).text();
  let body: unknown;
  try {
    body = JSON.parse(text === "" ? "{}" : text);
  } catch {
    throw new InvalidInputError(`the ${what} body must be JSON: ${usage}`);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new InvalidInputError(`the ${what} body must be a JSON object: ${usage}`);
  return body as Record<string, unknown>;
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, "PAYLOAD_TOO_LARGE", `the request body exceeds the limit of ${limit} bytes (MAX_BODY_BYTES)`);
}

/**
 * The body's rows as RecordBatches (text formats typed by `tableSchema` when the table exists,
 * decoded as strict UTF-8, within the line and field limits). `jsonPaths`, when given, collects
 * the leaf key paths of an NDJSON body (`\0key\0subkey`, see json-nesting.ts).
 */
export function bodyBatches(body: ReadableStream<Uint8Array>, format: BodyFormat, tableSchema: StructType | undefined, limits: TextBodyLimits = {}, jsonPaths?: Set<string>): AsyncGenerator<RecordBatch> {
  return limitBatches(formatBatches(body, format, tableSchema, limits, jsonPaths));
}

function formatBatches(body: ReadableStream<Uint8Array>, format: BodyFormat, tableSchema: StructType | undefined, limits: TextBodyLimits, jsonPaths: Set<string> | undefined): AsyncGenerator<RecordBatch> {
  const source = "request body";
  switch (format) {
    case "ndjson":
      return textBatches(chunksOf(body), { format, tableSchema, source, chunkRows: TEXT_CHUNK_ROWS, chunkBytes: TEXT_CHUNK_BYTES, ...limits, ...ndjsonFieldLimit(jsonPaths) });
    case "csv":
      return textBatches(chunksOf(body), { format, tableSchema, source, chunkRows: TEXT_CHUNK_ROWS, chunkBytes: TEXT_CHUNK_BYTES, ...limits });
    case "arrow":
      return asInputErrors(arrowBatches(limitArrowSchema(body)), "not a valid Arrow IPC stream or file");
    case "parquet":
      return asInputErrors(parquetBatches(body), "not a valid Parquet file");
  }
}

/**
 * apache-arrow ends a stream that errors as if it had ended (its DOM-stream adapter swallows
 * the error), which would commit the batches read before a body went over the limit or the
 * client went away: the stream's failure is recorded here and rethrown instead.
 */
async function* arrowBatches(body: ReadableStream<Uint8Array>): AsyncGenerator<RecordBatch> {
  const { stream, failure } = recordingFailure(body);
  const rethrow = (): void => {
    if (failure.error !== undefined) throw failure.error;
  };
  try {
    const reader = await RecordBatchReader.from(stream);
    for await (const batch of reader as AsyncIterable<RecordBatch>) {
      rethrow();
      yield batch;
    }
  } catch (error) {
    rethrow();
    throw error;
  }
  rethrow();
}

/**
 * The same bytes, with the error that fails the stream (if it does) kept in `failure`. Only a
 * failing read of the body counts: apache-arrow cancels the stream once it has read the end
 * marker, and a read still in flight then has nowhere to go (enqueue on a cancelled stream
 * throws), which is the normal end, not a failure.
 */
function recordingFailure(body: ReadableStream<Uint8Array>): { stream: ReadableStream<Uint8Array>; failure: { error?: unknown } } {
  const failure: { error?: unknown } = {};
  const reader = body.getReader();
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (error) {
        if (cancelled) return;
        failure.error = error ?? new InvalidInputError("the request body failed");
        controller.error(error);
        return;
      }
      if (cancelled) return;
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel: (reason) => {
      cancelled = true;
      return reader.cancel(reason);
    },
  });
  return { stream, failure };
}

async function* parquetBatches(body: ReadableStream<Uint8Array>): AsyncGenerator<RecordBatch> {
  const bytes = await readAll(body);
  checkParquetFooter(bytes);
  const source = sourceFromBytes(bytes, "request body");
  const reader = createHyparquetReader();
  const metadata = await reader.readMetadata(source);
  checkParquetShape(metadata);
  yield* reader.read({ source, metadata, targetSchema: metadata.schema });
}

/** Rethrows decoder failures (any but 413 and InvalidInputError) as InvalidInputError (400). */
async function* asInputErrors(batches: AsyncGenerator<RecordBatch>, what: string): AsyncGenerator<RecordBatch> {
  try {
    yield* batches;
  } catch (error) {
    if (error instanceof HttpError || error instanceof InvalidInputError) throw error;
    throw new InvalidInputError(`request body is ${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** Iterates a byte stream chunk by chunk. */
export async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunksOf(stream)) parts.push(chunk);
  return concatBytes(parts);
}
