/**
 * Input files for `delta-edge write`: parquet (decoded row group by row group), Arrow IPC (file or
 * stream), NDJSON and CSV (bytes handed to core/write/text-input.ts, which decodes them as strict
 * UTF-8 and parses them in chunks into RecordBatches, typed by the table's schema when the table
 * exists, else inferred from the first chunk, within the line and field limits). Everything
 * streams: memory stays bounded by one chunk or row group.
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { RecordBatchReader, type RecordBatch } from "apache-arrow";
import { InvalidInputError } from "../../core/errors.js";
import type { StructType } from "../../core/schema/types.js";
import { createHyparquetReader } from "../../core/scan/parquet/hyparquet-reader.js";
import { textBatches } from "../../core/write/text-input.js";

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
  if (format === "parquet") yield* parquetBatches(file);
  else if (format === "arrow") yield* (await RecordBatchReader.from(createReadStream(file))) as AsyncIterable<RecordBatch>;
  else yield* textBatches(createReadStream(file) as AsyncIterable<Uint8Array>, { format, tableSchema, source: file, ...limits });
}

async function* parquetBatches(file: string): AsyncGenerator<RecordBatch> {
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    const source = {
      byteLength: size,
      path: file,
      read: async (start: number, end: number) => {
        const buf = new Uint8Array(end - start);
        await handle.read(buf, 0, end - start, start);
        return buf;
      },
    };
    const reader = createHyparquetReader();
    const metadata = await reader.readMetadata(source);
    yield* reader.read({ source, metadata, targetSchema: metadata.schema });
  } finally {
    await handle.close();
  }
}
