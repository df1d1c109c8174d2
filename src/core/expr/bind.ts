/**
 * Binding: a parsed expression plus the columns a schema provides -> a bound expression the
 * evaluators understand. Column paths resolve exactly first, then case-insensitively (an error if
 * that is ambiguous); unknown columns are InvalidInputErrors listing the available ones. Literals
 * are coerced to their column's canonical scalar type exactly (coerce.ts); literal-only
 * comparisons are folded to constants; a bare boolean column `b` means `b = TRUE`. Comparisons,
 * IN and IS NULL on computed values (arithmetic, CASE, ...) bind through bind-value.ts into
 * `compareValues` / `isNullValue` leaves (both sides cast to their common type); `bindValue`
 * binds a value expression on its own (UPDATE SET, MERGE values).
 * Size: the nesting bound is checked first (shape.ts), each run of AND/OR becomes a balanced
 * tree, column lookups are hashed and IN lists deduplicated by sorting, so binding is
 * O(n log n) in the predicate and the bound tree is shallow enough for recursive evaluators.
 */
import type { DataType, Scalar } from "../schema/types.js";
import type { ColumnRef, CompareOp, Expr, Literal, Operand } from "./ast.js";
import { flipOp, opHolds, type BoundColumn, type BoundExpr, type ColumnDef } from "./bound.js";
import { bindComparison, equalityValue, toDomain, typeName, type DomainValue } from "./coerce.js";
import { compareValues } from "./compare.js";
import { exprError } from "./expr-error.js";
import { parse } from "./parse.js";
import { printColumn, printLiteral, printName } from "./print.js";
import { balancedJunction, checkNesting, junctionTerms } from "./shape.js";
import { bindValueExpr, isValueNode } from "./bind-value.js";
import { castTo, type BoundValue } from "./bound-value.js";
import { commonType, isType } from "./value-types.js";

/** Options for bind. */
export interface BindOptions {
  /** The columns predicates may reference (see `columnsOf` for a schema's columns). */
  columns: readonly ColumnDef[];
}

/** Binds `expr` to `columns`. Throws InvalidInputError for unknown columns and type mismatches. */
export function bind(expr: Expr, options: BindOptions): BoundExpr {
  checkNesting(expr);
  return new Binder(options.columns).bind(expr);
}

/**
 * Binds a value expression (see bind-value.ts) to `columns`.
 * @throws InvalidInputError for unknown columns, type errors and expressions nested too deep.
 */
export function bindValue(expr: Expr, options: BindOptions): BoundValue {
  return new Binder(options.columns).value(expr);
}

/** Parses and binds predicate text in one step. */
export function parsePredicate(text: string, options: BindOptions): BoundExpr {
  return bind(parse(text), options);
}

const MAX_LISTED = 40;

class Binder {
  constructor(private readonly defs: readonly ColumnDef[]) {}

  /** Binds a value expression, predicates inside it with this binder. */
  value(e: Expr): BoundValue {
    return bindValueExpr(e, { resolve: (ref) => this.resolve(ref), predicate: (x) => this.bind(x) });
  }

  bind(e: Expr): BoundExpr {
    if (isValueNode(e)) return this.valuePredicate(e);
    switch (e.kind) {
      case "not":
        return { kind: "not", arg: this.bind(e.arg) };
      case "and":
      case "or":
        return balancedJunction(
          e.kind,
          junctionTerms(e).map((t) => this.bind(t)),
          (kind, left, right): BoundExpr => ({ kind, left, right }),
        );
      case "literal":
        if (e.type === "null") return { kind: "const", value: null };
        if (e.type === "boolean") return { kind: "const", value: e.value };
        throw exprError(`${describe(e)} is not a predicate`, e);
      case "column": {
        const column = this.resolve(e);
        if (isVoid(column.type)) return { kind: "const", value: null };
        if (column.type.kind !== "primitive" || column.type.name !== "boolean") {
          throw exprError(`column ${printColumn(e)} of type ${typeName(column.type)} is not a boolean predicate`, e);
        }
        return { kind: "compare", op: "=", column, value: true };
      }
      case "isNull":
        if (e.value.kind === "literal") return { kind: "const", value: (e.value.type === "null") !== e.negated };
        if (e.value.kind === "column") return { kind: "isNull", column: this.resolve(e.value), negated: e.negated };
        return { kind: "isNullValue", value: this.value(e.value), negated: e.negated };
      case "in":
        if (e.value.kind !== "column" && e.value.kind !== "literal") return this.bindInValues(e.value, e.list, e.negated, e);
        return this.bindIn(e.value, e.list, e.negated);
      case "compare":
        if (!isOperand(e.left) || !isOperand(e.right)) return this.bindCompareValues(e.op, e.left, e.right, e);
        return this.bindCompare(e.op, e.left, e.right, e);
      default:
        throw exprError("not a predicate", e);
    }
  }

  /** A computed value used as a predicate: it must be a boolean. */
  private valuePredicate(e: Expr): BoundExpr {
    const v = this.value(e);
    if (isType(v.type, "void")) return { kind: "const", value: null };
    if (!isType(v.type, "boolean")) throw exprError(`an expression of type ${typeName(v.type)} is not a predicate`, e);
    return { kind: "compareValues", op: "=", left: v, right: { kind: "literal", type: v.type, value: true } };
  }

  /** `left op right` where a side is computed: both cast to their common type. */
  private bindCompareValues(op: CompareOp, left: Expr, right: Expr, node: Expr): BoundExpr {
    const l = this.value(left);
    const r = this.value(right);
    const type = commonType([l.type, r.type]);
    if (type === undefined || (!isType(type, "void") && comparableClass(type) === undefined)) {
      throw exprError(`cannot compare a value of type ${typeName(l.type)} with one of type ${typeName(r.type)}`, node);
    }
    if (isType(type, "void")) return { kind: "const", value: null };
    return { kind: "compareValues", op, left: castTo(l, type), right: castTo(r, type) };
  }

  /** `value [NOT] IN (list)` on a computed value: `value = a OR value = b ...` (same three-valued result). */
  private bindInValues(value: Expr, list: Literal[], negated: boolean, node: Expr): BoundExpr {
    const terms = list.map((item) => this.bindCompareValues("=", value, item, node));
    const any = balancedJunction("or", terms, (kind, left, right): BoundExpr => ({ kind, left, right }));
    return negated ? { kind: "not", arg: any } : any;
  }

  private bindCompare(op: CompareOp, left: Operand, right: Operand, node: Expr): BoundExpr {
    if (left.kind === "column" && right.kind === "column") {
      const l = this.resolve(left);
      const r = this.resolve(right);
      if (isVoid(l.type) || isVoid(r.type)) return { kind: "const", value: null };
      if (comparableClass(l.type) === undefined || comparableClass(l.type) !== comparableClass(r.type)) {
        throw exprError(`cannot compare ${describeColumn(l)} with ${describeColumn(r)}`, node);
      }
      return { kind: "compareColumns", op, left: l, right: r };
    }
    if (left.kind === "column" || right.kind === "column") {
      const [ref, lit, o] = left.kind === "column" ? [left, right as Literal, op] : [right as ColumnRef, left, flipOp(op)];
      const column = this.resolve(ref);
      if (isVoid(column.type)) return { kind: "const", value: null };
      this.checkComparable(column, ref);
      return bindComparison(column, o, lit);
    }
    return foldLiterals(op, left, right, node);
  }

  private bindIn(value: Operand, list: Literal[], negated: boolean): BoundExpr {
    if (value.kind === "literal") {
      // Fold: v IN (a, b) is v = a OR v = b; NOT IN is its negation.
      let acc: boolean | null = false;
      for (const item of list) acc = or3(acc, foldValue(foldLiterals("=", value, item, item)));
      return { kind: "const", value: negated ? (acc === null ? null : !acc) : acc };
    }
    const column = this.resolve(value);
    if (isVoid(column.type)) return { kind: "const", value: null };
    this.checkComparable(column, value);
    const all: Scalar[] = [];
    let hasNull = false;
    for (const item of list) {
      const v = equalityValue(column, item);
      if (v === null) hasNull = true;
      else if (v !== undefined) all.push(v);
    }
    const values = distinct(all);
    if (values.length === 0) {
      // No value can equal: IN is false (null with a NULL in the list) for every non-null row.
      if (hasNull) return { kind: "const", value: null };
      return { kind: "whenNotNull", column, value: negated };
    }
    return { kind: "in", column, values, hasNull, negated };
  }

  private checkComparable(column: BoundColumn, ref: ColumnRef): void {
    if (comparableClass(column.type) === undefined) {
      throw exprError(`cannot compare ${describeColumn(column)}; only IS [NOT] NULL applies to it`, ref);
    }
  }

  /** Column indexes by exact path and by case-folded path (built on first use). */
  private index: { exact: Map<string, number>; folded: Map<string, number[]> } | undefined;

  /** Resolves a column reference: exact path first, then a unique case-insensitive match. */
  private resolve(ref: ColumnRef): BoundColumn {
    if (this.index === undefined) {
      const exact = new Map<string, number>();
      const folded = new Map<string, number[]>();
      this.defs.forEach((d, i) => {
        const key = JSON.stringify(d.path);
        if (!exact.has(key)) exact.set(key, i);
        const fold = JSON.stringify(d.path.map((p) => p.toLowerCase()));
        const list = folded.get(fold);
        if (list === undefined) folded.set(fold, [i]);
        else list.push(i);
      });
      this.index = { exact, folded };
    }
    let index = this.index.exact.get(JSON.stringify(ref.path)) ?? -1;
    if (index === -1) {
      const matches = this.index.folded.get(JSON.stringify(ref.path.map((p) => p.toLowerCase()))) ?? [];
      if (matches.length > 1) {
        const names = matches.map((i) => pathText(this.defs[i]?.path ?? [])).join(", ");
        throw exprError(`ambiguous column ${printColumn(ref)}: matches ${names}`, ref);
      }
      if (matches.length === 0) {
        const all = this.defs.map((d) => pathText(d.path));
        const listed = all.slice(0, MAX_LISTED).join(", ") + (all.length > MAX_LISTED ? `, ... (${all.length} in all)` : "");
        throw exprError(`unknown column ${printColumn(ref)} (available: ${listed || "none"})`, ref);
      }
      index = matches[0] as number;
    }
    const def = this.defs[index] as ColumnDef;
    return { path: [...def.path], type: def.type, index };
  }
}

/** The distinct values (under compareValues) in order of first appearance; O(n log n). */
function distinct(values: readonly Scalar[]): Scalar[] {
  const order = values.map((_, i) => i).sort((a, b) => compareValues(values[a] as Scalar, values[b] as Scalar) || a - b);
  const keep = new Uint8Array(values.length);
  order.forEach((i, k) => {
    if (k === 0 || compareValues(values[order[k - 1] as number] as Scalar, values[i] as Scalar) !== 0) keep[i] = 1;
  });
  return values.filter((_, i) => keep[i] === 1);
}

function pathText(path: readonly string[]): string {
  return path.map(printName).join(".");
}

function describeColumn(c: BoundColumn): string {
  return `column ${pathText(c.path)} of type ${typeName(c.type)}`;
}

function describe(l: Literal): string {
  return `${/^[aeiou]/.test(l.type) ? "an" : "a"} ${l.type} literal`;
}

function isOperand(e: Expr): e is Operand {
  return e.kind === "column" || e.kind === "literal";
}

function isVoid(type: DataType): boolean {
  return type.kind === "primitive" && type.name === "void";
}

/** Which types compare with which: undefined for types that do not compare at all. */
function comparableClass(type: DataType): string | undefined {
  if (type.kind !== "primitive") return undefined;
  switch (type.name) {
    case "byte":
    case "short":
    case "integer":
    case "long":
    case "decimal":
    case "float":
    case "double":
      return "number";
    case "timestamp":
    case "timestamp_ntz":
      return "timestamp";
    case "variant":
    case "void":
      return undefined;
    default:
      return type.name;
  }
}

/**
 * Folds a literal-only comparison: numbers compare exactly, temporal literals as timestamps
 * (strings parsed to match), booleans and strings as themselves. Mismatched kinds are errors.
 */
function foldLiterals(op: CompareOp, left: Literal, right: Literal, node: object): BoundExpr {
  if (left.type === "null" || right.type === "null") return { kind: "const", value: null };
  const kinds = [left.type, right.type];
  let type: DataType;
  if (kinds.some((k) => k === "integer" || k === "decimal" || k === "float")) {
    type = { kind: "primitive", name: "decimal", precision: 1000, scale: 0 };
  } else if (kinds.some((k) => k === "date" || k === "timestamp" || k === "timestamp_ntz")) {
    type = { kind: "primitive", name: "timestamp" };
  } else if (kinds.includes("boolean")) {
    type = { kind: "primitive", name: "boolean" };
  } else {
    type = { kind: "primitive", name: "string" };
  }
  const pseudo: BoundColumn = { path: ["<literal>"], type, index: -1 };
  let a: DomainValue;
  let b: DomainValue;
  try {
    a = toDomain(left, pseudo);
    b = toDomain(right, pseudo);
  } catch {
    throw exprError(`cannot compare ${printLiteral(left)} with ${printLiteral(right)}`, node);
  }
  const cmp = (x: DomainValue, y: DomainValue): number | undefined => {
    if (x.kind === "exact" && y.kind === "exact") return compareValues(x.value, y.value);
    if (x.kind === "discrete" && y.kind === "discrete") {
      const l = x.r.num * y.r.den;
      const r = y.r.num * x.r.den;
      return l < r ? -1 : l > r ? 1 : 0;
    }
    return undefined;
  };
  const c = cmp(a, b);
  if (c === undefined) throw exprError(`cannot compare ${printLiteral(left)} with ${printLiteral(right)}`, node);
  return { kind: "const", value: opHolds(op, c) };
}

function foldValue(e: BoundExpr): boolean | null {
  return e.kind === "const" ? e.value : null;
}

function or3(a: boolean | null, b: boolean | null): boolean | null {
  if (a === true || b === true) return true;
  return a === null || b === null ? null : false;
}
