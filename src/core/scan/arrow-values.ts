/**
 * Reading values out of Arrow data as canonical scalars (schema/types.ts): what row filtering and
 * row output need. Reads the raw buffers, because Arrow JS's `get` is lossy for some types
 * (timestamps come back as float milliseconds, dates as milliseconds). Structs become plain
 * objects, arrays arrays, maps arrays of [key, value] pairs.
 */
import type { Data } from "apache-arrow";
import type { DataType } from "../schema/types.js";

/** A nested canonical value. */
export type Value = unknown;

/** Returns a reader of the value at a row index of `data`, interpreted as Delta type `type`. */
export function valueReader(data: Data, type: DataType): (index: number) => Value {
  const valid = (i: number): boolean => data.nullCount === 0 || data.getValid(i);
  switch (type.kind) {
    case "struct": {
      const children = type.fields.map((f, j) => [f.name, valueReader(data.children[j] as Data, f.type)] as const);
      return (i) => {
        if (!valid(i)) return null;
        const out: Record<string, Value> = {};
        for (const [name, read] of children) out[name] = read(i);
        return out;
      };
    }
    case "array": {
      const offsets = data.valueOffsets as Int32Array;
      const child = valueReader(data.children[0] as Data, type.elementType);
      return (i) => {
        if (!valid(i)) return null;
        const out: Value[] = [];
        for (let k = offsets[i] as number; k < (offsets[i + 1] as number); k++) out.push(child(k));
        return out;
      };
    }
    case "map": {
      const offsets = data.valueOffsets as Int32Array;
      const entries = data.children[0] as Data;
      const key = valueReader(entries.children[0] as Data, type.keyType);
      const value = valueReader(entries.children[1] as Data, type.valueType);
      return (i) => {
        if (!valid(i)) return null;
        const out: [Value, Value][] = [];
        for (let k = offsets[i] as number; k < (offsets[i + 1] as number); k++) out.push([key(k), value(k)]);
        return out;
      };
    }
    case "primitive":
      return primitiveReader(data, type, valid);
  }
}

function primitiveReader(data: Data, type: Extract<DataType, { kind: "primitive" }>, valid: (i: number) => boolean): (i: number) => Value {
  const values = data.values as ArrayLike<number | bigint> & { subarray?: unknown };
  switch (type.name) {
    case "byte":
    case "short":
    case "integer":
    case "float":
    case "double":
    case "date":
      return (i) => (valid(i) ? Number((values as ArrayLike<number>)[i]) : null);
    case "long":
    case "timestamp":
    case "timestamp_ntz":
      return (i) => (valid(i) ? BigInt((values as ArrayLike<bigint>)[i] as bigint) : null);
    case "boolean": {
      const bytes = data.values as Uint8Array;
      return (i) => {
        if (!valid(i)) return null;
        const bit = data.offset + i;
        return ((bytes[bit >> 3] as number) & (1 << (bit & 7))) !== 0;
      };
    }
    case "string": {
      const offsets = data.valueOffsets as Int32Array;
      const bytes = data.values as Uint8Array;
      return (i) => (valid(i) ? decoder.decode(bytes.subarray(offsets[i], offsets[i + 1])) : null);
    }
    case "binary": {
      const offsets = data.valueOffsets as Int32Array;
      const bytes = data.values as Uint8Array;
      return (i) => (valid(i) ? bytes.slice(offsets[i], offsets[i + 1]) : null);
    }
    case "decimal": {
      const words = data.values as Uint32Array;
      const scale = type.scale;
      return (i) => (valid(i) ? { unscaled: decimal128(words, i), scale } : null);
    }
    case "void":
      return () => null;
    case "variant": {
      // Physically a struct {value: binary, metadata: binary}; returned as such.
      const children = (data.children ?? []).map((c) => valueReader(c, { kind: "primitive", name: "binary" }));
      return (i) => (valid(i) && children.length === 2 ? { value: children[0]?.(i), metadata: children[1]?.(i) } : null);
    }
  }
}

/** The signed 128-bit little-endian integer at index i of 4-word decimal data. */
export function decimal128(words: Uint32Array, i: number): bigint {
  const b = i * 4;
  const v =
    (BigInt(words[b + 3] as number) << 96n) |
    (BigInt(words[b + 2] as number) << 64n) |
    (BigInt(words[b + 1] as number) << 32n) |
    BigInt(words[b] as number);
  return BigInt.asIntN(128, v);
}

const decoder = new TextDecoder();
