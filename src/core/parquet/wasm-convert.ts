/**
 * Converts the Arrow data that parquet-wasm (arrow-rs) decoded from a file into the exact target
 * schema of a read, following the same read plan as the JS decoder (read-plan.ts): the plan says
 * which file node feeds each target field (matched by name or field id, so only file names are
 * looked up here), and the target types. Nested data is rebuilt around converted children
 * (validity bitmaps and offsets are reused), absent fields become nulls, and leaves are retyped
 * (no copy) when the decoded layout already is the target's, else converted: integer, float and
 * decimal widening, date -> timestamp, timestamp/time unit changes (finer: exact; coarser:
 * floor; INT96 arrives as nanoseconds), 64-bit offsets -> 32-bit, fixed-size -> variable binary.
 * A decoded type that the plan does not expect raises `ConvertUnsupportedError` (the reader then
 * falls back to the JS decoder), never a silently different value.
 */
import { Data, Precision, TimeUnit, Type, type DataType, type Decimal, type FixedSizeBinary, type Field, type Float, type Int } from "apache-arrow";
import { nullData, readWideInt, writeWideInt } from "../arrow/builders.js";
import { NANOS_OF_ARROW, NANOS_PER_DAY, rescale } from "./leaf-convert.js";
import { halfToNumber } from "../arrow/data.js";
import type { ReadPlan } from "./read-plan.js";

/** A decoded layout that the conversion does not handle. */
export class ConvertUnsupportedError extends Error {
  override name = "ConvertUnsupportedError";
}

type Plan = Exclude<ReadPlan, { kind: "missing" }>;

/** The child of a decoded struct that holds a file node, by the node's physical name. */
export function childByName(parent: Data, name: string): Data | undefined {
  const i = (parent.type.children as Field[]).findIndex((f) => f.name === name);
  return i < 0 ? undefined : (parent.children[i] as Data);
}

/** Builds target Data of `plan.type` from the decoded Data of its file node. */
export function convertColumn(plan: ReadPlan, src: Data | undefined, length: number): Data {
  if (plan.kind === "missing") return nullData(plan.type, length);
  if (src === undefined) throw new ConvertUnsupportedError(`column ${plan.column} was not decoded`);
  if (src.length !== length || src.offset !== 0) throw new ConvertUnsupportedError(`column ${plan.column}: unexpected layout`);
  return convert(plan, src);
}

function convert(plan: Plan, src: Data): Data {
  const n = src.length;
  switch (plan.kind) {
    case "path": {
      const inner = convertColumn(plan.child, expectStruct(src, plan, plan.child.kind === "missing" ? undefined : plan.child.name), n);
      return src.nullCount === 0 ? inner : withValidity(inner, andBitmaps(src, inner, n));
    }
    case "struct": {
      expectType(src, plan, Type.Struct);
      const children = plan.children.map((c, i) =>
        c.kind === "missing" ? nullData((plan.type.children[i] as Field).type, n) : convertColumn(c, expectStruct(src, plan, c.name), n),
      );
      return new Data(plan.type, 0, n, src.nullCount, [undefined, undefined, src.nullBitmap, undefined] as never, children);
    }
    case "list":
    case "repeated": {
      expectType(src, plan, Type.List);
      const child = src.children[0] as Data;
      const element = convertColumn(plan.element, child, child.length);
      return new Data(plan.type, 0, n, src.nullCount, [src.valueOffsets, undefined, src.nullBitmap, undefined] as never, [element]);
    }
    case "map": {
      if (src.type.typeId !== Type.Map && src.type.typeId !== Type.List) expectType(src, plan, Type.Map);
      const entries = src.children[0] as Data;
      if (entries.type.typeId !== Type.Struct || entries.offset !== 0) throw new ConvertUnsupportedError(`column ${plan.column}: map entries are not a struct`);
      const m = entries.length;
      const entryType = (plan.type.children[0] as Field).type as DataType;
      const key = convertColumn(plan.key, entries.children[0], m);
      const value =
        plan.value.kind === "missing" || entries.children.length < 2
          ? nullData((entryType.children[1] as Field).type, m)
          : convertColumn(plan.value, entries.children[1], m);
      const entryData = new Data(entryType, 0, m, entries.nullCount, [undefined, undefined, entries.nullBitmap, undefined] as never, [key, value]);
      return new Data(plan.type, 0, n, src.nullCount, [src.valueOffsets, undefined, src.nullBitmap, undefined] as never, [entryData]);
    }
    case "leaf":
      return convertLeaf(src, plan.type, plan.column);
  }
}

function expectType(src: Data, plan: Plan, typeId: Type): void {
  if (src.type.typeId !== typeId) throw new ConvertUnsupportedError(`column ${plan.column}: decoded as ${String(src.type)}`);
}

function expectStruct(src: Data, plan: Plan, name: string | undefined): Data | undefined {
  expectType(src, plan, Type.Struct);
  return name === undefined ? undefined : childByName(src, name);
}

/** Same buffers, another type (the decoded layout already is the target's). */
function retype(src: Data, type: DataType): Data {
  return new Data(type, 0, src.length, src.nullCount, [src.valueOffsets, src.values, src.nullBitmap, undefined] as never, src.children as Data[]);
}

function withValues(src: Data, type: DataType, values: unknown, offsets?: unknown): Data {
  return new Data(type, 0, src.length, src.nullCount, [offsets, values, src.nullBitmap, undefined] as never);
}

function withValidity(data: Data, v: { bitmap: Uint8Array; nullCount: number }): Data {
  return new Data(data.type, 0, data.length, v.nullCount, [data.valueOffsets, data.values, v.bitmap, undefined] as never, data.children as Data[]);
}

/** The AND of two Data's validity (both offset 0). */
function andBitmaps(a: Data, b: Data, n: number): { bitmap: Uint8Array; nullCount: number } {
  const bytes = (n + 7) >> 3;
  const out = new Uint8Array(bytes).fill(0xff);
  for (const d of [a, b]) {
    const bm = d.nullBitmap as Uint8Array | undefined;
    if (d.nullCount > 0 && bm !== undefined && bm.length > 0) for (let j = 0; j < bytes; j++) out[j]! &= bm[j]!;
  }
  let valid = 0;
  for (let i = 0; i < n; i++) valid += (out[i >> 3]! >> (i & 7)) & 1;
  return { bitmap: out, nullCount: n - valid };
}


/** Nanoseconds per stored unit of a decoded date/time/timestamp type. */
function nanosOf(type: DataType): bigint | undefined {
  if (type.typeId === Type.Timestamp || type.typeId === Type.Time) return NANOS_OF_ARROW[(type as unknown as { unit: TimeUnit }).unit];
  if (type.typeId === Type.Date) return type.ArrayType === Int32Array ? NANOS_PER_DAY : 1_000_000n;
  return undefined;
}

function convertLeaf(src: Data, type: DataType, column: string): Data {
  const from = src.type as DataType;
  const n = src.length;
  const values = src.values as ArrayLike<number | bigint> & { buffer: ArrayBuffer; byteOffset: number };
  const fail = (): never => {
    throw new ConvertUnsupportedError(`column ${column}: cannot convert decoded ${String(from)} to ${String(type)}`);
  };
  switch (type.typeId) {
    case Type.Null:
      return nullData(type, n);
    case Type.Bool:
      return from.typeId === Type.Bool ? retype(src, type) : fail();
    case Type.Int: {
      if (from.typeId !== Type.Int) return fail();
      const Ctor = type.ArrayType as new (...a: unknown[]) => ArrayLike<number | bigint>;
      if ((from as Int).bitWidth === (type as Int).bitWidth) return withValues(src, type, new Ctor(values.buffer, values.byteOffset, n));
      return withValues(src, type, copyNumbers(values, new Ctor(n) as never, n));
    }
    case Type.Float: {
      if ((type as unknown as Float).precision === Precision.HALF) return from.typeId === Type.Float && (from as Float).precision === Precision.HALF ? retype(src, type) : fail();
      if (from.typeId === Type.Float && (from as Float).precision === (type as Float).precision) return retype(src, type);
      const out = new (type.ArrayType as new (n: number) => Float64Array)(n);
      if (from.typeId === Type.Float && (from as Float).precision === Precision.HALF) {
        for (let i = 0; i < n; i++) out[i] = halfToNumber(values[i] as number);
        return withValues(src, type, out);
      }
      if (from.typeId !== Type.Float && from.typeId !== Type.Int) return fail();
      return withValues(src, type, copyNumbers(values, out, n));
    }
    case Type.Decimal: {
      const { scale, bitWidth } = type as Decimal;
      if (from.typeId === Type.Decimal && (from as Decimal).scale === scale && (from as Decimal).bitWidth === bitWidth) return retype(src, type);
      if (from.typeId !== Type.Decimal && from.typeId !== Type.Int) return fail();
      const fromScale = from.typeId === Type.Decimal ? (from as Decimal).scale : 0;
      const fromWords = from.typeId === Type.Decimal ? (from as Decimal).bitWidth / 32 : 0;
      if (fromScale > scale) return fail();
      const factor = 10n ** BigInt(scale - fromScale);
      const words = bitWidth / 32;
      const out = new Uint32Array(n * words);
      for (let i = 0; i < n; i++) {
        const unscaled = fromWords > 0 ? readWideInt(src.values as Uint32Array, i, fromWords) : BigInt(values[i]!);
        writeWideInt(out, i, words, unscaled * factor);
      }
      return withValues(src, type, out);
    }
    case Type.Date:
    case Type.Timestamp:
    case Type.Time: {
      const fromNanos = nanosOf(from);
      const toNanos = nanosOf(type);
      if (fromNanos === undefined || toNanos === undefined) return fail();
      if (type.typeId === Type.Date && from.typeId !== Type.Date) return fail();
      if (type.typeId === Type.Time && from.typeId !== Type.Time) return fail();
      if (type.typeId === Type.Timestamp && from.typeId === Type.Time) return fail();
      const int32 = type.ArrayType === Int32Array;
      if (fromNanos === toNanos && (from.ArrayType === Int32Array) === int32) return retype(src, type);
      return withValues(src, type, rescale(values, new Uint8Array(n).fill(1), n, fromNanos, toNanos, int32));
    }
    case Type.Utf8:
    case Type.Binary:
    case Type.LargeUtf8:
    case Type.LargeBinary: {
      const large = type.typeId === Type.LargeUtf8 || type.typeId === Type.LargeBinary;
      if (from.typeId === Type.FixedSizeBinary) {
        const w = (from as FixedSizeBinary).byteWidth;
        const offsets = large ? new BigInt64Array(n + 1) : new Int32Array(n + 1);
        for (let i = 0; i <= n; i++) offsets[i] = large ? BigInt(i * w) : i * w;
        return withValues(src, type, src.values, offsets);
      }
      if (![Type.Utf8, Type.Binary, Type.LargeUtf8, Type.LargeBinary].includes(from.typeId)) return fail();
      const fromLarge = from.typeId === Type.LargeUtf8 || from.typeId === Type.LargeBinary;
      if (fromLarge === large) return retype(src, type);
      const offsets = large ? new BigInt64Array(n + 1) : new Int32Array(n + 1);
      const srcOffsets = src.valueOffsets as ArrayLike<number | bigint>;
      if (!large && Number(srcOffsets[n]) > 0x7fffffff) return fail();
      for (let i = 0; i <= n; i++) offsets[i] = (large ? BigInt(srcOffsets[i]!) : Number(srcOffsets[i])) as never;
      return withValues(src, type, src.values, offsets);
    }
    case Type.FixedSizeBinary:
      return from.typeId === Type.FixedSizeBinary && (from as FixedSizeBinary).byteWidth === (type as FixedSizeBinary).byteWidth ? retype(src, type) : fail();
    default:
      return fail();
  }
}

/** Copies numbers between typed arrays of possibly different kinds (number <-> bigint). */
function copyNumbers<T extends { [i: number]: number | bigint; length: number }>(values: ArrayLike<number | bigint>, out: T, n: number): T {
  const bigOut = out instanceof BigInt64Array || out instanceof BigUint64Array;
  const bigIn = values instanceof BigInt64Array || values instanceof BigUint64Array;
  if (bigIn === bigOut) {
    (out as unknown as Float64Array).set(values as unknown as Float64Array);
  } else if (bigOut) {
    for (let i = 0; i < n; i++) out[i] = BigInt(values[i] as number);
  } else {
    for (let i = 0; i < n; i++) out[i] = Number(values[i]);
  }
  return out;
}
