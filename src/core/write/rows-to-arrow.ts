/**
 * Plain row objects -> Arrow, for callers who have rows rather than Arrow data. Values may be
 * canonical scalars (schema/types.ts) or the friendly forms people write: numbers or bigints for
 * longs, Date / ISO strings / bigint microseconds for timestamps, Date / "YYYY-MM-DD" / day numbers
 * for dates, strings or numbers for decimals, nested objects for structs, arrays, and Maps or
 * [key, value] pairs for maps. Without a schema the types are inferred from the rows (integers
 * become long, other numbers double); a column that is null in every row cannot be inferred.
 */
import { Data, RecordBatch, Schema, Struct, makeData, type Field } from "apache-arrow";
import { InvalidInputError } from "../errors.js";
import type { DataType, StructField, StructType } from "../schema/types.js";
import { deltaSchemaToArrow } from "../schema/arrow-schema.js";
import { parseDateString, parseDateTimeString, toUtcMicros } from "../schema/datetime.js";
import { parseDecimalLiteral, rescaleDecimal } from "../schema/decimal.js";
import { decimalWords } from "../scan/partition-columns.js";

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

function inferType(values: unknown[], column: string): DataType {
  const v = values.find((x) => x !== null && x !== undefined);
  if (v === undefined) throw new InvalidInputError(`cannot infer the type of column ${column}: it is null in every row; pass a schema`);
  if (typeof v === "boolean") return { kind: "primitive", name: "boolean" };
  if (typeof v === "bigint") return { kind: "primitive", name: "long" };
  if (typeof v === "number") return { kind: "primitive", name: values.every((x) => x === null || x === undefined || Number.isInteger(x)) ? "long" : "double" };
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

/** Builds one RecordBatch of `schema` from row objects. */
export function rowsToRecordBatch(rows: readonly Record<string, unknown>[], schema: StructType): RecordBatch {
  const arrow = deltaSchemaToArrow(schema);
  const children = schema.fields.map((f, i) => buildColumn(rows.map((r) => r[f.name]), f, arrow.fields[i] as Field));
  return new RecordBatch(new Schema(arrow.fields), makeData({ type: new Struct(arrow.fields), length: rows.length, nullCount: 0, children }));
}

function buildColumn(values: unknown[], field: StructField, arrowField: Field): Data {
  return build(values, field.type, arrowField, field.name);
}

function build(values: unknown[], type: DataType, arrowField: Field, column: string): Data {
  const n = values.length;
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  values.forEach((v, i) => {
    if (v === null || v === undefined) nulls++;
    else bitmap[i >> 3] = (bitmap[i >> 3] as number) | (1 << (i & 7));
  });
  const arrowType = arrowField.type;
  const base = { type: arrowType as never, length: n, nullCount: nulls, nullBitmap: nulls > 0 ? bitmap : new Uint8Array(0) };
  const at = (i: number) => `${column} (row ${i})`;
  switch (type.kind) {
    case "struct": {
      const kids = type.fields.map((f, j) => build(values.map((v) => (v === null || v === undefined ? null : (v as Record<string, unknown>)[f.name])), f.type, (arrowType as Struct).children[j] as Field, `${column}.${f.name}`));
      return makeData({ ...base, children: kids } as never);
    }
    case "array":
    case "map": {
      const offsets = new Int32Array(n + 1);
      const items: unknown[] = [];
      values.forEach((v, i) => {
        if (v !== null && v !== undefined) {
          const list = type.kind === "map" ? mapEntries(v, at(i)) : Array.isArray(v) ? v : fail(`${at(i)}: expected an array`);
          items.push(...list);
        }
        offsets[i + 1] = items.length;
      });
      const childField = (arrowType as unknown as { children: Field[] }).children[0] as Field;
      const child =
        type.kind === "array"
          ? build(items, type.elementType, childField, `${column}.element`)
          : build(
              items.map((e) => ({ key: (e as [unknown, unknown])[0], value: (e as [unknown, unknown])[1] })),
              { kind: "struct", fields: [{ name: "key", type: type.keyType, nullable: false, metadata: {} }, { name: "value", type: type.valueType, nullable: type.valueContainsNull, metadata: {} }] },
              childField,
              column,
            );
      return makeData({ ...base, valueOffsets: offsets, child } as never);
    }
    case "primitive":
      return makeData({ ...base, ...primitiveBuffers(values, type, at) } as never);
  }
}

function mapEntries(v: unknown, where: string): [unknown, unknown][] {
  if (v instanceof Map) return [...v.entries()];
  if (Array.isArray(v)) return v as [unknown, unknown][];
  if (typeof v === "object" && v !== null) return Object.entries(v);
  return fail(`${where}: expected a Map, [key, value] pairs or an object`);
}

function primitiveBuffers(values: unknown[], type: Extract<DataType, { kind: "primitive" }>, at: (i: number) => string): Record<string, unknown> {
  const n = values.length;
  const each = <T>(arr: T & { [i: number]: unknown }, conv: (v: unknown, i: number) => unknown): T => {
    values.forEach((v, i) => {
      if (v !== null && v !== undefined) (arr as { [i: number]: unknown })[i] = conv(v, i);
    });
    return arr;
  };
  switch (type.name) {
    case "byte":
      return { data: each(new Int8Array(n), (v, i) => int(v, at(i), -128, 127)) };
    case "short":
      return { data: each(new Int16Array(n), (v, i) => int(v, at(i), -32768, 32767)) };
    case "integer":
      return { data: each(new Int32Array(n), (v, i) => int(v, at(i), -(2 ** 31), 2 ** 31 - 1)) };
    case "long":
      return { data: each(new BigInt64Array(n), (v, i) => (typeof v === "bigint" ? v : BigInt(int(v, at(i), Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)))) };
    case "float":
      return { data: each(new Float32Array(n), (v, i) => num(v, at(i))) };
    case "double":
      return { data: each(new Float64Array(n), (v, i) => num(v, at(i))) };
    case "date":
      return { data: each(new Int32Array(n), (v, i) => dateDays(v, at(i))) };
    case "timestamp":
    case "timestamp_ntz":
      return { data: each(new BigInt64Array(n), (v, i) => micros(v, at(i))) };
    case "boolean": {
      const bits = new Uint8Array((n + 7) >> 3);
      values.forEach((v, i) => {
        if (v === true) bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7));
        else if (v !== false && v !== null && v !== undefined) fail(`${at(i)}: expected a boolean, got ${typeof v}`);
      });
      return { data: bits };
    }
    case "string":
    case "binary": {
      const enc = new TextEncoder();
      const parts = values.map((v, i) => {
        if (v === null || v === undefined) return new Uint8Array(0);
        if (type.name === "string") return typeof v === "string" ? enc.encode(v) : fail(`${at(i)}: expected a string, got ${typeof v}`);
        return v instanceof Uint8Array ? v : typeof v === "string" ? enc.encode(v) : fail(`${at(i)}: expected bytes`);
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
        if (v !== null && v !== undefined) words.set(decimalWords(decimalUnscaled(v, type.scale, at(i))), 4 * i);
      });
      return { data: words };
    }
    default:
      return fail(`cannot build rows of type ${type.name}`);
  }
}

function fail(message: string): never {
  throw new InvalidInputError(message);
}

function int(v: unknown, where: string, min: number, max: number): number {
  const x = typeof v === "bigint" ? Number(v) : v;
  if (typeof x !== "number" || !Number.isInteger(x) || x < min || x > max) fail(`${where}: expected an integer in [${min}, ${max}], got ${String(v)}`);
  return x;
}

function num(v: unknown, where: string): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  return fail(`${where}: expected a number, got ${typeof v}`);
}

function dateDays(v: unknown, where: string): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (v instanceof Date) return Math.floor(v.getTime() / 86_400_000);
  if (typeof v === "string") {
    const d = parseDateString(v);
    if (d !== null) return d;
  }
  return fail(`${where}: expected a date (Date, "YYYY-MM-DD" or days since 1970-01-01), got ${String(v)}`);
}

function micros(v: unknown, where: string): bigint {
  if (typeof v === "bigint") return v;
  if (v instanceof Date) return BigInt(v.getTime()) * 1000n;
  if (typeof v === "string") {
    const p = parseDateTimeString(v);
    if (p !== null) return toUtcMicros(p, () => 0);
  }
  return fail(`${where}: expected a timestamp (Date, ISO string or bigint microseconds), got ${String(v)}`);
}

function decimalUnscaled(v: unknown, scale: number, where: string): bigint {
  if (typeof v === "object" && v !== null && "unscaled" in v) {
    const d = v as { unscaled: bigint; scale: number };
    const r = rescaleDecimal(d, scale);
    if (r !== null) return r;
  }
  const text = typeof v === "number" || typeof v === "bigint" ? String(v) : typeof v === "string" ? v : undefined;
  const d = text === undefined ? null : parseDecimalLiteral(text);
  const r = d === null ? null : rescaleDecimal(d, scale);
  if (r === null) fail(`${where}: ${String(v)} is not a decimal with at most ${scale} fractional digits`);
  return r;
}
