/**
 * Copies Arrow data out of WebAssembly memory through the Arrow C Data Interface: parquet-wasm
 * exports a decoded table as `ArrowSchema` / `ArrowArray` structs (wasm32 layout), and this module
 * walks them and builds apache-arrow `Data` whose buffers are JS copies (views into wasm memory
 * would be invalidated by the next wasm call). The result is normalized: every Data has offset 0,
 * and an empty validity bitmap when there is no null. Only the types arrow-rs decodes Parquet into
 * without an Arrow schema hint are imported (the wasm reader never passes one); dictionaries, view
 * types, list views, run-end and union arrays raise `FfiUnsupportedError`, and the wasm reader
 * then falls back to the JS decoder.
 */
import {
  Binary, Bool, Data, DateDay, DateMillisecond, Decimal, Field, FixedSizeBinary, Float16, Float32, Float64,
  Int16, Int32, Int64, Int8, LargeBinary, LargeUtf8, List, Map_, Null, Struct, TimeMicrosecond, TimeMillisecond,
  TimeNanosecond, TimeSecond, Timestamp, TimeUnit, Type, Uint16, Uint32, Uint64, Uint8, Utf8, type DataType,
} from "apache-arrow";

/** A C Data Interface construct that this importer does not handle. */
export class FfiUnsupportedError extends Error {
  override name = "FfiUnsupportedError";
}

/** The struct schema and the per-batch struct arrays of an exported stream. */
export interface FfiStreamView {
  memory: WebAssembly.Memory;
  schemaAddr: number;
  arrayAddrs: readonly number[];
}

/** Imports each exported batch as a struct Data (children = columns), copying every buffer. */
export function importBatches(stream: FfiStreamView): Data<Struct>[] {
  // wasm memory is an ArrayBuffer (parquet-wasm is not built with shared memory)
  const view = new DataView(stream.memory.buffer as ArrayBuffer);
  const schema = readSchema(view, stream.schemaAddr);
  if (schema.type.typeId !== Type.Struct) throw new FfiUnsupportedError(`stream schema is ${String(schema.type)}, not a struct`);
  return stream.arrayAddrs.map((addr) => importArray(view, schema, addr, 0, undefined) as Data<Struct>);
}

interface SchemaNode {
  name: string;
  nullable: boolean;
  type: DataType;
  children: SchemaNode[];
}

const FLAG_NULLABLE = 2n;
const FLAG_KEYS_SORTED = 4n;

function cString(view: DataView, addr: number): string {
  if (addr === 0) return "";
  let end = addr;
  while (view.getUint8(end) !== 0) end++;
  return new TextDecoder().decode(new Uint8Array(view.buffer, addr, end - addr));
}

function readSchema(view: DataView, addr: number): SchemaNode {
  const format = cString(view, view.getUint32(addr, true));
  const name = cString(view, view.getUint32(addr + 4, true));
  const flags = view.getBigInt64(addr + 16, true);
  const nChildren = Number(view.getBigInt64(addr + 24, true));
  const childrenPtr = view.getUint32(addr + 32, true);
  const dictPtr = view.getUint32(addr + 36, true);
  const children: SchemaNode[] = [];
  for (let i = 0; i < nChildren; i++) children.push(readSchema(view, view.getUint32(childrenPtr + 4 * i, true)));
  const nullable = (flags & FLAG_NULLABLE) !== 0n;
  if (dictPtr !== 0) throw new FfiUnsupportedError(`dictionary-encoded field ${name} is not imported`);
  const type = typeOf(format, children, (flags & FLAG_KEYS_SORTED) !== 0n);
  return { name, nullable, type, children };
}

const PRIMITIVES: Record<string, () => DataType> = {
  n: () => new Null(), b: () => new Bool(), c: () => new Int8(), C: () => new Uint8(), s: () => new Int16(),
  S: () => new Uint16(), i: () => new Int32(), I: () => new Uint32(), l: () => new Int64(), L: () => new Uint64(),
  e: () => new Float16(), f: () => new Float32(), g: () => new Float64(), z: () => new Binary(), Z: () => new LargeBinary(),
  u: () => new Utf8(), U: () => new LargeUtf8(), tdD: () => new DateDay(), tdm: () => new DateMillisecond(),
  tts: () => new TimeSecond(), ttm: () => new TimeMillisecond(), ttu: () => new TimeMicrosecond(), ttn: () => new TimeNanosecond(),
};
const TS_UNITS: Record<string, TimeUnit> = { s: TimeUnit.SECOND, m: TimeUnit.MILLISECOND, u: TimeUnit.MICROSECOND, n: TimeUnit.NANOSECOND };

function typeOf(format: string, children: SchemaNode[], keysSorted: boolean): DataType {
  const simple = PRIMITIVES[format];
  if (simple !== undefined) return simple();
  const field = (c: SchemaNode): Field => new Field(c.name, c.type, c.nullable);
  if (format.startsWith("ts") && format[3] === ":" && TS_UNITS[format[2] ?? ""] !== undefined) {
    const tz = format.slice(4);
    return new Timestamp(TS_UNITS[format[2]!]!, tz === "" ? null : tz);
  }
  let m = /^d:(\d+),(-?\d+)(?:,(\d+))?$/.exec(format);
  if (m) return new Decimal(Number(m[2]), Number(m[1]), Number(m[3] ?? 128));
  m = /^w:(\d+)$/.exec(format);
  if (m) return new FixedSizeBinary(Number(m[1]));
  if (format === "+l" && children.length === 1) return new List(field(children[0]!));
  if (format === "+s") return new Struct(children.map(field));
  if (format === "+m" && children.length === 1) return new Map_(field(children[0]!) as Field<Struct>, keysSorted);
  throw new FfiUnsupportedError(`Arrow C format ${JSON.stringify(format)} is not imported`);
}

/** Reads the ArrowArray at `addr` as Data of `node`, starting `extra` rows after its own offset. */
function importArray(view: DataView, node: SchemaNode, addr: number, extra: number, lengthOverride: number | undefined): Data {
  const ownLength = Number(view.getBigInt64(addr, true));
  const declaredNulls = Number(view.getBigInt64(addr + 8, true));
  const offset = Number(view.getBigInt64(addr + 16, true)) + extra;
  const length = lengthOverride ?? ownLength;
  const nBuffers = Number(view.getBigInt64(addr + 24, true));
  const buffersPtr = view.getUint32(addr + 40, true);
  const childrenPtr = view.getUint32(addr + 44, true);
  const buffer = (i: number): number => (i < nBuffers ? view.getUint32(buffersPtr + 4 * i, true) : 0);
  const child = (i: number): number => view.getUint32(childrenPtr + 4 * i, true);
  const mem = view.buffer as ArrayBuffer;
  const type = node.type;
  if (type.typeId === Type.Null) return new Data(type, 0, length, length);
  const { bitmap, nullCount } = validity(mem, buffer(0), offset, length, declaredNulls, extra === 0 && lengthOverride === undefined);
  const make = (buffers: [unknown, unknown], children: Data[] = []): Data =>
    new Data(type, 0, length, nullCount, [buffers[0], buffers[1], bitmap, undefined] as never, children);
  switch (type.typeId) {
    case Type.Bool:
      return make([undefined, copyBits(mem, buffer(1), offset, length)]);
    case Type.Utf8:
    case Type.Binary:
    case Type.LargeUtf8:
    case Type.LargeBinary: {
      const large = type.typeId === Type.LargeUtf8 || type.typeId === Type.LargeBinary;
      const offsets = copyOffsets(mem, buffer(1), offset, length, large);
      const end = Number(offsets[length] ?? 0);
      return make([offsets, new Uint8Array(copyBytes(mem, buffer(2), 0, end))]);
    }
    case Type.List:
    case Type.Map: {
      const offsets = copyOffsets(mem, buffer(1), offset, length, false) as Int32Array;
      return make([offsets, undefined], [importArray(view, node.children[0]!, child(0), 0, undefined)]);
    }
    case Type.Struct:
      return make([undefined, undefined], node.children.map((c, i) => importArray(view, c, child(i), offset, length)));
    default: {
      const width = byteWidth(type);
      const Ctor = type.ArrayType as new (b: ArrayBuffer) => ArrayLike<unknown>;
      return make([undefined, new Ctor(copyBytes(mem, buffer(1), offset * width, length * width))]);
    }
  }
}

function byteWidth(type: DataType): number {
  switch (type.typeId) {
    case Type.FixedSizeBinary:
      return (type as FixedSizeBinary).byteWidth;
    case Type.Decimal:
      return (type as Decimal).bitWidth / 8;
    default: {
      const bytes = (type.ArrayType as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT;
      if (bytes === undefined) throw new FfiUnsupportedError(`type ${String(type)} is not imported`);
      return bytes;
    }
  }
}

function copyBytes(mem: ArrayBuffer, ptr: number, start: number, length: number): ArrayBuffer {
  if (length === 0) return new ArrayBuffer(0);
  if (ptr === 0) throw new FfiUnsupportedError("missing data buffer");
  return mem.slice(ptr + start, ptr + start + length);
}

/** Copies `length` bits starting at bit `offset` into a fresh bitmap starting at bit 0. */
function copyBits(mem: ArrayBuffer, ptr: number, offset: number, length: number): Uint8Array {
  const bytes = (length + 7) >> 3;
  if (ptr === 0) return new Uint8Array(bytes);
  if ((offset & 7) === 0) return new Uint8Array(mem.slice(ptr + (offset >> 3), ptr + (offset >> 3) + bytes));
  const src = new Uint8Array(mem, ptr);
  const out = new Uint8Array(bytes);
  for (let i = 0; i < length; i++) {
    const bit = offset + i;
    if ((src[bit >> 3]! >> (bit & 7)) & 1) out[i >> 3]! |= 1 << (i & 7);
  }
  return out;
}

function validity(mem: ArrayBuffer, ptr: number, offset: number, length: number, declared: number, whole: boolean): { bitmap: Uint8Array; nullCount: number } {
  if (ptr === 0 || length === 0 || (whole && declared === 0)) return { bitmap: new Uint8Array(0), nullCount: 0 };
  const bitmap = copyBits(mem, ptr, offset, length);
  let nulls = whole && declared > 0 ? declared : -1;
  if (nulls < 0) {
    let valid = 0;
    for (let i = 0; i < length; i++) valid += (bitmap[i >> 3]! >> (i & 7)) & 1;
    nulls = length - valid;
  }
  return nulls === 0 ? { bitmap: new Uint8Array(0), nullCount: 0 } : { bitmap, nullCount: nulls };
}

function copyOffsets(mem: ArrayBuffer, ptr: number, offset: number, length: number, large: boolean): Int32Array | BigInt64Array {
  const width = large ? 8 : 4;
  if (ptr === 0) return large ? new BigInt64Array(length + 1) : new Int32Array(length + 1);
  const bytes = copyBytes(mem, ptr, offset * width, (length + 1) * width);
  return large ? new BigInt64Array(bytes) : new Int32Array(bytes);
}
