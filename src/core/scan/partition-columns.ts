/**
 * Partition columns are not stored in data files (PROTOCOL.md "Partition Values"): a scan adds
 * them back as constant Arrow columns built from the file's typed partition values.
 */
import { Data, makeData, type DataType as ArrowType, type Field } from "apache-arrow";
import { isNumberTypeName, type DataType, type DecimalValue, type NumberTypeName, type Scalar } from "../schema/types.js";
import { nullData } from "../arrow/builders.js";

/** The typed array of each primitive whose canonical scalar is a JS number. */
const NUMBER_ARRAYS: Record<NumberTypeName, new (n: number) => Int8Array | Int16Array | Int32Array | Float32Array | Float64Array> = { byte: Int8Array, short: Int16Array, integer: Int32Array, date: Int32Array, float: Float32Array, double: Float64Array };

/** A column of `length` copies of `value` (null gives an all-null column). */
export function constantColumn(field: Field, type: DataType, value: Scalar, length: number): Data {
  const arrowType = field.type as ArrowType;
  if (value === null || type.kind !== "primitive") return nullData(arrowType, length);
  if (isNumberTypeName(type.name)) return makeData({ type: arrowType as never, length, data: new NUMBER_ARRAYS[type.name](length).fill(value as number) });
  switch (type.name) {
    case "long":
    case "timestamp":
    case "timestamp_ntz":
      return makeData({ type: arrowType as never, length, data: new BigInt64Array(length).fill(BigInt(value as bigint)) as never });
    case "boolean": {
      const bits = new Uint8Array((length + 7) >> 3).fill(value ? 0xff : 0);
      return makeData({ type: arrowType as never, length, data: bits });
    }
    case "string":
    case "binary": {
      const one = typeof value === "string" ? new TextEncoder().encode(value) : (value as Uint8Array);
      const bytes = new Uint8Array(one.length * length);
      const offsets = new Int32Array(length + 1);
      for (let i = 0; i < length; i++) {
        bytes.set(one, i * one.length);
        offsets[i + 1] = (i + 1) * one.length;
      }
      return makeData({ type: arrowType as never, length, data: bytes, valueOffsets: offsets });
    }
    case "decimal": {
      const words = new Uint32Array(4 * length);
      const w = decimalWords((value as DecimalValue).unscaled);
      for (let i = 0; i < length; i++) words.set(w, i * 4);
      return makeData({ type: arrowType as never, length, data: words });
    }
    default:
      return nullData(arrowType, length);
  }
}

/** Little-endian 32-bit words of a signed 128-bit integer. */
export function decimalWords(v: bigint): Uint32Array {
  const u = BigInt.asUintN(128, v);
  return new Uint32Array([Number(u & 0xffffffffn), Number((u >> 32n) & 0xffffffffn), Number((u >> 64n) & 0xffffffffn), Number((u >> 96n) & 0xffffffffn)]);
}
