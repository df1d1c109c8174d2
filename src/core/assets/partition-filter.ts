/**
 * The predicate selecting a slice's partitions, built as an expression tree (expr/build) and
 * printed, so names and values are always quoted correctly. Static and dynamic keys become
 * `col = v` / `col IN (...)` with literals of the column's type; time windows become
 * `col >= start AND col < end` per merged range (timestamp: instants; timestamp_ntz: wall clock;
 * date: days, for windows of whole days; integers: epoch seconds; string: the keys themselves).
 * Multi-partitions AND their dimensions (OR of per-key conjunctions when the keys are not a cross
 * product). Supported column types: string, byte/short/integer/long, date, timestamp(_ntz).
 */
import { InvalidInputError } from "../errors.js";
import type { Expr, Literal } from "../expr/ast.js";
import { and, cmp, col, isIn, literalOf, or } from "../expr/build.js";
import { print } from "../expr/print.js";
import { parseDateString, parseDateTimeString } from "../schema/datetime.js";
import type { DataType, Scalar, StructType } from "../schema/types.js";
import type { DimensionDefinition } from "./partitions/definitions.js";
import type { ZonedWindow } from "./partitions/time-window.js";
import type { SlicePartitions } from "./table-slice.js";

const SUPPORTED = ["string", "byte", "short", "integer", "long", "date", "timestamp", "timestamp_ntz"];

/** A partition predicate: the tree and its text. */
export interface PartitionFilter {
  expr: Expr;
  text: string;
}

/**
 * Builds the predicate of `partitions` against the table (or data) schema `schema`; with
 * `qualifier`, columns are referenced as `qualifier.column` (a MERGE's `target.`).
 */
export function partitionFilter(partitions: SlicePartitions, schema: StructType, assetName: string, qualifier?: string): PartitionFilter {
  const { def, keys } = partitions;
  const typeOf = (column: string): DataType => {
    const field = schema.fields.find((f) => f.name === column);
    if (field === undefined) {
      throw new InvalidInputError(`asset ${assetName}: partition column "${column}" (partition_expr) is not a column of the table (${schema.fields.map((f) => f.name).join(", ")})`);
    }
    if (field.type.kind !== "primitive" || !SUPPORTED.includes(field.type.name)) {
      const t = field.type.kind === "primitive" ? field.type.name : field.type.kind;
      throw new InvalidInputError(`asset ${assetName}: partition column "${column}" has type ${t}; supported partition column types: ${SUPPORTED.join(", ")}`);
    }
    return field.type;
  };
  let expr: Expr;
  if (def.kind !== "multi") {
    const column = partitions.columns[""] as string;
    expr = dimensionExpr(def, keys, column, typeOf(column), assetName, qualifier);
  } else {
    const dims = def.dimensionNames;
    const parts = keys.map((k) => def.keysByDimension(k));
    const distinct = dims.map((d) => [...new Set(parts.map((p) => p[d] as string))]);
    const product = distinct.reduce((n, values) => n * values.length, 1);
    const dimExpr = (d: string, values: string[]): Expr => {
      const column = partitions.columns[d] as string;
      return dimensionExpr(def.dimension(d), values, column, typeOf(column), `${assetName} (dimension ${d})`, qualifier);
    };
    if (product === new Set(keys).size) expr = and(...dims.map((d, i) => dimExpr(d, distinct[i] as string[])));
    else expr = or(...parts.map((p) => and(...dims.map((d) => dimExpr(d, [p[d] as string])))));
  }
  return { expr, text: print(expr) };
}

/** The predicate of one dimension's keys on its column. */
function dimensionExpr(def: DimensionDefinition, keys: readonly string[], column: string, type: DataType, assetName: string, qualifier: string | undefined): Expr {
  const ref = qualifier === undefined ? col(column) : col(qualifier, column);
  const name = type.kind === "primitive" ? type.name : type.kind;
  if (def.kind === "time" && name !== "string") {
    const ranges = def.windowsForKeys(keys).map((w) => {
      const [lo, hi] = windowBounds(w, type, column, assetName);
      return and(cmp(ref, ">=", lo), cmp(ref, "<", hi));
    });
    return or(...ranges);
  }
  // Static and dynamic keys, and time-window keys stored as text in a string column.
  const literals = [...new Set(keys)].map((k) => literalOf(keyScalar(k, type, column, assetName), type));
  return literals.length === 1 ? cmp(ref, "=", literals[0] as Literal) : isIn(ref, literals);
}

/** The literals bounding a window on a column of `type`. */
function windowBounds(w: ZonedWindow, type: DataType, column: string, assetName: string): [Literal, Literal] {
  const name = type.kind === "primitive" ? type.name : "";
  const pair = (a: Scalar, b: Scalar): [Literal, Literal] => [literalOf(a, type), literalOf(b, type)];
  switch (name) {
    case "timestamp":
      return pair(BigInt(w.start.getTime()) * 1000n, BigInt(w.end.getTime()) * 1000n);
    case "timestamp_ntz":
      return pair(BigInt(w.startLocal) * 1_000_000n, BigInt(w.endLocal) * 1_000_000n);
    case "date":
      if (w.startLocal % 86400 !== 0 || w.endLocal % 86400 !== 0) {
        throw new InvalidInputError(`asset ${assetName}: column "${column}" is a date, but the partition window does not start and end at midnight; store sub-daily partitions in a timestamp column`);
      }
      return pair(w.startLocal / 86400, w.endLocal / 86400);
    case "long":
      return pair(BigInt(Math.floor(w.start.getTime() / 1000)), BigInt(Math.floor(w.end.getTime() / 1000)));
    default: {
      const lo = Math.floor(w.start.getTime() / 1000);
      const hi = Math.floor(w.end.getTime() / 1000);
      const max = name === "integer" ? 2 ** 31 - 1 : 0;
      if (hi > max) throw new InvalidInputError(`asset ${assetName}: column "${column}" (${name}) cannot hold epoch seconds up to ${hi}; use a long or timestamp column`);
      return pair(lo, hi);
    }
  }
}

/** A static or dynamic key as a scalar of the column type (`"3"` on an integer column is 3). */
function keyScalar(key: string, type: DataType, column: string, assetName: string): Scalar {
  const name = type.kind === "primitive" ? type.name : "";
  const bad = (): never => {
    throw new InvalidInputError(`asset ${assetName}: partition key "${key}" is not a valid ${name} value for column "${column}"`);
  };
  switch (name) {
    case "string":
      return key;
    case "byte":
    case "short":
    case "integer":
    case "long": {
      if (!/^[+-]?\d+$/.test(key.trim())) return bad();
      const n = BigInt(key.trim());
      const bits = { byte: 8n, short: 16n, integer: 32n, long: 64n }[name];
      if (n < -(1n << (bits - 1n)) || n >= 1n << (bits - 1n)) return bad();
      return name === "long" ? n : Number(n);
    }
    case "date":
      return parseDateString(key) ?? bad();
    case "timestamp":
    case "timestamp_ntz": {
      const parsed = parseDateTimeString(key) ?? bad();
      if (name === "timestamp_ntz") return parsed.localMicros;
      return parsed.localMicros - BigInt(parsed.offsetSeconds ?? 0) * 1_000_000n;
    }
    default:
      return bad();
  }
}
