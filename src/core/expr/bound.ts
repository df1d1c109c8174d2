/**
 * The bound predicate tree: what `bind` produces from a parsed expression and a list of columns.
 * Every column is resolved to its schema path and type, every literal is a canonical scalar of
 * its column's type, comparisons are normalised to `column op value`, and comparisons that are
 * decided by the literal alone (`NULL`, out-of-range or fractional values) are folded into
 * `const` or `whenNotNull` nodes. The evaluators (rows, partition values, stats) work on this tree.
 * They recurse, so they take trees whose depth is bounded: as `bind` makes them (runs of AND/OR
 * balanced, nesting checked), or as {@link normalizeBound} makes a tree built by hand.
 */
import type { DataType, Scalar } from "../schema/types.js";
import type { CompareOp } from "./ast.js";
import { valueColumns, valuePredicates, type BoundValue } from "./bound-value.js";
import { balancedJunction, checkNesting, junctionTerms } from "./shape.js";

/** A column the schema provides: its path (nested fields as several names) and its type. */
export interface ColumnDef {
  path: readonly string[];
  type: DataType;
}

/** A resolved column: the path as the schema spells it, its type, and its index in the column list. */
export interface BoundColumn {
  path: string[];
  type: DataType;
  index: number;
}

/** Any bound predicate. Evaluation is SQL three-valued: true, false or null (unknown). */
export type BoundExpr =
  /** A constant outcome (`TRUE`, `x = NULL` -> null, `1 = 1`). */
  | { kind: "const"; value: boolean | null }
  /** `column op value`; value is a non-null canonical scalar of column.type. */
  | { kind: "compare"; op: CompareOp; column: BoundColumn; value: Scalar }
  /** `left op right` between two columns of comparable types. */
  | { kind: "compareColumns"; op: CompareOp; left: BoundColumn; right: BoundColumn }
  /**
   * `column [NOT] IN (values)`; values are non-null canonical scalars, `hasNull` records a NULL
   * in the list (which makes a non-matching IN null instead of false).
   */
  | { kind: "in"; column: BoundColumn; values: Scalar[]; hasNull: boolean; negated: boolean }
  /** `column IS [NOT] NULL` */
  | { kind: "isNull"; column: BoundColumn; negated: boolean }
  /**
   * null when the column is null, otherwise `value`: what `int_col = 1.5` (false) or
   * `byte_col < 1000` (true) mean once the literal is known not to be representable.
   */
  | { kind: "whenNotNull"; column: BoundColumn; value: boolean }
  /** `left op right` on computed values (value expressions), both of one comparable type. */
  | { kind: "compareValues"; op: CompareOp; left: BoundValue; right: BoundValue }
  /** `value IS [NOT] NULL` on a computed value. */
  | { kind: "isNullValue"; value: BoundValue; negated: boolean }
  | { kind: "not"; arg: BoundExpr }
  | { kind: "and"; left: BoundExpr; right: BoundExpr }
  | { kind: "or"; left: BoundExpr; right: BoundExpr };

/** Flips a comparison's operands: `v op col` is `col flip(op) v`. */
export function flipOp(op: CompareOp): CompareOp {
  switch (op) {
    case "<":
      return ">";
    case "<=":
      return ">=";
    case ">":
      return "<";
    case ">=":
      return "<=";
    default:
      return op;
  }
}

/** Negates a comparison: `NOT (a op b)` is `a negate(op) b`, exactly, in three-valued logic. */
export function negateOp(op: CompareOp): CompareOp {
  const negations: Record<CompareOp, CompareOp> = { "=": "!=", "!=": "=", "<": ">=", "<=": ">", ">": "<=", ">=": "<" };
  return negations[op];
}

/** Whether `cmp` (a compareScalars result) satisfies `op`. */
export function opHolds(op: CompareOp, cmp: number): boolean {
  switch (op) {
    case "=":
      return cmp === 0;
    case "!=":
      return cmp !== 0;
    case "<":
      return cmp < 0;
    case "<=":
      return cmp <= 0;
    case ">":
      return cmp > 0;
    case ">=":
      return cmp >= 0;
  }
}

/** The distinct columns a bound expression references, in order of first appearance. */
export function boundColumns(expr: BoundExpr): BoundColumn[] {
  const out = new Map<number, BoundColumn>();
  const add = (c: BoundColumn): void => {
    if (!out.has(c.index)) out.set(c.index, c);
  };
  const stack: BoundExpr[] = [expr];
  while (stack.length > 0) {
    const e = stack.pop() as BoundExpr;
    switch (e.kind) {
      case "const":
        break;
      case "compareColumns":
        add(e.left);
        add(e.right);
        break;
      case "not":
        stack.push(e.arg);
        break;
      case "and":
      case "or":
        stack.push(e.right, e.left);
        break;
      case "compareValues":
      case "isNullValue":
        for (const v of e.kind === "compareValues" ? [e.left, e.right] : [e.value]) {
          for (const c of valueColumns(v)) add(c);
          stack.push(...valuePredicates(v).reverse());
        }
        break;
      default:
        add(e.column);
    }
  }
  return [...out.values()];
}

const junction = (kind: "and" | "or", left: BoundExpr, right: BoundExpr): BoundExpr => ({ kind, left, right });

/**
 * A bound tree of any shape made fit for the evaluators: refused (InvalidInputError) when it
 * nests deeper than MAX_PREDICATE_DEPTH, else with every run of AND/OR balanced. Same meaning.
 */
export function normalizeBound(expr: BoundExpr): BoundExpr {
  checkNesting(expr);
  const rebuild = (e: BoundExpr): BoundExpr => {
    if (e.kind === "not") return { kind: "not", arg: rebuild(e.arg) };
    if (e.kind !== "and" && e.kind !== "or") return e;
    return balancedJunction(e.kind, junctionTerms(e).map(rebuild), junction);
  };
  return rebuild(expr);
}

/**
 * Negation normal form: NOT pushed down to the leaves and removed (De Morgan, negated
 * comparisons, IN <-> NOT IN, IS NULL <-> IS NOT NULL). Exact in three-valued logic. Runs of
 * AND/OR are walked as lists (and come out balanced): recursion follows nesting only.
 */
export function toNegationNormalForm(expr: BoundExpr, negate = false): BoundExpr {
  switch (expr.kind) {
    case "not":
      return toNegationNormalForm(expr.arg, !negate);
    case "and":
    case "or": {
      const kind = negate ? (expr.kind === "and" ? "or" : "and") : expr.kind;
      return balancedJunction(kind, junctionTerms(expr).map((t) => toNegationNormalForm(t, negate)), junction);
    }
    default:
      return negate ? negateLeaf(expr) : expr;
  }
}

function negateLeaf(expr: BoundExpr): BoundExpr {
  switch (expr.kind) {
    case "const":
      return { kind: "const", value: expr.value === null ? null : !expr.value };
    case "compare":
    case "compareColumns":
    case "compareValues":
      return { ...expr, op: negateOp(expr.op) };
    case "in":
    case "isNull":
    case "isNullValue":
      return { ...expr, negated: !expr.negated };
    case "whenNotNull":
      return { ...expr, value: !expr.value };
    default:
      return { kind: "not", arg: expr };
  }
}
