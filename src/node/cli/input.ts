/**
 * Input files for `delta-edge write`: parquet (decoded row group by row group), Arrow IPC (file or
 * stream), NDJSON and CSV (bytes handed to core/write/text-input.ts, which decodes them as strict
 * UTF-8 and parses them in chunks into RecordBatches, typed by the table's schema when the table
 * exists, else inferred from the first chunk, within the line and field limits). Everything
 * streams: memory stays bounded by one chunk or row group. An input that is missing, a
 * directory, or not of its format is an InvalidInputError naming the file.
 */
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { open, stat } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { RecordBatchReader, type RecordBatch } from "apache-arrow";
import { InvalidInputError } from "../../core/errors.js";
import type { StructType } from "../../core/schema/types.js";
import { createHyparquetReader } from "../../core/parquet/hyparquet-reader.js";
import { sourceFromStore } from "../../core/parquet/source.js";
import { LocalStore } from "../storage/local.js";
import { textBatches } from "../../core/write/text-input.js";
import { namedColumnBatches } from "../../core/util/named-columns.js";

/** Input formats. */
export const INPUT_FORMATS = ["parquet", "arrow", "ndjson", "csv"] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

/** The format named by --format, or guessed from the file extension. */
export function inputFormat(file: string, flag: string | undefined): InputFormat {
  const f = flag ?? extensionFormat(file);
  if (!f || !(INPUT_FORMATS as readonly string[]).includes(f)) {
    throw new InvalidInputError(`cannot tell the input format of ${file}; pass --format ${INPUT_FORMATS.join("|")}`);
  }
  return f as InputFormat;
}

function extensionFormat(file: string): string | undefined {
  const ext = file.toLowerCase().split(".").pop();
  return ext === "parquet" ? "parquet" : ext === "arrow" || ext === "arrows" || ext === "ipc" || ext === "feather" ? "arrow" : ext === "ndjson" || ext === "jsonl" ? "ndjson" : ext === "csv" ? "csv" : undefined;
}

/** Size limits of text inputs (`--max-line-bytes`, `--max-field-bytes`; defaults 16 MiB). */
export interface TextInputLimits {
  maxLineBytes?: number | undefined;
  maxFieldBytes?: number | undefined;
}

/** The input as a stream of RecordBatches. */
export async function* readInput(file: string, format: InputFormat, tableSchema: StructType | undefined, limits: TextInputLimits = {}): AsyncGenerator<RecordBatch> {
  await checkInputFile(file);
  if (format === "parquet") yield* parquetBatches(file);
  else if (format === "arrow") yield* arrowBatches(file);
  else yield* textBatches(createReadStream(file) as AsyncIterable<Uint8Array>, { format, tableSchema, source: file, ...limits });
}

/**
 * A MERGE source file: as {@link readInput}, but NDJSON and CSV have only the columns they name
 * (not the table's missing ones as nulls: a source without the key column must be refused).
 */
export async function* readMergeSource(file: string, format: InputFormat, tableSchema: StructType, limits: TextInputLimits = {}): AsyncGenerator<RecordBatch> {
  if (format !== "ndjson" && format !== "csv") {
    yield* readInput(file, format, tableSchema, limits);
    return;
  }
  await checkInputFile(file);
  yield* namedColumnBatches({
    format,
    bytes: Readable.toWeb(createReadStream(file)) as unknown as ReadableStream<Uint8Array>,
    target: tableSchema,
    source: file,
    ...limits,
    parse: (bytes, schema, jsonPaths) => textBatches(bytes as unknown as AsyncIterable<Uint8Array>, { format, tableSchema: schema, source: file, ...limits, jsonPaths }),
  });
}

/** A readable regular file, or an InvalidInputError saying what it is instead. */
async function checkInputFile(file: string): Promise<void> {
  let info;
  try {
    info = await stat(file);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new InvalidInputError(`cannot read --input ${file}: ${code === "ENOENT" ? "no such file" : error instanceof Error ? error.message : String(error)}`);
  }
  if (!info.isFile()) throw new InvalidInputError(`--input ${file} is ${info.isDirectory() ? "a directory" : "not a regular file"}`);
}

/**
 * Arrow IPC (file or stream). apache-arrow reads bytes that are not Arrow as an empty stream,
 * so the start is checked first: the file magic `ARROW1`, or a message (0xFFFFFFFF continuation).
 */
async function* arrowBatches(file: string): AsyncGenerator<RecordBatch> {
  const handle = await open(file, "r");
  const head = new Uint8Array(8);
  try {
    await handle.read(head, 0, 8, 0);
  } finally {
    await handle.close();
  }
  const magic = String.fromCharCode(...head.subarray(0, 6)) === "ARROW1";
  const continuation = head[0] === 0xff && head[1] === 0xff && head[2] === 0xff && head[3] === 0xff;
  if (!magic && !continuation) throw new InvalidInputError(`${file} is not an Arrow IPC file or stream (no ARROW1 magic or message at its start)`);
  yield* (await RecordBatchReader.from(createReadStream(file))) as AsyncIterable<RecordBatch>;
}

async function* parquetBatches(file: string): AsyncGenerator<RecordBatch> {
  const { size } = await stat(file);
  const source = sourceFromStore({ store: new LocalStore({ root: dirname(file) }), key: basename(file), size, path: file });
  const reader = createHyparquetReader();
  const metadata = await reader.readMetadata(source);
  yield* reader.read({ source, metadata, targetSchema: metadata.schema });
}
