/**
 * Column-at-a-time evaluation of the common predicates, for scans: comparisons, IN lists and
 * IS NULL on top-level number, date, timestamp, boolean and string columns, combined with
 * AND/OR/NOT, evaluated over whole Arrow columns straight from their buffers (no per-row scalar,
 * no BigInt allocation: 64-bit values are compared as two 32-bit words). Semantics are those of
 * expr/eval-row.ts exactly: SQL three-valued logic, NaN equal to NaN and above every number,
 * -0 equal to 0, strings in code point (UTF-8 byte) order. Any other predicate shape returns
 * undefined and the caller evaluates row by row. Recursion follows the bound tree, whose depth
 * `bind` keeps small (expr/shape.ts); IN lists are binary-searched (O(log n) per row).
 */
import type { Data } from "apache-arrow";
import type { BoundColumn, BoundExpr } from "../expr/bound.js";
import { sortedValues } from "../expr/eval-row.js";
import type { CompareOp } from "../expr/ast.js";
import { isNumberTypeName, type Scalar, type StructField } from "../schema/types.js";
import { compareNumbers } from "../schema/scalar.js";

/** Truth per row: 0 false, 1 true, 2 null. */
type Truths = Uint8Array;
const F = 0;
const T = 1;
const N = 2;

/**
 * The predicate mask (1 where the predicate is TRUE, 0 elsewhere and where `within` is 0), or
 * undefined when the predicate has a shape this evaluator does not handle.
 */
export function fastPredicateMask(predicate: BoundExpr, columns: readonly (readonly [StructField, Data])[], length: number, within?: Uint8Array): Uint8Array | undefined {
  const byName = new Map(columns.map(([f, d]) => [f.name, { field: f, data: d }] as const));
  const truths = evaluate(predicate, byName, length);
  if (truths === undefined) return undefined;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = truths[i] === T && (within === undefined || within[i] !== 0) ? 1 : 0;
  return out;
}

type Columns = ReadonlyMap<string, { field: StructField; data: Data }>;

function evaluate(expr: BoundExpr, columns: Columns, n: number): Truths | undefined {
  switch (expr.kind) {
    case "const":
      return new Uint8Array(n).fill(expr.value === null ? N : expr.value ? T : F);
    case "not": {
      const a = evaluate(expr.arg, columns, n);
      if (a === undefined) return undefined;
      for (let i = 0; i < n; i++) a[i] = a[i] === N ? N : a[i] === T ? F : T;
      return a;
    }
    case "and":
    case "or": {
      const a = evaluate(expr.left, columns, n);
      const b = a === undefined ? undefined : evaluate(expr.right, columns, n);
      if (a === undefined || b === undefined) return undefined;
      const decisive = expr.kind === "and" ? F : T;
      for (let i = 0; i < n; i++) a[i] = a[i] === decisive || b[i] === decisive ? decisive : a[i] === N || b[i] === N ? N : a[i]!;
      return a;
    }
    case "isNull": {
      const col = column(expr.column, columns);
      if (col === undefined) return undefined;
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = col.valid(i) !== expr.negated ? F : T;
      return out;
    }
    case "whenNotNull": {
      const col = column(expr.column, columns);
      if (col === undefined) return undefined;
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = col.valid(i) ? (expr.value ? T : F) : N;
      return out;
    }
    case "compare": {
      const col = column(expr.column, columns);
      const cmp = col === undefined ? undefined : comparer(col, expr.value);
      if (col === undefined || cmp === undefined) return undefined;
      const holds = opTest(expr.op);
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = col.valid(i) ? (holds(cmp(i)) ? T : F) : N;
      return out;
    }
    case "in": {
      const col = column(expr.column, columns);
      if (col === undefined) return undefined;
      // binary search over the values in compareScalars order, which the comparers share
      const cmps = sortedValues(expr.values).map((v) => comparer(col, v));
      if (cmps.some((c) => c === undefined)) return undefined;
      const sorted = cmps as ((i: number) => number)[];
      const out = new Uint8Array(n);
      const hit = expr.negated ? F : T;
      const miss = expr.hasNull ? N : expr.negated ? T : F;
      for (let i = 0; i < n; i++) {
        if (!col.valid(i)) {
          out[i] = N;
          continue;
        }
        let lo = 0;
        let hi = sorted.length - 1;
        let found = false;
        while (lo <= hi && !found) {
          const mid = (lo + hi) >> 1;
          const c = sorted[mid]!(i);
          if (c === 0) found = true;
          else if (c < 0) hi = mid - 1;
          else lo = mid + 1;
        }
        out[i] = found ? hit : miss;
      }
      return out;
    }
    default:
      return undefined;
  }
}

interface Col {
  field: StructField;
  data: Data;
  valid: (i: number) => boolean;
}

function column(c: BoundColumn, columns: Columns): Col | undefined {
  if (c.path.length !== 1) return undefined;
  const entry = columns.get(c.path[0]!);
  if (entry === undefined || entry.data.offset !== 0 || entry.field.type.kind !== "primitive") return undefined;
  const { data } = entry;
  const bitmap = data.nullBitmap as Uint8Array | undefined;
  const valid = data.nullCount === 0 || bitmap === undefined || bitmap.length === 0 ? () => true : (i: number) => ((bitmap[i >> 3]! >> (i & 7)) & 1) === 1;
  return { ...entry, valid };
}

function opTest(op: CompareOp): (cmp: number) => boolean {
  switch (op) {
    case "=":
      return (c) => c === 0;
    case "!=":
      return (c) => c !== 0;
    case "<":
      return (c) => c < 0;
    case "<=":
      return (c) => c <= 0;
    case ">":
      return (c) => c > 0;
    case ">=":
      return (c) => c >= 0;
  }
}

/** A comparison of row i's value with a literal (-1, 0, 1), or undefined for unhandled types. */
function comparer(col: Col, literal: Scalar): ((i: number) => number) | undefined {
  const type = col.field.type;
  if (type.kind !== "primitive") return undefined;
  const values = col.data.values as unknown;
  if (isNumberTypeName(type.name)) {
    if (typeof literal !== "number") return undefined;
    const v = values as ArrayLike<number>;
    return (i) => compareNumbers(v[i]!, literal);
  }
  switch (type.name) {
    case "long":
    case "timestamp":
    case "timestamp_ntz": {
      if (typeof literal !== "bigint" || !(values instanceof BigInt64Array)) return undefined;
      const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
      const lit = BigInt.asUintN(64, literal);
      const hi = Number(BigInt.asIntN(32, lit >> 32n));
      const lo = Number(lit & 0xffffffffn);
      return (i) => {
        const h = words[2 * i + 1]!;
        if (h !== hi) return h < hi ? -1 : 1;
        const l = words[2 * i]! >>> 0;
        return l === lo ? 0 : l < lo ? -1 : 1;
      };
    }
    case "boolean": {
      if (typeof literal !== "boolean") return undefined;
      const bits = values as Uint8Array;
      return (i) => Number((bits[i >> 3]! >> (i & 7)) & 1) - Number(literal);
    }
    case "string": {
      if (typeof literal !== "string") return undefined;
      const offsets = col.data.valueOffsets as Int32Array | undefined;
      if (!(offsets instanceof Int32Array)) return undefined;
      const bytes = values as Uint8Array;
      const lit = new TextEncoder().encode(literal);
      return (i) => {
        const s = offsets[i]!;
        const len = offsets[i + 1]! - s;
        const m = Math.min(len, lit.length);
        for (let k = 0; k < m; k++) {
          const d = bytes[s + k]! - lit[k]!;
          if (d !== 0) return d < 0 ? -1 : 1;
        }
        return len === lit.length ? 0 : len < lit.length ? -1 : 1;
      };
    }
    default:
      return undefined;
  }
}
