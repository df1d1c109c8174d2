/**
 * What one write request may hold beyond its size in bytes (MAX_BODY_BYTES), so that a request's
 * CPU and memory stay bounded whatever its body: decoders and the writer cost time per column,
 * per value and per nesting level, and a small body can declare a lot of each (a Parquet footer
 * or an Arrow schema of 100k columns, a run-length-encoded column of 10^9 nulls, JSON nested
 * 100k deep). Each limit is checked before the costly step it protects: the Arrow schema
 * message's size before apache-arrow decodes it, a Parquet footer's size and declared shape
 * before its pages are read, NDJSON nesting and key count line by line before rows are inferred,
 * and every batch's columns and values before the writer sees it. Breaking a limit is 413 (or
 * 400 for nesting), with a message naming the limit. Nothing here decodes data itself.
 */
import type { DataType as ArrowType, RecordBatch, Schema } from "apache-arrow";
import { InvalidInputError } from "../core/errors.js";
import type { ParquetMetadata } from "../core/parquet/reader.js";
import { MAX_JSON_NESTING } from "../core/write/json-nesting.js";
import { HttpError } from "./http.js";

/** Leaf columns a write body may have (nested fields count one per leaf). */
export const MAX_BODY_COLUMNS = 1000;
/** Values (rows x leaf columns) a write body may hold. */
export const MAX_BODY_VALUES = 2 ** 24;
/** Nesting levels (structs, lists, maps; JSON objects and arrays) a write body may have. */
export const MAX_BODY_NESTING = MAX_JSON_NESTING;
/** Bytes of an Arrow IPC schema message. */
export const MAX_ARROW_SCHEMA_BYTES = 1024 * 1024;
/** Bytes of a Parquet footer (FileMetaData). */
export const MAX_PARQUET_FOOTER_BYTES = 4 * 1024 * 1024;

function tooLarge(what: string): HttpError {
  return new HttpError(413, "PAYLOAD_TOO_LARGE", `the request body ${what}; split it into several writes`);
}

function tooDeep(where: string): InvalidInputError {
  return new InvalidInputError(`${where} nests deeper than ${MAX_BODY_NESTING} levels (MAX_BODY_NESTING, MAX_JSON_NESTING)`);
}

/** Leaf count and nesting depth of an Arrow schema, without recursion. */
export function arrowShape(schema: Schema): { leaves: number; depth: number } {
  let leaves = 0;
  let depth = 0;
  const stack: [ArrowType, number][] = schema.fields.map((f) => [f.type, 1]);
  while (stack.length > 0) {
    const [type, level] = stack.pop() as [ArrowType, number];
    if (level > depth) depth = level;
    if (depth > MAX_BODY_NESTING) break;
    const children = type.children ?? [];
    if (children.length === 0) leaves++;
    for (const child of children) stack.push([child.type, level + 1]);
  }
  return { leaves, depth };
}

function checkSchema(schema: Schema): number {
  const { leaves, depth } = arrowShape(schema);
  if (depth > MAX_BODY_NESTING) throw tooDeep("the request body's schema");
  if (leaves > MAX_BODY_COLUMNS) throw tooLarge(`has ${leaves} columns, more than the ${MAX_BODY_COLUMNS} a write takes (MAX_BODY_COLUMNS)`);
  return Math.max(1, leaves);
}

/** Passes the batches on while their schema and running value count stay within the limits. */
export async function* limitBatches(batches: AsyncIterable<RecordBatch>): AsyncGenerator<RecordBatch> {
  let columns: number | undefined;
  let values = 0;
  for await (const batch of batches) {
    columns ??= checkSchema(batch.schema);
    values += batch.numRows * columns;
    if (values > MAX_BODY_VALUES) tooManyValues();
    yield batch;
  }
}

function tooManyValues(): never {
  throw tooLarge(`holds more than ${MAX_BODY_VALUES} values (rows x columns, MAX_BODY_VALUES)`);
}

/** Refuses a Parquet body whose footer declares more than the limits, before any page is read. */
export function checkParquetShape(metadata: ParquetMetadata): void {
  const columns = checkSchema(metadata.schema);
  if (metadata.numRows * columns > MAX_BODY_VALUES) tooManyValues();
}

/** Refuses a Parquet body whose footer is larger than MAX_PARQUET_FOOTER_BYTES (read from its tail). */
export function checkParquetFooter(bytes: Uint8Array): void {
  const n = bytes.byteLength;
  // not Parquet (no PAR1 at the end) or a footer longer than the file: the reader says so
  if (n < 12 || String.fromCharCode(...bytes.subarray(n - 4)) !== "PAR1") return;
  const length = new DataView(bytes.buffer, bytes.byteOffset + n - 8, 4).getUint32(0, true);
  if (length > MAX_PARQUET_FOOTER_BYTES && length <= n - 12) {
    throw tooLarge(`is a Parquet file whose footer declares ${length} bytes, more than ${MAX_PARQUET_FOOTER_BYTES} (MAX_PARQUET_FOOTER_BYTES)`);
  }
}

const ARROW_FILE_MAGIC = "ARROW1";

/**
 * Passes an Arrow IPC body (stream or file format) through, refusing it when its first message
 * (the schema) declares more than MAX_ARROW_SCHEMA_BYTES of metadata.
 */
export function limitArrowSchema(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  let head = new Uint8Array(0);
  let checked = false;
  const check = (final: boolean): void => {
    const magic = head.byteLength >= 6 && String.fromCharCode(...head.subarray(0, 6)) === ARROW_FILE_MAGIC ? 8 : 0;
    if (head.byteLength < magic + 8 && !final) return;
    checked = true;
    if (head.byteLength < magic + 8) return; // too short to be Arrow: apache-arrow says so
    const view = new DataView(head.buffer, head.byteOffset + magic, 8);
    const first = view.getInt32(0, true);
    if (first !== -1) {
      // no continuation marker: the pre-1.0 format (the length comes first), or not Arrow at all
      if (first < 0 || first > MAX_ARROW_SCHEMA_BYTES) throw new InvalidInputError("request body is not a valid Arrow IPC stream or file (no schema message at its start)");
      return;
    }
    const length = view.getInt32(4, true);
    if (length > MAX_ARROW_SCHEMA_BYTES || length < 0) {
      throw tooLarge(`is an Arrow IPC stream whose schema declares ${length >>> 0} bytes, more than ${MAX_ARROW_SCHEMA_BYTES} (MAX_ARROW_SCHEMA_BYTES)`);
    }
  };
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        if (!checked) {
          const joined = new Uint8Array(head.byteLength + chunk.byteLength);
          joined.set(head);
          joined.set(chunk, head.byteLength);
          head = joined.subarray(0, 16);
          try {
            check(false);
          } catch (error) {
            controller.error(error);
            return;
          }
        }
        controller.enqueue(chunk);
      },
      flush(controller) {
        try {
          if (!checked) check(true);
        } catch (error) {
          controller.error(error);
        }
      },
    }),
  );
}

/**
 * textBatches options that bound an NDJSON body's distinct leaf key paths to MAX_BODY_COLUMNS
 * (413, before the line past the bound is parsed); nesting is bounded by textBatches itself.
 * The paths are collected in `jsonPaths` (given, or a new set).
 */
export function ndjsonFieldLimit(jsonPaths = new Set<string>()): { jsonPaths: Set<string>; onJsonLine: (line: number) => void } {
  return {
    jsonPaths,
    onJsonLine: (line) => {
      if (jsonPaths.size > MAX_BODY_COLUMNS) throw tooLarge(`names more than ${MAX_BODY_COLUMNS} distinct fields by line ${line} (MAX_BODY_COLUMNS)`);
    },
  };
}
