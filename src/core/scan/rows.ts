/**
 * Rows out of Arrow batches: canonical JS values per row (for row-object APIs), and the JSON
 * value encoding of DESIGN.md (for ndjson/json/csv output): primitives as schema/scalar.ts
 * encodes them, structs as objects, arrays as arrays, maps as arrays of [key, value] pairs.
 */
import type { Data, RecordBatch } from "apache-arrow";
import type { DataType, Scalar, StructField } from "../schema/types.js";
import { formatScalarJson, toBase64 } from "../schema/scalar.js";
import { valueReader, type Value } from "../arrow/values.js";

/** A JSON-encodable value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

/** Yields each row of a batch as an object of canonical values, keyed by field name. */
export function* batchRows(batch: RecordBatch, fields: readonly StructField[]): Generator<Record<string, Value>> {
  const readers = fields.map((f, j) => [f.name, valueReader(batch.data.children[j] as Data, f.type)] as const);
  for (let i = 0; i < batch.numRows; i++) {
    const row: Record<string, Value> = {};
    for (const [name, read] of readers) row[name] = read(i);
    yield row;
  }
}

/** Encodes a canonical value of a Delta type for JSON output. */
export function formatValueJson(value: Value, type: DataType): JsonValue {
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case "struct": {
      const v = value as Record<string, Value>;
      const out: Record<string, JsonValue> = {};
      for (const f of type.fields) out[f.name] = formatValueJson(v[f.name], f.type);
      return out;
    }
    case "array":
      return (value as Value[]).map((x) => formatValueJson(x, type.elementType));
    case "map":
      return (value as [Value, Value][]).map(([k, v]) => [formatValueJson(k, type.keyType), formatValueJson(v, type.valueType)]);
    case "primitive":
      if (type.name === "variant") {
        const v = value as { value: Uint8Array; metadata: Uint8Array };
        return { value: toBase64(v.value), metadata: toBase64(v.metadata) };
      }
      return formatScalarJson(value as Scalar, type);
  }
}

/** A row as a JSON object in the output encoding. */
export function formatRowJson(row: Record<string, Value>, fields: readonly StructField[]): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const f of fields) out[f.name] = formatValueJson(row[f.name], f.type);
  return out;
}
