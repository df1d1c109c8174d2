/**
 * Ordering of canonical scalars (see schema/types.ts) as Delta/Spark orders them: numbers across
 * number/bigint/decimal exactly (NaN equals NaN and sorts above +Infinity, -0 equals 0), strings
 * by code point (= UTF-8 byte order, not JS UTF-16 order), binary by unsigned bytes, false < true.
 *
 * Duplication note: schema/scalar.ts is to hold the shared scalar compare helpers; once it exists
 * this file should delegate to it (keeping the NaN and code-point rules above).
 */
import type { DecimalValue, Scalar } from "../schema/types.js";
import { compareRationals, type Rational } from "./numeric.js";

/** Whether a scalar is a decimal value. */
export function isDecimal(v: Scalar): v is DecimalValue {
  return typeof v === "object" && v !== null && !(v instanceof Uint8Array);
}

/** Compares JS strings in Unicode code point order (the UTF-8 byte order Delta uses). */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return fixup(x) - fixup(y);
  }
  return a.length - b.length;
}

// Surrogates (D800-DFFF) encode code points above FFFF, so they must sort above E000-FFFF.
function fixup(unit: number): number {
  return unit >= 0xd800 ? (unit >= 0xe000 ? unit - 0x800 : unit + 0x2000) : unit;
}

/** Compares byte arrays lexicographically as unsigned bytes. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
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
export function compareScalars(a: Scalar, b: Scalar): number | undefined {
  if (a === null || b === null) return undefined;
  if (typeof a === "number" && typeof b === "number") return compareDoubles(a, b);
  if (typeof a === "string") return typeof b === "string" ? sign(compareStrings(a, b)) : undefined;
  if (typeof a === "boolean") return typeof b === "boolean" ? Number(a) - Number(b) : undefined;
  if (a instanceof Uint8Array) return b instanceof Uint8Array ? sign(compareBytes(a, b)) : undefined;
  if (typeof b === "string" || typeof b === "boolean" || b instanceof Uint8Array) return undefined;
  // Numeric kinds, at least one of them a bigint or a decimal.
  if (typeof a === "number") return negate(compareNumberTo(b as bigint | DecimalValue, a));
  if (typeof b === "number") return compareNumberTo(a, b);
  return compareRationals(toRational(a), toRational(b));
}

/** Whether two non-null scalars are equal under compareScalars. */
export function scalarsEqual(a: Scalar, b: Scalar): boolean {
  return compareScalars(a, b) === 0;
}

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

function negate(n: number): number {
  return n === 0 ? 0 : -n;
}

function compareDoubles(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
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
