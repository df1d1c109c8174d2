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
import { compareScalars } from "./compare.js";
import { printName } from "./print.js";

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
    case "and":
      return and3(evalRow(expr.left, row), () => evalRow(expr.right, row));
    case "or":
      return or3(evalRow(expr.left, row), () => evalRow(expr.right, row));
    default:
      return evalLeaf(expr, (c) => row(c.path, c) ?? null);
  }
}

/** Whether a WHERE with `expr` keeps the row (the predicate is true, not false or null). */
export function rowMatches(expr: BoundExpr, row: RowAccessor): boolean {
  return evalRow(expr, row) === true;
}

/** Kleene AND, evaluating the right side only when the left does not decide. */
export function and3(left: Truth, right: () => Truth): Truth {
  if (left === false) return false;
  const r = right();
  if (r === false) return false;
  return left === null || r === null ? null : true;
}

/** Kleene OR, evaluating the right side only when the left does not decide. */
export function or3(left: Truth, right: () => Truth): Truth {
  if (left === true) return true;
  const r = right();
  if (r === true) return true;
  return left === null || r === null ? null : false;
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
      if (expr.values.some((x) => compareChecked(v, x, expr.column) === 0)) return !expr.negated;
      return expr.hasNull ? null : expr.negated;
    }
    case "isNull":
      return (value(expr.column) === null) !== expr.negated;
    case "whenNotNull":
      return value(expr.column) === null ? null : expr.value;
    default:
      throw new Error(`not a leaf: ${expr.kind}`);
  }
}

function compareChecked(a: Scalar, b: Scalar, column: BoundColumn): number {
  const c = compareScalars(a, b);
  if (c === undefined) {
    const shown = typeof a === "bigint" ? `${a}n` : a instanceof Uint8Array ? "bytes" : JSON.stringify(a);
    throw new InvalidInputError(
      `value ${shown} of column ${column.path.map(printName).join(".")} is not a canonical scalar of its type`,
    );
  }
  return c;
}
