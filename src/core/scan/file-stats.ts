/**
 * File statistics (PROTOCOL.md "Per-file Statistics") as canonical scalars for data skipping:
 * min/max/nullCount per column and numRecords, read from an add's JSON `stats` string or from a
 * checkpoint's typed `stats_parsed`. Stats are keyed by physical column names. Every conversion
 * errs on the side of "unknown": a value we cannot convert exactly becomes absent (never skips) or
 * is widened outward (decimals read through a double, longs beyond 2^53).
 */
import type { AddFile } from "../log/actions.js";
import type { ColumnStats } from "../expr/eval-stats.js";
import type { DataType, Scalar } from "../schema/types.js";
import { parseDateString, parseDateTimeString, toUtcMicros } from "../schema/datetime.js";
import { parseDecimalLiteral, rescaleDecimal } from "../schema/decimal.js";

/** Parsed stats of one file. */
export interface FileStats {
  numRecords: number | undefined;
  tightBounds: boolean | undefined;
  minValues: Record<string, unknown>;
  maxValues: Record<string, unknown>;
  nullCount: Record<string, unknown>;
}

/** Reads a file's stats (JSON or parsed); undefined when it has none or they are unreadable. */
export function readFileStats(add: AddFile): FileStats | undefined {
  let raw: Record<string, unknown> | undefined;
  if (typeof add.stats === "string" && add.stats.length > 0) {
    try {
      raw = JSON.parse(add.stats) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  } else if (add.statsParsed) raw = add.statsParsed;
  if (!raw || typeof raw !== "object") return undefined;
  const n = raw.numRecords;
  return {
    numRecords: typeof n === "number" ? n : typeof n === "bigint" ? Number(n) : undefined,
    tightBounds: typeof raw.tightBounds === "boolean" ? raw.tightBounds : undefined,
    minValues: asRecord(raw.minValues),
    maxValues: asRecord(raw.maxValues),
    nullCount: asRecord(raw.nullCount),
  };
}

function asRecord(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** The value at a (physical) column path of a nested stats record (minValues, maxValues, nullCount). */
export function lookup(record: Record<string, unknown>, path: readonly string[]): unknown {
  let cur: unknown = record;
  for (const p of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** The ColumnStats of one column (by physical path), with min/max converted to canonical scalars. */
export function columnStats(stats: FileStats, physicalPath: readonly string[], type: DataType): ColumnStats {
  const nc = lookup(stats.nullCount, physicalPath);
  return {
    min: toScalar(lookup(stats.minValues, physicalPath), type, "min"),
    max: toScalar(lookup(stats.maxValues, physicalPath), type, "max"),
    nullCount: typeof nc === "number" || typeof nc === "bigint" ? nc : undefined,
    numRecords: stats.numRecords,
    tightBounds: stats.tightBounds,
  };
}

/** Converts a stats value to a canonical scalar, or undefined when it cannot be trusted. */
export function toScalar(v: unknown, type: DataType, bound: "min" | "max"): Scalar | undefined {
  if (v === null || v === undefined || type.kind !== "primitive") return undefined;
  switch (type.name) {
    case "byte":
    case "short":
    case "integer":
      return typeof v === "number" && Number.isInteger(v) ? v : typeof v === "bigint" ? Number(v) : undefined;
    case "long": {
      if (typeof v === "bigint") return v;
      if (typeof v !== "number" || !Number.isInteger(v)) return undefined;
      // Beyond 2^53 JSON.parse rounded the value: unusable as an exact bound.
      return Math.abs(v) <= Number.MAX_SAFE_INTEGER ? BigInt(v) : undefined;
    }
    case "float":
    case "double":
      return typeof v === "number" ? v : undefined;
    case "string":
      return typeof v === "string" ? v : undefined;
    case "date":
      if (typeof v === "string") return parseDateString(v) ?? undefined;
      if (v instanceof Date) return Math.floor(v.getTime() / 86_400_000);
      return undefined;
    case "timestamp":
    case "timestamp_ntz":
      return timestampBound(v);
    case "decimal":
      return decimalBound(v, type.precision, type.scale, bound);
    default:
      return undefined;
  }
}

function timestampBound(v: unknown): bigint | undefined {
  if (v instanceof Date) return BigInt(v.getTime()) * 1000n;
  if (typeof v === "bigint") return v; // stats_parsed may carry raw micros
  if (typeof v !== "string") return undefined;
  const parsed = parseDateTimeString(v);
  if (parsed === null) return undefined;
  // Zone-less values (timestamp_ntz) are wall-clock micros; zoned ones are converted to UTC.
  return toUtcMicros(parsed, () => 0);
}

/** A decimal bound at the column scale; values that came through a double are widened outward. */
function decimalBound(v: unknown, precision: number, scale: number, bound: "min" | "max"): Scalar | undefined {
  if (typeof v === "string") {
    const d = parseDecimalLiteral(v);
    if (d === null) return undefined;
    const unscaled = rescaleDecimal(d, scale);
    return unscaled === null ? undefined : { unscaled, scale };
  }
  if (typeof v === "bigint") return { unscaled: v, scale };
  if (typeof v !== "number" || !Number.isFinite(v) || Math.abs(v) >= 1e21) return undefined;
  // The JSON text was parsed to a double. Up to 15 significant digits the double gives the text
  // back exactly at the column scale; beyond, it is within |v| * 2^-52 of the text, so widen
  // outward by that error (in units of 10^-scale) plus one unit.
  const d = parseDecimalLiteral(v.toFixed(Math.min(scale, 100)));
  if (d === null) return undefined;
  const unscaled = rescaleDecimal(d, scale);
  if (unscaled === null) return undefined;
  if (precision <= 15) return { unscaled, scale };
  const widen = BigInt(Math.ceil(Math.abs(v) * 2 ** -52 * 10 ** scale)) + 1n;
  return { unscaled: bound === "min" ? unscaled - widen : unscaled + widen, scale };
}
