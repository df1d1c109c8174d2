/**
 * Column mapping writes: files carry physical names at every depth and parquet field ids (name and
 * id mode alike, nested element/key/value ids from delta.columnMapping.nested.ids), stats and
 * partitionValues use physical names, files go to random prefix directories as Spark writes them,
 * and void columns never reach the file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { decodeAddPath } from "../../src/core/schema/partition-path.js";
import type { DataType, StructField } from "../../src/core/schema/types.js";
import { writeDataFiles } from "../../src/core/write/data-files.js";
import { arrowToParquet, physicalArrowSchema } from "../../src/core/write/parquet-writer.js";
import { buildBatch, buildTable } from "./helpers/arrow-build.js";
import { readWithPyarrow, tempStore, useNodeParquetWasm } from "./helpers/oracle.js";
import { field, p, struct } from "./fixtures.js";

const tmp = tempStore();
beforeAll(() => useNodeParquetWasm());
afterAll(() => tmp.cleanup());

const cm = (name: string, type: DataType, id: number, extra: Record<string, unknown> = {}, nullable = true): StructField =>
  field(name, type, nullable, { "delta.columnMapping.id": id, "delta.columnMapping.physicalName": `col-${id}`, ...extra });

const SCHEMA = struct(
  cm("id", p("long"), 1),
  cm("part", p("string"), 2),
  cm("s", struct(cm("x", p("integer"), 4), cm("y", p("string"), 5)), 3),
  cm("tags", { kind: "array", elementType: p("string"), containsNull: true }, 6, { "delta.columnMapping.nested.ids": { "col-6.element": 100 } }),
  cm("m", { kind: "map", keyType: p("string"), valueType: p("long"), valueContainsNull: true }, 7, { "delta.columnMapping.nested.ids": { "col-7.key": 101, "col-7.value": 102 } }),
  cm("gone", p("void"), 8),
);
const ROWS = [
  { id: 1n, part: "a", s: { x: 1, y: "p" }, tags: ["t"], m: [["k", 5n]] },
  { id: 2n, part: "b", s: null, tags: null, m: null },
];

describe.each(["name", "id"] as const)("column mapping mode %s", (mode) => {
  it("writes physical names, field ids, physical stats and partition keys into random prefix directories", async () => {
    const adds = await writeDataFiles({
      store: tmp.store,
      data: buildTable(SCHEMA, ROWS),
      schema: SCHEMA,
      partitionColumns: ["part"],
      properties: { "delta.columnMapping.mode": mode, "delta.columnMapping.maxColumnId": "8" },
    });
    expect(adds).toHaveLength(2);
    for (const add of adds) {
      expect(add.path).toMatch(/^[A-Za-z0-9]{2}\/part-00\d{3}-[0-9a-f-]{36}-c000\.snappy\.parquet$/);
      expect(Object.keys(add.partitionValues)).toEqual(["col-2"]);
      const stats = JSON.parse(add.stats!);
      expect(Object.keys(stats.nullCount)).toEqual(["col-1", "col-3", "col-6", "col-7", "col-8"]);
      expect(Object.keys(stats.nullCount["col-3"])).toEqual(["col-4", "col-5"]);
    }
    const reports = readWithPyarrow(adds.map((a) => join(tmp.dir, decodeAddPath(a.path))));
    const a = reports[adds.findIndex((x) => x.partitionValues["col-2"] === "a")]!;
    expect(a.columns).toEqual(["col-1", "col-3", "col-6", "col-7"]);
    expect(a.rows).toEqual([{ "col-1": "1", "col-3": { "col-4": "1", "col-5": "p" }, "col-6": ["t"], "col-7": [["k", "5"]] }]);
    expect(a.fieldIds).toEqual({ "col-1": 1, "col-3": 3, "col-3.col-4": 4, "col-3.col-5": 5, "col-6": 6, "col-6.element": 100, "col-7": 7, "col-7.key": 101, "col-7.value": 102 });
  });
});

describe("file layout options", () => {
  it("uses random prefixes with delta.randomizeFilePrefixes and delta.randomPrefixLength", async () => {
    const schema = struct(field("a", p("integer")), field("k", p("string")));
    const adds = await writeDataFiles({
      store: tmp.store,
      data: buildTable(schema, [{ a: 1, k: "x" }]),
      schema,
      partitionColumns: ["k"],
      properties: { "delta.randomizeFilePrefixes": "true", "delta.randomPrefixLength": "5" },
    });
    expect(adds[0]!.path).toMatch(/^[A-Za-z0-9]{5}\/part-/);
    expect(adds[0]!.partitionValues).toEqual({ k: "x" });
  });

  it("keeps only field ids in the file's Arrow schema and drops void fields", () => {
    const schema = physicalArrowSchema({ schema: SCHEMA, columnMapping: "id" });
    expect(schema.fields.map((f) => f.name)).toEqual(["col-1", "col-2", "col-3", "col-6", "col-7"]);
    expect([...schema.fields[0]!.metadata]).toEqual([["PARQUET:field_id", "1"]]);
    const plain = physicalArrowSchema({ schema: struct(field("a", p("integer"), true, { comment: "hi" })) });
    expect([...plain.fields[0]!.metadata]).toEqual([]);
  });

  it("arrowToParquet refuses data that is not in canonical layout", async () => {
    const schema = struct(field("a", p("integer")));
    const wrong = buildBatch(struct(field("a", p("long"))), [{ a: 1n }]);
    await expect(arrowToParquet({ data: wrong, schema })).rejects.toThrow(/column a: Arrow type Int64 is not the canonical layout of Delta type integer/);
    await expect(arrowToParquet({ data: buildBatch(schema, [{ a: 1 }]), schema, maxRowGroupSize: 0 })).rejects.toThrow(/maxRowGroupSize/);
  });
});
