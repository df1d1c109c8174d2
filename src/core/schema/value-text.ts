/**
 * Text to canonical scalars for writes (CSV cells, JSON number literals, ISO strings in row
 * objects): strict, exact, range-checked. The reading side (partition-values.ts) is lenient about
 * how other writers spell things; this side refuses anything it cannot store exactly:
 *
 * - byte, short, integer, long: a decimal literal whose exact value is an integer ("12", "-3",
 *   "1.0", "1e3") within the type's range; anything else (fractions, hex, out of range) is refused.
 * - float, double: a decimal literal rounded to the nearest value (IEEE 754, what every reader
 *   does), or `NaN`, `Infinity`, `-Infinity`; a finite literal too large for the type (it would
 *   become Infinity) is refused.
 * - decimal(p, s): the exact value; refused if it needs rounding (more than s fraction digits
 *   that are not zeros) or has more than p digits at scale s (Spark refuses overflow too).
 * - date: `YYYY-MM-DD`; timestamp and timestamp_ntz: `YYYY-MM-DD[( |T)HH:MM[:SS[.ffffff]]]`
 *   with an optional `Z` / `±HH:MM` (zone-less timestamp text is UTC); years are ISO 8601 with 4
 *   to 6 digits and an optional sign (`+10000-01-01`, `-0001-12-31`). Fraction digits beyond the
 *   microsecond that are not zeros are refused (Delta stores microseconds), and so are instants
 *   outside the int64 microsecond range.
 * - boolean: `true` / `false` in any case; string: as is; binary: the text's UTF-8 bytes.
 *
 * Callers pass `fail`, which throws their error with the location; messages quote the text.
 */

import { formatTimestampMicros, parseDateString, parseDateTimeString, toUtcMicros } from "./datetime.js";
import { parseDecimalLiteral, rescaleDecimal } from "./decimal.js";
import type { PrimitiveType, Scalar } from "./types.js";
import { DATE_DAYS_RANGE, fitsDecimalPrecision, floatRangeError, inBounds, integerRangeError, TIMESTAMP_MICROS_RANGE } from "./value-range.js";

/** Throws the caller's error for a value that cannot be stored; `why` completes "<value> ...". */
export type FailValue = (why: string) => never;

/** A decimal float literal (JSON's syntax, plus a leading `+`, `.5` and `5.`). */
export const FLOAT_TEXT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Integers of at most 15 digits: exact as JS numbers. */
const SHORT_INTEGER = /^-?\d{1,15}$/;
const SAFE_BOUNDS = { byte: [-128, 127], short: [-32768, 32767], integer: [-2147483648, 2147483647], long: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] } as const;

const FLOAT_SPECIALS: Record<string, number> = { NaN: NaN, Infinity: Infinity, "+Infinity": Infinity, "-Infinity": -Infinity };

/** The text as it appears in messages: JSON-quoted, cut after 100 characters. */
export function quoteText(text: string): string {
  return text.length <= 100 ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, 100))}... (${text.length} characters)`;
}

/** Plain integer text (the common case, read without the decimal parser). */
const PLAIN_INTEGER = /^[+-]?\d+$/;

/** Beyond every Delta integer and decimal range (38 digits); stands in for longer integers. */
const HUGE = 10n ** 40n;

/**
 * The exact integer a decimal literal denotes ("12", "1.0", "1e3"), or undefined if it is not one.
 * Integers of more than 40 significant digits give ±10^40 (outside every Delta range) without
 * parsing their digits: parsing a bigint from text is superlinear, and a field may be megabytes.
 */
export function integerFromText(text: string): bigint | undefined {
  if (PLAIN_INTEGER.test(text)) {
    const sign = text[0] === "-" || text[0] === "+" ? 1 : 0;
    let first = sign;
    while (first < text.length - 1 && text.charCodeAt(first) === 0x30) first++;
    if (text.length - first > 40) return text[0] === "-" ? -HUGE : HUGE;
    return BigInt(text);
  }
  const d = parseDecimalLiteral(text);
  if (d === null) return undefined;
  return rescaleDecimal(d, 0) ?? undefined;
}

/** The double a float literal (or NaN / Infinity / -Infinity) denotes, or undefined if it is not one. */
export function doubleFromText(text: string): number | undefined {
  const special = FLOAT_SPECIALS[text];
  if (special !== undefined) return special;
  return FLOAT_TEXT_RE.test(text) ? Number(text) : undefined;
}

/**
 * The canonical scalar of `text` for a Delta primitive type (see the header for the rules).
 * Calls `fail` with the reason when the text is not a value of the type or does not fit it.
 */
export function scalarFromText(text: string, type: PrimitiveType, fail: FailValue): Scalar {
  const shown = quoteText(text);
  switch (type.name) {
    case "byte":
    case "short":
    case "integer":
    case "long": {
      if (SHORT_INTEGER.test(text)) {
        const x = Number(text);
        const bounds = SAFE_BOUNDS[type.name];
        if (x >= bounds[0] && x <= bounds[1]) return type.name === "long" ? BigInt(x) : x;
      }
      const n = integerFromText(text);
      if (n === undefined) return fail(`${shown} is not an integer`);
      const range = integerRangeError(n, type.name);
      if (range !== undefined) return fail(`${shown} is ${range}`);
      return type.name === "long" ? n : Number(n);
    }
    case "float":
    case "double": {
      const x = doubleFromText(text);
      if (x === undefined) return fail(`${shown} is not a number`);
      if (!Number.isFinite(x) && FLOAT_SPECIALS[text] === undefined) return fail(`${shown} is out of the range of ${type.name}`);
      const range = floatRangeError(x, type.name);
      if (range !== undefined) return fail(`${shown} is ${range}`);
      return type.name === "float" ? Math.fround(x) : x;
    }
    case "decimal": {
      const d = parseDecimalLiteral(text);
      if (d === null) return fail(FLOAT_TEXT_RE.test(text) ? `${shown} is out of the range of decimal(${type.precision},${type.scale})` : `${shown} is not a decimal number`);
      return decimalScalar(d, type, shown, fail);
    }
    case "boolean": {
      const lower = text.toLowerCase();
      if (lower === "true") return true;
      if (lower === "false") return false;
      return fail(`${shown} is not true or false`);
    }
    case "date": {
      const days = parseDateString(text);
      if (days === null) return fail(`${shown} is not a date (YYYY-MM-DD)`);
      if (!inBounds(BigInt(days), DATE_DAYS_RANGE)) return fail(`${shown} is out of the range of date`);
      return days;
    }
    case "timestamp":
    case "timestamp_ntz": {
      const parsed = parseDateTimeString(text);
      if (parsed === null) return fail(`${shown} is not a timestamp (YYYY-MM-DD HH:MM:SS[.ffffff], ISO 8601)`);
      if (parsed.droppedNanos !== undefined) return fail(`${shown} has digits beyond the microsecond (Delta stores microseconds)`);
      const micros = toUtcMicros(parsed, () => 0);
      return checkTimestampMicros(micros, type.name, shown, fail);
    }
    case "string":
      return text;
    case "binary":
      return new TextEncoder().encode(text);
    case "void":
      return fail(`${shown} is not null (a void column holds only nulls)`);
    case "variant":
      return fail(`${shown}: variant values cannot be written from text`);
  }
}

/** Checks an exact decimal against decimal(p, s) and returns its canonical scalar. */
export function decimalScalar(d: { unscaled: bigint; scale: number }, type: { precision: number; scale: number }, shown: string, fail: FailValue): Scalar {
  const unscaled = rescaleDecimal(d, type.scale);
  if (unscaled === null) return fail(`${shown} has more than ${type.scale} fraction digits (decimal(${type.precision},${type.scale}) would round it)`);
  if (!fitsDecimalPrecision(unscaled, type.precision)) {
    return fail(`${shown} is out of the range of decimal(${type.precision},${type.scale}) (at most ${type.precision - type.scale} integer digits)`);
  }
  return { unscaled, scale: type.scale };
}

const TIMESTAMP_RANGE_TEXT = `${formatTimestampMicros(TIMESTAMP_MICROS_RANGE.min, "T")} to ${formatTimestampMicros(TIMESTAMP_MICROS_RANGE.max, "T")}`;

/** Checks microseconds against the int64 range of timestamps. */
export function checkTimestampMicros(micros: bigint, type: "timestamp" | "timestamp_ntz", shown: string, fail: FailValue): bigint {
  if (!inBounds(micros, TIMESTAMP_MICROS_RANGE)) {
    return fail(`${shown} is out of the range of ${type} (int64 microseconds: ${TIMESTAMP_RANGE_TEXT})`);
  }
  return micros;
}
