/**
 * Wall-clock arithmetic for time-window partitions: a partition definition lives in one time zone,
 * its windows start at wall-clock times ("local seconds": seconds since 1970-01-01T00:00 read as
 * if UTC) and become instants through the zone's offsets (gaps and overlaps resolved like
 * java.time). Also the strftime-style key formats (%Y %m %d %H %M %S) dagster uses for keys.
 */
import { InvalidInputError } from "../../errors.js";
import { civilFromDays, daysFromCivil, localSecondsToUtc, parseDateTimeString, resolveTimeZone, type ZoneOffsetFn } from "../../schema/datetime.js";

/** A time zone as two conversions between instants (epoch seconds) and wall-clock local seconds. */
export interface ZonedClock {
  readonly timezone: string;
  /** Wall-clock local seconds of an instant. */
  localOf(epochSeconds: number): number;
  /** The instant of a wall-clock time (the earlier one in an overlap, shifted past a gap). */
  instantOf(localSeconds: number): number;
}

/** A clock for an IANA zone name, "UTC" or a fixed offset; throws InvalidInputError for an unknown zone. */
export function zonedClock(timezone: string): ZonedClock {
  const offsetAt: ZoneOffsetFn = resolveTimeZone(timezone);
  return {
    timezone,
    localOf: (s) => s + offsetAt(s),
    instantOf: (l) => localSecondsToUtc(l, offsetAt),
  };
}

/** Wall-clock fields of local seconds. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Splits local seconds into calendar fields. */
export function wallTime(localSeconds: number): WallTime {
  const days = Math.floor(localSeconds / 86400);
  const rest = localSeconds - days * 86400;
  const { year, month, day } = civilFromDays(days);
  return { year, month, day, hour: Math.floor(rest / 3600), minute: Math.floor((rest % 3600) / 60), second: rest % 60 };
}

/** Local seconds of calendar fields. */
export function localSeconds(w: WallTime): number {
  return daysFromCivil(w.year, w.month, w.day) * 86400 + w.hour * 3600 + w.minute * 60 + w.second;
}

const TOKENS: Record<string, { width: number; field: keyof WallTime }> = {
  Y: { width: 4, field: "year" },
  m: { width: 2, field: "month" },
  d: { width: 2, field: "day" },
  H: { width: 2, field: "hour" },
  M: { width: 2, field: "minute" },
  S: { width: 2, field: "second" },
};

/** Formats local seconds with a strftime subset: %Y %m %d %H %M %S and %%. */
export function formatWall(localSecs: number, format: string): string {
  const w = wallTime(localSecs);
  return format.replace(/%(.)/g, (all, c: string) => {
    if (c === "%") return "%";
    const t = TOKENS[c];
    if (t === undefined) throw new InvalidInputError(`unsupported directive ${all} in partition key format "${format}" (use %Y %m %d %H %M %S)`);
    return String(w[t.field]).padStart(t.width, "0");
  });
}

/** Checks that a key format uses only supported directives and names the fields a window start needs. */
export function checkFormat(format: string, needs: readonly (keyof WallTime)[]): void {
  formatWall(0, format);
  for (const field of needs) {
    const token = Object.entries(TOKENS).find(([, t]) => t.field === field)?.[0];
    if (token !== undefined && !format.includes(`%${token}`)) {
      throw new InvalidInputError(`partition key format "${format}" must contain %${token}: keys would not be unique`);
    }
  }
}

const patterns = new Map<string, { regex: RegExp; fields: (keyof WallTime)[] } | undefined>();

/** Parses text written by {@link formatWall} with the same format; undefined when it does not fit. */
export function parseWall(text: string, format: string): number | undefined {
  if (!patterns.has(format)) patterns.set(format, compile(format));
  const compiled = patterns.get(format);
  if (compiled === undefined) return undefined;
  const { regex, fields } = compiled;
  const m = regex.exec(text);
  if (m === null) return undefined;
  const w: WallTime = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  fields.forEach((f, i) => (w[f] = Number(m[i + 1])));
  if (w.month < 1 || w.month > 12 || w.day < 1 || w.hour > 23 || w.minute > 59 || w.second > 59) return undefined;
  const secs = localSeconds(w);
  // Reject day overflow (2023-02-30 would silently become March 2).
  return wallTime(secs).day === w.day ? secs : undefined;
}

function compile(format: string): { regex: RegExp; fields: (keyof WallTime)[] } | undefined {
  const fields: (keyof WallTime)[] = [];
  let pattern = "";
  for (let i = 0; i < format.length; i++) {
    const ch = format[i] as string;
    if (ch === "%" && i + 1 < format.length) {
      const c = format[++i] as string;
      const t = TOKENS[c];
      if (c === "%") pattern += "%";
      else if (t !== undefined) {
        pattern += `(\\d{${t.width}})`;
        fields.push(t.field);
      } else return undefined;
    } else pattern += ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return { regex: new RegExp(`^${pattern}$`), fields };
}

/**
 * Local seconds of a definition bound: a Date (an instant, read in the zone), text in the key
 * format, or ISO-like `YYYY-MM-DD[ HH:MM[:SS]]` (wall time; an explicit offset makes it an instant).
 */
export function boundToLocal(bound: string | Date, format: string, clock: ZonedClock, what: string): number {
  if (bound instanceof Date) {
    const ms = bound.getTime();
    if (!Number.isFinite(ms)) throw new InvalidInputError(`${what} is an invalid Date`);
    return clock.localOf(Math.floor(ms / 1000));
  }
  const byFormat = parseWall(bound, format);
  if (byFormat !== undefined) return byFormat;
  const parsed = parseDateTimeString(bound);
  if (parsed === null) throw new InvalidInputError(`${what} "${bound}" is neither in the key format "${format}" nor YYYY-MM-DD[ HH:MM[:SS]]`);
  const local = Number(parsed.localMicros / 1_000_000n);
  return parsed.offsetSeconds === undefined ? local : clock.localOf(local - parsed.offsetSeconds);
}
