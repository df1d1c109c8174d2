/**
 * Prints an expression tree as canonical predicate text: upper-case keywords, `=` and `!=` for
 * equality, single spaces, backticks only where a name needs them, and only the parentheses the
 * tree's shape needs (AND/OR and the arithmetic operators are left-associative, so a right
 * operand of the same precedence is parenthesised; operands of a tighter-binding operator that
 * bind looser are too). Literals print their kept source text, so `parse(print(e))` deep-equals `e`.
 */
import type { ColumnRef, Expr, Literal } from "./ast.js";
import { BARE_IDENT, RESERVED } from "./lexer.js";

/**
 * Canonical SQL-ish text for an expression; parses back to an equal tree. Iterative (an explicit
 * stack of pieces still to print), so chains of any length and depth print in linear time.
 */
export function print(expr: Expr): string {
  const out: string[] = [];
  const todo: (Expr | string)[] = [expr];
  const wrapped = (e: Expr, wrap: boolean): (Expr | string)[] => (wrap ? ["(", e, ")"] : [e]);
  while (todo.length > 0) {
    const item = todo.pop() as Expr | string;
    if (typeof item === "string") {
      out.push(item);
      continue;
    }
    let parts: (Expr | string)[];
    switch (item.kind) {
      case "column":
        parts = [printColumn(item)];
        break;
      case "literal":
        parts = [printLiteral(item)];
        break;
      case "compare":
        parts = [...wrapped(item.left, level(item.left) < SUM), ` ${item.op} `, ...wrapped(item.right, level(item.right) < SUM)];
        break;
      case "in":
        parts = [...wrapped(item.value, level(item.value) < SUM), ` ${item.negated ? "NOT IN" : "IN"} (${item.list.map(printLiteral).join(", ")})`];
        break;
      case "isNull":
        parts = [...wrapped(item.value, level(item.value) < SUM), ` IS ${item.negated ? "NOT NULL" : "NULL"}`];
        break;
      case "arith":
      case "concat": {
        const own = level(item);
        const op = item.kind === "concat" ? "||" : item.op;
        parts = [...wrapped(item.left, level(item.left) < own), ` ${op} `, ...wrapped(item.right, level(item.right) <= own)];
        break;
      }
      case "negate":
        parts = ["-", ...wrapped(item.arg, level(item.arg) < UNARY || (item.arg.kind === "literal" && item.arg.type !== "string" && item.arg.type !== "null"))];
        break;
      case "case":
        parts = ["CASE"];
        for (const b of item.branches) parts.push(" WHEN ", b.when, " THEN ", b.then);
        if (item.otherwise) parts.push(" ELSE ", item.otherwise);
        parts.push(" END");
        break;
      case "coalesce":
        parts = ["COALESCE("];
        item.args.forEach((a, i) => parts.push(...(i === 0 ? [] : [", "]), a));
        parts.push(")");
        break;
      case "cast":
        parts = ["CAST(", item.arg, ` AS ${item.typeText})`];
        break;
      case "not":
        parts = ["NOT ", ...wrapped(item.arg, item.arg.kind === "and" || item.arg.kind === "or")];
        break;
      case "and":
        parts = [...wrapped(item.left, item.left.kind === "or"), " AND ", ...wrapped(item.right, item.right.kind === "or" || item.right.kind === "and")];
        break;
      case "or":
        parts = [item.left, " OR ", ...wrapped(item.right, item.right.kind === "or")];
        break;
    }
    for (let i = parts.length - 1; i >= 0; i--) todo.push(parts[i] as Expr | string);
  }
  return out.join("");
}

const SUM = 5;
const UNARY = 7;

/** How tightly a node binds (higher: tighter), for parenthesising. */
function level(e: Expr): number {
  switch (e.kind) {
    case "or":
      return 1;
    case "and":
      return 2;
    case "not":
      return 3;
    case "compare":
    case "in":
    case "isNull":
      return 4;
    case "concat":
      return SUM;
    case "arith":
      return e.op === "+" || e.op === "-" ? SUM : 6;
    case "negate":
      return UNARY;
    default:
      return 8;
  }
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
