/**
 * Low-level Arrow Data construction: validity bitmaps from per-row flags, variable-length
 * (utf8/binary) buffers from byte arrays, Decimal128/256 words from bigints, all-null data of any
 * type (for columns absent from a file), and struct/list/map Data from already-built children.
 * Everything here builds `Data` directly from typed arrays; no Arrow builders are involved.
 */
import { Data, DataType, Type, type Field } from "apache-arrow";

/** Per-row validity: 1 = valid, 0 = null. `undefined` means all rows are valid. */
export type Validity = Uint8Array | undefined;

/** Packs validity flags into an Arrow bitmap; returns the bitmap and the null count. */
export function packValidity(valid: Validity, length: number): { bitmap: Uint8Array; nullCount: number } {
  if (valid === undefined) return { bitmap: new Uint8Array(0), nullCount: 0 };
  const bitmap = new Uint8Array((length + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < length; i++) {
    if (valid[i]) bitmap[i >> 3]! |= 1 << (i & 7);
    else nulls++;
  }
  return nulls === 0 ? { bitmap: new Uint8Array(0), nullCount: 0 } : { bitmap, nullCount: nulls };
}

/** Builds a Data from buffers (offsets, values) and validity flags. */
export function makeLeafData(
  type: DataType,
  length: number,
  valid: Validity,
  values: ArrayLike<unknown> | undefined,
  offsets?: Int32Array | BigInt64Array,
): Data {
  const { bitmap, nullCount } = packValidity(valid, length);
  return new Data(type, 0, length, nullCount, [offsets, values, bitmap, undefined] as never);
}

/** Builds a struct Data from its children. */
export function makeStructData(type: DataType, length: number, valid: Validity, children: Data[]): Data {
  const { bitmap, nullCount } = packValidity(valid, length);
  return new Data(type, 0, length, nullCount, [undefined, undefined, bitmap, undefined] as never, children);
}

/** Builds a list or map Data from offsets and the child (values / entries) Data. */
export function makeListData(type: DataType, length: number, valid: Validity, offsets: Int32Array, child: Data): Data {
  const { bitmap, nullCount } = packValidity(valid, length);
  return new Data(type, 0, length, nullCount, [offsets, undefined, bitmap, undefined] as never, [child]);
}

/** An all-null Data of any type (absent columns, void columns). */
export function nullData(type: DataType, length: number): Data {
  const bitmap = new Uint8Array((length + 7) >> 3);
  const nulls = length;
  const make = (buffers: unknown[], children: Data[] = []): Data =>
    new Data(type, 0, length, nulls, buffers as never, children);
  switch (type.typeId) {
    case Type.Null:
      return new Data(type, 0, length, length);
    case Type.Struct:
      return make([undefined, undefined, bitmap], type.children.map((f: Field) => nullData(f.type, length)));
    case Type.List:
    case Type.Map:
      return make([new Int32Array(length + 1), undefined, bitmap], [nullData(type.children[0]!.type, 0)]);
    case Type.LargeList:
      return make([new BigInt64Array(length + 1), undefined, bitmap], [nullData(type.children[0]!.type, 0)]);
    case Type.FixedSizeList:
      return make([undefined, undefined, bitmap], [nullData(type.children[0]!.type, length * (type as unknown as { listSize: number }).listSize)]);
    case Type.Utf8:
    case Type.Binary:
      return make([new Int32Array(length + 1), new Uint8Array(0), bitmap]);
    case Type.LargeUtf8:
    case Type.LargeBinary:
      return make([new BigInt64Array(length + 1), new Uint8Array(0), bitmap]);
    case Type.Bool:
      return make([undefined, new Uint8Array(bitmap.length), bitmap]);
    case Type.FixedSizeBinary:
      return make([undefined, new Uint8Array(length * (type as unknown as { byteWidth: number }).byteWidth), bitmap]);
    default: {
      const stride = type.typeId === Type.Decimal ? (type as unknown as { bitWidth: number }).bitWidth / 32 : 1;
      const ArrayType = type.ArrayType as new (n: number) => ArrayLike<unknown>;
      return make([undefined, new ArrayType(length * stride), bitmap]);
    }
  }
}

const encoder = new TextEncoder();

/** Concatenates byte values into Arrow offsets + data (utf8/binary, 32- or 64-bit offsets). */
export function byteArrayBuffers(
  values: ArrayLike<unknown>,
  valid: Uint8Array,
  length: number,
  large: boolean,
): { offsets: Int32Array | BigInt64Array; data: Uint8Array } {
  const parts: (Uint8Array | undefined)[] = new Array(length);
  let total = 0;
  for (let i = 0; i < length; i++) {
    if (!valid[i]) continue;
    const v = values[i];
    const bytes = v instanceof Uint8Array ? v : typeof v === "string" ? encoder.encode(v) : undefined;
    if (bytes === undefined) throw new TypeError(`expected bytes, got ${typeof v}`);
    parts[i] = bytes;
    total += bytes.byteLength;
  }
  if (!large && total > 0x7fffffff) throw new RangeError("byte column larger than 2 GiB in one batch");
  const data = new Uint8Array(total);
  const offsets = large ? new BigInt64Array(length + 1) : new Int32Array(length + 1);
  let at = 0;
  for (let i = 0; i < length; i++) {
    const p = parts[i];
    if (p !== undefined) {
      data.set(p, at);
      at += p.byteLength;
    }
    if (large) (offsets as BigInt64Array)[i + 1] = BigInt(at);
    else (offsets as Int32Array)[i + 1] = at;
  }
  return { offsets, data };
}

const WORD = 0xffffffffn;

/** Writes a bigint as a little-endian two's-complement integer of `words` 32-bit words. */
export function writeWideInt(out: Uint32Array, index: number, words: number, value: bigint): void {
  let v = BigInt.asUintN(words * 32, value);
  const base = index * words;
  for (let w = 0; w < words; w++) {
    out[base + w] = Number(v & WORD);
    v >>= 32n;
  }
}

/** Reads a little-endian two's-complement integer of `words` 32-bit words as a bigint. */
export function readWideInt(words32: Uint32Array, index: number, words: number): bigint {
  let v = 0n;
  const base = index * words;
  for (let w = words - 1; w >= 0; w--) v = (v << 32n) | BigInt(words32[base + w]!);
  return BigInt.asIntN(words * 32, v);
}

/** Decodes a big-endian two's-complement byte array (Parquet FLBA/BYTE_ARRAY decimal) to a bigint. */
export function bigEndianToBigInt(bytes: Uint8Array): bigint {
  if (bytes.byteLength === 0) return 0n;
  let v = 0n;
  for (let i = 0; i < bytes.byteLength; i++) v = (v << 8n) | BigInt(bytes[i]!);
  return BigInt.asIntN(bytes.byteLength * 8, v);
}
