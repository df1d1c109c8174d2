/**
 * The portable 64-bit RoaringBitmap format (RoaringFormatSpec, "extension for 64-bit
 * implementations") that deletion vectors store: a u64 LE bucket count, then per bucket (in
 * ascending key order) a u32 LE high key and a standard 32-bit Roaring bitmap. The 32-bit bitmap
 * starts with a cookie: 12346 (no run containers; u32 container count; offsets always present)
 * or 12347 in the low 16 bits (container count - 1 in the high 16 bits; a run-flag bitset;
 * offsets only when there are at least 4 containers). Then per container a u16 key and u16
 * cardinality - 1, the optional u32 offsets (from the cookie), and the containers: runs
 * (u16 count, then [start, length - 1] pairs), arrays (cardinality <= 4096, u16 values) or
 * 8 KiB bitmaps. Decoding validates the structure strictly and yields a sorted typed array;
 * the encoder (for a future writer) emits array/bitmap containers and optionally runs.
 */

import { ProtocolError } from "../errors.js";
import { concatBytes } from "../util/bytes.js";

/** Sorted, distinct row indexes: Uint32Array when every index is < 2^32, else BigUint64Array. */
export type SortedRowIndexes = Uint32Array | BigUint64Array;

const COOKIE_NO_RUNS = 12346;
const COOKIE_RUNS = 12347;
const NO_OFFSET_THRESHOLD = 4;
const ARRAY_MAX = 4096;
const BITMAP_BYTES = 8192;

/** Container kinds. */
const Kind = { Array: 0, Bitmap: 1, Run: 2 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

interface Container {
  kind: Kind;
  /** High 48 bits of the values: bucket key * 2^16 + container key. */
  base: number;
  cardinality: number;
  /** Byte position of the container data in the input. */
  at: number;
}

/** Options of `decodeRoaring64`. */
export interface RoaringDecodeOptions {
  /** The number of values the caller expects; checked from the headers, before allocating. */
  cardinality?: number;
}

/**
 * Decodes a portable 64-bit RoaringBitmap (without Delta's magic) that must span `bytes`
 * exactly. Returns the values sorted ascending. Throws ProtocolError on any structural error:
 * unknown cookie, truncation, trailing bytes, keys out of order, offsets that do not point at
 * the containers, unsorted values, cardinalities that do not match the container contents, and
 * a total that differs from `options.cardinality`.
 */
export function decodeRoaring64(bytes: Uint8Array, options: RoaringDecodeOptions = {}): SortedRowIndexes {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const containers: Container[] = [];
  let total = 0;
  let wide = false;
  need(view, 0, 8);
  const buckets = view.getBigUint64(0, true);
  // Each bucket takes at least 12 bytes (key + cookie + count): bound the count before looping.
  if (buckets > BigInt(bytes.length)) fail(`bucket count ${buckets} exceeds the data size`);
  let pos = 8;
  let previousKey = -1;
  for (let b = 0; b < Number(buckets); b++) {
    need(view, pos, 4);
    const key = view.getUint32(pos, true);
    if (key <= previousKey) fail(`bucket keys not ascending at bucket ${b}`);
    if (key >= 0x8000_0000) fail(`bucket key ${key} has its most significant bit set`);
    previousKey = key;
    if (key > 0) wide = true;
    pos = parseBitmap32(view, pos + 4, key, containers);
  }
  if (pos !== bytes.length) fail(`${bytes.length - pos} trailing bytes after the bitmap`);
  for (const c of containers) total += c.cardinality;
  if (options.cardinality !== undefined && total !== options.cardinality) {
    throw new ProtocolError(`cardinality mismatch: expected ${options.cardinality}, the bitmap holds ${total}`);
  }
  const out = wide ? new BigUint64Array(total) : new Uint32Array(total);
  let n = 0;
  for (const c of containers) n = materialize(view, c, out, n);
  return out;
}

/** Parses one 32-bit bitmap starting at `start`; appends its containers; returns its end. */
function parseBitmap32(view: DataView, start: number, bucketKey: number, out: Container[]): number {
  need(view, start, 4);
  const cookie = view.getUint32(start, true);
  let pos = start + 4;
  let size: number;
  let runFlags: number | undefined;
  if ((cookie & 0xffff) === COOKIE_RUNS) {
    size = (cookie >>> 16) + 1;
    runFlags = pos;
    pos += (size + 7) >>> 3;
  } else if (cookie === COOKIE_NO_RUNS) {
    need(view, pos, 4);
    size = view.getUint32(pos, true);
    pos += 4;
  } else {
    fail(`unknown Roaring cookie ${cookie}`);
  }
  if (size > 65536) fail(`${size} containers in one 32-bit bitmap`);
  const headerAt = pos;
  need(view, headerAt, size * 4);
  pos += size * 4;
  const hasOffsets = runFlags === undefined || size >= NO_OFFSET_THRESHOLD;
  const offsetsAt = pos;
  if (hasOffsets) {
    need(view, offsetsAt, size * 4);
    pos += size * 4;
  }
  let previousKey = -1;
  for (let i = 0; i < size; i++) {
    const key = view.getUint16(headerAt + i * 4, true);
    const cardinality = view.getUint16(headerAt + i * 4 + 2, true) + 1;
    if (key <= previousKey) fail(`container keys not ascending in bucket ${bucketKey}`);
    previousKey = key;
    const isRun = runFlags !== undefined && ((view.getUint8(runFlags + (i >>> 3)) >>> (i & 7)) & 1) === 1;
    if (hasOffsets && view.getUint32(offsetsAt + i * 4, true) !== pos - start) {
      fail(`container offset ${i} in bucket ${bucketKey} does not point at its data`);
    }
    const kind = isRun ? Kind.Run : cardinality <= ARRAY_MAX ? Kind.Array : Kind.Bitmap;
    let length: number;
    if (kind === Kind.Run) {
      need(view, pos, 2);
      length = 2 + view.getUint16(pos, true) * 4;
    } else {
      length = kind === Kind.Array ? cardinality * 2 : BITMAP_BYTES;
    }
    need(view, pos, length);
    out.push({ kind, base: bucketKey * 65536 + key, cardinality, at: pos });
    pos += length;
  }
  return pos;
}

/** Writes one container's values into `out` from index `n`; returns the next index. */
function materialize(view: DataView, c: Container, out: SortedRowIndexes, n: number): number {
  const start = n;
  let last = -1;
  const emit = (low: number): void => {
    if (low <= last) fail(`values not ascending in container ${c.base}`);
    if (n - start >= c.cardinality) fail(`container ${c.base} holds more values than its cardinality`);
    last = low;
    if (out instanceof Uint32Array) out[n++] = c.base * 65536 + low;
    else out[n++] = (BigInt(c.base) << 16n) | BigInt(low);
  };
  if (c.kind === Kind.Array) {
    for (let i = 0; i < c.cardinality; i++) emit(view.getUint16(c.at + i * 2, true));
  } else if (c.kind === Kind.Bitmap) {
    for (let byte = 0; byte < BITMAP_BYTES; byte++) {
      let bits = view.getUint8(c.at + byte);
      while (bits !== 0) {
        const bit = 31 - Math.clz32(bits & -bits);
        emit(byte * 8 + bit);
        bits &= bits - 1;
      }
    }
  } else {
    const runs = view.getUint16(c.at, true);
    for (let r = 0; r < runs; r++) {
      const first = view.getUint16(c.at + 2 + r * 4, true);
      const end = first + view.getUint16(c.at + 4 + r * 4, true);
      if (end > 0xffff) fail(`run past the end of container ${c.base}`);
      if (first <= last) fail(`runs overlap or are not ascending in container ${c.base}`);
      if (end - first + 1 > c.cardinality - (n - start)) fail(`container ${c.base} runs exceed its cardinality`);
      for (let v = first; v <= end; v++) emit(v);
    }
  }
  if (n - start !== c.cardinality) fail(`container ${c.base} holds fewer values than its cardinality`);
  return n;
}

/** Options of `encodeRoaring64`. */
export interface RoaringEncodeOptions {
  /** Use run containers where they are smaller (cookie 12347). Default false. */
  runs?: boolean;
}

/**
 * Encodes row indexes (any order, duplicates allowed; non-negative integers below 2^63) in the
 * portable 64-bit format: array containers up to 4096 values, bitmaps above, and with
 * `options.runs` run containers where they are the smallest form.
 */
export function encodeRoaring64(values: Iterable<number | bigint>, options: RoaringEncodeOptions = {}): Uint8Array {
  const sorted = sortDistinct(values);
  const chunks: Uint8Array[] = [];
  const u64 = new Uint8Array(8);
  chunks.push(u64);
  let buckets = 0;
  let i = 0;
  while (i < sorted.length) {
    const high = highOf(sorted, i);
    let j = i;
    while (j < sorted.length && highOf(sorted, j) === high) j++;
    const key = new Uint8Array(4);
    new DataView(key.buffer).setUint32(0, high, true);
    chunks.push(key, encodeBitmap32(lowsOf(sorted, i, j), options.runs === true));
    buckets++;
    i = j;
  }
  new DataView(u64.buffer).setBigUint64(0, BigInt(buckets), true);
  return concatBytes(chunks);
}

interface EncodedContainer {
  key: number;
  cardinality: number;
  run: boolean;
  data: Uint8Array;
}

function encodeBitmap32(lows: Uint32Array, allowRuns: boolean): Uint8Array {
  const containers: EncodedContainer[] = [];
  let i = 0;
  while (i < lows.length) {
    const key = (lows[i] ?? 0) >>> 16;
    let j = i;
    while (j < lows.length && (lows[j] ?? 0) >>> 16 === key) j++;
    containers.push(encodeContainer(key, lows.subarray(i, j), allowRuns));
    i = j;
  }
  const size = containers.length;
  const anyRun = containers.some((c) => c.run);
  const flagsBytes = anyRun ? (size + 7) >>> 3 : 4;
  const hasOffsets = !anyRun || size >= NO_OFFSET_THRESHOLD;
  const headerBytes = 4 + flagsBytes + size * 4 + (hasOffsets ? size * 4 : 0);
  const header = new Uint8Array(headerBytes);
  const view = new DataView(header.buffer);
  // With runs: cookie 12347 + (size - 1) << 16, then run flags. Without: cookie 12346, u32 size.
  view.setUint32(0, anyRun ? (COOKIE_RUNS | ((size - 1) << 16)) >>> 0 : COOKIE_NO_RUNS, true);
  if (!anyRun) view.setUint32(4, size, true);
  let offset = headerBytes;
  containers.forEach((c, k) => {
    if (c.run) header[4 + (k >>> 3)] = (header[4 + (k >>> 3)] ?? 0) | (1 << (k & 7));
    view.setUint16(4 + flagsBytes + k * 4, c.key, true);
    view.setUint16(6 + flagsBytes + k * 4, c.cardinality - 1, true);
    if (hasOffsets) view.setUint32(4 + flagsBytes + size * 4 + k * 4, offset, true);
    offset += c.data.length;
  });
  return concatBytes([header, ...containers.map((c) => c.data)]);
}

function encodeContainer(key: number, lows: Uint32Array, allowRuns: boolean): EncodedContainer {
  const cardinality = lows.length;
  const runs: number[] = [];
  if (allowRuns) {
    for (let i = 0; i < lows.length; ) {
      const first = (lows[i] ?? 0) & 0xffff;
      let j = i + 1;
      while (j < lows.length && ((lows[j] ?? 0) & 0xffff) === first + (j - i)) j++;
      runs.push(first, j - i - 1);
      i = j;
    }
  }
  const plainBytes = cardinality <= ARRAY_MAX ? cardinality * 2 : BITMAP_BYTES;
  const runBytes = 2 + runs.length * 2;
  if (allowRuns && runBytes < plainBytes) {
    const data = new Uint8Array(runBytes);
    const view = new DataView(data.buffer);
    view.setUint16(0, runs.length / 2, true);
    runs.forEach((v, k) => view.setUint16(2 + k * 2, v, true));
    return { key, cardinality, run: true, data };
  }
  const data = new Uint8Array(plainBytes);
  if (cardinality <= ARRAY_MAX) {
    const view = new DataView(data.buffer);
    lows.forEach((v, k) => view.setUint16(k * 2, v & 0xffff, true));
  } else {
    for (const v of lows) {
      const low = v & 0xffff;
      data[low >>> 3] = (data[low >>> 3] ?? 0) | (1 << (low & 7));
    }
  }
  return { key, cardinality, run: false, data };
}

function sortDistinct(values: Iterable<number | bigint>): SortedRowIndexes {
  const list = Array.from(values);
  const wide = list.some((v) => typeof v === "bigint" || v >= 0x1_0000_0000);
  for (const v of list) {
    const ok = typeof v === "bigint" ? v >= 0n && v < 1n << 63n : Number.isSafeInteger(v) && v >= 0;
    if (!ok) throw new RangeError(`row index ${String(v)} is not a non-negative integer below 2^63`);
  }
  if (wide) return distinct(BigUint64Array.from(list, (v) => BigInt(v)).sort());
  return distinct(Uint32Array.from(list as number[]).sort());
}

/** Drops adjacent duplicates of a sorted array in place; returns the distinct prefix. */
function distinct<T extends SortedRowIndexes>(arr: T): T {
  let n = 0;
  for (let i = 0; i < arr.length; i++) {
    if (n === 0 || arr[i] !== arr[n - 1]) (arr as { [k: number]: unknown })[n++] = arr[i];
  }
  return arr.subarray(0, n) as T;
}

function highOf(sorted: SortedRowIndexes, i: number): number {
  return sorted instanceof Uint32Array ? 0 : Number((sorted[i] ?? 0n) >> 32n);
}

function lowsOf(sorted: SortedRowIndexes, i: number, j: number): Uint32Array {
  if (sorted instanceof Uint32Array) return sorted.subarray(i, j);
  return Uint32Array.from(sorted.subarray(i, j), (v) => Number(v & 0xffff_ffffn));
}

function need(view: DataView, at: number, length: number): void {
  if (at + length > view.byteLength) fail(`truncated at byte ${at} (needs ${length} more bytes)`);
}

function fail(message: string): never {
  throw new ProtocolError(`invalid RoaringBitmap: ${message}`);
}
