/**
 * Plain row objects -> Arrow, for callers who have rows rather than Arrow data. Values may be
 * canonical scalars (schema/types.ts) or the friendly forms people write: numbers or bigints for
 * longs, Date / ISO strings / bigint microseconds for timestamps, Date / "YYYY-MM-DD" / day numbers
 * for dates, strings or numbers for decimals, nested objects for structs, arrays, and Maps or
 * [key, value] pairs for maps; JSON number literals kept as text (JsonNumberText, from NDJSON) are
 * read by the column's type (schema/value-text.ts). Every value is range-checked against its type
 * (schema/value-range.ts): out-of-range integers, dates and timestamps, decimals that would need
 * rounding or overflow their precision, numbers too large for a float, JS numbers beyond 2^53 for
 * a long (pass a bigint), bigints a double cannot hold exactly, invalid Dates, Dates that are not
 * midnight UTC for a date column and strings with lone surrogates (not Unicode, so not UTF-8) are
 * InvalidInputErrors naming the column, the row and the value.
 * Without a schema the types are inferred from the rows: safe integers (and bigints, and integral
 * JSON literals) become long, or decimal(38,0) when some do not fit a long (as Spark infers), other
 * numbers double; a column that is null in every row cannot be inferred.
 */
import { Data, RecordBatch, Schema, Struct, makeData, type Field } from "apache-arrow";
import { InvalidInputError } from "../errors.js";
import type { DataType, PrimitiveType, Scalar, StructField, StructType } from "../schema/types.js";
import { deltaSchemaToArrow } from "../schema/arrow-schema.js";
import { JsonNumberText } from "../schema/json-lossless.js";
import { parseDecimalLiteral } from "../schema/decimal.js";
import { MAX_DECIMAL_PRECISION } from "../schema/schema-json.js";
import { DATE_DAYS_RANGE, fitsDecimalPrecision, floatRangeError, inBounds, integerRangeError, INTEGER_RANGES } from "../schema/value-range.js";
import { checkTimestampMicros, decimalScalar, integerFromText, quoteText, scalarFromText, type FailValue } from "../schema/value-text.js";
import { decimalWords } from "../scan/partition-columns.js";

/** Options of {@link rowsToRecordBatch}. */
export interface RowsToRecordBatchOptions {
  /** How messages name row `i` of this batch (default `row ${i}`); text inputs name the line. */
  rowLabel?: (row: number) => string;
}

/** Infers a Delta schema from row objects (keys in first-seen order). */
export function inferSchema(rows: readonly Record<string, unknown>[]): StructType {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    for (const k of Object.keys(r)) {
      if (seen.has(k)) continue;
      seen.add(k);
      names.push(k);
    }
  }
  return { kind: "struct", fields: names.map((n) => ({ name: n, type: inferType(rows.map((r) => r[n]), n), nullable: true, metadata: {} })) };
}

const isNumeric = (v: unknown): boolean => typeof v === "number" || typeof v === "bigint" || v instanceof JsonNumberText;

function inferType(values: unknown[], column: string): DataType {
  const v = values.find((x) => x !== null && x !== undefined);
  if (v === undefined) throw new InvalidInputError(`cannot infer the type of column ${column}: it is null in every row; pass a schema`);
  if (typeof v === "boolean") return { kind: "primitive", name: "boolean" };
  if (isNumeric(v)) return inferNumeric(values);
  if (typeof v === "string") return { kind: "primitive", name: "string" };
  if (v instanceof Date) return { kind: "primitive", name: "timestamp" };
  if (v instanceof Uint8Array) return { kind: "primitive", name: "binary" };
  if (Array.isArray(v)) {
    const items = values.flatMap((x) => (Array.isArray(x) ? x : []));
    return { kind: "array", elementType: inferType(items, `${column}.element`), containsNull: true };
  }
  if (typeof v === "object") {
    const objs = values.filter((x): x is Record<string, unknown> => x !== null && typeof x === "object");
    const inner = inferSchema(objs);
    return { kind: "struct", fields: inner.fields.map((f) => ({ ...f, type: f.type })) };
  }
  throw new InvalidInputError(`cannot infer the type of column ${column} from a ${typeof v}`);
}

/**
 * long when every number is an integer that fits one (safe JS integers, bigints, integral JSON
 * literals), decimal(38,0) when some integer does not fit a long but fits 38 digits, else double.
 */
function inferNumeric(values: unknown[]): DataType {
  let wide = false;
  for (const v of values) {
    if (!isNumeric(v)) continue;
    if (typeof v === "number") {
      if (!Number.isSafeInteger(v)) return { kind: "primitive", name: "double" };
      continue;
    }
    const n = typeof v === "bigint" ? v : integerFromText((v as JsonNumberText).text);
    if (n === undefined) return { kind: "primitive", name: "double" };
    if (inBounds(n, INTEGER_RANGES.long)) continue;
    if (!fitsDecimalPrecision(n, MAX_DECIMAL_PRECISION)) return { kind: "primitive", name: "double" };
    wide = true;
  }
  return wide ? { kind: "primitive", name: "decimal", precision: MAX_DECIMAL_PRECISION, scale: 0 } : { kind: "primitive", name: "long" };
}

/** Builds one RecordBatch of `schema` from row objects. */
export function rowsToRecordBatch(rows: readonly Record<string, unknown>[], schema: StructType, options: RowsToRecordBatchOptions = {}): RecordBatch {
  const arrow = deltaSchemaToArrow(schema);
  const label = options.rowLabel ?? ((i: number) => `row ${i}`);
  const children = schema.fields.map((f, i) => buildColumn(rows.map((r) => r[f.name]), f, arrow.fields[i] as Field, label));
  return new RecordBatch(new Schema(arrow.fields), makeData({ type: new Struct(arrow.fields), length: rows.length, nullCount: 0, children }));
}

function buildColumn(values: unknown[], field: StructField, arrowField: Field, label: (row: number) => string): Data {
  return build(values, field.type, arrowField, field.name, (i) => label(i));
}

/** `rowOf(i)` names the input row of value i (nested values map back to their row). */
function build(values: unknown[], type: DataType, arrowField: Field, column: string, rowOf: (i: number) => string): Data {
  const n = values.length;
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  values.forEach((v, i) => {
    if (v === null || v === undefined) nulls++;
    else bitmap[i >> 3] = (bitmap[i >> 3] as number) | (1 << (i & 7));
  });
  const arrowType = arrowField.type;
  const base = { type: arrowType as never, length: n, nullCount: nulls, nullBitmap: nulls > 0 ? bitmap : new Uint8Array(0) };
  const failAt = (i: number): FailValue => (why) => {
    throw new InvalidInputError(`${rowOf(i)}, column ${column}: ${why}`);
  };
  switch (type.kind) {
    case "struct": {
      const kids = type.fields.map((f, j) =>
        build(values.map((v) => (v === null || v === undefined ? null : (v as Record<string, unknown>)[f.name])), f.type, (arrowType as Struct).children[j] as Field, `${column}.${f.name}`, rowOf),
      );
      return makeData({ ...base, children: kids } as never);
    }
    case "array":
    case "map": {
      const offsets = new Int32Array(n + 1);
      const items: unknown[] = [];
      const itemRows: number[] = [];
      values.forEach((v, i) => {
        if (v !== null && v !== undefined) {
          const list = type.kind === "map" ? mapEntries(v, failAt(i)) : Array.isArray(v) ? v : failAt(i)(`expected an array, got ${describe(v)}`);
          for (const item of list) {
            items.push(item);
            itemRows.push(i);
          }
        }
        offsets[i + 1] = items.length;
      });
      const itemRowOf = (k: number) => rowOf(itemRows[k] as number);
      const childField = (arrowType as unknown as { children: Field[] }).children[0] as Field;
      const child =
        type.kind === "array"
          ? build(items, type.elementType, childField, `${column}.element`, itemRowOf)
          : build(
              items.map((e) => ({ key: (e as [unknown, unknown])[0], value: (e as [unknown, unknown])[1] })),
              { kind: "struct", fields: [{ name: "key", type: type.keyType, nullable: false, metadata: {} }, { name: "value", type: type.valueType, nullable: type.valueContainsNull, metadata: {} }] },
              childField,
              column,
              itemRowOf,
            );
      return makeData({ ...base, valueOffsets: offsets, child } as never);
    }
    case "primitive":
      return makeData({ ...base, ...primitiveBuffers(values, type, failAt) } as never);
  }
}

function mapEntries(v: unknown, fail: FailValue): [unknown, unknown][] {
  if (v instanceof Map) return [...v.entries()];
  if (Array.isArray(v)) return v as [unknown, unknown][];
  if (typeof v === "object" && v !== null) return Object.entries(v);
  return fail(`expected a Map, [key, value] pairs or an object, got ${describe(v)}`);
}

function primitiveBuffers(values: unknown[], type: PrimitiveType, failAt: (i: number) => FailValue): Record<string, unknown> {
  const n = values.length;
  const each = <T>(arr: T & { [i: number]: unknown }, conv: (v: unknown, fail: FailValue) => unknown): T => {
    values.forEach((v, i) => {
      if (v !== null && v !== undefined) (arr as { [i: number]: unknown })[i] = conv(v, failAt(i));
    });
    return arr;
  };
  switch (type.name) {
    case "byte":
      return { data: each(new Int8Array(n), (v, fail) => integer(v, type, "byte", fail)) };
    case "short":
      return { data: each(new Int16Array(n), (v, fail) => integer(v, type, "short", fail)) };
    case "integer":
      return { data: each(new Int32Array(n), (v, fail) => integer(v, type, "integer", fail)) };
    case "long":
      return { data: each(new BigInt64Array(n), (v, fail) => long(v, type, fail)) };
    case "float":
    case "double":
      return { data: each(type.name === "float" ? new Float32Array(n) : new Float64Array(n), (v, fail) => floating(v, type, type.name as "float" | "double", fail)) };
    case "date":
      return { data: each(new Int32Array(n), (v, fail) => dateDays(v, type, fail)) };
    case "timestamp":
    case "timestamp_ntz":
      return { data: each(new BigInt64Array(n), (v, fail) => micros(v, type, type.name as "timestamp" | "timestamp_ntz", fail)) };
    case "boolean": {
      const bits = new Uint8Array((n + 7) >> 3);
      values.forEach((v, i) => {
        if (v === true) bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7));
        else if (v !== false && v !== null && v !== undefined) failAt(i)(`expected a boolean, got ${describe(v)}`);
      });
      return { data: bits };
    }
    case "string":
    case "binary": {
      const enc = new TextEncoder();
      const parts = values.map((v, i) => {
        if (v === null || v === undefined) return new Uint8Array(0);
        if (type.name === "binary" && v instanceof Uint8Array) return v;
        if (typeof v !== "string") return failAt(i)(`expected ${type.name === "string" ? "a string" : "bytes (Uint8Array) or a string"}, got ${describe(v)}`);
        if (LONE_SURROGATE.test(v)) return failAt(i)(`${quoteText(v)} has a lone surrogate (not Unicode text, no UTF-8 form)`);
        return enc.encode(v);
      });
      const offsets = new Int32Array(n + 1);
      parts.forEach((p, i) => (offsets[i + 1] = (offsets[i] as number) + p.length));
      const data = new Uint8Array(offsets[n] as number);
      parts.forEach((p, i) => data.set(p, offsets[i] as number));
      return { data, valueOffsets: offsets };
    }
    case "decimal": {
      const words = new Uint32Array(4 * n);
      values.forEach((v, i) => {
        if (v !== null && v !== undefined) words.set(decimalWords(decimalUnscaled(v, type as { precision: number; scale: number }, failAt(i))), 4 * i);
      });
      return { data: words };
    }
    default:
      return failAt(0)(`cannot build rows of type ${type.name}`);
  }
}

/** A lone UTF-16 surrogate: a JS string that is not Unicode text. */
const LONE_SURROGATE = /\p{Cs}/u;

/** How a value is shown in messages. */
function describe(v: unknown): string {
  if (typeof v === "string") return `the string ${quoteText(v)}`;
  if (typeof v === "bigint") return `${v}n`;
  if (v instanceof JsonNumberText) return quoteText(v.text);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? "an invalid Date" : `the Date ${v.toISOString()}`;
  if (v instanceof Uint8Array) return `bytes (${v.length})`;
  return Array.isArray(v) ? "an array" : `a ${typeof v}`;
}

function fromText(v: unknown, type: PrimitiveType, fail: FailValue): Scalar | undefined {
  if (v instanceof JsonNumberText) return scalarFromText(v.text, type, fail);
  return undefined;
}

function integer(v: unknown, type: PrimitiveType, name: "byte" | "short" | "integer", fail: FailValue): number {
  const text = fromText(v, type, fail);
  if (text !== undefined) return text as number;
  const n = typeof v === "bigint" ? v : typeof v === "number" && Number.isInteger(v) ? BigInt(v) : fail(`expected an integer, got ${describe(v)}`);
  const range = integerRangeError(n, name);
  return range === undefined ? Number(n) : fail(`${describe(v)} is ${range}`);
}

function long(v: unknown, type: PrimitiveType, fail: FailValue): bigint {
  const text = fromText(v, type, fail);
  if (text !== undefined) return text as bigint;
  if (typeof v === "number") {
    if (!Number.isInteger(v)) return fail(`expected an integer, got ${v}`);
    if (!Number.isSafeInteger(v)) return fail(`${v} is beyond 2^53 as a JS number and may have been rounded; pass a bigint`);
    return BigInt(v);
  }
  if (typeof v !== "bigint") return fail(`expected an integer (a number or bigint), got ${describe(v)}`);
  const range = integerRangeError(v, "long");
  return range === undefined ? v : fail(`${v} is ${range}`);
}

function floating(v: unknown, type: PrimitiveType, name: "float" | "double", fail: FailValue): number {
  const text = fromText(v, type, fail);
  if (text !== undefined) return text as number;
  let x: number;
  if (typeof v === "number") x = v;
  else if (typeof v === "bigint") {
    x = name === "float" ? Math.fround(Number(v)) : Number(v);
    if (!Number.isFinite(x) || BigInt(x) !== v) return fail(`${v}n cannot be held exactly by a ${name}`);
  } else return fail(`expected a number, got ${describe(v)}`);
  const range = floatRangeError(x, name);
  return range === undefined ? x : fail(`${x} is ${range}`);
}

function dateDays(v: unknown, type: PrimitiveType, fail: FailValue): number {
  if (typeof v === "string") return scalarFromText(v, type, fail) as number;
  let days: bigint | undefined;
  if (typeof v === "number" && Number.isInteger(v)) days = BigInt(v);
  else if (typeof v === "bigint") days = v;
  else if (v instanceof JsonNumberText) days = integerFromText(v.text);
  else if (v instanceof Date) {
    const ms = v.getTime();
    if (Number.isNaN(ms)) return fail("an invalid Date is not a date");
    if (ms % 86_400_000 !== 0) return fail(`${describe(v)} is not midnight UTC (a date column takes whole days; pass "YYYY-MM-DD")`);
    days = BigInt(ms / 86_400_000);
  }
  if (days === undefined) return fail(`expected a date (Date, "YYYY-MM-DD" or days since 1970-01-01), got ${describe(v)}`);
  return inBounds(days, DATE_DAYS_RANGE) ? Number(days) : fail(`${describe(v)} days is out of the range of date`);
}

function micros(v: unknown, type: PrimitiveType, name: "timestamp" | "timestamp_ntz", fail: FailValue): bigint {
  if (typeof v === "string") return scalarFromText(v, type, fail) as bigint;
  if (typeof v === "bigint") return checkTimestampMicros(v, name, `${v}n`, fail);
  if (v instanceof Date) {
    const ms = v.getTime();
    if (Number.isNaN(ms)) return fail(`an invalid Date is not a ${name}`);
    return BigInt(ms) * 1000n;
  }
  return fail(`expected a timestamp (Date, ISO string or bigint microseconds), got ${describe(v)}`);
}

function decimalUnscaled(v: unknown, type: { precision: number; scale: number }, fail: FailValue): bigint {
  let d: { unscaled: bigint; scale: number } | null = null;
  if (typeof v === "object" && v !== null && "unscaled" in v && typeof (v as { unscaled: unknown }).unscaled === "bigint") d = v as { unscaled: bigint; scale: number };
  else if (v instanceof JsonNumberText || typeof v === "string" || (typeof v === "number" && Number.isFinite(v))) d = parseDecimalLiteral(String(v));
  else if (typeof v === "bigint") d = { unscaled: v, scale: 0 };
  if (d === null) return fail(`${describe(v)} is not a decimal number`);
  const shown = typeof v === "string" ? quoteText(v) : describe(v);
  return (decimalScalar(d, type, shown, fail) as { unscaled: bigint }).unscaled;
}
