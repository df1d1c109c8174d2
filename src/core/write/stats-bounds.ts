/**
 * The min/max loops of the stats (stats.ts owns which leaves get them and the JSON): one function
 * per value kind over an Arrow buffer, each monomorphic and small so V8 optimises it on its own
 * (these are the write path's hottest JS), plus the byte order of strings. Imports nothing of
 * Delta; must not import write/ or log/.
 */
import type { Data } from "apache-arrow";
import { decimalAt } from "../arrow/data.js";
import type { PhysicalBound } from "../parquet/column-statistics.js";

/** The running bounds of one leaf. */
export interface Bounds {
  min: number | bigint | Uint8Array | undefined;
  max: number | bigint | Uint8Array | undefined;
  /** A NaN was seen (floats). */
  nan: boolean;
}

/** Values per chunk of the numeric min/max loop, and its reused buffer. */
const SCRATCH = 8192;
const scratch = new Float64Array(SCRATCH);
/** Word order of an int64 seen as two int32s on this platform (H: high word, L: low word). */
const H = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const L = 1 - H;

/**
 * Min and max of number-valued rows. The values are copied chunk by chunk into one Float64Array
 * (exact for every int and float kind, NaN and -0 kept), so the loops see a single array type
 * whatever the column's. Strict comparisons from +-Infinity keep the first seen of -0.0 and 0.0;
 * NaN fails both comparisons and is only noted.
 */
export function numberBounds(leaf: Bounds, values: Int8Array | Int16Array | Int32Array | Float32Array | Float64Array, n: number, live: Uint8Array | undefined): void {
  let min = leaf.min === undefined ? Infinity : (leaf.min as number);
  let max = leaf.max === undefined ? -Infinity : (leaf.max as number);
  let counted = 0;
  let nans = 0;
  for (let from = 0; from < n; from += SCRATCH) {
    const count = Math.min(SCRATCH, n - from);
    scratch.set(values.subarray(from, from + count));
    if (live === undefined) {
      counted += count;
      for (let k = 0; k < count; k++) {
        const v = scratch[k] as number;
        if (v < min) min = v;
        if (v > max) max = v;
        if (v !== v) nans++;
      }
    } else {
      for (let k = 0; k < count; k++) {
        if (live[from + k] === 0) continue;
        counted++;
        const v = scratch[k] as number;
        if (v < min) min = v;
        if (v > max) max = v;
        if (v !== v) nans++;
      }
    }
  }
  if (nans > 0) leaf.nan = true;
  if (counted === nans) return; // nothing but NaN in this batch
  // (when every value is +Infinity, min keeps its start value: that value; likewise max)
  leaf.min = min;
  leaf.max = max;
}

/** Min and max of int64 rows, compared as (high int32, low uint32) word pairs: no BigInt per row. */
export function int64Bounds(leaf: Bounds, values: BigInt64Array, n: number, live: Uint8Array | undefined): void {
  const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  let first = 0;
  if (live !== undefined) while (first < n && live[first] === 0) first++;
  if (first >= n) return;
  let minAt = first;
  let maxAt = first;
  let minHi = words[2 * first + H] as number;
  let minLo = (words[2 * first + L] as number) >>> 0;
  let maxHi = minHi;
  let maxLo = minLo;
  for (let i = first + 1; i < n; i++) {
    if (live !== undefined && live[i] === 0) continue;
    const hi = words[2 * i + H] as number;
    const lo = (words[2 * i + L] as number) >>> 0;
    if (hi < minHi || (hi === minHi && lo < minLo)) {
      minAt = i;
      minHi = hi;
      minLo = lo;
    } else if (hi > maxHi || (hi === maxHi && lo > maxLo)) {
      maxAt = i;
      maxHi = hi;
      maxLo = lo;
    }
  }
  const lo = values[minAt] as bigint;
  const hi = values[maxAt] as bigint;
  if (leaf.min === undefined || lo < (leaf.min as bigint)) leaf.min = lo;
  if (leaf.max === undefined || hi > (leaf.max as bigint)) leaf.max = hi;
}

/** Min and max of decimal rows (BigInt per row: decimals are rare and wide). */
export function decimalBounds(leaf: Bounds, data: Data, n: number, live: Uint8Array | undefined): void {
  let min = leaf.min as bigint | undefined;
  let max = leaf.max as bigint | undefined;
  for (let i = 0; i < n; i++) {
    if (live !== undefined && live[i] === 0) continue;
    const v = decimalAt(data, i);
    if (min === undefined) {
      min = v;
      max = v;
    } else if (v < min) min = v;
    else if (v > (max as bigint)) max = v;
  }
  leaf.min = min;
  leaf.max = max;
}

/**
 * Min and max of string rows by their UTF-8 bytes (unsigned, then by length: the order of code
 * points), kept as byte ranges of the batch and copied once at the end. A row whose first byte
 * differs from the current bound's is decided by that byte alone.
 */
export function stringBounds(leaf: Bounds, bytes: Uint8Array, offsets: Int32Array, n: number, live: Uint8Array | undefined): void {
  let first = 0;
  if (live !== undefined) while (first < n && live[first] === 0) first++;
  if (first >= n) return;
  let minStart = offsets[first] as number;
  let minEnd = offsets[first + 1] as number;
  let maxStart = minStart;
  let maxEnd = minEnd;
  // first byte of each bound, -1 for the empty string (less than every other)
  let minHead = minEnd > minStart ? (bytes[minStart] as number) : -1;
  let maxHead = minHead;
  for (let i = first + 1; i < n; i++) {
    if (live !== undefined && live[i] === 0) continue;
    const start = offsets[i] as number;
    const end = offsets[i + 1] as number;
    const head = end > start ? (bytes[start] as number) : -1;
    if (head < minHead || (head === minHead && compareSpans(bytes, start, end, bytes, minStart, minEnd) < 0)) {
      minStart = start;
      minEnd = end;
      minHead = head;
    } else if (head > maxHead || (head === maxHead && compareSpans(bytes, start, end, bytes, maxStart, maxEnd) > 0)) {
      maxStart = start;
      maxEnd = end;
      maxHead = head;
    }
  }
  const lo = leaf.min as Uint8Array | undefined;
  const hi = leaf.max as Uint8Array | undefined;
  if (lo === undefined || compareSpans(bytes, minStart, minEnd, lo, 0, lo.length) < 0) leaf.min = bytes.slice(minStart, minEnd);
  if (hi === undefined || compareSpans(bytes, maxStart, maxEnd, hi, 0, hi.length) > 0) leaf.max = bytes.slice(maxStart, maxEnd);
}

/** a < b for two bounds of one kind (numbers, bigints, or bytes in unsigned order). */
export function lessThan(a: PhysicalBound, b: PhysicalBound): boolean {
  if (a instanceof Uint8Array) return compareSpans(a, 0, a.length, b as Uint8Array, 0, (b as Uint8Array).length) < 0;
  return (a as number | bigint) < (b as number | bigint);
}

/** Code points in UTF-8 bytes (bytes that are not continuation bytes). */
export function codePoints(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) if (((bytes[i] as number) & 0xc0) !== 0x80) n++;
  return n;
}

/** Compares the bytes a[as, ae) with b[bs, be) (unsigned, then by length): <0, 0 or >0. */
export function compareSpans(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): number {
  const n = Math.min(ae - as, be - bs);
  for (let k = 0; k < n; k++) {
    const x = a[as + k] as number;
    const y = b[bs + k] as number;
    if (x !== y) return x - y;
  }
  return ae - as - (be - bs);
}
