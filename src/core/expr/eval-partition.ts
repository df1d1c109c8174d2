/**
 * Partition pruning: evaluate a bound predicate on a file's partition values with the same exact
 * leaf semantics as rows (eval-row.ts), while columns that are not partition columns are unknown
 * (any row of the file may hold any value). The result is a superset of the outcomes the
 * predicate can take on the file's rows, as a bitmask of TRUE/FALSE/NULL: a leaf on known values
 * has one outcome, a leaf touching an unknown column all three, and NOT/AND/OR combine the sets
 * pointwise (Kleene logic; correlations between leaves are ignored, which only ever adds
 * outcomes). So `p = 1 OR x > 5` with p = 1 is TRUE only (every row matches), and with p = 2 it
 * is "maybe". A file may be skipped when TRUE is not possible; it matches entirely (e.g. can be
 * removed whole by replaceWhere) when TRUE is the only outcome.
 */
import type { Scalar } from "../schema/types.js";
import type { BoundColumn, BoundExpr } from "./bound.js";
import { evalLeaf, type Truth } from "./eval-row.js";

/** Reads a partition value: a scalar (null for a null partition), undefined if not a partition column. */
export type PartitionAccessor = (path: readonly string[], column: BoundColumn) => Scalar | undefined;

/** Outcome bit: the predicate can be true for the partition. */
export const OUTCOME_TRUE = 1;
/** Outcome bit: the predicate can be false for the partition. */
export const OUTCOME_FALSE = 2;
/** Outcome bit: the predicate can be null (unknown) for the partition. */
export const OUTCOME_NULL = 4;
const ALL = OUTCOME_TRUE | OUTCOME_FALSE | OUTCOME_NULL;

/** The set of outcomes (a bitmask of OUTCOME_*) `expr` can take on rows with these partition values. */
export function partitionOutcomes(expr: BoundExpr, values: PartitionAccessor): number {
  switch (expr.kind) {
    case "not": {
      const m = partitionOutcomes(expr.arg, values);
      return (m & OUTCOME_NULL) | (m & OUTCOME_TRUE ? OUTCOME_FALSE : 0) | (m & OUTCOME_FALSE ? OUTCOME_TRUE : 0);
    }
    case "and":
    case "or": {
      const l = partitionOutcomes(expr.left, values);
      if (expr.kind === "and" && l === OUTCOME_FALSE) return l;
      if (expr.kind === "or" && l === OUTCOME_TRUE) return l;
      return combine(expr.kind, l, partitionOutcomes(expr.right, values));
    }
    default: {
      let unknown = false;
      let truth: Truth;
      try {
        truth = evalLeaf(expr, (c) => {
          const v = values(c.path, c);
          if (v === undefined) unknown = true;
          return v ?? null;
        });
      } catch (err) {
        // A computed value that fails on these partition values (an overflow...) fails on the
        // rows too, where it is reported; here it only means "unknown".
        if (expr.kind === "compareValues" || expr.kind === "isNullValue") return ALL;
        throw err;
      }
      return unknown ? ALL : bit(truth);
    }
  }
}

/** Whether some row of a file with these partition values may satisfy `expr` (false: skip it). */
export function partitionMayMatch(expr: BoundExpr, values: PartitionAccessor): boolean {
  return (partitionOutcomes(expr, values) & OUTCOME_TRUE) !== 0;
}

/** Whether every row of a file with these partition values satisfies `expr`. */
export function partitionMustMatch(expr: BoundExpr, values: PartitionAccessor): boolean {
  return partitionOutcomes(expr, values) === OUTCOME_TRUE;
}

/**
 * An accessor over a file's parsed partition values keyed by top-level column name (partition
 * columns are top-level); other columns are unknown. Values must already be canonical scalars.
 */
export function partitionValuesAccessor(values: ReadonlyMap<string, Scalar> | Record<string, Scalar>): PartitionAccessor {
  const map = values instanceof Map ? values : new Map(Object.entries(values));
  return (path) => (path.length === 1 && map.has(path[0] as string) ? (map.get(path[0] as string) as Scalar) : undefined);
}

function bit(t: Truth): number {
  return t === true ? OUTCOME_TRUE : t === false ? OUTCOME_FALSE : OUTCOME_NULL;
}

function truths(mask: number): Truth[] {
  const out: Truth[] = [];
  if (mask & OUTCOME_TRUE) out.push(true);
  if (mask & OUTCOME_FALSE) out.push(false);
  if (mask & OUTCOME_NULL) out.push(null);
  return out;
}

function combine(kind: "and" | "or", left: number, right: number): number {
  let out = 0;
  for (const a of truths(left)) {
    for (const b of truths(right)) {
      let r: Truth;
      if (kind === "and") r = a === false || b === false ? false : a === null || b === null ? null : true;
      else r = a === true || b === true ? true : a === null || b === null ? null : false;
      out |= bit(r);
    }
  }
  return out;
}
