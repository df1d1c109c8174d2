/**
 * The MERGE "early filter" (delta-rs's name): a predicate on the target alone that every target
 * row able to match a source row satisfies, so the scan planner can skip the target files that
 * cannot hold one (partition pruning and stats). It is the AND of the `on` condition's
 * target-only conjuncts and, per equi-join column pair, the source's key values: the distinct
 * values (an IN list) for a partition column when there are few, else `col BETWEEN min AND max`
 * of the source keys. No non-null source key means no target row can match: FALSE. Not used when
 * there are WHEN NOT MATCHED BY SOURCE clauses (every target row matters then).
 */
import type { BoundColumn, BoundExpr } from "../../expr/bound.js";
import { boundColumns } from "../../expr/bound.js";
import { literalOf } from "../../expr/build.js";
import { bindComparison, equalityValue } from "../../expr/coerce.js";
import { columnsOf } from "../../expr/columns-of.js";
import { compareValues } from "../../expr/compare.js";
import type { DataType, Scalar } from "../../schema/types.js";
import type { MergeColumns } from "./merge-columns.js";
import { joinKey, type JoinKey } from "./join-key.js";

/** An equi-join column pair of the `on` condition. */
export interface KeyPair {
  target: BoundColumn;
  source: BoundColumn;
}

/** Partition columns with at most this many distinct source values are pruned by value. */
const MAX_IN_VALUES = 1000;

/** Options of {@link earlyFilter}. */
export interface EarlyFilterOptions {
  columns: MergeColumns;
  /** The `on` condition's conjuncts. */
  conjuncts: readonly BoundExpr[];
  keys: readonly KeyPair[];
  /** The source's values of each key pair's source column. */
  sourceKeyValues: (pair: KeyPair) => Iterable<Scalar>;
  partitionColumns: readonly string[];
}

/** Builds the early filter over the target's columns (undefined: nothing to prune by). */
export function earlyFilter(options: EarlyFilterOptions): BoundExpr | undefined {
  const { columns } = options;
  const targetDefs = columnsOf(columns.target);
  const remap = (c: BoundColumn): BoundColumn | undefined => {
    const { side, path } = columns.ownerOf(c);
    if (side !== "target") return undefined;
    const index = targetDefs.findIndex((d) => d.path.length === path.length && d.path.every((p, i) => p === path[i]));
    return index < 0 ? undefined : { path: [...path], type: c.type, index };
  };
  const terms: BoundExpr[] = [];
  for (const conjunct of options.conjuncts) {
    if (boundColumns(conjunct).every((c) => columns.ownerOf(c).side === "target")) {
      const mapped = mapColumns(conjunct, remap);
      if (mapped) terms.push(mapped);
    }
  }
  for (const pair of options.keys) {
    const target = remap(pair.target);
    if (!target) continue;
    const term = keyTerm(target, pair.source.type, options.sourceKeyValues(pair), options.partitionColumns.includes(target.path[0] as string) && target.path.length === 1);
    if (term) terms.push(term);
  }
  if (terms.length === 0) return undefined;
  return balancedAnd(terms);
}

/** The target-side term of one key pair: IN (distinct values), BETWEEN min AND max, or FALSE. */
function keyTerm(target: BoundColumn, sourceType: DataType, values: Iterable<Scalar>, partition: boolean): BoundExpr | undefined {
  let min: Scalar = null;
  let max: Scalar = null;
  const distinct = new Map<JoinKey, Scalar>();
  for (const v of values) {
    if (v === null) continue;
    if (min === null || (compareValues(v, min) ?? 0) < 0) min = v;
    if (max === null || (compareValues(v, max) ?? 0) > 0) max = v;
    if (partition && distinct.size <= MAX_IN_VALUES) distinct.set(joinKey([v]) as JoinKey, v);
  }
  if (min === null || max === null) return { kind: "const", value: false };
  try {
    if (partition && distinct.size <= MAX_IN_VALUES) {
      const list: Scalar[] = [];
      for (const v of distinct.values()) {
        const x = equalityValue(target, literalOf(v, sourceType));
        if (x !== undefined && x !== null) list.push(x);
      }
      return list.length === 0 ? { kind: "const", value: false } : { kind: "in", column: target, values: list, hasNull: false, negated: false };
    }
    return {
      kind: "and",
      left: bindComparison(target, ">=", literalOf(min, sourceType)),
      right: bindComparison(target, "<=", literalOf(max, sourceType)),
    };
  } catch {
    return undefined; // a value with no literal form in the target's type: no pruning by this key
  }
}

/** The expression with its columns replaced; undefined when one cannot be. */
function mapColumns(e: BoundExpr, f: (c: BoundColumn) => BoundColumn | undefined): BoundExpr | undefined {
  switch (e.kind) {
    case "const":
      return e;
    case "not": {
      const arg = mapColumns(e.arg, f);
      return arg && { kind: "not", arg };
    }
    case "and":
    case "or": {
      const left = mapColumns(e.left, f);
      const right = mapColumns(e.right, f);
      return left && right && { kind: e.kind, left, right };
    }
    case "compareColumns": {
      const left = f(e.left);
      const right = f(e.right);
      return left && right && { ...e, left, right };
    }
    case "compareValues":
    case "isNullValue":
      return undefined; // computed values are not remapped: no pruning by them
    default: {
      const column = f(e.column);
      return column && { ...e, column };
    }
  }
}

/** The conjuncts of a bound predicate (its top-level ANDs), without recursion. */
export function conjunctsOf(e: BoundExpr): BoundExpr[] {
  const out: BoundExpr[] = [];
  const stack = [e];
  while (stack.length > 0) {
    const x = stack.pop() as BoundExpr;
    if (x.kind === "and") stack.push(x.right, x.left);
    else out.push(x);
  }
  return out;
}

/** AND of terms as a balanced tree (depth log n). */
export function balancedAnd(terms: readonly BoundExpr[]): BoundExpr {
  if (terms.length === 1) return terms[0] as BoundExpr;
  const mid = terms.length >> 1;
  return { kind: "and", left: balancedAnd(terms.slice(0, mid)), right: balancedAnd(terms.slice(mid)) };
}
