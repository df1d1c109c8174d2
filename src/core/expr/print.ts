/**
 * Prints an expression tree as canonical predicate text: upper-case keywords, `=` and `!=` for
 * equality, single spaces, backticks only where a name needs them, and only the parentheses the
 * tree's shape needs (AND/OR are left-associative, so a right operand of the same connective is
 * parenthesised). Literals print their kept source text, so `parse(print(e))` deep-equals `e`.
 */
import type { ColumnRef, Expr, Literal } from "./ast.js";
import { BARE_IDENT, RESERVED } from "./lexer.js";

/** Canonical SQL-ish text for an expression; parses back to an equal tree. */
export function print(expr: Expr): string {
  switch (expr.kind) {
    case "column":
      return printColumn(expr);
    case "literal":
      return printLiteral(expr);
    case "compare":
      return `${print(expr.left)} ${expr.op} ${print(expr.right)}`;
    case "in":
      return `${print(expr.value)} ${expr.negated ? "NOT IN" : "IN"} (${expr.list.map(printLiteral).join(", ")})`;
    case "isNull":
      return `${print(expr.value)} IS ${expr.negated ? "NOT NULL" : "NULL"}`;
    case "not":
      return `NOT ${wrapIf(expr.arg, expr.arg.kind === "and" || expr.arg.kind === "or")}`;
    case "and":
      return `${wrapIf(expr.left, expr.left.kind === "or")} AND ${wrapIf(expr.right, expr.right.kind === "or" || expr.right.kind === "and")}`;
    case "or":
      return `${print(expr.left)} OR ${wrapIf(expr.right, expr.right.kind === "or")}`;
  }
}

function wrapIf(expr: Expr, wrap: boolean): string {
  return wrap ? `(${print(expr)})` : print(expr);
}

/** Prints one name, backtick-quoting it unless it is a plain non-reserved identifier. */
export function printName(name: string): string {
  if (BARE_IDENT.test(name) && !RESERVED.has(name.toLowerCase())) return name;
  return "`" + name.replaceAll("`", "``") + "`";
}

/** Prints a column reference (`a.b`, `` `my col`.x ``). */
export function printColumn(column: ColumnRef): string {
  return column.path.map(printName).join(".");
}

/** Prints a literal (`NULL`, `TRUE`, `-1.50`, `'it''s'`, `DATE '2021-01-01'`...). */
export function printLiteral(literal: Literal): string {
  switch (literal.type) {
    case "null":
      return "NULL";
    case "boolean":
      return literal.value ? "TRUE" : "FALSE";
    case "integer":
    case "decimal":
    case "float":
      return literal.text;
    case "string":
      return quote(literal.value);
    case "date":
      return `DATE ${quote(literal.text)}`;
    case "timestamp":
      return `TIMESTAMP ${quote(literal.text)}`;
    case "timestamp_ntz":
      return `TIMESTAMP_NTZ ${quote(literal.text)}`;
  }
}

function quote(text: string): string {
  return "'" + text.replaceAll("'", "''") + "'";
}
