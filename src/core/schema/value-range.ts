/**
 * What each Delta primitive type can hold, in one place: the ranges of the integer types, of
 * dates (int32 days) and timestamps (int64 microseconds since the epoch), the digits of a
 * decimal(p, s), and float32's finite range. Every write-side conversion (text, JSON, row objects,
 * Arrow casts) and the partition value codecs check values here, so a value the type cannot hold
 * is refused rather than wrapped, truncated or turned into Infinity. Pure functions, no imports
 * beyond the schema types.
 */

import type { PrimitiveType } from "./types.js";

/** Inclusive bounds of an integer domain. */
export interface IntBounds {
  min: bigint;
  max: bigint;
}

/** The value ranges of the integer types, by Delta type name. */
export const INTEGER_RANGES: Readonly<Record<"byte" | "short" | "integer" | "long", IntBounds>> = {
  byte: { min: -128n, max: 127n },
  short: { min: -32768n, max: 32767n },
  integer: { min: -2147483648n, max: 2147483647n },
  long: { min: -9223372036854775808n, max: 9223372036854775807n },
};

/** date: days since 1970-01-01 in an int32 (about 5.8 million years either side). */
export const DATE_DAYS_RANGE: IntBounds = INTEGER_RANGES.integer;

/**
 * timestamp / timestamp_ntz: microseconds since 1970-01-01T00:00:00 in an int64, that is
 * -290308-12-21T19:59:05.224192 to +294247-01-10T04:00:54.775807.
 */
export const TIMESTAMP_MICROS_RANGE: IntBounds = INTEGER_RANGES.long;

/** The largest finite float32. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** Whether `v` lies in `bounds`. */
export function inBounds(v: bigint, bounds: IntBounds): boolean {
  return v >= bounds.min && v <= bounds.max;
}

/** `[min, max]` for messages. */
export function describeBounds(bounds: IntBounds): string {
  return `[${bounds.min}, ${bounds.max}]`;
}

/** Whether an unscaled decimal value has at most `precision` digits (|unscaled| < 10^precision). */
export function fitsDecimalPrecision(unscaled: bigint, precision: number): boolean {
  const limit = DECIMAL_LIMITS[precision] ?? 10n ** BigInt(precision);
  return unscaled < limit && unscaled > -limit;
}

const DECIMAL_LIMITS: bigint[] = Array.from({ length: 77 }, (_, p) => 10n ** BigInt(p));

/**
 * The reason an integer does not fit a Delta integer type (byte, short, integer, long), or
 * undefined when it does.
 */
export function integerRangeError(v: bigint, type: "byte" | "short" | "integer" | "long"): string | undefined {
  const bounds = INTEGER_RANGES[type];
  return inBounds(v, bounds) ? undefined : `out of the range of ${type} ${describeBounds(bounds)}`;
}

/**
 * The reason a finite or non-finite double cannot be stored in `type` (float or double), or
 * undefined. Rounding to the nearest float32 is the float type's nature and accepted; a finite
 * value beyond float32's range (which would become Infinity) is not.
 */
export function floatRangeError(x: number, type: "float" | "double"): string | undefined {
  if (type === "double" || !Number.isFinite(x)) return undefined;
  return Number.isFinite(Math.fround(x)) ? undefined : `out of the range of float (largest magnitude ${FLOAT32_MAX})`;
}

/** The integer-type name of a primitive type, or undefined for other types. */
export function integerTypeName(type: PrimitiveType): "byte" | "short" | "integer" | "long" | undefined {
  return type.name === "byte" || type.name === "short" || type.name === "integer" || type.name === "long" ? type.name : undefined;
}
