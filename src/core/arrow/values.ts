/**
 * Reading values out of Arrow data as canonical scalars (schema/types.ts), nested ones included: what row filtering and
 * row output need. Reads the raw buffers, because Arrow JS's `get` is lossy for some types
 * (timestamps come back as float milliseconds, dates as milliseconds). Structs become plain
 * objects, arrays arrays, maps arrays of [key, value] pairs.
 */
import type { Data } from "apache-arrow";
import type { DataType } from "../schema/types.js";
import { scalarAt } from "./data.js";

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
  if (type.name === "variant") {
    // Physically a struct {value: binary, metadata: binary}; returned as such.
    const children = (data.children ?? []).map((c) => valueReader(c, { kind: "primitive", name: "binary" }));
    return (i) => (valid(i) && children.length === 2 ? { value: children[0]?.(i), metadata: children[1]?.(i) } : null);
  }
  return (i) => scalarAt(data, type, i);
}
