/**
 * Converting canonical scalars (schema/types.ts) from one type to another: what CAST does, and
 * what storing a value in a column of another type does. Spark's ANSI semantics: a value that
 * does not fit its target (an integer overflow, a decimal with too many digits, a string that is
 * not a number, a NaN into an integer) is an error, never a silent NULL or a wrapped value.
 * Numbers go through exact rationals; fractions into integers truncate toward zero; into decimals
 * they round half up; ranges are the schema's (schema/value-range.ts). Strings (trimmed) parse as
 * the target type with the writer's strict text rules (schema/value-text.ts: exact numbers,
 * true/false, `YYYY-MM-DD`, ISO timestamps, UTC when zone-less); values print as Spark prints them
 * (doubles as Java does, timestamps `YYYY-MM-DD HH:MM:SS[.ffffff]`).
 */
import { InvalidInputError } from "../errors.js";
import { formatDate, formatTimestampMicros, MICROS_PER_DAY, floorDivMod } from "../schema/datetime.js";
import { formatDecimal, pow10 } from "../schema/decimal.js";
import { formatDoubleJava, formatFloatJava } from "../schema/number-format.js";
import type { DataType, DecimalValue, Scalar } from "../schema/types.js";
import { fitsDecimalPrecision, floatRangeError, integerRangeError } from "../schema/value-range.js";
import { checkTimestampMicros, scalarFromText } from "../schema/value-text.js";
import { doubleToRational, isDecimal } from "./compare.js";
import type { Rational } from "./numeric.js";
import { typeName } from "./coerce.js";
import { isFloating, isIntegral, isType } from "./value-types.js";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** The error of a value that cannot be converted. */
export function castError(value: Scalar, from: DataType, to: DataType, why?: string): InvalidInputError {
  const shown = typeof value === "string" ? JSON.stringify(value) : typeof value === "bigint" ? String(value) : isDecimal(value) ? formatDecimal(value) : value instanceof Uint8Array ? `${value.length} bytes` : String(value);
  return new InvalidInputError(`cannot convert ${shown} of type ${typeName(from)} to ${typeName(to)}${why === undefined ? "" : `: ${why}`}`);
}

/** Converts `value` (canonical for `from`) to the canonical form of `to`. NULL stays NULL. */
export function castScalar(value: Scalar, from: DataType, to: DataType): Scalar {
  if (value === null) return null;
  if (from.kind !== "primitive" || to.kind !== "primitive") {
    if (JSON.stringify(from) === JSON.stringify(to)) return value;
    throw castError(value, from, to, "only primitive values convert");
  }
  if (from.name === to.name && (to.name !== "decimal" || JSON.stringify(from) === JSON.stringify(to))) return value;
  const fail = (why?: string): never => {
    throw castError(value, from, to, why);
  };
  if (to.name === "string") return toText(value, from);
  if (from.name === "string") return scalarFromText((value as string).trim(), to, (why) => fail(why));
  if (isNumericName(to.name)) return fromNumberValue(toNumberValue(value, from, fail), to, fail);
  switch (to.name) {
    case "boolean":
      if (isNumericName(from.name)) return !isZero(value, from);
      return fail();
    case "date":
      if (from.name === "timestamp" || from.name === "timestamp_ntz") return Number(floorDivMod(value as bigint, MICROS_PER_DAY)[0]);
      return fail();
    case "timestamp":
    case "timestamp_ntz":
      if (from.name === "date") return checkTimestampMicros(BigInt(value as number) * MICROS_PER_DAY, to.name, formatDate(value as number), (why) => fail(why));
      if (from.name === "timestamp" || from.name === "timestamp_ntz") return value;
      return fail();
    default:
      return fail();
  }
}

function isNumericName(name: string): boolean {
  return ["byte", "short", "integer", "long", "float", "double", "decimal"].includes(name);
}

function isZero(value: Scalar, from: DataType): boolean {
  if (typeof value === "number") return value === 0;
  if (typeof value === "bigint") return value === 0n;
  return isDecimal(value) && value.unscaled === 0n && isType(from, "decimal");
}

/** Spark's string form of a value. */
function toText(value: Scalar, from: DataType): string {
  if (from.kind !== "primitive") throw castError(value, from, { kind: "primitive", name: "string" });
  switch (from.name) {
    case "string":
      return value as string;
    case "boolean":
      return value ? "true" : "false";
    case "byte":
    case "short":
    case "integer":
    case "long":
      return String(value);
    case "float":
      return formatFloatJava(value as number);
    case "double":
      return formatDoubleJava(value as number);
    case "decimal":
      return formatDecimal(value as DecimalValue);
    case "date":
      return formatDate(value as number);
    case "timestamp":
    case "timestamp_ntz":
      // Spark's form: the fraction only as far as it is not zero
      return formatTimestampMicros(value as bigint, " ").replace(/\.?0+$/, "");
    case "binary":
      try {
        return strictUtf8.decode(value as Uint8Array);
      } catch {
        throw castError(value, from, { kind: "primitive", name: "string" }, "the bytes are not UTF-8");
      }
    default:
      throw castError(value, from, { kind: "primitive", name: "string" });
  }
}

/** A number as an exact rational, or a non-finite double. */
export type NumberValue = { kind: "exact"; r: Rational } | { kind: "special"; value: number };

/** The numeric value of a canonical numeric scalar (or of a boolean). */
export function toNumberValue(value: Scalar, from: DataType, fail: (why?: string) => never = (why) => { throw castError(value, from, { kind: "primitive", name: "double" }, why); }): NumberValue {
  if (typeof value === "bigint") return { kind: "exact", r: { num: value, den: 1n } };
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return { kind: "special", value };
    return { kind: "exact", r: Number.isInteger(value) ? { num: BigInt(value), den: 1n } : doubleToRational(value) };
  }
  if (typeof value === "boolean") return { kind: "exact", r: { num: value ? 1n : 0n, den: 1n } };
  if (isDecimal(value)) return { kind: "exact", r: value.scale >= 0 ? { num: value.unscaled, den: pow10(value.scale) } : { num: value.unscaled * pow10(-value.scale), den: 1n } };
  return fail();
}

/**
 * A numeric value in the canonical form of a numeric type: integers truncate toward zero,
 * decimals round half up, and a value out of the type's range fails.
 */
export function fromNumberValue(v: NumberValue, to: DataType, fail: (why?: string) => never): Scalar {
  if (isFloating(to)) {
    const d = v.kind === "special" ? v.value : rationalToDouble(v.r);
    const range = floatRangeError(d, isType(to, "float") ? "float" : "double");
    if (range !== undefined) fail(range);
    return isType(to, "float") ? Math.fround(d) : d;
  }
  if (v.kind === "special") return fail("not a finite number");
  if (isIntegral(to)) {
    const n = v.r.num / v.r.den; // bigint division truncates toward zero
    const range = integerRangeError(n, (to as { name: "byte" | "short" | "integer" | "long" }).name);
    if (range !== undefined) fail(range);
    return isType(to, "long") ? n : Number(n);
  }
  if (to.kind === "primitive" && to.name === "decimal") {
    const unscaled = roundHalfUp(v.r.num * pow10(to.scale), v.r.den);
    if (!fitsDecimalPrecision(unscaled, to.precision)) fail(`more digits than ${typeName(to)} holds`);
    return { unscaled, scale: to.scale };
  }
  return fail();
}

/** num / den rounded half away from zero (den > 0). */
export function roundHalfUp(num: bigint, den: bigint): bigint {
  const q = num / den;
  const r = num % den;
  if (r === 0n) return q;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice >= den) return num < 0n ? q - 1n : q + 1n;
  return q;
}

/** The double nearest to a rational (via its decimal text, which JavaScript parses correctly rounded). */
export function rationalToDouble(r: Rational): number {
  if (r.den === 1n) return Number(r.num);
  // 40 significant digits are far more than a double holds; the last one rounds correctly enough.
  const scale = 40;
  const unscaled = roundHalfUp(r.num * pow10(scale), r.den);
  return Number(formatDecimal({ unscaled, scale }));
}
