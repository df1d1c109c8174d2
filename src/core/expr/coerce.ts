/**
 * Literal -> column type coercion, exactly. A literal compared with a column becomes a canonical
 * scalar of the column's type (schema/types.ts). Integer, decimal, date and timestamp columns are
 * "discrete": their values are integers k (the value, the unscaled decimal, days, microseconds),
 * and a literal is first turned into an exact rational in those units. When it is not a
 * representable k (`int_col < 1.5`, `byte_col = 1000`, `date_col > TIMESTAMP '2021-01-01 12:00'`)
 * the comparison is rewritten into an equivalent one (`int_col <= 1`) or, if the answer does not
 * depend on the value, into `whenNotNull` (false for `byte_col = 1000`). Float/double literals are
 * rounded to the nearest double (float: nearest float32). Mismatched kinds are InvalidInputErrors.
 *
 * Accepted literals per column type (strings are parsed as the column type, Spark-style):
 *   byte/short/integer/long/decimal: numbers, numeric strings     float/double: numbers, numeric
 *   strings, 'NaN', 'Infinity', '-Infinity'     string: strings     boolean: TRUE/FALSE, 'true'/'false'
 *   binary: strings (UTF-8 bytes)     date: DATE, 'YYYY-MM-DD', TIMESTAMP[_NTZ] (the date is taken
 *   as midnight UTC and compared exactly: `dt = TIMESTAMP '2021-01-01 10:00'` is false, as in Spark)
 *   timestamp/timestamp_ntz: DATE (midnight UTC), TIMESTAMP[_NTZ], date or timestamp strings (UTC)
 */
import type { DataType, Scalar } from "../schema/types.js";
import type { CompareOp, Literal } from "./ast.js";
import type { BoundColumn, BoundExpr } from "./bound.js";
import { exprError } from "./expr-error.js";
import { printLiteral, printName } from "./print.js";
import { decimalRange, floorDiv, INTEGER_RANGES, parseRational, type IntRange, type Rational } from "./numeric.js";
import { MICROS_PER_DAY, parseDate, parseTimestamp } from "./temporal.js";

/** A literal in a column's terms: SQL NULL, an exact scalar, or a rational over a discrete domain. */
export type DomainValue =
  | { kind: "null" }
  | { kind: "exact"; value: Scalar }
  | { kind: "discrete"; r: Rational; range: IntRange; make: (k: bigint) => Scalar };

const utf8 = new TextEncoder();

/** Converts `literal` into `column`'s domain. Throws InvalidInputError when the kinds do not fit. */
export function toDomain(literal: Literal, column: BoundColumn): DomainValue {
  if (literal.type === "null") return { kind: "null" };
  const type = column.type;
  const fail = (why?: string): never => {
    const what = `cannot compare column ${column.path.map(printName).join(".")} of type ${typeName(type)} with ${printLiteral(literal)}`;
    throw exprError(why === undefined ? what : `${what}: ${why}`, literal);
  };
  if (type.kind !== "primitive") return fail();
  const text = literal.type === "string" ? literal.value : "text" in literal ? literal.text : undefined;
  switch (type.name) {
    case "byte":
    case "short":
    case "integer":
    case "long":
    case "decimal": {
      const numeric = literal.type === "integer" || literal.type === "decimal" || literal.type === "float";
      const r = numeric || literal.type === "string" ? parseRational(text ?? "") : undefined;
      if (r === undefined) return fail(literal.type === "string" ? "not a number" : undefined);
      if (type.name === "decimal") {
        const scale = type.scale;
        const scaled = { num: r.num * 10n ** BigInt(scale), den: r.den };
        return { kind: "discrete", r: scaled, range: decimalRange(type.precision), make: (k) => ({ unscaled: k, scale }) };
      }
      const make = type.name === "long" ? (k: bigint) => k : (k: bigint) => Number(k);
      return { kind: "discrete", r, range: INTEGER_RANGES[type.name], make };
    }
    case "float":
    case "double": {
      const numeric = literal.type === "integer" || literal.type === "decimal" || literal.type === "float";
      let value: number | undefined;
      if (numeric) value = Number(text);
      else if (literal.type === "string") value = parseDouble(literal.value);
      if (value === undefined) return fail(literal.type === "string" ? "not a number" : undefined);
      return { kind: "exact", value: type.name === "float" ? Math.fround(value) : value };
    }
    case "string":
      return literal.type === "string" ? { kind: "exact", value: literal.value } : fail("quote it as a string");
    case "binary":
      return literal.type === "string" ? { kind: "exact", value: utf8.encode(literal.value) } : fail();
    case "boolean": {
      if (literal.type === "boolean") return { kind: "exact", value: literal.value };
      const lower = literal.type === "string" ? literal.value.toLowerCase() : "";
      return lower === "true" || lower === "false" ? { kind: "exact", value: lower === "true" } : fail();
    }
    case "date": {
      // Strings must be plain dates: Spark would cast '2021-01-01 10:00' to the date 2021-01-01,
      // an exact comparison would not; rather than silently differ, ask for a TIMESTAMP literal.
      if (literal.type === "date" || literal.type === "string") {
        const days = parseDate(text ?? "");
        if (days !== undefined) return { kind: "discrete", r: { num: BigInt(days), den: 1n }, range: {}, make: Number };
        return fail(literal.type === "string" ? "expected YYYY-MM-DD (or use a TIMESTAMP literal)" : undefined);
      }
      const micros = timestampMicros(literal);
      if (micros === undefined) return fail();
      return { kind: "discrete", r: { num: micros, den: MICROS_PER_DAY }, range: {}, make: Number };
    }
    case "timestamp":
    case "timestamp_ntz": {
      const micros = timestampMicros(literal);
      if (micros === undefined) return fail(literal.type === "string" ? "expected YYYY-MM-DD[ HH:MM:SS[.ffffff]]" : undefined);
      return { kind: "discrete", r: { num: micros, den: 1n }, range: {}, make: (k) => k };
    }
    default:
      return fail();
  }
}

/**
 * Microseconds of a DATE (midnight), TIMESTAMP or TIMESTAMP_NTZ literal or a date/timestamp
 * string. A zone, if given, is applied; without one the time is UTC (also for timestamp_ntz
 * columns, whose wall-clock time is then compared as if it were UTC).
 */
function timestampMicros(literal: Literal): bigint | undefined {
  if (literal.type === "date") {
    const days = parseDate(literal.text);
    return days === undefined ? undefined : BigInt(days) * MICROS_PER_DAY;
  }
  if (literal.type === "timestamp" || literal.type === "timestamp_ntz") return parseTimestamp(literal.text)?.micros;
  if (literal.type === "string") return parseTimestamp(literal.value)?.micros;
  return undefined;
}

function parseDouble(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (t === "nan") return NaN;
  if (t === "infinity" || t === "+infinity" || t === "inf") return Infinity;
  if (t === "-infinity" || t === "-inf") return -Infinity;
  return parseRational(t) === undefined ? undefined : Number(t);
}

/** A short type name for messages (`decimal(10,2)`, `struct`...). */
export function typeName(type: DataType): string {
  if (type.kind !== "primitive") return type.kind;
  return type.name === "decimal" ? `decimal(${type.precision},${type.scale})` : type.name;
}

/** Binds `column op literal` (literal already on the right), exactly; see the header comment. */
export function bindComparison(column: BoundColumn, op: CompareOp, literal: Literal): BoundExpr {
  const d = toDomain(literal, column);
  if (d.kind === "null") return { kind: "const", value: null };
  if (d.kind === "exact") return { kind: "compare", op, column, value: d.value };
  const { r, range, make } = d;
  const fl = floorDiv(r.num, r.den);
  const exact = r.num % r.den === 0n;
  const ce = exact ? fl : fl + 1n;
  const always = (value: boolean): BoundExpr => ({ kind: "whenNotNull", column, value });
  const cmp = (o: CompareOp, k: bigint): BoundExpr => ({ kind: "compare", op: o, column, value: make(k) });
  const inRange = (k: bigint): boolean => (range.min === undefined || k >= range.min) && (range.max === undefined || k <= range.max);
  // k <= b
  const atMost = (b: bigint, repr: BoundExpr | undefined): BoundExpr => {
    if (range.max !== undefined && b >= range.max) return always(true);
    if (range.min !== undefined && b < range.min) return always(false);
    return repr ?? cmp("<=", b);
  };
  // k >= a
  const atLeast = (a: bigint, repr: BoundExpr | undefined): BoundExpr => {
    if (range.min !== undefined && a <= range.min) return always(true);
    if (range.max !== undefined && a > range.max) return always(false);
    return repr ?? cmp(">=", a);
  };
  switch (op) {
    case "=":
      return exact && inRange(fl) ? cmp("=", fl) : always(false);
    case "!=":
      return exact && inRange(fl) ? cmp("!=", fl) : always(true);
    case "<":
      return atMost(ce - 1n, exact ? cmp("<", fl) : undefined);
    case "<=":
      return atMost(fl, undefined);
    case ">":
      return atLeast(fl + 1n, exact ? cmp(">", fl) : undefined);
    case ">=":
      return atLeast(ce, undefined);
  }
}

/**
 * The canonical value `column = literal` tests for, `null` for a NULL literal, or undefined when
 * no value of the column can equal the literal (for IN lists).
 */
export function equalityValue(column: BoundColumn, literal: Literal): Scalar | undefined {
  const d = toDomain(literal, column);
  if (d.kind === "null") return null;
  if (d.kind === "exact") return d.value;
  if (d.r.num % d.r.den !== 0n) return undefined;
  const k = d.r.num / d.r.den;
  const { min, max } = d.range;
  return (min !== undefined && k < min) || (max !== undefined && k > max) ? undefined : d.make(k);
}
