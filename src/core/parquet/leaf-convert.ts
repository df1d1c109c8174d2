/**
 * Converts the raw values of one Parquet leaf column into Arrow Data of an exact target type.
 * The decoder hands over physical values (INT32 -> number, INT64 -> bigint, INT96 -> bigint
 * nanoseconds, FLOAT/DOUBLE -> number, BOOLEAN -> boolean, byte arrays -> Uint8Array); the
 * column's logical/converted annotation says what they mean. Supported conversions are the
 * identity ones plus Delta's type widening: int8/16/32 -> wider ints, ints -> float/double/decimal,
 * float -> double, decimal scale/precision increase, date -> timestamp, any timestamp unit (and
 * INT96) -> any unit (finer: exact; coarser: floor). Anything else is a ParquetSchemaMismatchError
 * raised when the read is planned, before any data is fetched.
 */
import { Data, DataType, Precision, Type, TimeUnit, type Decimal, type FixedSizeBinary, type Float, type Int } from "apache-arrow";
import type { SchemaElement } from "hyparquet";
import { byteArrayBuffers, bigEndianToBigInt, makeLeafData, writeWideInt } from "../arrow/builders.js";
import { halfToNumber } from "../arrow/data.js";
import { ParquetSchemaMismatchError } from "./errors.js";

/** What a leaf's physical values mean. */
export type LeafSource =
  | { kind: "bool" }
  | { kind: "int"; signed: boolean; bits: number }
  | { kind: "float" }
  | { kind: "float16" }
  | { kind: "decimal"; scale: number }
  | { kind: "date" }
  | { kind: "timestamp"; nanosPerUnit: bigint }
  | { kind: "time"; nanosPerUnit: bigint }
  | { kind: "bytes"; fixed: number | undefined };

/** Converts a leaf's values (with per-row validity) into Data of the target type. */
export type LeafBuilder = (values: ArrayLike<unknown>, valid: Uint8Array, length: number) => Data;

const NANOS = { MILLIS: 1_000_000n, MICROS: 1_000n, NANOS: 1n } as const;
/** Nanoseconds per Arrow time unit (also wasm-convert.ts's). */
export const NANOS_OF_ARROW: Record<number, bigint> = {
  [TimeUnit.SECOND]: 1_000_000_000n,
  [TimeUnit.MILLISECOND]: 1_000_000n,
  [TimeUnit.MICROSECOND]: 1_000n,
  [TimeUnit.NANOSECOND]: 1n,
};
/** Nanoseconds per day. */
export const NANOS_PER_DAY = 86_400_000_000_000n;

/** Classifies a Parquet leaf element by its physical type and annotations. */
export function leafSource(element: SchemaElement): LeafSource {
  const logical = element.logical_type;
  const ct = element.converted_type;
  if (logical?.type === "DECIMAL") return { kind: "decimal", scale: logical.scale };
  if (ct === "DECIMAL") return { kind: "decimal", scale: element.scale ?? 0 };
  if (logical?.type === "TIMESTAMP") return { kind: "timestamp", nanosPerUnit: NANOS[logical.unit] };
  if (ct === "TIMESTAMP_MILLIS") return { kind: "timestamp", nanosPerUnit: NANOS.MILLIS };
  if (ct === "TIMESTAMP_MICROS") return { kind: "timestamp", nanosPerUnit: NANOS.MICROS };
  if (logical?.type === "TIME") return { kind: "time", nanosPerUnit: NANOS[logical.unit] };
  if (ct === "TIME_MILLIS") return { kind: "time", nanosPerUnit: NANOS.MILLIS };
  if (ct === "TIME_MICROS") return { kind: "time", nanosPerUnit: NANOS.MICROS };
  if (logical?.type === "DATE" || ct === "DATE") return { kind: "date" };
  if (logical?.type === "FLOAT16") return { kind: "float16" };
  switch (element.type) {
    case "BOOLEAN":
      return { kind: "bool" };
    case "INT96":
      return { kind: "timestamp", nanosPerUnit: 1n };
    case "FLOAT":
    case "DOUBLE":
      return { kind: "float" };
    case "INT32":
    case "INT64": {
      if (logical?.type === "INTEGER") return { kind: "int", signed: logical.isSigned, bits: logical.bitWidth };
      const m = /^(U?)INT_(8|16|32|64)$/.exec(ct ?? "");
      if (m) return { kind: "int", signed: m[1] === "", bits: Number(m[2]) };
      return { kind: "int", signed: true, bits: element.type === "INT32" ? 32 : 64 };
    }
    case "FIXED_LEN_BYTE_ARRAY":
      return { kind: "bytes", fixed: element.type_length };
    default:
      return { kind: "bytes", fixed: undefined };
  }
}

/** Chooses the conversion from a leaf to a target type; throws when there is none. */
export function leafBuilder(element: SchemaElement, type: DataType, column: string, path?: string): LeafBuilder {
  const src = leafSource(element);
  const fail = (): never => {
    throw new ParquetSchemaMismatchError(column, `cannot read Parquet ${describe(element, src)} as ${String(type)}`, { path });
  };
  const build = (make: (values: ArrayLike<unknown>, valid: Uint8Array, n: number) => ArrayLike<unknown>): LeafBuilder =>
    (values, valid, n) => makeLeafData(type, n, valid, make(values, valid, n));
  switch (type.typeId) {
    case Type.Null:
      return (_values, _valid, n) => new Data(type, 0, n, n);
    case Type.Bool:
      if (src.kind !== "bool") return fail();
      return build((values, valid, n) => {
        const bits = new Uint8Array((n + 7) >> 3);
        for (let i = 0; i < n; i++) if (valid[i] && values[i] === true) bits[i >> 3]! |= 1 << (i & 7);
        return bits;
      });
    case Type.Int: {
      if (src.kind !== "int") return fail();
      const { bitWidth, isSigned } = type as Int;
      if (src.bits > bitWidth) return fail();
      const unsigned32 = !src.signed && src.bits === 32;
      if (bitWidth === 64) {
        return build((values, valid, n) => {
          const out = isSigned ? new BigInt64Array(n) : new BigUint64Array(n);
          if (copyTyped(values, out)) return out;
          for (let i = 0; i < n; i++) {
            if (!valid[i]) continue;
            const v = values[i] as number | bigint;
            out[i] = typeof v === "bigint" ? v : BigInt(unsigned32 ? v >>> 0 : v);
          }
          return out;
        });
      }
      return build((values, valid, n) => {
        const out = new (type.ArrayType as new (n: number) => Int32Array)(n);
        if (copyTyped(values, out)) return out;
        for (let i = 0; i < n; i++) if (valid[i]) out[i] = Number(values[i]);
        return out;
      });
    }
    case Type.Float: {
      const half = (type as unknown as Float).precision === Precision.HALF;
      if (half) {
        if (src.kind !== "float16") return fail();
        return build((values, valid, n) => {
          const out = new Uint16Array(n);
          for (let i = 0; i < n; i++) if (valid[i]) out[i] = readHalfBits(values[i] as Uint8Array);
          return out;
        });
      }
      if (src.kind !== "float" && src.kind !== "int" && src.kind !== "float16") return fail();
      return build((values, valid, n) => {
        const out = new (type.ArrayType as new (n: number) => Float64Array)(n);
        if (src.kind === "float" && copyTyped(values, out)) return out;
        for (let i = 0; i < n; i++) {
          if (!valid[i]) continue;
          const v = values[i];
          out[i] = src.kind === "float16" ? halfToNumber(readHalfBits(v as Uint8Array)) : Number(v);
        }
        return out;
      });
    }
    case Type.Decimal: {
      const { scale, bitWidth } = type as Decimal;
      const fromScale = src.kind === "decimal" ? src.scale : src.kind === "int" ? 0 : -1;
      if (fromScale < 0 || fromScale > scale) return fail();
      const factor = 10n ** BigInt(scale - fromScale);
      const words = bitWidth / 32;
      return build((values, valid, n) => {
        const out = new Uint32Array(n * words);
        for (let i = 0; i < n; i++) {
          if (!valid[i]) continue;
          const v = values[i];
          const unscaled = v instanceof Uint8Array ? bigEndianToBigInt(v) : BigInt(v as number | bigint);
          writeWideInt(out, i, words, unscaled * factor);
        }
        return out;
      });
    }
    case Type.Date: {
      if (src.kind !== "date") return fail();
      if (type.ArrayType === Int32Array) return build((values, valid, n) => copyInt32(values, valid, n));
      return build((values, valid, n) => {
        const out = new BigInt64Array(n);
        for (let i = 0; i < n; i++) if (valid[i]) out[i] = BigInt(values[i] as number) * 86_400_000n;
        return out;
      });
    }
    case Type.Timestamp: {
      const to = NANOS_OF_ARROW[(type as unknown as { unit: TimeUnit }).unit]!;
      if (src.kind === "date") return build((values, valid, n) => rescale(values, valid, n, NANOS_PER_DAY, to, false));
      if (src.kind !== "timestamp") return fail();
      return build((values, valid, n) => rescale(values, valid, n, src.nanosPerUnit, to, false));
    }
    case Type.Time: {
      if (src.kind !== "time") return fail();
      const to = NANOS_OF_ARROW[(type as unknown as { unit: TimeUnit }).unit]!;
      return build((values, valid, n) => rescale(values, valid, n, src.nanosPerUnit, to, type.ArrayType === Int32Array));
    }
    case Type.Utf8:
    case Type.Binary:
    case Type.LargeUtf8:
    case Type.LargeBinary: {
      if (src.kind !== "bytes") return fail();
      const large = type.typeId === Type.LargeUtf8 || type.typeId === Type.LargeBinary;
      return (values, valid, n) => {
        const { offsets, data } = byteArrayBuffers(values, valid, n, large);
        return makeLeafData(type, n, valid, data, offsets);
      };
    }
    case Type.FixedSizeBinary: {
      const width = (type as FixedSizeBinary).byteWidth;
      if (src.kind !== "bytes" || src.fixed !== width) return fail();
      return build((values, valid, n) => {
        const out = new Uint8Array(n * width);
        for (let i = 0; i < n; i++) if (valid[i]) out.set(values[i] as Uint8Array, i * width);
        return out;
      });
    }
    default:
      return fail();
  }
}

/**
 * Copies a typed array of decoded values into `out` when both hold the same kind of numbers
 * (number or bigint); values at null positions are don't-care in Arrow. Returns false when a
 * per-value conversion is needed.
 */
function copyTyped(values: ArrayLike<unknown>, out: Int32Array | Float64Array | BigInt64Array | BigUint64Array): boolean {
  if (!ArrayBuffer.isView(values) || values.length !== out.length) return false;
  const bigIn = values instanceof BigInt64Array || values instanceof BigUint64Array;
  const bigOut = out instanceof BigInt64Array || out instanceof BigUint64Array;
  if (bigIn !== bigOut) return false;
  (out as Float64Array).set(values as unknown as Float64Array);
  return true;
}

function copyInt32(values: ArrayLike<unknown>, valid: Uint8Array, n: number): Int32Array {
  const out = new Int32Array(n);
  if (copyTyped(values, out)) return out;
  for (let i = 0; i < n; i++) if (valid[i]) out[i] = values[i] as number;
  return out;
}

/** Rescales integer time values between units (finer: exact multiply; coarser: floor). */
export function rescale(values: ArrayLike<unknown>, valid: Uint8Array, n: number, from: bigint, to: bigint, int32: boolean): Int32Array | BigInt64Array {
  const out = int32 ? new Int32Array(n) : new BigInt64Array(n);
  const mul = from >= to ? from / to : 1n;
  const div = from < to ? to / from : 1n;
  if (mul === 1n && div === 1n) {
    if (copyTyped(values, out)) return out;
    for (let i = 0; i < n; i++) {
      if (!valid[i]) continue;
      const v = values[i] as number | bigint;
      if (int32) out[i] = Number(v);
      else out[i] = typeof v === "bigint" ? v : BigInt(v);
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    if (!valid[i]) continue;
    let v = BigInt(values[i] as number | bigint) * mul;
    if (div !== 1n) v = v >= 0n ? v / div : -((-v + div - 1n) / div);
    if (int32) out[i] = Number(v);
    else out[i] = v;
  }
  return out;
}

function readHalfBits(bytes: Uint8Array): number {
  return (bytes[0] ?? 0) | ((bytes[1] ?? 0) << 8);
}


function describe(element: SchemaElement, src: LeafSource): string {
  const ann = element.logical_type?.type ?? element.converted_type;
  return `${element.type ?? "group"}${ann ? ` (${ann})` : ""} [${src.kind}]`;
}
