/**
 * Calendar arithmetic for dates and microsecond timestamps (proleptic Gregorian, as Spark 3 and
 * java.time), formatting in the fixed forms Delta uses, and time-zone offsets computed with
 * Intl.DateTimeFormat (available in browsers, Workers and Node) so that zone-less partition
 * timestamps can be read in a session time zone. Local-to-UTC conversion follows java.time's
 * `LocalDateTime.atZone`: in an overlap the earlier instant wins, in a gap the time moves forward
 * by the gap's length.
 */

import { InvalidInputError } from "../errors.js";

/** Microseconds per day / second, as bigints. */
export const MICROS_PER_DAY = 86_400_000_000n;
export const MICROS_PER_SECOND = 1_000_000n;

/** A civil date. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1..12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The civil date of a day count since 1970-01-01. */
export function civilFromDays(days: number): CivilDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Number of days in a month of a proleptic Gregorian year. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Floor division and modulo for bigints (the remainder has the divisor's sign). */
export function floorDivMod(a: bigint, b: bigint): [bigint, bigint] {
  let q = a / b;
  let r = a % b;
  if (r !== 0n && (r < 0n) !== (b < 0n)) {
    q -= 1n;
    r += b;
  }
  return [q, r];
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** `YYYY-MM-DD`; years outside 0..9999 get a sign, as ISO 8601 expanded years. */
export function formatDate(days: number): string {
  const { year, month, day } = civilFromDays(days);
  const y = year < 0 ? `-${pad(-year, 4)}` : year > 9999 ? `+${year}` : pad(year, 4);
  return `${y}-${pad(month, 2)}-${pad(day, 2)}`;
}

/**
 * Formats microseconds since the epoch as `YYYY-MM-DD<sep>HH:MM:SS.ffffff` (always six fraction
 * digits), read as UTC wall time.
 */
export function formatTimestampMicros(micros: bigint, separator: " " | "T"): string {
  const [days, inDay] = floorDivMod(micros, MICROS_PER_DAY);
  const [secs, frac] = floorDivMod(inDay, MICROS_PER_SECOND);
  const s = Number(secs);
  const time = `${pad(Math.floor(s / 3600), 2)}:${pad(Math.floor(s / 60) % 60, 2)}:${pad(s % 60, 2)}`;
  return `${formatDate(Number(days))}${separator}${time}.${frac.toString().padStart(6, "0")}`;
}

const UTC_NAMES = new Set(["UTC", "Etc/UTC", "GMT", "Etc/GMT", "Z", "UCT", "Etc/UCT", "Zulu", "Etc/Zulu"]);
const FIXED_OFFSET_RE = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** A resolved time zone: a function from an instant (epoch seconds) to its UTC offset in seconds. */
export type ZoneOffsetFn = (epochSeconds: number) => number;

/**
 * Resolves an IANA zone name ("America/Los_Angeles"), "UTC", or a fixed offset ("+05:30").
 * @throws InvalidInputError for a zone the runtime does not know.
 */
export function resolveTimeZone(timeZone: string): ZoneOffsetFn {
  if (UTC_NAMES.has(timeZone)) return () => 0;
  const fixed = FIXED_OFFSET_RE.exec(timeZone);
  if (fixed !== null) {
    const secs = Number(fixed[2]) * 3600 + Number(fixed[3] ?? 0) * 60 + Number(fixed[4] ?? 0);
    const offset = fixed[1] === "-" ? -secs : secs;
    return () => offset;
  }
  let fmt = formatters.get(timeZone);
  if (fmt === undefined) {
    try {
      fmt = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        era: "short",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch (e) {
      throw new InvalidInputError(`unknown time zone ${JSON.stringify(timeZone)}`, { cause: e });
    }
    formatters.set(timeZone, fmt);
  }
  const f = fmt;
  return (epochSeconds) => zoneOffset(f, epochSeconds);
}

function zoneOffset(fmt: Intl.DateTimeFormat, epochSeconds: number): number {
  const parts: Record<string, string> = {};
  for (const p of fmt.formatToParts(new Date(epochSeconds * 1000))) parts[p.type] = p.value;
  let year = Number(parts["year"]);
  if (parts["era"] === "BC" || parts["era"] === "B") year = 1 - year;
  const hour = Number(parts["hour"]) % 24;
  const wall =
    daysFromCivil(year, Number(parts["month"]), Number(parts["day"])) * 86400 +
    hour * 3600 +
    Number(parts["minute"]) * 60 +
    Number(parts["second"]);
  return wall - epochSeconds;
}

/**
 * Converts a wall-clock time (seconds since 1970-01-01T00:00 as if in UTC) in a zone to epoch
 * seconds, resolving gaps and overlaps like java.time.
 */
export function localSecondsToUtc(localSeconds: number, offsetAt: ZoneOffsetFn): number {
  const before = offsetAt(localSeconds - 86400);
  const after = offsetAt(localSeconds + 86400);
  const valid = [before, after].filter((o) => offsetAt(localSeconds - o) === o);
  if (valid.length === 0) {
    // A gap (or more than one transition within a day): use the offset in force before it.
    const direct = offsetAt(localSeconds - before);
    return offsetAt(localSeconds - direct) === direct ? localSeconds - direct : localSeconds - before;
  }
  return localSeconds - Math.max(...valid); // overlap: the earlier instant
}

const DATE_RE = /^([+-]?\d{4,6})-(\d{1,2})-(\d{1,2})$/;
const DATETIME_RE =
  /^([+-]?\d{4,6})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{0,9}))?)?)?\s*(Z|UTC|[+-]\d{1,2}(?::?\d{2})?)?$/i;

function validDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Parses `YYYY-MM-DD` (1- or 2-digit month/day tolerated) to days since 1970-01-01, or null. */
export function parseDateString(text: string): number | null {
  const m = DATE_RE.exec(text.trim());
  if (m === null) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return validDate(year, month, day) ? daysFromCivil(year, month, day) : null;
}

/** A parsed date-time: wall-clock microseconds (as if UTC) and the explicit offset, if any. */
export interface ParsedDateTime {
  localMicros: bigint;
  /** Offset in seconds from an explicit `Z` / `+HH:MM` suffix; undefined when zone-less. */
  offsetSeconds: number | undefined;
  /** Nanoseconds beyond the microsecond (fraction digits 7 to 9) that were dropped; absent when zero. */
  droppedNanos?: number;
}

/**
 * Parses `YYYY-MM-DD[( |T)HH:MM[:SS[.fffffffff]]][Z|±HH[:MM]]`. Fractions beyond microseconds are
 * truncated (as Spark does; `droppedNanos` tells, so writers can refuse them). Years have 4 to 6
 * digits and an optional sign (ISO 8601 expanded years, `+10000-01-01`). Returns null if
 * malformed or not a calendar date-time; the int64 microsecond range is the caller's to check.
 */
export function parseDateTimeString(text: string): ParsedDateTime | null {
  const m = DATETIME_RE.exec(text.trim());
  if (m === null) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (!validDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  const digits = (m[7] ?? "").padEnd(9, "0");
  const frac = BigInt(digits.slice(0, 6));
  const droppedNanos = Number(digits.slice(6));
  const secs = BigInt(daysFromCivil(year, month, day)) * 86400n + BigInt(hour * 3600 + minute * 60 + second);
  const offsetSeconds = parseOffset(m[8]);
  if (offsetSeconds === null) return null;
  const parsed: ParsedDateTime = { localMicros: secs * MICROS_PER_SECOND + frac, offsetSeconds };
  if (droppedNanos !== 0) parsed.droppedNanos = droppedNanos;
  return parsed;
}

/** The offset of a zone suffix in seconds; undefined without one, null when out of range (beyond ±18:00, minutes over 59). */
function parseOffset(suffix: string | undefined): number | undefined | null {
  if (suffix === undefined) return undefined;
  if (/^(Z|UTC)$/i.test(suffix)) return 0;
  const m = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(suffix);
  if (m === null) return null;
  const [hours, minutes] = [Number(m[2]), Number(m[3] ?? 0)];
  if (minutes > 59 || hours * 60 + minutes > 18 * 60) return null;
  const secs = hours * 3600 + minutes * 60;
  return m[1] === "-" ? -secs : secs;
}

/**
 * The UTC instant (microseconds) of a parsed date-time: its explicit offset if it has one,
 * otherwise its wall time read in `offsetAt`'s zone.
 */
export function toUtcMicros(parsed: ParsedDateTime, offsetAt: ZoneOffsetFn): bigint {
  if (parsed.offsetSeconds !== undefined) {
    return parsed.localMicros - BigInt(parsed.offsetSeconds) * MICROS_PER_SECOND;
  }
  const [secs, frac] = floorDivMod(parsed.localMicros, MICROS_PER_SECOND);
  const utcSeconds = localSecondsToUtc(Number(secs), offsetAt);
  return BigInt(utcSeconds) * MICROS_PER_SECOND + frac;
}
