/**
 * Gathering rows of Arrow data: `takeRows(data, indices)` copies the rows at the given indexes
 * into new, compact Data of the same type (fixed-width values, booleans, utf8/binary with 32- or
 * 64-bit offsets, fixed-size binary, decimals, and structs, lists and maps recursively). The one
 * takeRows of the code base: scans use it when a filter keeps scattered rows (one compact batch
 * instead of a zero-copy slice per run of kept rows, which costs far more when the runs are
 * short), writes to gather each partition's rows and to expand dictionaries, DML to pick rows.
 */
import { Data, Type, type DataType } from "apache-arrow";

/** Rows selected by a mask (1 = keep), as indexes. */
export function maskIndexes(mask: Uint8Array, length: number): Int32Array {
  let count = 0;
  for (let i = 0; i < length; i++) count += mask[i] === 0 ? 0 : 1;
  const out = new Int32Array(count);
  let k = 0;
  for (let i = 0; i < length; i++) if (mask[i] !== 0) out[k++] = i;
  return out;
}

/** The rows at `indices` (logical row numbers of `data`) as new Data of the same type. */
export function takeRows(data: Data, indices: Int32Array): Data {
  const type = data.type as DataType;
  const n = indices.length;
  const { bitmap, nullCount } = takeValidity(data, indices);
  const make = (offsets: unknown, values: unknown, children: Data[] = []): Data =>
    new Data(type, 0, n, nullCount, [offsets, values, bitmap, undefined] as never, children);
  switch (type.typeId) {
    case Type.Null:
      return new Data(type, 0, n, n);
    case Type.Bool: {
      const src = data.values as Uint8Array;
      const out = new Uint8Array((n + 7) >> 3);
      for (let k = 0; k < n; k++) {
        const bit = data.offset + indices[k]!;
        if ((src[bit >> 3]! >> (bit & 7)) & 1) out[k >> 3]! |= 1 << (k & 7);
      }
      return make(undefined, out);
    }
    case Type.Utf8:
    case Type.Binary:
    case Type.LargeUtf8:
    case Type.LargeBinary: {
      const large = type.typeId === Type.LargeUtf8 || type.typeId === Type.LargeBinary;
      const srcOffsets = data.valueOffsets as ArrayLike<number | bigint>;
      const src = data.values as Uint8Array;
      let total = 0;
      for (let k = 0; k < n; k++) total += Number(srcOffsets[indices[k]! + 1]!) - Number(srcOffsets[indices[k]!]!);
      const bytes = new Uint8Array(total);
      const offsets = large ? new BigInt64Array(n + 1) : new Int32Array(n + 1);
      let at = 0;
      for (let k = 0; k < n; k++) {
        const s = Number(srcOffsets[indices[k]!]!);
        const e = Number(srcOffsets[indices[k]! + 1]!);
        if (e - s < 16) for (let b = s; b < e; b++) bytes[at++] = src[b]!;
        else {
          bytes.set(src.subarray(s, e), at);
          at += e - s;
        }
        if (large) (offsets as BigInt64Array)[k + 1] = BigInt(at);
        else (offsets as Int32Array)[k + 1] = at;
      }
      return make(offsets, bytes);
    }
    case Type.Struct:
      // Arrow JS slices struct children with their parent: same logical rows
      return make(undefined, undefined, data.children.map((c) => takeRows(c, indices)));
    case Type.List:
    case Type.Map: {
      const srcOffsets = data.valueOffsets as Int32Array;
      let total = 0;
      for (let k = 0; k < n; k++) total += srcOffsets[indices[k]! + 1]! - srcOffsets[indices[k]!]!;
      const childRows = new Int32Array(total);
      const offsets = new Int32Array(n + 1);
      let at = 0;
      for (let k = 0; k < n; k++) {
        for (let r = srcOffsets[indices[k]!]!; r < srcOffsets[indices[k]! + 1]!; r++) childRows[at++] = r;
        offsets[k + 1] = at;
      }
      return make(offsets, undefined, [takeRows(data.children[0] as Data, childRows)]);
    }
    default: {
      const stride = strideOf(type);
      if (stride === undefined) throw new TypeError(`takeRows: unsupported type ${String(type)}`);
      const src = data.values as unknown as { [i: number]: number | bigint; constructor: new (n: number) => { [i: number]: number | bigint } };
      const out = new src.constructor(n * stride);
      if (stride === 1) for (let k = 0; k < n; k++) out[k] = src[indices[k]!]!;
      else for (let k = 0; k < n; k++) for (let w = 0; w < stride; w++) out[k * stride + w] = src[indices[k]! * stride + w]!;
      return make(undefined, out);
    }
  }
}

function strideOf(type: DataType): number | undefined {
  switch (type.typeId) {
    case Type.Int:
    case Type.Float:
    case Type.Date:
    case Type.Time:
    case Type.Timestamp:
    case Type.Duration:
      return 1;
    case Type.Decimal:
      return (type as unknown as { bitWidth: number }).bitWidth / 32;
    case Type.FixedSizeBinary:
      return (type as unknown as { byteWidth: number }).byteWidth;
    default:
      return undefined;
  }
}

function takeValidity(data: Data, indices: Int32Array): { bitmap: Uint8Array; nullCount: number } {
  const n = indices.length;
  if (data.nullCount === 0) return { bitmap: new Uint8Array(0), nullCount: 0 };
  const src = data.nullBitmap as Uint8Array | undefined;
  if (src === undefined || src.length === 0) return { bitmap: new Uint8Array(0), nullCount: 0 };
  const out = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  for (let k = 0; k < n; k++) {
    const bit = data.offset + indices[k]!;
    if ((src[bit >> 3]! >> (bit & 7)) & 1) out[k >> 3]! |= 1 << (k & 7);
    else nulls++;
  }
  return nulls === 0 ? { bitmap: new Uint8Array(0), nullCount: 0 } : { bitmap: out, nullCount: nulls };
}
