/**
 * Date and timestamp text <-> canonical scalars for predicate literals, without `Date` (whose
 * parser is lenient and whose years 0-99 are remapped). Dates are days since 1970-01-01,
 * timestamps microseconds since 1970-01-01T00:00:00 (UTC for `timestamp`).
 *
 * Accepted forms: date `YYYY-MM-DD`; timestamp `YYYY-MM-DD[( |T)HH:MM[:SS[.f{1,6}]]][zone]` with
 * zone `Z`, `+HH`, `+HHMM` or `+HH:MM` (or `-`), optionally preceded by one space. A timestamp
 * without a zone is UTC wall-clock time (the session zone of delta-edge is UTC).
 *
 * Duplication note: schema/'s partition-value codec parses the same `YYYY-MM-DD HH:MM:SS[.ffffff]`
 * forms; the two should be merged once schema/ lands.
 */

/** Microseconds per day. */
export const MICROS_PER_DAY = 86_400_000_000n;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TS_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)? ?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Days since the epoch of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The proleptic Gregorian date of a day number (inverse of daysFromCivil). */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
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

/** Formats days since the epoch as `YYYY-MM-DD` (years outside 0..9999 get a sign). */
export function formatDate(days: number): string {
  const { year, month, day } = civilFromDays(days);
  const y = year >= 0 && year <= 9999 ? pad(year, 4) : (year < 0 ? "-" : "+") + pad(Math.abs(year), 6);
  return `${y}-${pad(month, 2)}-${pad(day, 2)}`;
}

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
