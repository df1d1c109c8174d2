/**
 * Exact decimal helpers over the canonical DecimalValue ({unscaled: bigint, scale}): parsing a
 * decimal literal (plain or with an exponent, as Java's BigDecimal may print), rescaling without
 * losing digits, counting precision, formatting with exactly the scale, and exact comparison of
 * values with different scales.
 */

import type { DecimalValue } from "./types.js";

const DECIMAL_LITERAL_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Most significant digits a literal may have (as for the scale, far beyond decimal(38)). */
const MAX_LITERAL_DIGITS = 10_000;

/** 10^n as a bigint (n >= 0). */
export function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/**
 * Parses a decimal literal ("123.45", "-0.5", "1E+3", ".5") into an exact value whose scale is
 * the literal's own (never negative: "1E+3" is 1000 with scale 0). Returns null if malformed or
 * absurd (more than 10,000 significant digits, or an exponent beyond 10,000).
 */
export function parseDecimalLiteral(text: string): DecimalValue | null {
  const m = DECIMAL_LITERAL_RE.exec(text.trim());
  if (m === null) return null;
  const [, sign = "", intPart = "", fracPart = "", exp] = m;
  if (intPart === "" && fracPart === "") return null;
  const all = `${intPart}${fracPart}`;
  let lead = 0;
  while (lead < all.length - 1 && all.charCodeAt(lead) === 0x30) lead++;
  // Parsing a bigint from text is superlinear: refuse absurd literals before it.
  if (all.length - lead > MAX_LITERAL_DIGITS) return null;
  let digits = BigInt(all.slice(lead) || "0");
  let scale = fracPart.length - (exp === undefined ? 0 : Number(exp));
  if (!Number.isSafeInteger(scale) || Math.abs(scale) > 10_000) return null;
  if (scale < 0) {
    digits *= pow10(-scale);
    scale = 0;
  }
  return { unscaled: sign === "-" ? -digits : digits, scale };
}

/**
 * Re-expresses a decimal at another scale. Returns null when that would drop non-zero digits.
 */
export function rescaleDecimal(value: DecimalValue, scale: number): bigint | null {
  if (scale >= value.scale) return value.unscaled * pow10(scale - value.scale);
  const divisor = pow10(value.scale - scale);
  if (value.unscaled % divisor !== 0n) return null;
  return value.unscaled / divisor;
}

/** Number of decimal digits of the unscaled value (0 has one digit). */
export function decimalDigits(unscaled: bigint): number {
  return (unscaled < 0n ? -unscaled : unscaled).toString().length;
}

/** Formats with exactly `scale` fraction digits: {unscaled: 12340n, scale: 3} -> "12.340". */
export function formatDecimal(value: DecimalValue): string {
  const negative = value.unscaled < 0n;
  const digits = (negative ? -value.unscaled : value.unscaled).toString();
  if (value.scale <= 0) return `${negative ? "-" : ""}${digits}${"0".repeat(-value.scale)}`;
  const padded = digits.padStart(value.scale + 1, "0");
  const cut = padded.length - value.scale;
  return `${negative ? "-" : ""}${padded.slice(0, cut)}.${padded.slice(cut)}`;
}

/** Exact three-way comparison of two decimals, whatever their scales. */
export function compareDecimals(a: DecimalValue, b: DecimalValue): number {
  const scale = Math.max(a.scale, b.scale);
  const x = a.unscaled * pow10(scale - a.scale);
  const y = b.unscaled * pow10(scale - b.scale);
  return x < y ? -1 : x > y ? 1 : 0;
}
