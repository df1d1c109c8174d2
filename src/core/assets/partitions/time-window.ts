/**
 * Time-window partitions: hourly, daily, weekly, monthly and any fixed step of minutes or hours,
 * in a time zone. Window k of a definition is [start_k, start_k+1) on the zone's wall clock; its
 * key is the formatted wall-clock start (dagster's formats: `2023-01-02`, `2023-01-02-05:00`).
 * Keys run from the first window starting at or after `start` to the last window that has ended
 * by `now` (plus `endOffset` windows), or up to `end`. Several keys become merged [start, end)
 * ranges, so a 3-day selection is one range, not three equalities on window starts.
 */
import { InvalidInputError } from "../../errors.js";
import { boundToLocal, checkFormat, formatWall, localSeconds, parseWall, wallTime, zonedClock, type WallTime } from "./zoned-clock.js";

/** A half-open time range [start, end). */
export interface TimeWindow {
  start: Date;
  end: Date;
}

/** A merged window with its wall-clock bounds (local seconds) in the definition's zone. */
export interface ZonedWindow extends TimeWindow {
  startLocal: number;
  endLocal: number;
}

/** Window lengths. */
export type TimeUnit = "minute" | "hour" | "day" | "week" | "month";

/** Options of {@link timeWindowPartitions}. */
export interface TimeWindowPartitionsOptions {
  unit: TimeUnit;
  /** First partition: the first window starting at or after this (key format, `YYYY-MM-DD[ HH:MM]`, or a Date). */
  start: string | Date;
  /** Windows must end at or before this (default: open-ended, up to `now`). */
  end?: string | Date | undefined;
  /** Minutes (dividing 60) or hours (dividing 24) per window; 1 for day, week and month. */
  step?: number | undefined;
  /** IANA zone, "UTC" (default) or a fixed offset like "+05:30". */
  timezone?: string | undefined;
  /** Key format (%Y %m %d %H %M %S); default `%Y-%m-%d-%H:%M` below a day, else `%Y-%m-%d`. */
  format?: string | undefined;
  minuteOffset?: number | undefined;
  hourOffset?: number | undefined;
  /** Day of the week (0 = Sunday, default) for weekly windows; day of the month (default 1) for monthly. */
  dayOffset?: number | undefined;
  /** Extra windows past the last complete one (1 = include the window in progress). */
  endOffset?: number | undefined;
  /** The clock deciding which windows are complete (tests pin it). */
  now?: (() => Date) | undefined;
}

/** A time-window partitions definition. */
export interface TimeWindowPartitionsDefinition {
  readonly kind: "time";
  readonly unit: TimeUnit;
  readonly step: number;
  readonly timezone: string;
  readonly format: string;
  /** All keys, oldest first. */
  keys(): string[];
  hasKey(key: string): boolean;
  /** The window of one key; throws InvalidInputError for a key that is not a partition. */
  windowForKey(key: string): ZonedWindow;
  /** Keys whose windows overlap [window.start, window.end), oldest first. */
  keysInWindow(window: TimeWindow): string[];
  /** The keys as merged contiguous windows, oldest first (each key must be a partition). */
  windowsForKeys(keys: readonly string[]): ZonedWindow[];
}

/** A time-window definition (see the module comment). */
export function timeWindowPartitions(options: TimeWindowPartitionsOptions): TimeWindowPartitionsDefinition {
  const { unit } = options;
  const step = options.step ?? 1;
  const bad = (msg: string): never => {
    throw new InvalidInputError(`time-window partitions: ${msg}`);
  };
  if (!["minute", "hour", "day", "week", "month"].includes(unit)) bad(`unknown unit "${String(unit)}"`);
  if (!Number.isInteger(step) || step < 1) bad(`step must be a positive integer, got ${step}`);
  if (unit === "minute" && 60 % step !== 0) bad(`a minute step must divide 60, got ${step}`);
  if (unit === "hour" && 24 % step !== 0) bad(`an hour step must divide 24, got ${step}`);
  if ((unit === "day" || unit === "week" || unit === "month") && step !== 1) bad(`${unit} windows take no step`);
  const minuteOffset = options.minuteOffset ?? 0;
  const hourOffset = options.hourOffset ?? 0;
  const dayOffset = options.dayOffset ?? (unit === "month" ? 1 : 0);
  if (!Number.isInteger(minuteOffset) || minuteOffset < 0 || minuteOffset > 59) bad(`minuteOffset must be 0-59`);
  if (!Number.isInteger(hourOffset) || hourOffset < 0 || hourOffset > 23) bad(`hourOffset must be 0-23`);
  if (unit === "week" && (!Number.isInteger(dayOffset) || dayOffset < 0 || dayOffset > 6)) bad("dayOffset of weekly windows must be 0 (Sunday) - 6");
  if (unit === "month" && (!Number.isInteger(dayOffset) || dayOffset < 1 || dayOffset > 28)) bad("dayOffset of monthly windows must be 1-28");
  if ((unit === "minute" && (minuteOffset || hourOffset)) || (unit === "hour" && hourOffset)) bad(`offsets coarser than the window do not apply to ${unit} windows`);
  const endOffset = options.endOffset ?? 0;
  if (!Number.isInteger(endOffset)) bad("endOffset must be an integer");
  const timezone = options.timezone ?? "UTC";
  const clock = zonedClock(timezone);
  const format = options.format ?? (unit === "minute" || unit === "hour" ? "%Y-%m-%d-%H:%M" : "%Y-%m-%d");
  const needs: (keyof WallTime)[] = unit === "minute" ? ["year", "month", "day", "hour", "minute"] : unit === "hour" ? ["year", "month", "day", "hour"] : unit === "month" ? ["year", "month"] : ["year", "month", "day"];
  checkFormat(format, needs);
  const now = options.now ?? (() => new Date());

  // Window k starts at localStart(k) (wall clock).
  const fixedLen = unit === "minute" ? step * 60 : unit === "hour" ? step * 3600 : unit === "day" ? 86400 : unit === "week" ? 7 * 86400 : 0;
  const anchor = unit === "week" ? (((dayOffset - 4) % 7) + 7) % 7 * 86400 + hourOffset * 3600 + minuteOffset * 60 : hourOffset * 3600 + minuteOffset * 60;
  const localStart = (k: number): number => {
    if (fixedLen > 0) return anchor + k * fixedLen;
    const year = 1970 + Math.floor(k / 12);
    const month = (((k % 12) + 12) % 12) + 1;
    return localSeconds({ year, month, day: dayOffset, hour: hourOffset, minute: minuteOffset, second: 0 });
  };
  /** The index of the window starting at or after `local`. */
  const ceilIndex = (local: number): number => {
    if (fixedLen > 0) return Math.ceil((local - anchor) / fixedLen);
    const w = wallTime(local);
    let k = (w.year - 1970) * 12 + (w.month - 1);
    while (localStart(k) < local) k++;
    while (localStart(k - 1) >= local) k--;
    return k;
  };
  const instant = (k: number): number => clock.instantOf(localStart(k));

  const first = ceilIndex(boundToLocal(options.start, format, clock, "start"));
  const endLimit = options.end === undefined ? undefined : clock.instantOf(boundToLocal(options.end, format, clock, "end"));
  /** The last index: windows that ended by now (+ endOffset), capped by `end`. */
  const lastIndex = (): number => {
    const nowSec = Math.floor(now().getTime() / 1000);
    // The last complete window k ends by now: instant(k + 1) <= now < instant(k + 2).
    let k = ceilIndex(clock.localOf(nowSec)) - 2;
    while (instant(k + 2) <= nowSec) k++;
    while (instant(k + 1) > nowSec) k--;
    k += endOffset;
    if (endLimit !== undefined) {
      while (instant(k + 1) > endLimit) k--;
    }
    return k;
  };
  const indexOf = (key: string): number | undefined => {
    const local = parseWall(key, format);
    if (local === undefined) return undefined;
    const k = ceilIndex(local);
    return localStart(k) === local ? k : undefined;
  };
  const zoned = (k1: number, k2: number): ZonedWindow => ({
    start: new Date(instant(k1) * 1000),
    end: new Date(instant(k2) * 1000),
    startLocal: localStart(k1),
    endLocal: localStart(k2),
  });
  const requireIndex = (key: string, last = lastIndex()): number => {
    const k = indexOf(key);
    if (k === undefined || k < first || k > last) {
      throw new InvalidInputError(`"${key}" is not a partition key of these ${describe()} partitions`);
    }
    return k;
  };
  const describe = (): string => `${unit === "minute" || unit === "hour" ? `${step}-${unit}` : unit} (${timezone}, ${formatWall(localStart(first), format)}...)`;

  return {
    kind: "time",
    unit,
    step,
    timezone,
    format,
    keys() {
      const out: string[] = [];
      const last = lastIndex();
      if (last - first > 10_000_000) bad("more than 10 million partitions");
      for (let k = first; k <= last; k++) out.push(formatWall(localStart(k), format));
      return out;
    },
    hasKey(key) {
      const k = indexOf(key);
      return k !== undefined && k >= first && k <= lastIndex();
    },
    windowForKey(key) {
      const k = requireIndex(key);
      return zoned(k, k + 1);
    },
    keysInWindow(window) {
      const s = Math.floor(window.start.getTime() / 1000);
      const e = Math.ceil(window.end.getTime() / 1000);
      let k = ceilIndex(clock.localOf(s)) - 1;
      while (instant(k) > s) k--;
      while (instant(k + 1) <= s) k++;
      k = Math.max(k, first);
      const last = lastIndex();
      const out: string[] = [];
      for (; k <= last && instant(k) < e; k++) out.push(formatWall(localStart(k), format));
      return out;
    },
    windowsForKeys(keys) {
      const last = lastIndex();
      const indexes = [...new Set(keys.map((k) => requireIndex(k, last)))].sort((a, b) => a - b);
      const out: ZonedWindow[] = [];
      let runStart: number | undefined;
      let prev = 0;
      for (const k of indexes) {
        if (runStart === undefined) runStart = k;
        else if (k !== prev + 1) {
          out.push(zoned(runStart, prev + 1));
          runStart = k;
        }
        prev = k;
      }
      if (runStart !== undefined) out.push(zoned(runStart, prev + 1));
      return out;
    },
  };
}

type Shortcut = Omit<TimeWindowPartitionsOptions, "unit" | "step" | "start"> & { startDate: string | Date };

/** The options-to-definition function of one unit, starting at `startDate`. */
function shortcut(unit: TimeWindowPartitionsOptions["unit"]): (options: Shortcut) => TimeWindowPartitionsDefinition {
  return (options) => {
    const { startDate, ...rest } = options;
    return timeWindowPartitions({ ...rest, unit, start: startDate });
  };
}

/** Hourly windows (keys `YYYY-MM-DD-HH:MM`), like dagster's HourlyPartitionsDefinition. */
export const hourlyPartitions = shortcut("hour");

/** Daily windows (keys `YYYY-MM-DD`). */
export const dailyPartitions = shortcut("day");

/** Weekly windows starting on `dayOffset` (0 = Sunday, the default), keys `YYYY-MM-DD`. */
export const weeklyPartitions = shortcut("week");

/** Monthly windows starting on day `dayOffset` (default 1), keys `YYYY-MM-DD`. */
export const monthlyPartitions = shortcut("month");
