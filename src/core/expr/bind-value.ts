/**
 * Binding value expressions: parsed nodes (literals, columns, value nodes of value-ast.ts and
 * predicates used as booleans) -> typed BoundValues. Literals take their natural type (integers
 * as int, long or decimal by size, `1.50` as decimal(3,2), `1e3` as double, DATE/TIMESTAMP
 * literals as such); arithmetic types follow value-types.ts; CASE/COALESCE operands are cast to
 * their common type; CAST checks the conversion is one that exists. Type errors are
 * InvalidInputErrors naming the expression and its position. Trees deeper than
 * MAX_VALUE_DEPTH are refused before any recursive walk (checked iteratively), so no input can
 * exhaust the stack; binding is linear in the size of the expression.
 */
import { InvalidInputError } from "../errors.js";
import type { DataType, PrimitiveType, Scalar } from "../schema/types.js";
import type { ColumnRef, Expr, Literal } from "./ast.js";
import { exprChildren } from "./ast.js";
import type { BoundColumn, BoundExpr } from "./bound.js";
import { castTo, type BoundValue } from "./bound-value.js";
import { typeName } from "./coerce.js";
import { exprError } from "./expr-error.js";
import { INTEGER_RANGES, parseRational } from "./numeric.js";
import { parseDate, parseTimestamp } from "./temporal.js";
import { NULL_TYPE, arithmeticType, commonType, isNull, isNumeric, isType, MAX_DECIMAL_PRECISION } from "./value-types.js";
import { VALUE_KINDS } from "./value-ast.js";

/** The deepest value expression accepted (each operator, function or parenthesized level counts). */
export const MAX_VALUE_DEPTH = 256;

/** What value binding needs from the predicate binder. */
export interface ValueScope {
  /** Resolves a column reference (unknown columns throw). */
  resolve(ref: ColumnRef): BoundColumn;
  /** Binds a predicate (for CASE WHEN conditions and predicates used as values). */
  predicate(e: Expr): BoundExpr;
}

/** Binds a value expression. Throws InvalidInputError for unknown columns and type errors. */
export function bindValueExpr(e: Expr, scope: ValueScope): BoundValue {
  checkValueDepth(e);
  return new ValueBinder(scope).bind(e);
}

/** Whether a parsed node is a value node (not a plain operand or predicate). */
export function isValueNode(e: Expr): boolean {
  return VALUE_KINDS.has(e.kind);
}

class ValueBinder {
  constructor(private readonly scope: ValueScope) {}

  bind(e: Expr): BoundValue {
    switch (e.kind) {
      case "literal":
        return literalValue(e);
      case "column": {
        const column = this.scope.resolve(e);
        return { kind: "column", type: column.type, column };
      }
      case "arith": {
        const left = this.bind(e.left);
        const right = this.bind(e.right);
        const type = arithmeticType(e.op, left.type, right.type);
        if (!type) throw exprError(`cannot apply ${e.op} to ${typeName(left.type)} and ${typeName(right.type)}`, e);
        return { kind: "arith", type, op: e.op, left, right };
      }
      case "negate": {
        const arg = this.bind(e.arg);
        if (!isNumeric(arg.type) && !isNull(arg.type)) throw exprError(`cannot negate a value of type ${typeName(arg.type)}`, e);
        return { kind: "negate", type: isNull(arg.type) ? INTEGER : arg.type, arg };
      }
      case "concat": {
        const args = [this.bind(e.left), this.bind(e.right)].flatMap((a) => (a.kind === "concat" ? a.args : [a]));
        for (const a of args) {
          if (a.type.kind !== "primitive" || !canCast(a.type, STRING)) throw exprError(`cannot concatenate a value of type ${typeName(a.type)}`, e);
        }
        return { kind: "concat", type: STRING, args };
      }
      case "coalesce": {
        const args = e.args.map((a) => this.bind(a));
        const type = commonType(args.map((a) => a.type));
        if (!type) throw exprError(`COALESCE arguments have no common type (${args.map((a) => typeName(a.type)).join(", ")})`, e);
        return { kind: "coalesce", type, args: args.map((a) => castTo(a, type)) };
      }
      case "case": {
        const branches = e.branches.map((b) => ({ when: this.scope.predicate(b.when), then: this.bind(b.then) }));
        const otherwise = e.otherwise === undefined ? undefined : this.bind(e.otherwise);
        const types = [...branches.map((b) => b.then.type), ...(otherwise ? [otherwise.type] : [])];
        const type = commonType(types);
        if (!type) throw exprError(`CASE branches have no common type (${types.map(typeName).join(", ")})`, e);
        return {
          kind: "case",
          type,
          branches: branches.map((b) => ({ when: b.when, then: castTo(b.then, type) })),
          otherwise: otherwise && castTo(otherwise, type),
        };
      }
      case "cast": {
        const arg = this.bind(e.arg);
        if (!canCast(arg.type, e.type)) throw exprError(`cannot CAST a value of type ${typeName(arg.type)} to ${e.typeText}`, e);
        return castTo(arg, e.type);
      }
      default:
        // A predicate used as a value: a boolean.
        return { kind: "predicate", type: BOOLEAN, expr: this.scope.predicate(e) };
    }
  }
}

const STRING: DataType = { kind: "primitive", name: "string" };
const BOOLEAN: DataType = { kind: "primitive", name: "boolean" };
const INTEGER: DataType = { kind: "primitive", name: "integer" };

/** Whether CAST from one type to another exists (values may still fail to convert). */
export function canCast(from: DataType, to: DataType): boolean {
  if (from.kind !== "primitive" || to.kind !== "primitive") return JSON.stringify(from) === JSON.stringify(to);
  if (isNull(from) || from.name === to.name) return true;
  const numericOrBool = (t: DataType) => isNumeric(t) || isType(t, "boolean");
  if (isType(to, "string")) return !isType(from, "variant");
  if (isType(from, "string")) return !isType(to, "variant", "void");
  if (numericOrBool(from) && numericOrBool(to)) return true;
  if (isType(from, "date", "timestamp", "timestamp_ntz") && isType(to, "date", "timestamp", "timestamp_ntz")) return true;
  return false;
}

/** A literal as a typed constant. */
export function literalValue(l: Literal): BoundValue {
  const constant = (type: DataType, value: Scalar): BoundValue => ({ kind: "literal", type, value });
  switch (l.type) {
    case "null":
      return constant(NULL_TYPE, null);
    case "boolean":
      return constant(BOOLEAN, l.value);
    case "string":
      return constant(STRING, l.value);
    case "integer": {
      // Text longer than any integer type is refused before BigInt (parsing it is superlinear).
      if (l.text.replace(/^[+-]?0*/, "").length > MAX_DECIMAL_PRECISION) throw exprError(`integer literal ${l.text.slice(0, 50)}${l.text.length > 50 ? "..." : ""} has more than ${MAX_DECIMAL_PRECISION} digits`, l);
      const n = BigInt(l.text);
      const int = INTEGER_RANGES.integer;
      if (n >= (int.min as bigint) && n <= (int.max as bigint)) return constant(INTEGER, Number(n));
      const long = INTEGER_RANGES.long;
      if (n >= (long.min as bigint) && n <= (long.max as bigint)) return constant({ kind: "primitive", name: "long" }, n);
      const digits = (n < 0n ? -n : n).toString().length;
      return constant({ kind: "primitive", name: "decimal", precision: digits, scale: 0 }, { unscaled: n, scale: 0 });
    }
    case "decimal": {
      const text = l.text.replace(/^\+/, "");
      const [whole = "", fraction = ""] = text.replace("-", "").split(".");
      const scale = fraction.length;
      const precision = Math.max(scale, whole.replace(/^0+/, "").length + scale, 1);
      if (precision > MAX_DECIMAL_PRECISION) return constant({ kind: "primitive", name: "double" }, Number(text));
      const unscaled = BigInt(text.replace(".", "") || "0");
      return constant({ kind: "primitive", name: "decimal", precision, scale }, { unscaled, scale });
    }
    case "float": {
      const r = parseRational(l.text);
      if (!r) throw exprError(`invalid number ${l.text}`, l);
      return constant({ kind: "primitive", name: "double" }, Number(l.text));
    }
    case "date": {
      const days = parseDate(l.text);
      if (days === undefined) throw exprError(`invalid DATE literal '${l.text}'`, l);
      return constant({ kind: "primitive", name: "date" }, days);
    }
    case "timestamp":
    case "timestamp_ntz": {
      const ts = parseTimestamp(l.text);
      if (!ts || (l.type === "timestamp_ntz" && ts.hasZone)) throw exprError(`invalid ${l.type.toUpperCase()} literal '${l.text}'`, l);
      return constant({ kind: "primitive", name: l.type } as PrimitiveType, ts.micros);
    }
  }
}

/**
 * Refuses value expressions nested deeper than MAX_VALUE_DEPTH (a run of AND or OR counts once,
 * as for predicates). Iterative.
 */
export function checkValueDepth(e: Expr): void {
  const stack: [Expr, number][] = [[e, 1]];
  while (stack.length > 0) {
    const [x, depth] = stack.pop() as [Expr, number];
    if (depth > MAX_VALUE_DEPTH) {
      throw new InvalidInputError(`expression nests deeper than ${MAX_VALUE_DEPTH} levels (each operator, function, NOT and parenthesis is a level)`);
    }
    for (const [child, step] of children(x)) stack.push([child, depth + step]);
  }
}

/** A node's children and how much deeper each one is (0 inside a run of the same AND/OR). */
function children(x: Expr): [Expr, number][] {
  const run = x.kind === "and" || x.kind === "or";
  return exprChildren(x).map((c) => [c, run && c.kind === x.kind ? 0 : 1]);
}
