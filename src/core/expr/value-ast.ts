/**
 * The value nodes of the expression grammar (UPDATE SET, MERGE values and comparisons of
 * computed values): arithmetic, unary minus, string concatenation, CASE WHEN, COALESCE and CAST.
 * Their operands are any expressions (a predicate used as a value is a boolean); binding types
 * them (bind-value.ts). Plain data, like the predicate nodes of ast.ts.
 */
import type { DataType } from "../schema/types.js";
import type { Expr } from "./ast.js";

/** `left op right` with op one of + - * / */
export interface Arithmetic {
  kind: "arith";
  op: "+" | "-" | "*" | "/";
  left: Expr;
  right: Expr;
}

/** `-arg` (on a non-literal: `-5` is a literal). */
export interface Negate {
  kind: "negate";
  arg: Expr;
}

/** `left || right` (string concatenation). */
export interface Concat {
  kind: "concat";
  left: Expr;
  right: Expr;
}

/** `CASE WHEN c THEN v ... [ELSE v] END` */
export interface CaseWhen {
  kind: "case";
  branches: { when: Expr; then: Expr }[];
  otherwise: Expr | undefined;
}

/** `COALESCE(a, b, ...)` */
export interface Coalesce {
  kind: "coalesce";
  args: Expr[];
}

/** `CAST(arg AS type)`; `typeText` is the type as written (for printing). */
export interface Cast {
  kind: "cast";
  arg: Expr;
  type: DataType;
  typeText: string;
}

/** Any value node. */
export type ValueNode = Arithmetic | Negate | Concat | CaseWhen | Coalesce | Cast;

/** The value node kinds. */
export const VALUE_KINDS: ReadonlySet<string> = new Set(["arith", "negate", "concat", "case", "coalesce", "cast"]);
