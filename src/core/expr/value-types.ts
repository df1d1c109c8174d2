/**
 * Types of value expressions (UPDATE SET / MERGE values), as Spark types them: the type names
 * CAST accepts, the result type of arithmetic (integral types widen, `/` of integers is double,
 * decimals follow Spark's precision/scale rules capped at 38, any float or double makes the
 * result floating), the common type of CASE branches and COALESCE arguments, and which value
 * types a column of a given type accepts without an explicit CAST (numbers into numbers,
 * checked per value; dates into timestamps; otherwise the same type).
 */
import type { DataType, PrimitiveType } from "../schema/types.js";

/** The type of a NULL literal: it fits every type. */
export const NULL_TYPE: PrimitiveType = { kind: "primitive", name: "void" };

const INTEGRAL = ["byte", "short", "integer", "long"] as const;
type Integral = (typeof INTEGRAL)[number];

/** Digits of each integral type as a decimal (Spark's conversion for decimal arithmetic). */
const INTEGRAL_DIGITS: Record<Integral, number> = { byte: 3, short: 5, integer: 10, long: 20 };

/** The largest decimal precision. */
export const MAX_DECIMAL_PRECISION = 38;

/** Whether the type is a primitive named one of `names`. */
export function isType(t: DataType, ...names: string[]): boolean {
  return t.kind === "primitive" && names.includes(t.name);
}

export const isNull = (t: DataType): boolean => isType(t, "void");
export const isIntegral = (t: DataType): boolean => isType(t, ...INTEGRAL);
export const isFloating = (t: DataType): boolean => isType(t, "float", "double");
export const isDecimalType = (t: DataType): t is { kind: "primitive"; name: "decimal"; precision: number; scale: number } => isType(t, "decimal");
export const isNumeric = (t: DataType): boolean => isIntegral(t) || isFloating(t) || isDecimalType(t);
export const isTemporal = (t: DataType): boolean => isType(t, "date", "timestamp", "timestamp_ntz");

/** A decimal type, precision capped at 38 (Spark's bounded adjustment keeps at least 6 fraction digits). */
export function decimalType(precision: number, scale: number): DataType {
  if (precision <= MAX_DECIMAL_PRECISION) return { kind: "primitive", name: "decimal", precision, scale };
  const intDigits = precision - scale;
  const minScale = Math.min(scale, 6);
  const adjusted = Math.max(MAX_DECIMAL_PRECISION - intDigits, minScale);
  return { kind: "primitive", name: "decimal", precision: MAX_DECIMAL_PRECISION, scale: adjusted };
}

/** A numeric type seen as a decimal (integral types by their digits), or undefined for floating types. */
function asDecimal(t: DataType): { precision: number; scale: number } | undefined {
  if (isDecimalType(t)) return { precision: t.precision, scale: t.scale };
  if (t.kind === "primitive" && (INTEGRAL as readonly string[]).includes(t.name)) return { precision: INTEGRAL_DIGITS[t.name as Integral], scale: 0 };
  return undefined;
}

/** The result type of `l op r` for numeric operands; undefined when the operands are not numbers. */
export function arithmeticType(op: "+" | "-" | "*" | "/", l: DataType, r: DataType): DataType | undefined {
  if (isNull(l) && isNull(r)) return { kind: "primitive", name: op === "/" ? "double" : "integer" };
  if (isNull(l)) return arithmeticType(op, r, r);
  if (isNull(r)) return arithmeticType(op, l, l);
  if (!isNumeric(l) || !isNumeric(r)) return undefined;
  if (isFloating(l) || isFloating(r)) {
    const floating = floatingOf(l, r);
    return op === "/" ? { kind: "primitive", name: "double" } : floating;
  }
  if (isIntegral(l) && isIntegral(r)) {
    if (op === "/") return { kind: "primitive", name: "double" };
    return widerIntegral(l, r);
  }
  const a = asDecimal(l) as { precision: number; scale: number };
  const b = asDecimal(r) as { precision: number; scale: number };
  switch (op) {
    case "+":
    case "-": {
      const scale = Math.max(a.scale, b.scale);
      return decimalType(Math.max(a.precision - a.scale, b.precision - b.scale) + scale + 1, scale);
    }
    case "*":
      return decimalType(a.precision + b.precision + 1, a.scale + b.scale);
    case "/": {
      const scale = Math.max(6, a.scale + b.precision + 1);
      return decimalType(a.precision - a.scale + b.scale + scale, scale);
    }
  }
}

/** float with float or an integral type stays float (Spark's precedence); with double or decimal it is double. */
function floatingOf(a: DataType, b: DataType): DataType {
  const double = isType(a, "double") || isType(b, "double") || isDecimalType(a) || isDecimalType(b);
  return { kind: "primitive", name: double ? "double" : "float" };
}

function widerIntegral(l: DataType, r: DataType): DataType {
  const rank = (t: DataType) => INTEGRAL.indexOf((t as PrimitiveType).name as Integral);
  return rank(l) >= rank(r) ? l : r;
}

/** Whether two types are the same (decimals with the same precision and scale). */
export function sameType(a: DataType, b: DataType): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The type all of `types` convert to (CASE branches, COALESCE arguments, the two sides of a
 * comparison): the shared type, the widest number, timestamp for dates with timestamps; NULLs fit
 * anything. Undefined when they have none.
 */
export function commonType(types: readonly DataType[]): DataType | undefined {
  const known = types.filter((t) => !isNull(t));
  if (known.length === 0) return NULL_TYPE;
  let acc = known[0] as DataType;
  for (const t of known.slice(1)) {
    const next = commonOfTwo(acc, t);
    if (next === undefined) return undefined;
    acc = next;
  }
  return acc;
}

function commonOfTwo(a: DataType, b: DataType): DataType | undefined {
  if (sameType(a, b)) return a;
  if (isNumeric(a) && isNumeric(b)) {
    if (isFloating(a) || isFloating(b)) return floatingOf(a, b);
    if (isIntegral(a) && isIntegral(b)) return widerIntegral(a, b);
    const x = asDecimal(a) as { precision: number; scale: number };
    const y = asDecimal(b) as { precision: number; scale: number };
    const scale = Math.max(x.scale, y.scale);
    return decimalType(Math.max(x.precision - x.scale, y.precision - y.scale) + scale, scale);
  }
  if (isType(a, "date") && isType(b, "timestamp", "timestamp_ntz")) return b;
  if (isType(b, "date") && isType(a, "timestamp", "timestamp_ntz")) return a;
  return undefined;
}

/**
 * Whether a value of type `from` may be stored in a column of type `to` without a CAST: the same
 * type, NULL, a number into a number column (each value checked to fit), a date into a timestamp.
 */
export function assignable(from: DataType, to: DataType): boolean {
  if (isNull(from) || sameType(from, to)) return true;
  if (isNumeric(from) && isNumeric(to)) return true;
  if (isType(from, "date") && isType(to, "timestamp", "timestamp_ntz")) return true;
  if (isType(from, "string") && isType(to, "string")) return true;
  return false;
}

/** The types CAST accepts, by name (Spark's names and aliases). */
const CAST_TYPES: Record<string, PrimitiveType> = {
  string: { kind: "primitive", name: "string" },
  varchar: { kind: "primitive", name: "string" },
  boolean: { kind: "primitive", name: "boolean" },
  bool: { kind: "primitive", name: "boolean" },
  tinyint: { kind: "primitive", name: "byte" },
  byte: { kind: "primitive", name: "byte" },
  smallint: { kind: "primitive", name: "short" },
  short: { kind: "primitive", name: "short" },
  int: { kind: "primitive", name: "integer" },
  integer: { kind: "primitive", name: "integer" },
  bigint: { kind: "primitive", name: "long" },
  long: { kind: "primitive", name: "long" },
  float: { kind: "primitive", name: "float" },
  real: { kind: "primitive", name: "float" },
  double: { kind: "primitive", name: "double" },
  date: { kind: "primitive", name: "date" },
  timestamp: { kind: "primitive", name: "timestamp" },
  timestamp_ltz: { kind: "primitive", name: "timestamp" },
  timestamp_ntz: { kind: "primitive", name: "timestamp_ntz" },
  binary: { kind: "primitive", name: "binary" },
};

/** The type named `name` (lowercase) in a CAST, with decimal's (precision, scale); undefined if unknown. */
export function castTypeNamed(name: string, args: readonly number[]): DataType | undefined {
  const n = name.toLowerCase();
  if (n === "decimal" || n === "numeric" || n === "dec") {
    const [p = 10, s = 0] = args;
    if (args.length > 2 || !Number.isInteger(p) || !Number.isInteger(s) || p < 1 || p > MAX_DECIMAL_PRECISION || s < 0 || s > p) return undefined;
    return { kind: "primitive", name: "decimal", precision: p, scale: s };
  }
  return args.length === 0 ? CAST_TYPES[n] : undefined;
}

/** The CAST type names, for messages. */
export const CAST_TYPE_NAMES = [...Object.keys(CAST_TYPES), "decimal(p, s)"];
