/**
 * Exact JSON text of Delta stats values, written by hand so nothing goes through a JS number
 * that could round: longs and decimals keep every digit (decimals as plain JSON numbers with
 * exactly their scale, never an exponent), floats print as Java does (shortest round-trip digits,
 * so float 3.14 is `3.14`), dates `"YYYY-MM-DD"`, timestamps truncated (floored) to milliseconds as
 * Spark writes them: `"2021-01-01T00:00:00.123Z"` for timestamp (UTC) and the same without `Z` for
 * timestamp_ntz. Max timestamps are truncated down too: readers widen max by 1 ms.
 *
 * Strings are cut to a prefix of `prefixLength` (default 32) Unicode code points, never splitting a
 * surrogate pair. A truncated min is the prefix (a lower bound). A truncated max follows Delta
 * Spark's rule (StatisticsCollection.truncateMaxStringAgg), counted in code points: after the
 * prefix, skip any U+10FFFF characters, then append U+007F if the next character is below it and
 * U+10FFFF otherwise; if no such character comes within 2 x prefixLength code points, there is no
 * max. In code-point (= UTF-8 byte) order the result is strictly greater than every string with that
 * prefix up to the appended character, so it is an upper bound of the real max.
 */

import { formatDate, formatTimestampMicros, floorDivMod } from "../schema/datetime.js";
import { formatDecimal } from "../schema/decimal.js";
import { formatDoubleJava, formatFloatJava } from "../schema/number-format.js";

/** Default length (code points) of string stats prefixes: Spark's dataSkippingStringPrefixLength. */
export const DEFAULT_STRING_PREFIX_LENGTH = 32;

const ASCII_MAX = "\u007f";
const UNICODE_MAX = "\u{10ffff}";

/** The first `n` code points of `s` (all of it when shorter). */
export function codePointPrefix(s: string, n: number): string {
  if (s.length <= n) return s;
  let units = 0;
  for (let cp = 0; cp < n && units < s.length; cp++) units += (s.codePointAt(units) as number) > 0xffff ? 2 : 1;
  return s.slice(0, units);
}

/** The min stat of a string column whose minimum is `s`: its code-point prefix. */
export function truncateMinString(s: string, prefixLength = DEFAULT_STRING_PREFIX_LENGTH): string {
  return codePointPrefix(s, prefixLength);
}

/**
 * The max stat of a string column whose maximum is `s`: `s` itself when it has at most
 * `prefixLength` code points, otherwise an upper bound (see the header), or undefined when none
 * can be built within 2 x prefixLength code points.
 */
export function truncateMaxString(s: string, prefixLength = DEFAULT_STRING_PREFIX_LENGTH): string | undefined {
  const points = Array.from(s);
  if (points.length <= prefixLength) return s;
  if (prefixLength <= 0) return undefined;
  let len = prefixLength;
  while (len <= 2 * prefixLength) {
    if (len >= points.length) return s;
    const next = points[len] as string;
    if (next === UNICODE_MAX) {
      len++;
      continue;
    }
    const prefix = points.slice(0, len).join("");
    return next < ASCII_MAX ? prefix + ASCII_MAX : prefix + UNICODE_MAX;
  }
  return undefined;
}

/** JSON text of a string. */
export function jsonString(s: string): string {
  return JSON.stringify(s);
}

/** JSON text of a double, or undefined when it has none (NaN, +-Infinity). */
export function jsonDouble(x: number): string | undefined {
  return Number.isFinite(x) ? formatDoubleJava(x) : undefined;
}

/** JSON text of a float (shortest float32 digits), or undefined for NaN and +-Infinity. */
export function jsonFloat(x: number): string | undefined {
  return Number.isFinite(x) ? formatFloatJava(x) : undefined;
}

/** JSON text of a decimal: a plain number with exactly `scale` fraction digits. */
export function jsonDecimal(unscaled: bigint, scale: number): string {
  return formatDecimal({ unscaled, scale });
}

/** JSON text of a date (days since the epoch). */
export function jsonDate(days: number): string {
  return `"${formatDate(days)}"`;
}

/** Floors microseconds to whole milliseconds. */
export function truncateToMillis(micros: bigint): bigint {
  return floorDivMod(micros, 1000n)[0] * 1000n;
}

/**
 * JSON text of a timestamp stat: truncated to milliseconds, `"YYYY-MM-DDTHH:MM:SS.sss"` plus `Z`
 * for timestamp (UTC), none for timestamp_ntz.
 */
export function jsonTimestamp(micros: bigint, utc: boolean): string {
  const text = formatTimestampMicros(truncateToMillis(micros), "T").slice(0, -3);
  return `"${text}${utc ? "Z" : ""}"`;
}
