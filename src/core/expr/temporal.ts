/**
 * Date and timestamp text <-> canonical scalars for predicate literals, without `Date` (whose
 * parser is lenient and whose years 0-99 are remapped). Dates are days since 1970-01-01,
 * timestamps microseconds since 1970-01-01T00:00:00 (UTC for `timestamp`).
 *
 * Accepted forms: date `YYYY-MM-DD` (years of 4 to 6 digits with an optional sign, ISO 8601
 * expanded years as partition values and stats write them: `+10000-01-01`); timestamp `YYYY-MM-DD[( |T)HH:MM[:SS[.f{1,6}]]][zone]` with
 * zone `Z`, `+HH`, `+HHMM` or `+HH:MM` (or `-`), optionally preceded by one space. A timestamp
 * without a zone is UTC wall-clock time (the session zone of delta-edge is UTC). The calendar
 * arithmetic (daysFromCivil, civilFromDays) is schema/datetime.ts's.
 *
 * Duplication note: schema/'s partition-value codec parses the same `YYYY-MM-DD HH:MM:SS[.ffffff]`
 * forms; the two should be merged once schema/ lands.
 */
import { daysFromCivil, formatDate as formatIsoDate } from "../schema/datetime.js";

/** Microseconds per day. */
export const MICROS_PER_DAY = 86_400_000_000n;

const DATE_RE = /^([+-]?\d{4,6})-(\d{2})-(\d{2})$/;
const TS_RE =
  /^([+-]?\d{4,6})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)? ?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= (lengths[month - 1] ?? 0);
}

/** Parses `YYYY-MM-DD` to days since the epoch, or undefined if the text is not a valid date. */
export function parseDate(text: string): number | undefined {
  const m = DATE_RE.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return validDate(year, month, day) ? daysFromCivil(year, month, day) : undefined;
}

/** A parsed timestamp: microseconds (UTC if `hasZone`, else wall-clock) and whether a zone was given. */
export interface ParsedTimestamp {
  micros: bigint;
  hasZone: boolean;
}

/** Parses a timestamp in the forms above, or undefined if it is not valid. */
export function parseTimestamp(text: string): ParsedTimestamp | undefined {
  const m = TS_RE.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (!validDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  const fraction = BigInt((m[7] ?? "").padEnd(6, "0"));
  let micros =
    BigInt(daysFromCivil(year, month, day)) * MICROS_PER_DAY +
    BigInt(hour * 3600 + minute * 60 + second) * 1_000_000n +
    fraction;
  const zone = m[8];
  if (zone !== undefined && zone !== "Z" && zone !== "z") {
    const digits = zone.slice(1).replace(":", "");
    const offHours = Number(digits.slice(0, 2));
    const offMinutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (offHours > 18 || offMinutes > 59) return undefined;
    const offset = BigInt((offHours * 60 + offMinutes) * 60) * 1_000_000n;
    micros = zone.startsWith("-") ? micros + offset : micros - offset;
  }
  return { micros, hasZone: zone !== undefined };
}

const pad = (n: number, width: number): string => String(n).padStart(width, "0");

/** Formats days since the epoch as `YYYY-MM-DD` (years outside 0..9999 get a sign: `+10000-01-01`). */
export const formatDate: (days: number) => string = formatIsoDate;

/** Formats microseconds as `YYYY-MM-DD HH:MM:SS.ffffff` (no zone suffix). */
export function formatTimestamp(micros: bigint): string {
  let days = micros / MICROS_PER_DAY;
  let rest = micros % MICROS_PER_DAY;
  if (rest < 0n) {
    rest += MICROS_PER_DAY;
    days -= 1n;
  }
  const seconds = Number(rest / 1_000_000n);
  const fraction = Number(rest % 1_000_000n);
  const time = `${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}`;
  return `${formatDate(Number(days))} ${time}.${pad(fraction, 6)}`;
}
