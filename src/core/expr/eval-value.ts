/**
 * Evaluating bound value expressions on one row, Spark's ANSI way: NULL in, NULL out (except
 * COALESCE and CASE); integer overflow, decimal overflow and division by zero are errors naming
 * the expression, never wrapped or silently NULL. Integers compute as bigints, decimals as exact
 * rationals rounded half up to the result scale, floats and doubles as doubles (float results
 * rounded to float32). The result is a canonical scalar of the node's type.
 */
import { InvalidInputError } from "../errors.js";
import type { DataType, Scalar } from "../schema/types.js";
import type { BoundColumn } from "./bound.js";
import type { BoundValue } from "./bound-value.js";
import { castError, castScalar, fromNumberValue, rationalToDouble, toNumberValue } from "./cast.js";
import { evalRow } from "./eval-row.js";
import type { Rational } from "./numeric.js";
import { isFloating, isIntegral, isType } from "./value-types.js";
import { typeName } from "./coerce.js";
import { formatDecimal } from "../schema/decimal.js";

/** Reads a column of the current row (canonical scalar of the column's type, null for NULL). */
export type ColumnReader = (column: BoundColumn) => Scalar;

/** The value of `v` on the row `read` reads. */
export function evalValue(v: BoundValue, read: ColumnReader): Scalar {
  switch (v.kind) {
    case "literal":
      return v.value;
    case "column":
      return read(v.column) ?? null;
    case "predicate":
      return evalRow(v.expr, (_path, column) => (read(column) ?? null) as never);
    case "cast":
      return castScalar(evalValue(v.arg, read), v.arg.type, v.type);
    case "negate": {
      const x = evalValue(v.arg, read);
      return x === null ? null : negate(x, v.type);
    }
    case "arith": {
      const l = evalValue(v.left, read);
      if (l === null) return null;
      const r = evalValue(v.right, read);
      if (r === null) return null;
      return arithmetic(v.op, l, v.left.type, r, v.right.type, v.type);
    }
    case "concat": {
      let out = "";
      for (const a of v.args) {
        const x = evalValue(a, read);
        if (x === null) return null;
        out += castScalar(x, a.type, STRING) as string;
      }
      return out;
    }
    case "coalesce":
      for (const a of v.args) {
        const x = evalValue(a, read);
        if (x !== null) return x;
      }
      return null;
    case "case":
      for (const b of v.branches) {
        if (evalRow(b.when, (_path, column) => (read(column) ?? null) as never) === true) return evalValue(b.then, read);
      }
      return v.otherwise ? evalValue(v.otherwise, read) : null;
  }
}

const STRING: DataType = { kind: "primitive", name: "string" };

function negate(x: Scalar, type: DataType): Scalar {
  const fail = (why?: string): never => {
    throw castError(x, type, type, why);
  };
  if (isFloating(type)) return -(x as number);
  const v = toNumberValue(x, type, fail);
  if (v.kind === "special") return fail();
  return fromNumberValue({ kind: "exact", r: { num: -v.r.num, den: v.r.den } }, type, (why) => overflow(`-${String(x)}`, type, why));
}

function arithmetic(op: "+" | "-" | "*" | "/", l: Scalar, lt: DataType, r: Scalar, rt: DataType, type: DataType): Scalar {
  const what = `${describe(l)} ${op} ${describe(r)}`;
  if (isFloating(type)) {
    const a = toDouble(l, lt);
    const b = toDouble(r, rt);
    if (op === "/" && b === 0) throw new InvalidInputError(`division by zero in ${what}`);
    const d = op === "+" ? a + b : op === "-" ? a - b : op === "*" ? a * b : a / b;
    return isType(type, "float") ? Math.fround(d) : d;
  }
  const a = exact(l, lt);
  const b = exact(r, rt);
  let out: Rational;
  switch (op) {
    case "+":
      out = { num: a.num * b.den + b.num * a.den, den: a.den * b.den };
      break;
    case "-":
      out = { num: a.num * b.den - b.num * a.den, den: a.den * b.den };
      break;
    case "*":
      out = { num: a.num * b.num, den: a.den * b.den };
      break;
    case "/":
      if (b.num === 0n) throw new InvalidInputError(`division by zero in ${what}`);
      out = b.num < 0n ? { num: -a.num * b.den, den: a.den * -b.num } : { num: a.num * b.den, den: a.den * b.num };
      break;
  }
  if (isIntegral(type) && out.num % out.den !== 0n) throw new Error(`internal: fractional result of integral ${what}`);
  return fromNumberValue({ kind: "exact", r: out }, type, (why) => overflow(what, type, why));
}

function overflow(what: string, type: DataType, why?: string): never {
  throw new InvalidInputError(`arithmetic overflow: ${what} does not fit ${typeName(type)}${why === undefined ? "" : ` (${why})`}`);
}

function exact(x: Scalar, t: DataType): Rational {
  const v = toNumberValue(x, t);
  if (v.kind === "special") throw new InvalidInputError(`${describe(x)} is not a finite number`);
  return v.r;
}

function toDouble(x: Scalar, t: DataType): number {
  if (typeof x === "number") return x;
  const v = toNumberValue(x, t);
  return v.kind === "special" ? v.value : rationalToDouble(v.r);
}

function describe(x: Scalar): string {
  if (typeof x === "string") return JSON.stringify(x);
  if (x instanceof Uint8Array) return `${x.length} bytes`;
  return typeof x === "object" && x !== null ? formatDecimal(x) : String(x);
}
