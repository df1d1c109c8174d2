/**
 * Helpers on canonical scalars (see types.ts): a total order per Delta type (as Spark orders:
 * nulls first, NaN above every other number and equal to itself, -0.0 equal to 0.0, decimals of
 * different scales compared exactly, strings by code point = UTF-8 byte order, binary bytewise
 * unsigned), equality on that order, and the CLI's JSON value encoding from DESIGN.md.
 */

import { InvalidInputError } from "../errors.js";
import { formatDate, formatTimestampMicros } from "./datetime.js";
import { compareDecimals, formatDecimal, rescaleDecimal } from "./decimal.js";
import { shortestFloat32 } from "./number-format.js";
import { primitiveTypeName } from "./schema-json.js";
import { isNumberTypeName, type DataType, type DecimalValue, type PrimitiveType, type Scalar } from "./types.js";

/** A JSON value as the CLI prints it. */
export type JsonScalar = null | boolean | number | string;

/**
 * Three-way comparison (-1, 0, 1) of two scalars of the same Delta type. Null sorts first.
 * @throws InvalidInputError when a value does not have its type's canonical form.
 */
export function compareScalars(a: Scalar, b: Scalar, type: DataType): number {
  if (a === null || b === null) return a === null ? (b === null ? 0 : -1) : 1;
  const t = primitive(type);
  if (isNumberTypeName(t.name)) return compareNumbers(num(a, t), num(b, t));
  switch (t.name) {
    case "long":
    case "timestamp":
    case "timestamp_ntz": {
      const x = big(a, t);
      const y = big(b, t);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case "decimal":
      return compareDecimals(dec(a, t), dec(b, t));
    case "string":
      return compareStrings(str(a, t), str(b, t));
    case "boolean":
      return Number(bool(a, t)) - Number(bool(b, t));
    case "binary":
      return compareBytes(bin(a, t), bin(b, t));
    case "void":
      return 0;
    case "variant":
      throw new InvalidInputError("variant values have no order");
  }
}

/** Alias of {@link compareScalars} under the short name. */
export const compare = compareScalars;

/** Equality on the total order (so NaN equals NaN and 1.50 equals 1.5 for decimals). */
export function scalarsEqual(a: Scalar, b: Scalar, type: DataType): boolean {
  return compareScalars(a, b, type) === 0;
}

/** Compares doubles: NaN equals NaN and sorts above every other number, -0 equals 0. */
export function compareNumbers(x: number, y: number): number {
  if (x < y) return -1;
  if (x > y) return 1;
  if (x === y) return 0;
  const xn = Number.isNaN(x);
  const yn = Number.isNaN(y);
  return xn && yn ? 0 : xn ? 1 : -1;
}

/** Compares by Unicode code point (UTF-8 byte order, as Spark's UTF8String), not UTF-16 units. */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800..DFFF, i.e. code points >= U+10000) sort after U+E000..FFFF.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Lexicographic comparison of unsigned bytes. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/**
 * Encodes a scalar as the CLI's ndjson/json value (DESIGN.md "Value encoding"): integers as
 * numbers (longs beyond 2^53-1 as strings), floats as numbers (NaN/Infinity/-Infinity as strings;
 * floats by their shortest float32 digits), decimals as strings with exactly the type's scale,
 * binary as base64, dates `YYYY-MM-DD`, timestamps `YYYY-MM-DDTHH:MM:SS.ffffffZ`, timestamp_ntz
 * without the Z.
 * @throws InvalidInputError when a value does not have its type's canonical form.
 */
export function formatScalarJson(value: Scalar, type: DataType): JsonScalar {
  if (value === null) return null;
  const t = primitive(type);
  switch (t.name) {
    case "byte":
    case "short":
    case "integer":
      return num(value, t);
    case "float":
    case "double": {
      const n = num(value, t);
      if (!Number.isFinite(n)) return String(n);
      return t.name === "float" ? shortestFloat32(n) : n;
    }
    case "long": {
      const n = big(value, t);
      return n >= -BigInt(Number.MAX_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
    }
    case "decimal": {
      const d = dec(value, t);
      const unscaled = rescaleDecimal(d, t.scale);
      return formatDecimal(unscaled === null ? d : { unscaled, scale: t.scale });
    }
    case "string":
      return str(value, t);
    case "boolean":
      return bool(value, t);
    case "binary":
      return toBase64(bin(value, t));
    case "date":
      return formatDate(num(value, t));
    case "timestamp":
      return `${formatTimestampMicros(big(value, t), "T")}Z`;
    case "timestamp_ntz":
      return formatTimestampMicros(big(value, t), "T");
    case "void":
      return null;
    case "variant":
      throw new InvalidInputError("variant values have no scalar JSON encoding");
  }
}

/** Standard base64 (with padding) of bytes, without Node's Buffer. */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function primitive(type: DataType): PrimitiveType {
  if (type.kind !== "primitive") throw new InvalidInputError(`scalars of ${type.kind} type are not supported here`);
  return type;
}

function wrong(value: Scalar, t: PrimitiveType): InvalidInputError {
  const shown = typeof value === "bigint" ? `${value}n` : value instanceof Uint8Array ? "Uint8Array" : JSON.stringify(value);
  return new InvalidInputError(`value ${shown} is not a canonical ${primitiveTypeName(t)} scalar`);
}

function num(v: Scalar, t: PrimitiveType): number {
  if (typeof v !== "number") throw wrong(v, t);
  return v;
}

function big(v: Scalar, t: PrimitiveType): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
  throw wrong(v, t);
}

function dec(v: Scalar, t: PrimitiveType): DecimalValue {
  if (typeof v === "object" && v !== null && !(v instanceof Uint8Array) && typeof v.unscaled === "bigint") return v;
  throw wrong(v, t);
}

function str(v: Scalar, t: PrimitiveType): string {
  if (typeof v !== "string") throw wrong(v, t);
  return v;
}

function bool(v: Scalar, t: PrimitiveType): boolean {
  if (typeof v !== "boolean") throw wrong(v, t);
  return v;
}

function bin(v: Scalar, t: PrimitiveType): Uint8Array {
  if (!(v instanceof Uint8Array)) throw wrong(v, t);
  return v;
}
