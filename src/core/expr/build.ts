/**
 * Building predicates in code (the asset layer's partition filters, replaceWhere for a partition,
 * tests) without assembling text: node constructors, and `literalOf`, which turns a canonical
 * scalar of a column type into a literal that binds back to exactly that scalar. Text built with
 * `print` from these trees is safe to hand to the CLI or the HTTP API.
 */
import { InvalidInputError } from "../errors.js";
import type { DataType, Scalar } from "../schema/types.js";
import type { ColumnRef, CompareOp, Expr, Literal, Operand } from "./ast.js";
import { isDecimal } from "./compare.js";
import { floorDiv } from "./numeric.js";
import { formatDate, formatTimestamp, MICROS_PER_DAY } from "./temporal.js";

/** A column reference: `col("a", "b")` is `a.b`. */
export function col(...path: string[]): ColumnRef {
  if (path.length === 0 || path.some((p) => p === "")) throw new InvalidInputError("a column path needs non-empty names");
  return { kind: "column", path };
}

/** `left op right` */
export function cmp(left: Operand, op: CompareOp, right: Operand): Expr {
  return { kind: "compare", op, left, right };
}

/** `value [NOT] IN (list)`; an empty list is an error (the grammar has no empty IN). */
export function isIn(value: Operand, list: Literal[], negated = false): Expr {
  if (list.length === 0) throw new InvalidInputError("IN needs at least one value");
  return { kind: "in", value, list, negated };
}

/** `value IS [NOT] NULL` */
export function isNull(value: Operand, negated = false): Expr {
  return { kind: "isNull", value, negated };
}

/** `NOT arg` */
export function not(arg: Expr): Expr {
  return { kind: "not", arg };
}

/** `a AND b AND ...` (left-associative); no arguments is TRUE. */
export function and(...args: Expr[]): Expr {
  return junction("and", args, true);
}

/** `a OR b OR ...` (left-associative); no arguments is FALSE. */
export function or(...args: Expr[]): Expr {
  return junction("or", args, false);
}

function junction(kind: "and" | "or", args: Expr[], empty: boolean): Expr {
  const [first, ...rest] = args;
  if (first === undefined) return { kind: "literal", type: "boolean", value: empty };
  return rest.reduce<Expr>((left, right) => ({ kind, left, right }), first);
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * A literal for a canonical scalar of `type` that binds back to an equal scalar on a column of
 * that type (NaN and infinities become strings, decimals keep their scale, dates and timestamps
 * typed literals in UTC). Throws InvalidInputError when the value has no literal form (binary
 * that is not UTF-8, years outside 0001-9999, non-primitive types) or is not of the type.
 */
export function literalOf(value: Scalar, type: DataType): Literal {
  if (value === null) return { kind: "literal", type: "null" };
  const bad = (why = `is not a canonical ${type.kind === "primitive" ? type.name : type.kind} value`): never => {
    throw new InvalidInputError(`cannot write ${typeof value === "bigint" ? `${value}n` : String(value)} as a predicate literal: ${why}`);
  };
  if (type.kind !== "primitive") return bad();
  switch (type.name) {
    case "byte":
    case "short":
    case "integer":
    case "long":
      if (typeof value === "bigint" || (typeof value === "number" && Number.isSafeInteger(value))) {
        return { kind: "literal", type: "integer", text: String(value) };
      }
      return bad();
    case "float":
    case "double": {
      if (typeof value !== "number") return bad();
      if (!Number.isFinite(value)) return { kind: "literal", type: "string", value: String(value) };
      return numberLiteral(Object.is(value, -0) ? "-0.0" : String(value));
    }
    case "decimal":
      return isDecimal(value) ? numberLiteral(decimalText(value.unscaled, value.scale)) : bad();
    case "string":
      return typeof value === "string" ? { kind: "literal", type: "string", value } : bad();
    case "boolean":
      return typeof value === "boolean" ? { kind: "literal", type: "boolean", value } : bad();
    case "binary":
      if (!(value instanceof Uint8Array)) return bad();
      try {
        return { kind: "literal", type: "string", value: strictUtf8.decode(value) };
      } catch {
        return bad("binary that is not UTF-8 has no literal form");
      }
    case "date": {
      if (typeof value !== "number" || !Number.isInteger(value)) return bad();
      checkYear(value, bad);
      return { kind: "literal", type: "date", text: formatDate(value) };
    }
    case "timestamp":
    case "timestamp_ntz": {
      if (typeof value !== "bigint") return bad();
      checkYear(Number(floorDiv(value, MICROS_PER_DAY)), bad);
      const text = formatTimestamp(value);
      return type.name === "timestamp"
        ? { kind: "literal", type: "timestamp", text: `${text}Z` }
        : { kind: "literal", type: "timestamp_ntz", text };
    }
    default:
      return bad(`${type.name} values have no literal form`);
  }
}

const MIN_DAY = -719162; // 0001-01-01
const MAX_DAY = 2932896; // 9999-12-31

function checkYear(days: number, bad: (why?: string) => never): void {
  if (days < MIN_DAY || days > MAX_DAY) bad("only years 0001-9999 have a literal form");
}

function numberLiteral(text: string): Literal {
  return { kind: "literal", type: /e/i.test(text) ? "float" : text.includes(".") ? "decimal" : "integer", text };
}

function decimalText(unscaled: bigint, scale: number): string {
  if (scale <= 0) return (unscaled * 10n ** BigInt(-scale)).toString();
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, "0");
  return `${negative ? "-" : ""}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}
