/**
 * Date and timestamp text <-> canonical scalars for predicate literals, without `Date` (whose
 * parser is lenient and whose years 0-99 are remapped). Dates are days since 1970-01-01,
 * timestamps microseconds since 1970-01-01T00:00:00 (UTC for `timestamp`).
 *
 * Accepted forms: date `YYYY-MM-DD` (years of 4 to 6 digits with an optional sign, ISO 8601
 * expanded years as partition values and stats write them: `+10000-01-01`); timestamp `YYYY-MM-DD[( |T)HH:MM[:SS[.f{1,6}]]][zone]` with
 * zone `Z`, `+HH`, `+HHMM` or `+HH:MM` (or `-`), optionally preceded by one space. A timestamp
 * without a zone is UTC wall-clock time (the session zone of delta-edge is UTC). These forms are
 * a strict subset of schema/datetime.ts's (which owns civil dates and timestamps: parsing, the
 * calendar, formatting); this file only checks the stricter literal syntax and delegates.
 */
import { MICROS_PER_DAY, MICROS_PER_SECOND, formatDate, formatTimestampMicros, parseDateString, parseDateTimeString } from "../schema/datetime.js";

export { MICROS_PER_DAY, formatDate };

const DATE_RE = /^([+-]?\d{4,6})-(\d{2})-(\d{2})$/;
const TS_RE =
  /^([+-]?\d{4,6})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)? ?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Parses `YYYY-MM-DD` to days since the epoch, or undefined if the text is not a valid date. */
export function parseDate(text: string): number | undefined {
  return DATE_RE.test(text) ? (parseDateString(text) ?? undefined) : undefined;
}

/** A parsed timestamp: microseconds (UTC if `hasZone`, else wall-clock) and whether a zone was given. */
export interface ParsedTimestamp {
  micros: bigint;
  hasZone: boolean;
}

/** Parses a timestamp in the forms above, or undefined if it is not valid. */
export function parseTimestamp(text: string): ParsedTimestamp | undefined {
  if (!TS_RE.test(text)) return undefined;
  const parsed = parseDateTimeString(text);
  if (parsed === null) return undefined;
  const offset = parsed.offsetSeconds;
  return { micros: parsed.localMicros - BigInt(offset ?? 0) * MICROS_PER_SECOND, hasZone: offset !== undefined };
}

/** Formats microseconds as `YYYY-MM-DD HH:MM:SS.ffffff` (no zone suffix). */
export function formatTimestamp(micros: bigint): string {
  return formatTimestampMicros(micros, " ");
}
