/**
 * Input files for `delta-edge write`: parquet (decoded row group by row group), Arrow IPC (file or
 * stream), NDJSON and CSV (parsed in chunks into RecordBatches, typed by the table's schema when
 * the table exists, else inferred from the first chunk). Everything streams: memory stays bounded
 * by one chunk or row group.
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createInterface } from "node:readline";
import { RecordBatchReader, type RecordBatch } from "apache-arrow";
import { InvalidInputError } from "../../core/errors.js";
import type { StructType, DataType } from "../../core/schema/types.js";
import { createHyparquetReader } from "../../core/scan/parquet/hyparquet-reader.js";
import { inferSchema, rowsToRecordBatch } from "../../core/write/rows-to-arrow.js";
import { withExtraColumns } from "../../core/write/write-input.js";

/** Input formats. */
export const INPUT_FORMATS = ["parquet", "arrow", "ndjson", "csv"] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

const CHUNK_ROWS = 65536;

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

/** The input as a stream of RecordBatches. */
export async function* readInput(file: string, format: InputFormat, tableSchema: StructType | undefined): AsyncGenerator<RecordBatch> {
  if (format === "parquet") yield* parquetBatches(file);
  else if (format === "arrow") yield* (await RecordBatchReader.from(createReadStream(file))) as AsyncIterable<RecordBatch>;
  else yield* textBatches(file, format, tableSchema);
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

async function* textBatches(file: string, format: "ndjson" | "csv", tableSchema: StructType | undefined): AsyncGenerator<RecordBatch> {
  const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
  let schema = tableSchema;
  let header: string[] | undefined;
  let chunk: Record<string, unknown>[] = [];
  let lineNo = 0;
  const flush = (): RecordBatch => {
    const rows = format === "csv" && schema === undefined ? typeCsvRows(chunk) : format === "csv" ? castCsvRows(chunk, schema as StructType) : chunk;
    // The table's schema plus any columns the data adds (so they can be merged or refused by name).
    schema = schema === undefined ? inferSchema(rows) : withExtraColumns(schema, rows);
    const batch = rowsToRecordBatch(rows, schema);
    chunk = [];
    return batch;
  };
  let pending = "";
  for await (const line of lines) {
    lineNo++;
    if (format === "ndjson") {
      if (line.trim() === "") continue;
      try {
        chunk.push(JSON.parse(line) as Record<string, unknown>);
      } catch (cause) {
        throw new InvalidInputError(`${file}:${lineNo}: not a JSON object`, { cause });
      }
    } else {
      pending = pending === "" ? line : `${pending}\n${line}`;
      if (!balancedQuotes(pending)) continue;
      const cells = parseCsvLine(pending);
      pending = "";
      if (!header) {
        header = cells.map((c) => c ?? "");
        continue;
      }
      if (cells.length !== header.length) throw new InvalidInputError(`${file}:${lineNo}: ${cells.length} fields, the header has ${header.length}`);
      chunk.push(Object.fromEntries(header.map((h, i) => [h, cells[i]])));
    }
    if (chunk.length >= CHUNK_ROWS) yield flush();
  }
  if (pending !== "") throw new InvalidInputError(`${file}: unterminated quoted field at the end`);
  if (chunk.length > 0) yield flush();
}

function balancedQuotes(s: string): boolean {
  let n = 0;
  for (const c of s) if (c === '"') n++;
  return n % 2 === 0;
}

/** One CSV record (RFC 4180): quoted fields with "" escapes; an empty unquoted field is null. */
export function parseCsvLine(line: string): (string | null)[] {
  const out: (string | null)[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let v = "";
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new InvalidInputError(`unterminated quoted CSV field: ${line}`);
        v += line.slice(i, q);
        if (line[q + 1] === '"') {
          v += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(v);
    } else {
      const c = line.indexOf(",", i);
      const raw = c < 0 ? line.slice(i) : line.slice(i, c);
      out.push(raw === "" ? null : raw);
      i = c < 0 ? line.length : c;
    }
    if (line[i] !== ",") return out;
    i++;
  }
}

/** Infers CSV column types (long, double, boolean, else string) and converts the cells. */
function typeCsvRows(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  const cols = Object.keys(rows[0] ?? {});
  const kind = new Map<string, "long" | "double" | "boolean" | "string">();
  for (const c of cols) {
    const vals = rows.map((r) => r[c]).filter((v): v is string => typeof v === "string");
    kind.set(c, vals.every((v) => /^-?\d{1,15}$/.test(v)) ? "long" : vals.every((v) => v !== "" && Number.isFinite(Number(v))) ? "double" : vals.every((v) => v === "true" || v === "false") ? "boolean" : "string");
  }
  return rows.map((r) => Object.fromEntries(cols.map((c) => [c, convert(r[c], { kind: "primitive", name: kind.get(c) ?? "string" } as DataType, c)])));
}

/** Converts CSV cells to the table's column types. */
function castCsvRows(rows: Record<string, unknown>[], schema: StructType): Record<string, unknown>[] {
  return rows.map((r) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) {
      const f = schema.fields.find((x) => x.name === k);
      out[k] = f ? convert(v, f.type, k) : v;
    }
    return out;
  });
}

function convert(v: unknown, type: DataType, column: string): unknown {
  if (v === null || v === undefined || typeof v !== "string") return v;
  if (type.kind !== "primitive") {
    try {
      return JSON.parse(v) as unknown;
    } catch {
      throw new InvalidInputError(`column ${column}: cannot read ${JSON.stringify(v)} as ${type.kind} (nested CSV cells must be JSON)`);
    }
  }
  switch (type.name) {
    case "byte":
    case "short":
    case "integer":
    case "float":
    case "double":
      if (!Number.isFinite(Number(v)) && !["NaN", "Infinity", "-Infinity"].includes(v)) throw new InvalidInputError(`column ${column}: ${JSON.stringify(v)} is not a number`);
      return Number(v);
    case "long":
      if (!/^-?\d+$/.test(v)) throw new InvalidInputError(`column ${column}: ${JSON.stringify(v)} is not an integer`);
      return BigInt(v);
    case "boolean":
      if (v !== "true" && v !== "false") throw new InvalidInputError(`column ${column}: ${JSON.stringify(v)} is not true or false`);
      return v === "true";
    default:
      return v;
  }
}
