/**
 * Leaf casts from whatever Arrow type a caller hands in to the canonical Arrow type of a Delta
 * primitive (see data-values.ts). Only casts that never lose information are offered, decided by
 * the types alone: signed/unsigned integers into wider integers, into float (<= 16 bits), double
 * (<= 32 bits) or a decimal with enough integer digits; float16/float32 into wider floats; decimals
 * into decimals with at least as many integer and fraction digits; large/view strings and binaries
 * and fixed-size binary into Utf8/Binary (and strings into binary); Date64 into date and
 * timestamps of any unit into microseconds, where the few values that would lose information
 * (a Date64 that is not midnight, nanoseconds not divisible by 1000, out-of-range seconds) are
 * InvalidInputErrors naming the column and the row. Layout-identical types are re-labelled
 * without copying.
 */

import { Data, DataType as ArrowType, DateUnit, makeVector, Precision, TimeUnit, Type } from "apache-arrow";
import { InvalidInputError } from "../errors.js";
import { byteArrayBuffers, packValidity, readWideInt, writeWideInt } from "../scan/parquet/arrow-builders.js";
import { deltaTypeToArrow } from "../schema/arrow-schema.js";
import { pow10 } from "../schema/decimal.js";
import { primitiveTypeName } from "../schema/schema-json.js";
import type { PrimitiveType } from "../schema/types.js";
import { isValid, validityMask } from "../scan/arrow-data.js";

/** Converts one column's Data to the canonical layout of its Delta type. */
export type Cast = (data: Data) => Data;

const INT_BITS = { byte: 8, short: 16, integer: 32, long: 64 } as const;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

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
      const bits = INT_BITS[target.name];
      const fits = source.isSigned ? source.bitWidth <= bits : source.bitWidth < bits;
      if (!fits) return undefined;
      if (source.isSigned && source.bitWidth === bits) return (d) => relabel(d, out);
      const Arr: NumArrayCtor = target.name === "long" ? BigInt64Array : INT_ARRAYS[target.name];
      return (d) => rebuilt(d, out, convertInts(d, Arr));
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
      const intDigits = target.precision - target.scale;
      if (ArrowType.isInt(source)) {
        const needed = source.bitWidth === 8 ? 3 : source.bitWidth === 16 ? 5 : source.bitWidth === 32 ? 10 : source.isSigned ? 19 : 20;
        if (needed > intDigits) return undefined;
        const factor = pow10(target.scale);
        return (d) => rebuiltDecimal(d, out, (i) => BigInt((d.values as ArrayLike<number | bigint>)[i] as number | bigint) * factor);
      }
      if (!ArrowType.isDecimal(source)) return undefined;
      if (source.scale > target.scale || source.precision - source.scale > intDigits) return undefined;
      if (source.bitWidth === 128 && source.scale === target.scale && source.precision === target.precision) return (d) => relabel(d, out);
      const words = source.bitWidth / 32;
      const factor = pow10(target.scale - source.scale);
      return (d) => rebuiltDecimal(d, out, (i) => readWideInt(d.values as Uint32Array, i, words) * factor);
    }
    case "string":
    case "binary": {
      const stringTarget = target.name === "string";
      if (source.typeId === Type.Utf8 || (!stringTarget && source.typeId === Type.Binary)) return (d) => relabel(d, out);
      const stringLike = [Type.LargeUtf8, Type.Utf8View];
      const binaryLike = [Type.LargeBinary, Type.BinaryView, Type.FixedSizeBinary];
      if (!stringLike.includes(source.typeId) && (stringTarget || !binaryLike.includes(source.typeId))) return undefined;
      return (d) => rebuildBytes(d, out);
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
      if (micros < LONG_MIN || micros > LONG_MAX) fail(i, `${v} is out of the microsecond range`);
      out[i] = micros;
    }
  }
  return out;
}

/** Decodes an IEEE half-precision float from its 16 bits. */
export function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}
