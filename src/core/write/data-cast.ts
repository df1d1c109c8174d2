/**
 * Leaf casts from whatever Arrow type a caller hands in to the canonical Arrow type of a Delta
 * primitive (see arrow/data.ts). Casts that can never lose information are decided by the types
 * alone: signed/unsigned integers into wider integers, into float (<= 16 bits) or double (<= 32
 * bits); float16/float32 into wider floats; large/view strings and binaries and fixed-size binary
 * into Utf8/Binary (and strings into binary); Date64 into date and timestamps of any unit into
 * microseconds. Narrowing casts are checked value by value, as Spark's ANSI store assignment and
 * delta-rs do: any integer into a narrower integer or a decimal, decimals into decimals of other
 * precision or scale (refused when a value would need rounding or has too many digits, and a
 * decimal's own declared precision is checked too: Arrow does not enforce it), Date64 that is not
 * midnight or beyond int32 days, nanoseconds not divisible by 1000, seconds or milliseconds
 * beyond int64 microseconds. String data must be valid UTF-8. A value that does not fit is an
 * InvalidInputError naming the column, the row and the value. Doubles never narrow to float (that
 * would round every value). Layout-identical types are re-labelled without copying.
 */

import { BinaryView, Data, DataType as ArrowType, DateUnit, LargeBinary, makeVector, Precision, TimeUnit, Type } from "apache-arrow";
import { InvalidInputError } from "../errors.js";
import { byteArrayBuffers, packValidity, readWideInt, writeWideInt } from "../arrow/builders.js";
import { deltaTypeToArrow } from "../schema/arrow-schema.js";
import { DATE_DAYS_RANGE, fitsDecimalPrecision, inBounds, integerRangeError, TIMESTAMP_MICROS_RANGE } from "../schema/value-range.js";
import { formatDecimal, pow10 } from "../schema/decimal.js";
import { primitiveTypeName } from "../schema/schema-json.js";
import type { PrimitiveType } from "../schema/types.js";
import { halfToNumber, isValid, validityMask } from "../arrow/data.js";

/** Converts one column's Data to the canonical layout of its Delta type. */
export type Cast = (data: Data) => Data;

const INT_BITS = { byte: 8, short: 16, integer: 32, long: 64 } as const;

/** Re-labels `data` with `type` (same buffers, offset and validity). */
export function relabel(data: Data, type: ArrowType): Data {
  return new Data(type, data.offset, data.length, data.nullCount, [data.valueOffsets, data.values, data.nullBitmap, data.typeIds] as never, data.children);
}

/** A Data of `type` at offset 0 with `data`'s validity and the given offsets/values. */
function rebuilt(data: Data, type: ArrowType, values: unknown, offsets?: unknown): Data {
  const { bitmap, nullCount } = packValidity(validityMask(data), data.length);
  return new Data(type, 0, data.length, nullCount, [offsets, values, bitmap, undefined] as never);
}

/**
 * The cast of `source` into Delta primitive `target`, or undefined when no lossless cast exists.
 * `column` names the column in value errors.
 */
export function leafCast(source: ArrowType, target: PrimitiveType, column: string): Cast | undefined {
  const out = deltaTypeToArrow(target);
  const fail = (row: number, why: string): never => {
    throw new InvalidInputError(`column ${column}: row ${row} of Arrow type ${String(source)} cannot be written as Delta ${primitiveTypeName(target)}: ${why}`);
  };
  switch (target.name) {
    case "byte":
    case "short":
    case "integer":
    case "long": {
      if (!ArrowType.isInt(source)) return undefined;
      const name = target.name;
      const bits = INT_BITS[name];
      const fits = source.isSigned ? source.bitWidth <= bits : source.bitWidth < bits;
      if (source.isSigned && source.bitWidth === bits) return (d) => relabel(d, out);
      const Arr: NumArrayCtor = name === "long" ? BigInt64Array : INT_ARRAYS[name];
      if (fits) return (d) => rebuilt(d, out, convertInts(d, Arr));
      return (d) => {
        const src = d.values as ArrayLike<number | bigint>;
        for (let i = 0; i < d.length; i++) {
          if (!isValid(d, i)) continue;
          const v = BigInt(src[i] as number | bigint);
          const range = integerRangeError(v, name);
          if (range !== undefined) fail(i, `${v} is ${range}`);
        }
        return rebuilt(d, out, convertInts(d, Arr));
      };
    }
    case "float":
    case "double": {
      const isDouble = target.name === "double";
      const Arr = isDouble ? Float64Array : Float32Array;
      if (ArrowType.isInt(source)) {
        const ok = source.bitWidth <= (isDouble ? 32 : 16);
        return ok ? (d) => rebuilt(d, out, convertInts(d, Arr)) : undefined;
      }
      if (!ArrowType.isFloat(source)) return undefined;
      if (source.precision === (isDouble ? Precision.DOUBLE : Precision.SINGLE)) return (d) => relabel(d, out);
      if (source.precision === Precision.DOUBLE) return undefined;
      if (source.precision === Precision.HALF) {
        return (d) => rebuilt(d, out, (Arr as typeof Float64Array).from((d.values as Uint16Array).subarray(0, d.length), halfToNumber));
      }
      return (d) => rebuilt(d, out, Float64Array.from((d.values as Float32Array).subarray(0, d.length)));
    }
    case "decimal": {
      const { precision, scale } = target;
      const fitting = (i: number, unscaled: bigint, shown: () => string): bigint => {
        if (!fitsDecimalPrecision(unscaled, precision)) fail(i, `${shown()} is out of the range of decimal(${precision},${scale}) (at most ${precision - scale} integer digits)`);
        return unscaled;
      };
      if (ArrowType.isInt(source)) {
        const factor = pow10(scale);
        return (d) =>
          rebuiltDecimal(d, out, (i) => {
            const v = BigInt((d.values as ArrayLike<number | bigint>)[i] as number | bigint);
            return fitting(i, v * factor, () => String(v));
          });
      }
      if (!ArrowType.isDecimal(source)) return undefined;
      const words = source.bitWidth / 32;
      const shown = (unscaled: bigint) => () => formatDecimal({ unscaled, scale: source.scale });
      if (source.scale > scale) {
        const divisor = pow10(source.scale - scale);
        return (d) =>
          rebuiltDecimal(d, out, (i) => {
            const v = readWideInt(d.values as Uint32Array, i, words);
            if (v % divisor !== 0n) fail(i, `${formatDecimal({ unscaled: v, scale: source.scale })} has more than ${scale} fraction digits (decimal(${precision},${scale}) would round it)`);
            return fitting(i, v / divisor, shown(v));
          });
      }
      const factor = pow10(scale - source.scale);
      if (source.bitWidth === 128 && source.scale === scale) {
        return (d) => {
          const w = d.values as Uint32Array;
          for (let i = 0; i < d.length; i++) {
            if ((d.nullCount === 0 || isValid(d, i)) && !decimalWordsFit(w, i, precision)) fitting(i, readWideInt(w, i, 4), shown(readWideInt(w, i, 4)));
          }
          return relabel(d, out);
        };
      }
      return (d) =>
        rebuiltDecimal(d, out, (i) => {
          const v = readWideInt(d.values as Uint32Array, i, words);
          return fitting(i, v * factor, shown(v));
        });
    }
    case "string":
    case "binary": {
      const stringTarget = target.name === "string";
      if (!stringTarget && (source.typeId === Type.Utf8 || source.typeId === Type.Binary)) return (d) => relabel(d, out);
      if (source.typeId === Type.Utf8) return (d) => checkUtf8(relabel(d, out), fail);
      const stringLike = [Type.LargeUtf8, Type.Utf8View];
      const binaryLike = [Type.LargeBinary, Type.BinaryView, Type.FixedSizeBinary];
      if (!stringLike.includes(source.typeId) && (stringTarget || !binaryLike.includes(source.typeId))) return undefined;
      if (!stringTarget) return (d) => rebuildBytes(d, out);
      // Copy the bytes as bytes (decoding them would replace invalid UTF-8), then check them.
      const asBytes = source.typeId === Type.LargeUtf8 ? new LargeBinary() : new BinaryView();
      return (d) => checkUtf8(rebuildBytes(d.clone(asBytes as never), out), fail);
    }
    case "boolean":
      return ArrowType.isBool(source) ? (d) => relabel(d, out) : undefined;
    case "date": {
      if (!ArrowType.isDate(source)) return undefined;
      if (source.unit === DateUnit.DAY) return (d) => relabel(d, out);
      return (d) => {
        const src = d.values as BigInt64Array;
        const days = new Int32Array(d.length);
        for (let i = 0; i < d.length; i++) {
          if (!isValid(d, i)) continue;
          const ms = src[i] as bigint;
          if (ms % 86_400_000n !== 0n) fail(i, `${ms} ms is not a whole day`);
          if (!inBounds(ms / 86_400_000n, DATE_DAYS_RANGE)) fail(i, `${ms} ms is out of the range of date (int32 days)`);
          days[i] = Number(ms / 86_400_000n);
        }
        return rebuilt(d, out, days);
      };
    }
    case "timestamp":
    case "timestamp_ntz": {
      if (!ArrowType.isTimestamp(source)) return undefined;
      const zoned = source.timezone !== null && source.timezone !== undefined && source.timezone !== "";
      if (zoned !== (target.name === "timestamp")) return undefined;
      if (source.unit === TimeUnit.MICROSECOND) return (d) => relabel(d, out);
      return (d) => rebuilt(d, out, convertTimestamps(d, source.unit, (i, why) => fail(i, why)));
    }
    case "void":
    case "variant":
      return undefined;
  }
}

const INT_ARRAYS = { byte: Int8Array, short: Int16Array, integer: Int32Array } as const;

type NumArrayCtor = { new (n: number): { [i: number]: number | bigint } };

function convertInts(d: Data, Arr: NumArrayCtor): unknown {
  const src = d.values as ArrayLike<number | bigint>;
  const out = new Arr(d.length);
  const big = Arr === (BigInt64Array as unknown);
  for (let i = 0; i < d.length; i++) {
    const v = src[i] as number | bigint;
    out[i] = big ? BigInt(v) : Number(v);
  }
  return out;
}

function rebuiltDecimal(d: Data, type: ArrowType, unscaledAt: (i: number) => bigint): Data {
  const words = new Uint32Array(d.length * 4);
  for (let i = 0; i < d.length; i++) if (isValid(d, i)) writeWideInt(words, i, 4, unscaledAt(i));
  return rebuilt(d, type, words);
}

function rebuildBytes(d: Data, type: ArrowType): Data {
  const valid = validityMask(d) ?? new Uint8Array(d.length).fill(1);
  const vector = makeVector(d);
  const values: unknown[] = new Array(d.length);
  for (let i = 0; i < d.length; i++) if (valid[i]) values[i] = vector.get(i);
  const { offsets, data } = byteArrayBuffers(values, valid, d.length, false);
  return rebuilt(d, type, data, offsets);
}

function convertTimestamps(d: Data, unit: TimeUnit, fail: (row: number, why: string) => never): BigInt64Array {
  const src = d.values as BigInt64Array;
  const out = new BigInt64Array(d.length);
  for (let i = 0; i < d.length; i++) {
    if (!isValid(d, i)) continue;
    const v = src[i] as bigint;
    if (unit === TimeUnit.NANOSECOND) {
      if (v % 1000n !== 0n) fail(i, `${v} ns is not a whole microsecond (Delta stores microseconds)`);
      out[i] = v / 1000n;
    } else {
      const micros = v * (unit === TimeUnit.SECOND ? 1_000_000n : 1000n);
      if (!inBounds(micros, TIMESTAMP_MICROS_RANGE)) fail(i, `${v} is out of the range of int64 microseconds`);
      out[i] = micros;
    }
  }
  return out;
}

/**
 * Whether the 128-bit decimal at `i` has at most `precision` digits; values within 2^53 (nearly
 * all) are checked as numbers, the rest as bigints.
 */
function decimalWordsFit(words: Uint32Array, i: number, precision: number): boolean {
  const at = i * 4;
  const hi = words[at + 1] as number;
  const ext = hi >= 0x80000000 ? 0xffffffff : 0;
  if (words[at + 2] === ext && words[at + 3] === ext) {
    const x = Math.abs((hi | 0) * 4294967296 + (words[at] as number));
    if (x <= Number.MAX_SAFE_INTEGER) return precision > 15 || x < 10 ** precision;
  }
  return fitsDecimalPrecision(readWideInt(words, i, 4), precision);
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Largest run of consecutive string bytes checked with one decode call. */
const UTF8_RUN = 1 << 20;

/**
 * Returns Utf8 `d` when every valid row is valid UTF-8, else fails naming the first bad row.
 * The bytes of adjacent rows are decoded together (fatal, at most UTF8_RUN bytes per call, cut
 * before a byte that starts a character) after checking that no row starts with a continuation
 * byte: then each row is made of whole sequences, so each row is valid on its own.
 */
function checkUtf8(d: Data, fail: (row: number, why: string) => never): Data {
  const offsets = d.valueOffsets as Int32Array;
  const bytes = d.values as Uint8Array;
  const n = d.length;
  const allValid = d.nullCount === 0;
  let runStart = 0;
  let runEnd = 0;
  let firstRow = 0;
  const decodeRun = (lastRow: number) => {
    for (let at = runStart; at < runEnd; ) {
      let cut = Math.min(runEnd, at + UTF8_RUN);
      while (cut < runEnd && ((bytes[cut] as number) & 0xc0) === 0x80) cut++;
      try {
        if (!isAscii(bytes, at, cut)) strictUtf8.decode(bytes.subarray(at, cut));
      } catch {
        for (let r = firstRow; r < lastRow; r++) {
          if (!isValid(d, r)) continue;
          try {
            strictUtf8.decode(bytes.subarray(offsets[r] as number, offsets[r + 1] as number));
          } catch {
            fail(r, "not valid UTF-8");
          }
        }
      }
      at = cut;
    }
  };
  for (let i = 0; i < n; i++) {
    if (!allValid && !isValid(d, i)) continue;
    const start = offsets[i] as number;
    const end = offsets[i + 1] as number;
    if (start === end) continue;
    if (((bytes[start] as number) & 0xc0) === 0x80) {
      decodeRun(i); // an earlier row of the pending run may be bad too: the first bad row is named
      fail(i, "not valid UTF-8");
    }
    if (start !== runEnd) {
      decodeRun(i);
      runStart = start;
      firstRow = i;
    }
    runEnd = end;
  }
  decodeRun(n);
  return d;
}

/** Whether bytes[from, to) are all below 0x80 (ASCII is valid UTF-8: no decode needed), read a word at a time. */
function isAscii(bytes: Uint8Array, from: number, to: number): boolean {
  let i = from;
  let acc = 0;
  // byte by byte up to a 4-byte aligned address, then words, then the tail
  while (i < to && ((bytes.byteOffset + i) & 3) !== 0) acc |= bytes[i++] as number;
  const wordsEnd = i + ((to - i) & ~3);
  if (wordsEnd > i) {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset + i, (wordsEnd - i) >>> 2);
    for (let k = 0; k < words.length; k++) acc |= words[k] as number;
    i = wordsEnd;
  }
  while (i < to) acc |= bytes[i++] as number;
  return (acc & 0x80808080) === 0;
}

