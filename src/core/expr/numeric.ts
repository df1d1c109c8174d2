/**
 * Exact numbers for literal coercion: number text as a rational (no floating point on the way),
 * floor/ceil at a decimal scale, and the value ranges of Delta's integer and decimal types. This
 * is what lets `x < 1.5` on an integer column become `x <= 1` rather than a rounded guess.
 */

import { INTEGER_RANGES as DELTA_INTEGER_RANGES } from "../schema/value-range.js";

/** An exact rational `num / den` with `den > 0`. */
export interface Rational {
  num: bigint;
  den: bigint;
}

const NUMBER_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Parses number text (`-12`, `1.50`, `2.5e-3`) exactly, or undefined if it is not a number. */
export function parseRational(text: string): Rational | undefined {
  const m = NUMBER_TEXT.exec(text.trim());
  if (!m) return undefined;
  const [, sign, whole = "", fraction = ""] = m;
  if (whole === "" && fraction === "") return undefined;
  const exponent = Number(m[4] ?? "0");
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 10_000) return undefined;
  let num = BigInt(whole + fraction || "0");
  if (sign === "-") num = -num;
  const shift = exponent - fraction.length;
  return shift >= 0 ? { num: num * 10n ** BigInt(shift), den: 1n } : { num, den: 10n ** BigInt(-shift) };
}

/** floor(n / d) for d > 0 (bigint division truncates toward zero). */
export function floorDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && n < 0n ? q - 1n : q;
}

/** Inclusive bounds of an integer domain; undefined means unbounded. */
export interface IntRange {
  min?: bigint;
  max?: bigint;
}

/** The value ranges of the integer types, by Delta type name (owned by schema/value-range.ts). */
export const INTEGER_RANGES: Readonly<Record<"byte" | "short" | "integer" | "long", IntRange>> = DELTA_INTEGER_RANGES;

/** The unscaled range of decimal(precision, scale): |unscaled| < 10^precision. */
export function decimalRange(precision: number): IntRange {
  const limit = 10n ** BigInt(precision) - 1n;
  return { min: -limit, max: limit };
}

/** Compares two rationals: negative, zero or positive. */
export function compareRationals(a: Rational, b: Rational): number {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}
