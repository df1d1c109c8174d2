/**
 * The expression tree shared by the CLI `--where`, the HTTP API `where=`, replaceWhere and the
 * DML expressions (UPDATE SET, MERGE): column references (a path of names), literals that keep
 * their source text (so binding can coerce them exactly to a column's type), comparisons, IN
 * lists, IS [NOT] NULL, the boolean connectives, and the value nodes of value-ast.ts (arithmetic,
 * unary minus, `||`, CASE WHEN, COALESCE, CAST) wherever a value may stand.
 * Nodes are plain data (structurally comparable); parse positions live in a side table
 * (`sourceSpan`) so that `parse(print(e))` deep-equals `e`. Parentheses are not nodes: AND and OR
 * are binary and left-associative, and the printer adds only the parentheses the shape needs.
 */

import type { ValueNode } from "./value-ast.js";

/** Comparison operators in canonical form (`==` parses as `=`, `<>` as `!=`). */
export type CompareOp = "=" | "!=" | "<" | "<=" | ">" | ">=";

/** A reference to a (possibly nested) column: `a.b` is `["a", "b"]`. */
export interface ColumnRef {
  kind: "column";
  path: string[];
}

/** `NULL` */
export interface NullLiteral {
  kind: "literal";
  type: "null";
}

/** `TRUE` / `FALSE` */
export interface BooleanLiteral {
  kind: "literal";
  type: "boolean";
  value: boolean;
}

/**
 * A number, kept as its source text with the sign folded in (`-12`, `1.50`, `2.5e-3`):
 * `integer` has neither a point nor an exponent, `decimal` has a point, `float` an exponent.
 */
export interface NumberLiteral {
  kind: "literal";
  type: "integer" | "decimal" | "float";
  text: string;
}

/** A quoted string, unescaped (`'it''s'` is `it's`). */
export interface StringLiteral {
  kind: "literal";
  type: "string";
  value: string;
}

/**
 * `DATE '2021-01-01'`, `TIMESTAMP '2021-01-01 10:00:00.123456+02:00'`, `TIMESTAMP_NTZ '...'`:
 * the text inside the quotes, validated by the parser (see temporal.ts for the accepted forms).
 */
export interface TemporalLiteral {
  kind: "literal";
  type: "date" | "timestamp" | "timestamp_ntz";
  text: string;
}

/** Any literal. */
export type Literal = NullLiteral | BooleanLiteral | NumberLiteral | StringLiteral | TemporalLiteral;

/** A plain value: a column or a literal (also a predicate on its own if boolean). */
export type Operand = ColumnRef | Literal;

/** `left op right`; the operands are plain values or value expressions. */
export interface Comparison {
  kind: "compare";
  op: CompareOp;
  left: Expr;
  right: Expr;
}

/** `value [NOT] IN (v1, v2, ...)`; the list holds literals only and is never empty. */
export interface InList {
  kind: "in";
  value: Expr;
  list: Literal[];
  negated: boolean;
}

/** `value IS [NOT] NULL` */
export interface IsNull {
  kind: "isNull";
  value: Expr;
  negated: boolean;
}

/** `NOT arg` */
export interface Not {
  kind: "not";
  arg: Expr;
}

/** `left AND right` / `left OR right` */
export interface Junction {
  kind: "and" | "or";
  left: Expr;
  right: Expr;
}

/** Any expression: a predicate or a value. */
export type Expr = Operand | Comparison | InList | IsNull | Not | Junction | ValueNode;

/** Where a node came from in the parsed text (0-based, end exclusive). */
export interface SourceSpan {
  source: string;
  start: number;
  end: number;
}

const spans = new WeakMap<object, SourceSpan>();

/** Records where `node` was parsed from (used by the parser). */
export function setSourceSpan(node: object, span: SourceSpan): void {
  spans.set(node, span);
}

/** Where `node` was parsed from, if it came from the parser. */
export function sourceSpan(node: object): SourceSpan | undefined {
  return spans.get(node);
}

/**
 * The distinct column paths an expression references, in order of first appearance.
 * (The "`columns(expr)` function" of the design: what a scan must read or have stats for.)
 */
export function columns(expr: Expr): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  const stack: Expr[] = [expr]; // iterative: AND/OR chains may be thousands of nodes deep
  while (stack.length > 0) {
    const e = stack.pop() as Expr;
    if (e.kind === "column") {
      const key = JSON.stringify(e.path);
      if (!seen.has(key)) {
        seen.add(key);
        out.push([...e.path]);
      }
      continue;
    }
    const children = exprChildren(e);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Expr);
  }
  return out;
}

/** A node's operands, left to right (CASE: each branch's WHEN then THEN, then ELSE); none for a column or literal. */
export function exprChildren(e: Expr): Expr[] {
  switch (e.kind) {
    case "column":
    case "literal":
      return [];
    case "compare":
    case "and":
    case "or":
    case "arith":
    case "concat":
      return [e.left, e.right];
    case "in":
    case "isNull":
      return [e.value];
    case "not":
    case "negate":
    case "cast":
      return [e.arg];
    case "coalesce":
      return e.args;
    case "case": {
      const out = e.branches.flatMap((b) => [b.when, b.then]);
      if (e.otherwise) out.push(e.otherwise);
      return out;
    }
  }
}
