/**
 * MERGE join keys: the values of a row's equi-join columns as one string, equal exactly when
 * SQL `=` holds for every column (so that a hash lookup finds the same rows a comparison would):
 * numbers of any kind (integers, longs, doubles, decimals, dates, timestamps) by their exact
 * rational value, so `1` (int), `1n` (long), `1.0` (double) and decimal `1.00` are one key; NaN
 * equals NaN and -0 equals 0, as in Spark; strings, booleans and bytes by value. A NULL in any
 * key column gives no key: such a row matches nothing. The source side is indexed in memory.
 */
import type { Scalar } from "../../schema/types.js";
import { doubleToRational, isDecimal } from "../../expr/compare.js";

/** A join key: a number for one integral key value within ±2^53 (the common case, fast to hash), else a string. */
export type JoinKey = string | number;

/** The join key of a row's key values, or undefined when one of them is null. */
export function joinKey(values: readonly Scalar[]): JoinKey | undefined {
  if (values.length === 1) {
    const v = values[0] as Scalar;
    if (typeof v === "number" && Number.isSafeInteger(v)) return v === 0 ? 0 : v; // -0 is 0
    if (typeof v === "bigint" && v <= MAX_SAFE && v >= -MAX_SAFE) return Number(v);
  }
  let out = "";
  for (const v of values) {
    const part = keyPart(v);
    if (part === undefined) return undefined;
    out += `${part.length}:${part}`;
  }
  return out;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function keyPart(v: Scalar): string | undefined {
  if (v === null) return undefined;
  if (typeof v === "string") return `s${v}`;
  if (typeof v === "boolean") return v ? "b1" : "b0";
  if (typeof v === "bigint") return `n${v}`;
  if (v instanceof Uint8Array) {
    let hex = "x";
    for (const b of v) hex += b.toString(16).padStart(2, "0");
    return hex;
  }
  if (typeof v === "number") {
    if (Number.isNaN(v)) return "nNaN";
    if (!Number.isFinite(v)) return v > 0 ? "n+inf" : "n-inf";
    if (Number.isInteger(v)) return `n${BigInt(v)}`;
    const r = doubleToRational(v);
    return rational(r.num, r.den);
  }
  if (isDecimal(v)) {
    return v.scale >= 0 ? rational(v.unscaled, 10n ** BigInt(v.scale)) : `n${v.unscaled * 10n ** BigInt(-v.scale)}`;
  }
  return undefined;
}

function rational(num: bigint, den: bigint): string {
  const g = gcd(num < 0n ? -num : num, den);
  const n = num / g;
  const d = den / g;
  return d === 1n ? `n${n}` : `n${n}/${d}`;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}

/** Row numbers of the source by join key (rows are numbered across batches, in order). */
export class SourceIndex {
  private readonly rows = new Map<JoinKey, number | number[]>();

  /** Adds a row under its key (rows with a null key are not indexed: they match nothing). */
  add(key: JoinKey | undefined, row: number): void {
    if (key === undefined) return;
    const prior = this.rows.get(key);
    if (prior === undefined) this.rows.set(key, row);
    else if (typeof prior === "number") this.rows.set(key, [prior, row]);
    else prior.push(row);
  }

  /** The rows with this key: one row number, several, or undefined when none. */
  lookup(key: JoinKey | undefined): number | readonly number[] | undefined {
    return key === undefined ? undefined : this.rows.get(key);
  }
}
