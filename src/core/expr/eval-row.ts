/**
 * Evaluation of a bound predicate on one row, in SQL three-valued logic: a comparison with a null
 * operand is null, `NOT null` is null, `false AND null` is false, `true OR null` is true, and a
 * WHERE keeps a row only when the predicate is true. Values are canonical scalars (a column the
 * row does not have reads as null, as a column missing from a data file does).
 */
import { InvalidInputError } from "../errors.js";
import type { Scalar } from "../schema/types.js";
import type { BoundColumn, BoundExpr } from "./bound.js";
import { opHolds } from "./bound.js";
import { compareValues } from "./compare.js";
import { printName } from "./print.js";
import { evalValue } from "./eval-value.js";

/** Reads a column of the current row; undefined reads as null. */
export type RowAccessor = (path: readonly string[], column: BoundColumn) => Scalar | undefined;

/** A three-valued truth value. */
export type Truth = boolean | null;

/** Evaluates `expr` on a row: true, false or null (unknown). */
export function evalRow(expr: BoundExpr, row: RowAccessor): Truth {
  switch (expr.kind) {
    case "not": {
      const v = evalRow(expr.arg, row);
      return v === null ? null : !v;
    }
    case "and": {
      // Kleene AND/OR inline (one stack frame per level), the right side only when the left does not decide
      const l = evalRow(expr.left, row);
      if (l === false) return false;
      const r = evalRow(expr.right, row);
      return r === false ? false : l === null || r === null ? null : true;
    }
    case "or": {
      const l = evalRow(expr.left, row);
      if (l === true) return true;
      const r = evalRow(expr.right, row);
      return r === true ? true : l === null || r === null ? null : false;
    }
    default:
      return evalLeaf(expr, (c) => row(c.path, c) ?? null);
  }
}

/** Whether a WHERE with `expr` keeps the row (the predicate is true, not false or null). */
export function rowMatches(expr: BoundExpr, row: RowAccessor): boolean {
  return evalRow(expr, row) === true;
}

/**
 * Evaluates a leaf (anything but NOT/AND/OR) given each column's value (null for SQL NULL).
 * Throws InvalidInputError when a value is not of its column's kind (a caller bug, not data).
 */
export function evalLeaf(expr: BoundExpr, value: (column: BoundColumn) => Scalar): Truth {
  switch (expr.kind) {
    case "const":
      return expr.value;
    case "compare": {
      const v = value(expr.column);
      return v === null ? null : opHolds(expr.op, compareChecked(v, expr.value, expr.column));
    }
    case "compareColumns": {
      const l = value(expr.left);
      const r = value(expr.right);
      return l === null || r === null ? null : opHolds(expr.op, compareChecked(l, r, expr.left));
    }
    case "in": {
      const v = value(expr.column);
      if (v === null) return null;
      if (inSorted(sortedValues(expr.values), v, expr.column)) return !expr.negated;
      return expr.hasNull ? null : expr.negated;
    }
    case "isNull":
      return (value(expr.column) === null) !== expr.negated;
    case "whenNotNull":
      return value(expr.column) === null ? null : expr.value;
    case "compareValues": {
      const l = evalValue(expr.left, value);
      if (l === null) return null;
      const r = evalValue(expr.right, value);
      if (r === null) return null;
      const c = compareValues(l, r);
      if (c === undefined) throw new InvalidInputError("internal: computed values of different kinds compared");
      return opHolds(expr.op, c);
    }
    case "isNullValue":
      return (evalValue(expr.value, value) === null) !== expr.negated;
    default:
      throw new Error(`not a leaf: ${expr.kind}`);
  }
}

const sortedCache = new WeakMap<readonly Scalar[], readonly Scalar[]>();

/** An IN list's values in compareValues order (sorted once per list), for binary search. */
export function sortedValues(values: readonly Scalar[]): readonly Scalar[] {
  let sorted = sortedCache.get(values);
  if (sorted === undefined) {
    sorted = [...values].sort((a, b) => compareValues(a, b) ?? 0);
    sortedCache.set(values, sorted);
  }
  return sorted;
}

/** Whether `v` equals one of `sorted` (binary search: O(log n) per row for long IN lists). */
function inSorted(sorted: readonly Scalar[], v: Scalar, column: BoundColumn): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = compareChecked(v, sorted[mid] as Scalar, column);
    if (c === 0) return true;
    if (c < 0) hi = mid - 1;
    else lo = mid + 1;
  }
  return false;
}

function compareChecked(a: Scalar, b: Scalar, column: BoundColumn): number {
  const c = compareValues(a, b);
  if (c === undefined) {
    const shown = typeof a === "bigint" ? `${a}n` : a instanceof Uint8Array ? "bytes" : JSON.stringify(a);
    throw new InvalidInputError(
      `value ${shown} of column ${column.path.map(printName).join(".")} is not a canonical scalar of its type`,
    );
  }
  return c;
}
