/**
 * Data skipping: may a file contain a row matching a bound predicate, given per-column stats
 * (min, max, nullCount, numRecords)? `false` only when certain that none does. The predicate is
 * put in negation normal form first (exact in three-valued logic), then AND/OR combine leaves.
 *
 * How the stats are read (all conservatively; anything missing or of the wrong kind means "may"):
 * - numRecords = 0: nothing matches. nullCount = numRecords: the column is all null, so nothing
 *   but IS NULL can be true. nullCount = 0: IS NULL cannot be true. Both facts hold even with
 *   tightBounds = false (stats of a file with deletion vectors describe a superset of its live
 *   rows, so the bounds are still bounds), which is why tightBounds is accepted but not needed.
 * - timestamp / timestamp_ntz bounds are truncated to milliseconds: min is widened down and max
 *   up by 1 ms (1000 µs), so bounds are never equal-and-exact for `!=`.
 * - string / binary bounds may be truncated prefixes. A truncated min is still a lower bound. A
 *   truncated max M may be below the real max unless the writer bumped it, so the values that may
 *   exist are {v <= M} ∪ {v starting with M}. Hence `col > x`, `col >= x` and `col = x` skip only
 *   when M < x and M is not a prefix of x; and `col != x` never skips on string bounds.
 * - float / double: NaN sorts above everything (Spark), but some writers (parquet-based, e.g.
 *   delta-rs) leave NaN out of min/max. So a comparison that a NaN row would satisfy (`>`, `>=`,
 *   `!=`, `= NaN`, NOT IN without NaN...) never skips on float bounds.
 */
import type { PrimitiveType, Scalar } from "../schema/types.js";
import type { CompareOp } from "./ast.js";
import { opHolds, toNegationNormalForm, type BoundColumn, type BoundExpr } from "./bound.js";
import { compareValues, isPrefix } from "./compare.js";

/** Stats for one column of one file; every field may be missing. min/max are canonical scalars. */
export interface ColumnStats {
  min?: Scalar | undefined;
  max?: Scalar | undefined;
  nullCount?: number | bigint | undefined;
  numRecords?: number | bigint | undefined;
  tightBounds?: boolean | undefined;
}

/** Looks up a column's stats for the file being tested; undefined when there are none. */
export type StatsAccessor = (path: readonly string[], column: BoundColumn) => ColumnStats | undefined;

/** Widening applied to timestamp bounds, in microseconds (stats are truncated to milliseconds). */
export const TIMESTAMP_STATS_SLACK_MICROS = 1000n;

const nnfCache = new WeakMap<BoundExpr, BoundExpr>();

/** Whether a file with these stats may contain a row for which `expr` is true. */
export function statsMayMatch(expr: BoundExpr, stats: StatsAccessor): boolean {
  let nnf = nnfCache.get(expr);
  if (nnf === undefined) {
    nnf = toNegationNormalForm(expr);
    nnfCache.set(expr, nnf);
  }
  return mayMatch(nnf, stats);
}

function mayMatch(e: BoundExpr, stats: StatsAccessor): boolean {
  switch (e.kind) {
    case "and":
      return mayMatch(e.left, stats) && mayMatch(e.right, stats);
    case "or":
      return mayMatch(e.left, stats) || mayMatch(e.right, stats);
    case "not":
      return true; // not produced by toNegationNormalForm; be safe
    case "compareValues":
    case "isNullValue":
      return true; // computed values: the stats of the columns do not bound them
    case "const":
      return e.value === true;
    case "compareColumns": {
      const l = summary(e.left, stats);
      const r = summary(e.right, stats);
      return !(l.empty || l.allNull || r.empty || r.allNull);
    }
    case "isNull": {
      const s = summary(e.column, stats);
      if (s.empty) return false;
      return e.negated ? !s.allNull : !s.noNull;
    }
    case "whenNotNull": {
      const s = summary(e.column, stats);
      return e.value && !s.empty && !s.allNull;
    }
    case "compare": {
      const s = summary(e.column, stats);
      if (s.empty || s.allNull) return false;
      if (s.isFloat && opHolds(e.op, compareValues(NaN, e.value) ?? 0)) return true;
      return mayCompare(e.op, e.value, s);
    }
    case "in": {
      const s = summary(e.column, stats);
      if (s.empty || s.allNull) return false;
      if (e.negated) {
        if (e.hasNull) return false; // x NOT IN (..., NULL) is never true
        if (s.isFloat && !e.values.some((v) => compareValues(v, NaN) === 0)) return true;
        return e.values.every((v) => mayCompare("!=", v, s));
      }
      if (s.isFloat && e.values.some((v) => compareValues(v, NaN) === 0)) return true;
      return e.values.some((v) => mayCompare("=", v, s));
    }
  }
}

interface Summary {
  empty: boolean;
  allNull: boolean;
  noNull: boolean;
  isFloat: boolean;
  lo: Scalar | undefined;
  hi: Scalar | undefined;
  /** hi may be a truncated prefix (strings, binary). */
  hiIsPrefix: boolean;
  /** lo == hi means every non-null value equals it. */
  pointExact: boolean;
}

function summary(column: BoundColumn, stats: StatsAccessor): Summary {
  const s = stats(column.path, column) ?? {};
  const nullCount = s.nullCount === undefined || s.nullCount === null ? undefined : Number(s.nullCount);
  const numRecords = s.numRecords === undefined || s.numRecords === null ? undefined : Number(s.numRecords);
  const name = column.type.kind === "primitive" ? (column.type as PrimitiveType).name : undefined;
  const isTimestamp = name === "timestamp" || name === "timestamp_ntz";
  const isPrefixType = name === "string" || name === "binary";
  return {
    empty: numRecords === 0,
    allNull: nullCount !== undefined && numRecords !== undefined && nullCount >= numRecords,
    noNull: nullCount === 0,
    isFloat: name === "float" || name === "double",
    lo: isTimestamp ? widen(s.min, -TIMESTAMP_STATS_SLACK_MICROS) : (s.min ?? undefined),
    hi: isTimestamp ? widen(s.max, TIMESTAMP_STATS_SLACK_MICROS) : (s.max ?? undefined),
    hiIsPrefix: isPrefixType,
    pointExact: !isTimestamp && !isPrefixType,
  };
}

function widen(v: Scalar | undefined, by: bigint): Scalar | undefined {
  if (typeof v === "bigint") return v + by;
  if (typeof v === "number") return v + Number(by);
  return v ?? undefined;
}

/** Whether some value within the summary's bounds may satisfy `value' op v`. */
function mayCompare(op: CompareOp, v: Scalar, s: Summary): boolean {
  const lo = s.lo === undefined ? undefined : compareValues(s.lo, v);
  const hi = s.hi === undefined ? undefined : compareValues(s.hi, v);
  // Every possible value is <= v (strict: < v).
  const allBelowOrAt = (strict: boolean): boolean => {
    if (hi === undefined) return false;
    if (s.hiIsPrefix) return hi < 0 && !isPrefix(s.hi as string | Uint8Array, v as string | Uint8Array);
    return strict ? hi < 0 : hi <= 0;
  };
  switch (op) {
    case "<":
      return !(lo !== undefined && lo >= 0);
    case "<=":
      return !(lo !== undefined && lo > 0);
    case ">":
      return !allBelowOrAt(false);
    case ">=":
      return !allBelowOrAt(true);
    case "=":
      return !((lo !== undefined && lo > 0) || allBelowOrAt(true));
    case "!=":
      return !(s.pointExact && lo === 0 && hi === 0);
  }
}
