/**
 * Mixed decoding for the wasm reader: the fields that parquet-wasm cannot decode faithfully are
 * read by the JS decoder and zipped with the wasm-decoded ones. Today that is INT96 timestamps
 * (Spark's default): without an `ARROW:schema` hint, and the compact files handed to wasm never
 * carry one, arrow-rs converts INT96 to int64 nanoseconds with wrapping arithmetic, so dates
 * outside 1677..2262 (a `9999-12-31` sentinel) would come back silently wrong; the JS decoder
 * keeps INT96 exact.
 */
import type { Data } from "apache-arrow";
import type { SchemaTree } from "hyparquet";
import { leafKey, leavesOf } from "./parquet-shape.js";
import type { ReadPlan } from "./read-plan.js";

/** Indexes of the plans that must be decoded by the JS decoder. */
export function jsOnlyFields(plans: readonly ReadPlan[], root: SchemaTree): number[] {
  const int96 = new Set(leavesOf(root).filter((l) => l.element.type === "INT96").map((l) => leafKey(l.path)));
  if (int96.size === 0) return [];
  const out: number[] = [];
  plans.forEach((p, i) => {
    if (p.kind !== "missing" && p.leaves.some((k) => int96.has(k))) out.push(i);
  });
  return out;
}

/** Rows of some columns: one decoded batch. */
export interface ColumnPart {
  length: number;
  columns: Data[];
}

/**
 * Zips two sequences of batches that hold the same rows in the same order (but possibly cut at
 * different places) into batches holding the columns of both (`a`'s first), cut at the union of
 * the two sequences' boundaries (zero-copy slices).
 */
export function zipParts(a: readonly ColumnPart[], b: readonly ColumnPart[]): ColumnPart[] {
  const out: ColumnPart[] = [];
  let i = 0;
  let j = 0;
  let offA = 0;
  let offB = 0;
  while (i < a.length && j < b.length) {
    const pa = a[i]!;
    const pb = b[j]!;
    const n = Math.min(pa.length - offA, pb.length - offB);
    if (n > 0) out.push({ length: n, columns: [...slice(pa, offA, n), ...slice(pb, offB, n)] });
    offA += n;
    offB += n;
    if (offA >= pa.length) [i, offA] = [i + 1, 0];
    if (offB >= pb.length) [j, offB] = [j + 1, 0];
  }
  const rest = (parts: readonly ColumnPart[], k: number, off: number): number =>
    parts.slice(k).reduce((s, p) => s + p.length, 0) - off;
  if (rest(a, i, offA) !== 0 || rest(b, j, offB) !== 0) throw new Error("internal: zipped decoders disagree on the row count");
  return out;
}

function slice(part: ColumnPart, offset: number, length: number): Data[] {
  if (offset === 0 && length === part.length) return part.columns;
  return part.columns.map((c) => c.slice(offset, length));
}
