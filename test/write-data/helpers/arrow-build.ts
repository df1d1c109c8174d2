/**
 * Test helper: canonical Arrow data (the layout deltaTypeToArrow gives each Delta type) from plain
 * JS values, without apache-arrow's builders (which take timestamps as float milliseconds).
 * Values: canonical scalars for primitives (schema/types.ts), objects for structs, arrays for
 * arrays, arrays of [key, value] pairs for maps, null for null.
 */
import { Data, RecordBatch, Struct, Table } from "apache-arrow";
import { byteArrayBuffers, makeListData, makeStructData, nullData, packValidity, writeWideInt } from "../../../src/core/arrow/builders.js";
import { deltaSchemaToArrow, deltaTypeToArrow } from "../../../src/core/schema/arrow-schema.js";
import type { DataType, DecimalValue, StructType } from "../../../src/core/schema/types.js";

/** Builds one column of canonical Data of a Delta type from JS values. */
export function buildColumn(type: DataType, values: readonly unknown[]): Data {
  const arrowType = deltaTypeToArrow(type);
  const n = values.length;
  const valid = new Uint8Array(n);
  values.forEach((v, i) => (valid[i] = v === null || v === undefined ? 0 : 1));
  const leaf = (buffer: unknown, offsets?: Int32Array): Data => {
    const { bitmap, nullCount } = packValidity(valid, n);
    return new Data(arrowType, 0, n, nullCount, [offsets, buffer, bitmap, undefined] as never);
  };
  switch (type.kind) {
    case "struct":
      return makeStructData(
        arrowType,
        n,
        valid,
        type.fields.map((f) => buildColumn(f.type, values.map((v) => (v === null || v === undefined ? null : ((v as Record<string, unknown>)[f.name] ?? null))))),
      );
    case "array": {
      const offsets = new Int32Array(n + 1);
      const flat: unknown[] = [];
      values.forEach((v, i) => {
        if (Array.isArray(v)) flat.push(...v);
        offsets[i + 1] = flat.length;
      });
      return makeListData(arrowType, n, valid, offsets, buildColumn(type.elementType, flat));
    }
    case "map": {
      const offsets = new Int32Array(n + 1);
      const keys: unknown[] = [];
      const vals: unknown[] = [];
      values.forEach((v, i) => {
        if (Array.isArray(v)) {
          for (const [k, x] of v as [unknown, unknown][]) {
            keys.push(k);
            vals.push(x);
          }
        }
        offsets[i + 1] = keys.length;
      });
      const entriesType = arrowType.children[0]!.type;
      const all = new Uint8Array(keys.length).fill(1);
      const entries = makeStructData(entriesType, keys.length, all, [buildColumn(type.keyType, keys), buildColumn(type.valueType, vals)]);
      return makeListData(arrowType, n, valid, offsets, entries);
    }
    case "primitive":
      switch (type.name) {
        case "byte":
          return leaf(Int8Array.from(values, (v) => Number(v ?? 0)));
        case "short":
          return leaf(Int16Array.from(values, (v) => Number(v ?? 0)));
        case "integer":
        case "date":
          return leaf(Int32Array.from(values, (v) => Number(v ?? 0)));
        case "float":
          return leaf(Float32Array.from(values, (v) => Number(v ?? 0)));
        case "double":
          return leaf(Float64Array.from(values, (v) => Number(v ?? 0)));
        case "long":
        case "timestamp":
        case "timestamp_ntz":
          return leaf(BigInt64Array.from(values, (v) => BigInt((v as bigint | number | null) ?? 0)));
        case "decimal": {
          const words = new Uint32Array(n * 4);
          values.forEach((v, i) => v !== null && v !== undefined && writeWideInt(words, i, 4, (v as DecimalValue).unscaled));
          return leaf(words);
        }
        case "boolean": {
          const bits = new Uint8Array((n + 7) >> 3);
          values.forEach((v, i) => v === true && (bits[i >> 3]! |= 1 << (i & 7)));
          return leaf(bits);
        }
        case "string":
        case "binary": {
          const { offsets, data } = byteArrayBuffers(values, valid, n, false);
          return leaf(data, offsets as Int32Array);
        }
        case "void":
          return nullData(arrowType, n);
        default:
          throw new Error(`cannot build ${type.name}`);
      }
  }
}

/** A canonical RecordBatch of a Delta schema from row objects. */
export function buildBatch(schema: StructType, rows: readonly Record<string, unknown>[]): RecordBatch {
  const arrowSchema = deltaSchemaToArrow(schema);
  const children = schema.fields.map((f) => buildColumn(f.type, rows.map((r) => r[f.name] ?? null)));
  return new RecordBatch(arrowSchema, new Data(new Struct(arrowSchema.fields), 0, rows.length, 0, [undefined, undefined, undefined, undefined] as never, children));
}

/** A canonical Table of one batch. */
export function buildTable(schema: StructType, rows: readonly Record<string, unknown>[]): Table {
  return new Table([buildBatch(schema, rows)]);
}
