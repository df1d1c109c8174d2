/**
 * Bound value expressions: what `bindValue` makes of the value grammar (literals, columns,
 * `+ - * /`, unary minus, `||`, CASE WHEN, COALESCE, CAST, and predicates used as booleans),
 * every node typed (value-types.ts) so that evaluation (eval-value.ts) needs no type inference.
 * CASE branches and COALESCE arguments are wrapped in casts to their common type at bind time.
 */
import type { DataType, Scalar } from "../schema/types.js";
import type { BoundColumn, BoundExpr } from "./bound.js";

/** Arithmetic operators. */
export type ArithmeticOp = "+" | "-" | "*" | "/";

/** A bound value expression; `type` is its result type. */
export type BoundValue =
  | { kind: "literal"; type: DataType; value: Scalar }
  | { kind: "column"; type: DataType; column: BoundColumn }
  | { kind: "arith"; type: DataType; op: ArithmeticOp; left: BoundValue; right: BoundValue }
  | { kind: "negate"; type: DataType; arg: BoundValue }
  | { kind: "concat"; type: DataType; args: BoundValue[] }
  | { kind: "case"; type: DataType; branches: { when: BoundExpr; then: BoundValue }[]; otherwise: BoundValue | undefined }
  | { kind: "coalesce"; type: DataType; args: BoundValue[] }
  | { kind: "cast"; type: DataType; arg: BoundValue }
  | { kind: "predicate"; type: DataType; expr: BoundExpr };

/** The value as `type`: itself when it has that type already, else wrapped in a cast. */
export function castTo(v: BoundValue, type: DataType): BoundValue {
  if (JSON.stringify(v.type) === JSON.stringify(type)) return v;
  if (v.kind === "literal" && v.value === null) return { kind: "literal", type, value: null };
  return { kind: "cast", type, arg: v };
}

/** Every value node of `v` (itself included), children before parents; iterative. */
export function valueNodes(v: BoundValue): BoundValue[] {
  const out: BoundValue[] = [];
  const stack = [v];
  while (stack.length > 0) {
    const x = stack.pop() as BoundValue;
    out.push(x);
    switch (x.kind) {
      case "arith":
        stack.push(x.left, x.right);
        break;
      case "negate":
      case "cast":
        stack.push(x.arg);
        break;
      case "concat":
      case "coalesce":
        stack.push(...x.args);
        break;
      case "case":
        for (const b of x.branches) stack.push(b.then);
        if (x.otherwise) stack.push(x.otherwise);
        break;
      default:
        break;
    }
  }
  return out.reverse();
}

/** The predicates inside a value (CASE conditions, predicates used as values). */
export function valuePredicates(v: BoundValue): BoundExpr[] {
  const out: BoundExpr[] = [];
  for (const x of valueNodes(v)) {
    if (x.kind === "case") for (const b of x.branches) out.push(b.when);
    else if (x.kind === "predicate") out.push(x.expr);
  }
  return out;
}

/** The columns a value reads directly (not through its predicates). */
export function valueColumns(v: BoundValue): BoundColumn[] {
  return valueNodes(v).flatMap((x) => (x.kind === "column" ? [x.column] : []));
}
