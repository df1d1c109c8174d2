/**
 * Folder arrow/: building (builders.ts), reading (data.ts, values.ts) and taking (take.ts) Arrow
 * data, shared by parquet/, scan/, write/, dml/ and changes/; the PARQUET:field_id key (field-
 * id.ts). Knows Delta types (schema/types.ts) at most; must not import parquet/, log/, table/,
 * scan/ or write/.
 *
 * Reading values out of "canonical" Arrow Data: the exact Arrow layout that
 * `deltaTypeToArrow` gives each Delta type (Int8/16/32/64, Float32/64, Decimal128, Utf8, Binary,
 * Bool, DateDay, TimestampMicrosecond, Struct, List, Map, Null), which data-validate produces from
 * whatever the caller passed. Row validity (with Arrow's offset convention: bitmaps are indexed by
 * `offset + i`, fixed-width `values` are already positioned at the slice start, variable-width
 * offsets are absolute into `values`), canonical scalars per row (see schema/types.ts), and an
 * estimate of the bytes a slice really holds (Data.byteLength counts whole shared buffers).
 */

import { Type, type Data } from "apache-arrow";
import { readWideInt } from "./builders.js";
import { isNumberTypeName, type DataType, type Scalar } from "../schema/types.js";

/** Whether row `i` of `data` is valid (non-null). */
export function isValid(data: Data, i: number): boolean {
  if (data.typeId === Type.Null) return false;
  const bitmap = data.nullBitmap;
  if (data.nullCount === 0 || bitmap === undefined || bitmap.length === 0) return true;
  const bit = data.offset + i;
  return ((bitmap[bit >> 3] as number) & (1 << (bit & 7))) !== 0;
}

/**
 * Per-row validity (1 = valid) of `data`, AND-ed with `parent` when given; undefined when every
 * row is valid.
 */
export function validityMask(data: Data, parent?: Uint8Array): Uint8Array | undefined {
  const n = data.length;
  if (data.typeId !== Type.Null && (data.nullCount === 0 || data.nullBitmap === undefined || data.nullBitmap.length === 0)) return parent;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (parent === undefined || parent[i] === 1) && isValid(data, i) ? 1 : 0;
  return out;
}

/** Start and end (exclusive) in `values` of the bytes of row `i` of a Utf8/Binary Data. */
export function byteRange(data: Data, i: number): [number, number] {
  const offsets = data.valueOffsets as Int32Array;
  return [offsets[i] as number, offsets[i + 1] as number];
}

/** Start and end (exclusive) child index of row `i` of a List/Map Data. */
export function childRange(data: Data, i: number): [number, number] {
  const offsets = data.valueOffsets as Int32Array;
  return [offsets[i] as number, offsets[i + 1] as number];
}

/** The boolean at row `i` of a Bool Data (ignoring validity). */
export function boolAt(data: Data, i: number): boolean {
  const bit = data.offset + i;
  return (((data.values as Uint8Array)[bit >> 3] as number) & (1 << (bit & 7))) !== 0;
}

/** The unscaled value at row `i` of a Decimal128 Data. */
export function decimalAt(data: Data, i: number): bigint {
  return readWideInt(data.values as Uint32Array, i, 4);
}

const decoder = new TextDecoder();

/**
 * The canonical scalar of row `i` of a canonical leaf Data of Delta type `type` (null when the
 * row is null). Nested types are not scalars.
 */
export function scalarAt(data: Data, type: DataType, i: number): Scalar {
  if (!isValid(data, i)) return null;
  if (type.kind !== "primitive") throw new TypeError(`no scalar for ${type.kind} values`);
  if (isNumberTypeName(type.name)) return (data.values as Int32Array | Float64Array)[i] as number;
  switch (type.name) {
    case "long":
    case "timestamp":
    case "timestamp_ntz":
      return (data.values as BigInt64Array)[i] as bigint;
    case "decimal":
      return { unscaled: decimalAt(data, i), scale: type.scale };
    case "boolean":
      return boolAt(data, i);
    case "string": {
      const [s, e] = byteRange(data, i);
      return decoder.decode((data.values as Uint8Array).subarray(s, e));
    }
    case "binary": {
      const [s, e] = byteRange(data, i);
      return (data.values as Uint8Array).slice(s, e);
    }
    case "void":
      return null;
    case "variant":
      throw new TypeError("no scalar for variant values");
  }
}

/**
 * Bytes the rows of `data` occupy (values, offsets and validity of just this slice, children
 * included): the size estimate used to cut files at a target size.
 */
export function estimateBytes(data: Data): number {
  const n = data.length;
  const bitmap = data.nullCount > 0 ? Math.ceil(n / 8) : 0;
  switch (data.typeId) {
    case Type.Null:
      return 0;
    case Type.Bool:
      return Math.ceil(n / 8) + bitmap;
    case Type.Utf8:
    case Type.Binary: {
      if (n === 0) return 0;
      const offsets = data.valueOffsets as Int32Array;
      return (offsets[n] as number) - (offsets[0] as number) + 4 * (n + 1) + bitmap;
    }
    case Type.List:
    case Type.Map: {
      const child = data.children[0];
      if (n === 0 || child === undefined) return 0;
      const [start] = childRange(data, 0);
      const [, end] = childRange(data, n - 1);
      return estimateBytes(child.slice(start, end - start)) + 4 * (n + 1) + bitmap;
    }
    case Type.Struct:
      return data.children.reduce((sum, c) => sum + estimateBytes(c), bitmap);
    default: {
      const values = data.values as ArrayLike<unknown> & { BYTES_PER_ELEMENT?: number };
      const width = (values.BYTES_PER_ELEMENT ?? 1) * data.stride;
      return n * width + bitmap;
    }
  }
}

/** The value of IEEE 754 half-precision bits (Arrow's Float16 storage). */
export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}
