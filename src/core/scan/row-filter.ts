/**
 * Exact row filtering: evaluates a bound predicate on each row of Arrow columns with SQL
 * three-valued logic. Used by scans (keep rows where it is TRUE) and by replaceWhere (which rows an
 * overwrite replaces, and whether new rows satisfy it).
 */
import type { Data } from "apache-arrow";
import type { BoundExpr } from "../expr/bound.js";
import { evalRow } from "../expr/eval-row.js";
import type { StructField } from "../schema/types.js";
import { valueReader } from "../arrow/values.js";
import { fastPredicateMask } from "./row-filter-fast.js";

/**
 * A mask with 1 where the predicate is TRUE for the row. Rows already 0 in `within` are not
 * evaluated and stay 0. `columns` are the top-level fields and their data, by name.
 */
export function predicateMask(predicate: BoundExpr, columns: readonly (readonly [StructField, Data])[], length: number, within?: Uint8Array): Uint8Array {
  // common shapes column at a time (row-filter-fast.ts); the rest row by row below
  const fast = fastPredicateMask(predicate, columns, length, within);
  if (fast !== undefined) return fast;
  const readers = new Map<string, (i: number) => unknown>();
  for (const [f, data] of columns) readers.set(f.name, valueReader(data, f.type));
  const out = new Uint8Array(length);
  let row = 0;
  const accessor = (path: readonly string[]): never => {
    let v = readers.get(path[0] as string)?.(row);
    for (let k = 1; k < path.length && v !== null && v !== undefined; k++) v = (v as Record<string, unknown>)[path[k] as string];
    return (v ?? null) as never;
  };
  for (row = 0; row < length; row++) {
    if (within && within[row] === 0) continue;
    out[row] = evalRow(predicate, accessor) === true ? 1 : 0;
  }
  return out;
}
