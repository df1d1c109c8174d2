/**
 * Prints an expression tree as canonical predicate text: upper-case keywords, `=` and `!=` for
 * equality, single spaces, backticks only where a name needs them, and only the parentheses the
 * tree's shape needs (AND/OR are left-associative, so a right operand of the same connective is
 * parenthesised). Literals print their kept source text, so `parse(print(e))` deep-equals `e`.
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
        parts = [item.left, ` ${item.op} `, item.right];
        break;
      case "in":
        parts = [item.value, ` ${item.negated ? "NOT IN" : "IN"} (${item.list.map(printLiteral).join(", ")})`];
        break;
      case "isNull":
        parts = [item.value, ` IS ${item.negated ? "NOT NULL" : "NULL"}`];
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
