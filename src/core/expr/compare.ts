/**
 * Ordering of canonical scalars (see schema/types.ts) as Delta/Spark orders them: numbers across
 * number/bigint/decimal exactly (NaN equals NaN and sorts above +Infinity, -0 equals 0), strings
 * by code point (= UTF-8 byte order, not JS UTF-16 order), binary by unsigned bytes, false < true.
 * Unlike schema/scalar.ts's `compareScalars` (two values of one Delta type, nulls first), this
 * compares values of any kinds, as literals meet columns and stats (undefined when incomparable);
 * the string, byte and double orders are schema/scalar.ts's.
 */
import { compareBytes, compareNumbers, compareStrings } from "../schema/scalar.js";
import type { DecimalValue, Scalar } from "../schema/types.js";
import { compareRationals, type Rational } from "./numeric.js";

/** Whether a scalar is a decimal value. */
export function isDecimal(v: Scalar): v is DecimalValue {
  return typeof v === "object" && v !== null && !(v instanceof Uint8Array);
}

/** Whether `prefix` is a prefix of `value` (strings or bytes). */
export function isPrefix(prefix: string | Uint8Array, value: string | Uint8Array): boolean {
  if (typeof prefix === "string") return typeof value === "string" && value.startsWith(prefix);
  if (typeof value === "string" || prefix.length > value.length) return false;
  return prefix.every((byte, i) => value[i] === byte);
}

/**
 * Compares two non-null scalars: negative, zero or positive; undefined when they are of
 * incomparable kinds (e.g. a string and a number).
 */
export function compareValues(a: Scalar, b: Scalar): number | undefined {
  if (a === null || b === null) return undefined;
  if (typeof a === "number" && typeof b === "number") return compareNumbers(a, b);
  if (typeof a === "string") return typeof b === "string" ? sign(compareStrings(a, b)) : undefined;
  if (typeof a === "boolean") return typeof b === "boolean" ? Number(a) - Number(b) : undefined;
  if (a instanceof Uint8Array) return b instanceof Uint8Array ? sign(compareBytes(a, b)) : undefined;
  if (typeof b === "string" || typeof b === "boolean" || b instanceof Uint8Array) return undefined;
  // Numeric kinds, at least one of them a bigint or a decimal.
  if (typeof a === "number") return negate(compareNumberTo(b as bigint | DecimalValue, a));
  if (typeof b === "number") return compareNumberTo(a, b);
  return compareRationals(toRational(a), toRational(b));
}

/** Whether two non-null values are equal under compareValues. */
export function valuesEqual(a: Scalar, b: Scalar): boolean {
  return compareValues(a, b) === 0;
}

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

function negate(n: number): number {
  return n === 0 ? 0 : -n;
}

/** Compares an exact value (bigint or decimal) with a double. */
function compareNumberTo(exact: bigint | DecimalValue, n: number): number {
  if (Number.isNaN(n) || n === Infinity) return -1;
  if (n === -Infinity) return 1;
  return compareRationals(toRational(exact), doubleToRational(n));
}

function toRational(v: bigint | DecimalValue): Rational {
  if (typeof v === "bigint") return { num: v, den: 1n };
  return v.scale >= 0
    ? { num: v.unscaled, den: 10n ** BigInt(v.scale) }
    : { num: v.unscaled * 10n ** BigInt(-v.scale), den: 1n };
}

/** The exact value of a finite double (doubling is exact until the value is an integer). */
export function doubleToRational(n: number): Rational {
  let x = n;
  let den = 1n;
  while (!Number.isInteger(x)) {
    x *= 2;
    den *= 2n;
  }
  return { num: BigInt(x), den };
}
