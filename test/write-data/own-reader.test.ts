/**
 * Files written here read back with the project's own parquet reader (hyparquet adapter) into the
 * Delta schema's Arrow types, value for value: the scan side and the write side agree on layout
 * (timestamps, decimals of every width, nested lists/maps/structs, physical names).
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Data, RecordBatch } from "apache-arrow";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { createHyparquetReader } from "../../src/core/parquet/hyparquet-reader.js";
import { deltaSchemaToArrow } from "../../src/core/schema/arrow-schema.js";
import { physicalSchema, type ColumnMappingMode } from "../../src/core/schema/column-mapping.js";
import { decodeAddPath } from "../../src/core/schema/partition-path.js";
import type { DataType, StructField, StructType } from "../../src/core/schema/types.js";
import { writeDataFiles } from "../../src/core/write/data-files.js";
import { childRange, isValid, scalarAt } from "../../src/core/arrow/data.js";
import { buildTable } from "./helpers/arrow-build.js";
import { oracleValue, useNodeParquetWasm } from "./helpers/oracle.js";
import { ALL_TYPES, ALL_TYPES_ROWS, field, p, struct } from "./fixtures.js";

beforeAll(() => useNodeParquetWasm());

/** The oracle encoding of row i of canonical data of a Delta type. */
function valueOf(data: Data, type: DataType, i: number): unknown {
  if (!isValid(data, i)) return null;
  switch (type.kind) {
    case "struct":
      return Object.fromEntries(type.fields.map((f, k) => [f.name, valueOf(data.children[k]!, f.type, i)]));
    case "array": {
      const [s, e] = childRange(data, i);
      return Array.from({ length: e - s }, (_, j) => valueOf(data.children[0]!, type.elementType, s + j));
    }
    case "map": {
      const [s, e] = childRange(data, i);
      const entries = data.children[0]!;
      return Array.from({ length: e - s }, (_, j) => [valueOf(entries.children[0]!, type.keyType, s + j), valueOf(entries.children[1]!, type.valueType, s + j)]);
    }
    case "primitive":
      return oracleValue(type, scalarAt(data, type, i));
  }
}

async function readBack(store: MemoryStore, path: string, schema: StructType): Promise<Record<string, unknown>[]> {
  const bytes = await store.get(decodeAddPath(path));
  const source = { byteLength: bytes.byteLength, read: async (s: number, e: number) => bytes.subarray(s, e), path };
  const reader = createHyparquetReader();
  const metadata = await reader.readMetadata(source);
  const rows: Record<string, unknown>[] = [];
  for await (const batch of reader.read({ source, metadata, targetSchema: deltaSchemaToArrow(schema) }) as AsyncIterable<RecordBatch>) {
    for (let i = 0; i < batch.numRows; i++) rows.push(Object.fromEntries(schema.fields.map((f, k) => [f.name, valueOf(batch.data.children[k]!, f.type, i)])));
  }
  return rows;
}

describe("own reader reads what the writer writes", () => {
  it("every type, exactly", async () => {
    const store = new MemoryStore();
    const [add] = await writeDataFiles({ store, data: buildTable(ALL_TYPES, ALL_TYPES_ROWS), schema: ALL_TYPES, compression: "zstd" });
    const expected = ALL_TYPES_ROWS.map((r) => Object.fromEntries(ALL_TYPES.fields.map((f) => [f.name, oracleValue(f.type, r[f.name] ?? null)])));
    expect(await readBack(store, add!.path, ALL_TYPES)).toEqual(expected);
  });

  it.each(["name", "id"] as ColumnMappingMode[])("physical names under column mapping mode %s", async (mode) => {
    const cm = (f: StructField, id: number): StructField => ({ ...f, metadata: { "delta.columnMapping.id": id, "delta.columnMapping.physicalName": `phys_${f.name}` } });
    const schema = struct(cm(field("a", p("long")), 1), cm(field("s", struct(cm(field("x", p("string")), 3))), 2));
    const store = new MemoryStore();
    const rows = [{ a: 1n, s: { x: "one" } }, { a: null, s: null }];
    const [add] = await writeDataFiles({ store, data: buildTable(schema, rows), schema, properties: { "delta.columnMapping.mode": mode } });
    const physical = physicalSchema(schema, mode, { fieldIds: false });
    expect(await readBack(store, add!.path, physical)).toEqual([{ phys_a: "1", phys_s: { phys_x: "one" } }, { phys_a: null, phys_s: null }]);
  });
});
