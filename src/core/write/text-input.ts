/**
 * Text inputs for writes, shared by the CLI (`write --input` NDJSON/CSV files) and the Worker
 * (NDJSON/CSV request bodies): bytes are decoded strictly (text-decode.ts), split into lines or CSV
 * records in one linear pass within the size limits (text-limits.ts, csv-records.ts), and parsed in
 * chunks of rows into RecordBatches, typed by the table's schema when the table exists, else
 * inferred from the first chunk. Columns the data adds beyond the table's schema are inferred too,
 * so the writer can merge or refuse them by name. Everything streams: memory stays bounded by one
 * chunk of rows (`chunkRows` rows or `chunkBytes` of text, whichever comes first).
 *
 * Values are converted exactly or refused with an InvalidInputError naming the source, the line,
 * the column and the value as written: CSV cells by schema/value-text.ts; NDJSON numbers that
 * JSON.parse could get wrong (integers of 16 or more digits, 3-digit exponents, and for tables
 * with decimals any number of 16 or more digits) are parsed from their text (json-lossless.ts),
 * so a long or decimal keeps every digit. CSV inference: integers that fit a
 * long become long, larger ones (up to 38 digits) decimal(38,0), other numbers double, `true` /
 * `false` (any case) boolean, anything else string.
 */
import type { RecordBatch } from "apache-arrow";
import { InvalidInputError } from "../errors.js";
import { parseJsonLossless } from "../schema/json-lossless.js";
import { MAX_DECIMAL_PRECISION } from "../schema/schema-json.js";
import type { DataType, StructField, StructType } from "../schema/types.js";
import { fitsDecimalPrecision, inBounds, INTEGER_RANGES } from "../schema/value-range.js";
import { doubleFromText, integerFromText, quoteText, scalarFromText } from "../schema/value-text.js";
import { CsvReader, type CsvRecord } from "./csv-records.js";
import { MAX_JSON_NESTING, scanJsonLine } from "./json-nesting.js";
import { inferSchema, rowsToRecordBatch } from "./rows-to-arrow.js";
import { decodeUtf8, type TextChunks } from "./text-decode.js";
import { chunkMeter, lineTooLong, textLimits, type TextLimits } from "./text-limits.js";
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
  /** Text per batch in UTF-8 bytes (default 32 MiB): a batch ends at whichever limit comes first. */
  chunkBytes?: number;
  /** Largest line (NDJSON line, CSV record) in UTF-8 bytes (default DEFAULT_MAX_LINE_BYTES, 16 MiB). */
  maxLineBytes?: number | undefined;
  /** Largest CSV field in UTF-8 bytes (default DEFAULT_MAX_FIELD_BYTES, 16 MiB). */
  maxFieldBytes?: number | undefined;
  /**
   * NDJSON only: collects every line's leaf key paths (json-nesting.ts) during the nesting check,
   * and `onJsonLine` runs after each line's check, e.g. to bound the number of distinct fields.
   */
  jsonPaths?: Set<string> | undefined;
  onJsonLine?: ((line: number) => void) | undefined;
}

/** One row of text input: its cells (CSV) or parsed object (NDJSON), its line and its size. */
interface TextRow {
  line: number;
  bytes: number;
  value: Record<string, unknown> | (string | null)[];
}

/**
 * Parses NDJSON or CSV text into RecordBatches. `input` is byte chunks (decoded as UTF-8,
 * strictly) or text chunks; chunks may split lines, CRLF pairs and UTF-8 sequences anywhere.
 */
export async function* textBatches(input: TextChunks, options: TextBatchesOptions): AsyncGenerator<RecordBatch> {
  const { format, source } = options;
  const limits = textLimits(source, options);
  const chunkRows = options.chunkRows ?? 65536;
  const chunkBytes = options.chunkBytes ?? 32 * 1024 * 1024;
  let schema = options.tableSchema;
  let header: string[] | undefined;
  let chunk: TextRow[] = [];
  let chunkSize = 0;
  const flush = (): RecordBatch => {
    const rows = chunk;
    chunk = [];
    chunkSize = 0;
    const label = (i: number) => `${source}:${(rows[i] as TextRow).line}`;
    try {
      if (format === "csv") {
        const cells = rows.map((r) => r.value as (string | null)[]);
        schema = csvSchema(schema, header as string[], cells);
        return rowsToRecordBatch(typeCsvRows(cells, header as string[], schema, label), schema, { rowLabel: label });
      }
      const objects = rows.map((r) => r.value as Record<string, unknown>);
      schema = schema === undefined ? inferSchema(objects) : withExtraColumns(schema, objects);
      return rowsToRecordBatch(objects, schema, { rowLabel: label });
    } catch (e) {
      if (e instanceof RangeError) throw new InvalidInputError(`${label(0)} (or a line up to ${label(rows.length - 1)}): values nested too deeply`, { cause: e });
      throw e;
    }
  };
  const add = (row: TextRow): boolean => {
    chunk.push(row);
    chunkSize += row.bytes;
    return chunk.length >= chunkRows || chunkSize >= chunkBytes;
  };
  if (format === "csv") {
    const reader = new CsvReader(limits);
    const take = (record: CsvRecord): boolean => {
      if (header === undefined) {
        header = record.cells.map((c) => c ?? "");
        return false;
      }
      if (record.cells.length !== header.length) throw new InvalidInputError(`${source}:${record.line}: ${record.cells.length} fields, the header has ${header.length}`);
      return add({ line: record.line, bytes: record.cells.reduce((n, c) => n + (c?.length ?? 0) + 1, 0), value: record.cells });
    };
    for await (const text of decodeUtf8(input, source)) {
      for (const record of reader.push(text)) if (take(record)) yield flush();
    }
    for (const record of reader.end()) if (take(record)) yield flush();
  } else {
    const lines = new LineReader(limits);
    const needsText = schema !== undefined && hasDecimal(schema) ? DECIMAL_NEEDS_TEXT : NEEDS_TEXT;
    const take = (text: string, line: number, bytes: number): boolean => {
      // rows nested deeper than the writer takes are refused by line, not by a stack overflow
      scanJsonLine(text, {
        maxDepth: MAX_JSON_NESTING,
        paths: options.jsonPaths,
        deep: () => new InvalidInputError(`${source}:${line}: the JSON nests deeper than ${MAX_JSON_NESTING} levels (MAX_JSON_NESTING)`),
      });
      options.onJsonLine?.(line);
      const value = parseJsonRow(text, `${source}:${line}`, needsText);
      return value === undefined ? false : add({ line, bytes, value });
    };
    for await (const text of decodeUtf8(input, source)) {
      for (const l of lines.push(text)) if (take(l.text, l.line, l.bytes)) yield flush();
    }
    for (const l of lines.end()) if (take(l.text, l.line, l.bytes)) yield flush();
  }
  if (chunk.length > 0) yield flush();
}

/** Splits text chunks into lines (LF or CRLF; a last line without terminator counts), within the line limit. */
class LineReader {
  private pending = "";
  private pendingBytes = 0;
  private line = 1;
  constructor(private readonly limits: TextLimits) {}

  push(text: string): { text: string; line: number; bytes: number }[] {
    const out: { text: string; line: number; bytes: number }[] = [];
    const meter = chunkMeter(text);
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      const end = nl < 0 ? text.length : nl;
      const bytes = this.pendingBytes + meter(start, end);
      if (bytes > this.limits.maxLineBytes) throw lineTooLong(this.limits, this.line);
      if (nl < 0) {
        if (end > start) this.pending += text.slice(start);
        this.pendingBytes = bytes;
        return out;
      }
      out.push(this.take(this.pending === "" ? text.slice(start, nl) : this.pending + text.slice(start, nl), bytes));
      start = nl + 1;
    }
  }

  end(): { text: string; line: number; bytes: number }[] {
    return this.pending === "" ? [] : [this.take(this.pending, this.pendingBytes)];
  }

  private take(text: string, bytes: number): { text: string; line: number; bytes: number } {
    this.pending = "";
    this.pendingBytes = 0;
    return { text: text.endsWith("\r") ? text.slice(0, -1) : text, line: this.line++, bytes };
  }
}

/**
 * Lines whose numbers JSON.parse could get wrong: an integer of 16 or more digits (beyond 2^53 it
 * would be rounded) or an exponent of 3 digits (overflow to Infinity, underflow). Fractions are
 * exact enough for float and double columns (JSON.parse rounds to the nearest double, as the text
 * policy does); decimal columns also need the text of 16 or more significant digits
 * ({@link DECIMAL_NEEDS_TEXT}). A false positive (digits inside a string) only costs speed.
 */
const NEEDS_TEXT = /(?<![.\d])\d{16}|[eE][+-]?\d{3}/;
/** With a decimal column: any run of 16 digits (a double holds 15 significant digits exactly). */
const DECIMAL_NEEDS_TEXT = /[\d.]{16}|[eE][+-]?\d{3}/;
const NON_BLANK = /\S/;

/** Whether a type has a decimal anywhere in it. */
function hasDecimal(type: DataType): boolean {
  switch (type.kind) {
    case "primitive":
      return type.name === "decimal";
    case "struct":
      return type.fields.some((f) => hasDecimal(f.type));
    case "array":
      return hasDecimal(type.elementType);
    case "map":
      return hasDecimal(type.keyType) || hasDecimal(type.valueType);
  }
}

/**
 * One NDJSON line as a row object, or undefined for a blank line. Lines whose numbers JSON.parse
 * could round (`needsText`) are parsed from their text (numbers kept as JsonNumberText); other
 * lines go through JSON.parse, which is exact for them.
 */
function parseJsonRow(text: string, where: string, needsText: RegExp): Record<string, unknown> | undefined {
  if (!NON_BLANK.test(text)) return undefined;
  let value: unknown;
  try {
    value = needsText.test(text) ? parseJsonLossless(text, { numbers: "text" }) : JSON.parse(text);
  } catch (cause) {
    throw new InvalidInputError(`${where}: not valid JSON (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InvalidInputError(`${where}: not a JSON object`);
  return value as Record<string, unknown>;
}

/** The schema of CSV rows: the table's (plus inferred extra columns), or inferred from the cells. */
function csvSchema(schema: StructType | undefined, header: readonly string[], cells: readonly (string | null)[][]): StructType {
  const known = new Set(schema?.fields.map((f) => f.name) ?? []);
  const extra: StructField[] = [];
  header.forEach((name, i) => {
    if (!known.has(name)) extra.push({ name, type: inferCsvType(cells.map((r) => r[i] ?? null)), nullable: true, metadata: {} });
  });
  if (schema === undefined) return { kind: "struct", fields: extra };
  return extra.length === 0 ? schema : { kind: "struct", fields: [...schema.fields, ...extra] };
}

const INTEGER_TEXT = /^[+-]?\d+$/;

/** Infers a CSV column's type from its cells (see the header). */
function inferCsvType(values: readonly (string | null)[]): DataType {
  const present = values.filter((v): v is string => v !== null);
  if (present.length > 0 && present.every((v) => INTEGER_TEXT.test(v))) {
    if (present.every((v) => v.length <= 18)) return { kind: "primitive", name: "long" };
    const ints = present.map((v) => integerFromText(v) as bigint);
    if (ints.every((n) => inBounds(n, INTEGER_RANGES.long))) return { kind: "primitive", name: "long" };
    if (ints.every((n) => fitsDecimalPrecision(n, MAX_DECIMAL_PRECISION))) return { kind: "primitive", name: "decimal", precision: MAX_DECIMAL_PRECISION, scale: 0 };
    return { kind: "primitive", name: "double" };
  }
  if (present.length > 0 && present.every((v) => Number.isFinite(doubleFromText(v)))) return { kind: "primitive", name: "double" };
  if (present.length > 0 && present.every((v) => /^(true|false)$/i.test(v))) return { kind: "primitive", name: "boolean" };
  return { kind: "primitive", name: "string" };
}

/** Converts CSV cells to row objects of `schema`'s types (nested cells are JSON). */
function typeCsvRows(rows: readonly (string | null)[][], header: readonly string[], schema: StructType, label: (i: number) => string): Record<string, unknown>[] {
  const types = header.map((h) => schema.fields.find((f) => f.name === h)?.type);
  return rows.map((cells, r) => {
    const out: Record<string, unknown> = {};
    header.forEach((h, i) => {
      const v = cells[i] ?? null;
      const type = types[i];
      out[h] = v === null || type === undefined ? v : convertCell(v, type, () => `${label(r)}, column ${h}`);
    });
    return out;
  });
}

function convertCell(v: string, type: DataType, where: () => string): unknown {
  const fail = (why: string): never => {
    throw new InvalidInputError(`${where()}: ${why}`);
  };
  if (type.kind === "primitive") return scalarFromText(v, type, fail);
  try {
    return parseJsonLossless(v, { numbers: "text" });
  } catch {
    return fail(`cannot read ${quoteText(v)} as ${type.kind} (nested CSV cells must be JSON)`);
  }
}
