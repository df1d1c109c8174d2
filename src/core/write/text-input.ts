/**
 * Text inputs for writes, shared by the CLI (`write --input` NDJSON/CSV files) and the Worker
 * (NDJSON/CSV request bodies): lines are parsed in chunks of rows into RecordBatches, typed by the
 * table's schema when the table exists (CSV cells are converted to the column types), else
 * inferred from the first chunk (CSV: long, double, boolean, else string). Columns the data adds
 * beyond the table's schema are inferred too, so the writer can merge or refuse them by name.
 * Everything streams: memory stays bounded by one chunk of rows.
 */
import type { RecordBatch } from "apache-arrow";
import { InvalidInputError } from "../errors.js";
import type { DataType, StructType } from "../schema/types.js";
import { inferSchema, rowsToRecordBatch } from "./rows-to-arrow.js";
import { withExtraColumns } from "./write-input.js";

/** Text formats. */
export type TextFormat = "ndjson" | "csv";

/** Options of {@link textBatches}. */
export interface TextBatchesOptions {
  format: TextFormat;
  /** The existing table's schema (rows are typed by it), or undefined to infer. */
  tableSchema: StructType | undefined;
  /** Named in error messages with the line number (a file name, "request body"). */
  source: string;
  /** Rows per batch (default 65,536). */
  chunkRows?: number;
}

/** Parses NDJSON or CSV lines (without line terminators) into RecordBatches. */
export async function* textBatches(lines: AsyncIterable<string> | Iterable<string>, options: TextBatchesOptions): AsyncGenerator<RecordBatch> {
  const { format, source } = options;
  const chunkRows = options.chunkRows ?? 65536;
  let schema = options.tableSchema;
  let header: string[] | undefined;
  let chunk: Record<string, unknown>[] = [];
  let lineNo = 0;
  const flush = (): RecordBatch => {
    const rows = format === "csv" && schema === undefined ? typeCsvRows(chunk) : format === "csv" ? castCsvRows(chunk, schema as StructType) : chunk;
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
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (cause) {
        throw new InvalidInputError(`${source}:${lineNo}: not a JSON object`, { cause });
      }
      if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InvalidInputError(`${source}:${lineNo}: not a JSON object`);
      chunk.push(value as Record<string, unknown>);
    } else {
      pending = pending === "" ? line : `${pending}\n${line}`;
      if (!balancedQuotes(pending)) continue;
      const cells = parseCsvLine(pending);
      pending = "";
      if (!header) {
        header = cells.map((c) => c ?? "");
        continue;
      }
      if (cells.length !== header.length) throw new InvalidInputError(`${source}:${lineNo}: ${cells.length} fields, the header has ${header.length}`);
      chunk.push(Object.fromEntries(header.map((h, i) => [h, cells[i]])));
    }
    if (chunk.length >= chunkRows) yield flush();
  }
  if (pending !== "") throw new InvalidInputError(`${source}: unterminated quoted field at the end`);
  if (chunk.length > 0) yield flush();
}

/** Splits decoded text chunks into lines (LF or CRLF; a final line without terminator counts). */
export async function* splitLines(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let rest = "";
  for await (const text of chunks) {
    rest += text;
    let nl = rest.indexOf("\n");
    if (nl < 0) continue;
    let start = 0;
    const lines: string[] = [];
    while (nl >= 0) {
      lines.push(rest.slice(start, nl > start && rest[nl - 1] === "\r" ? nl - 1 : nl));
      start = nl + 1;
      nl = rest.indexOf("\n", start);
    }
    rest = rest.slice(start);
    yield* lines;
  }
  if (rest.endsWith("\r")) rest = rest.slice(0, -1);
  if (rest !== "") yield rest;
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
