/**
 * Data files written by writeDataFiles read back with pyarrow: every value of every Delta type
 * (primitive, nested, decimals beyond 18 digits, both timestamp kinds) compares exactly, and the
 * parquet schema carries the physical types Delta readers expect (INT64 micros timestamps with
 * isAdjustedToUTC per type, decimals, int8/int16 annotations), the codec and the row-group size
 * asked for.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { decodeAddPath } from "../../src/core/schema/partition-path.js";
import { writeDataFiles } from "../../src/core/write/data-files.js";
import { arrowToParquet } from "../../src/core/write/parquet-writer.js";
import { PARQUET_COMPRESSIONS, parquetFileSuffix } from "../../src/core/parquet/writer.js";
import { buildTable } from "./helpers/arrow-build.js";
import { oracleValue, readWithPyarrow, tempStore, useNodeParquetWasm } from "./helpers/oracle.js";
import { ALL_TYPES, ALL_TYPES_ROWS, field, p, struct } from "./fixtures.js";

const tmp = tempStore();
beforeAll(() => useNodeParquetWasm());
afterAll(() => tmp.cleanup());

const expectedRows = (rows: Record<string, unknown>[]) =>
  rows.map((r) => Object.fromEntries(ALL_TYPES.fields.map((f) => [f.name, oracleValue(f.type, r[f.name] ?? null)])));

describe("writeDataFiles round trip through pyarrow", () => {
  it("writes every type and pyarrow reads back exactly the same values", async () => {
    const adds = await writeDataFiles({ store: tmp.store, data: buildTable(ALL_TYPES, ALL_TYPES_ROWS), schema: ALL_TYPES, now: () => 1234 });
    expect(adds).toHaveLength(1);
    const add = adds[0]!;
    expect(add.path).toMatch(/^part-00000-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}-c000\.snappy\.parquet$/);
    expect(add.dataChange).toBe(true);
    expect(add.modificationTime).toBe(1234);
    expect(add.partitionValues).toEqual({});
    const [report] = readWithPyarrow([join(tmp.dir, decodeAddPath(add.path))]);
    expect(report!.numRows).toBe(ALL_TYPES_ROWS.length);
    expect(report!.rows).toEqual(expectedRows(ALL_TYPES_ROWS));
    expect(report!.codecs).toEqual(["SNAPPY"]);
    const leaf = (path: string) => report!.leaves.find((l) => l.path === path)!;
    expect(leaf("ts")).toMatchObject({ physical: "INT64" });
    expect(leaf("ts").logical).toMatch(/^Timestamp\(isAdjustedToUTC=true, timeUnit=microseconds/);
    expect(leaf("ntz").logical).toMatch(/^Timestamp\(isAdjustedToUTC=false, timeUnit=microseconds/);
    expect(leaf("b")).toMatchObject({ physical: "INT32", logical: "Int(bitWidth=8, isSigned=true)" });
    expect(leaf("s")).toMatchObject({ physical: "INT32", logical: "Int(bitWidth=16, isSigned=true)" });
    expect(leaf("date")).toMatchObject({ physical: "INT32", logical: "Date" });
    expect(leaf("dec5_2")).toMatchObject({ physical: "INT32", logical: "Decimal(precision=5, scale=2)" });
    expect(leaf("dec18_3")).toMatchObject({ physical: "INT64", logical: "Decimal(precision=18, scale=3)" });
    expect(leaf("dec38_10")).toMatchObject({ physical: "FIXED_LEN_BYTE_ARRAY", logical: "Decimal(precision=38, scale=10)" });
    expect(leaf("nn").maxDef).toBe(0);
    expect(report!.fieldIds).toEqual({});
  });

  it.each(PARQUET_COMPRESSIONS)("writes %s files named with the codec", async (compression) => {
    const schema = struct(field("id", p("long")), field("name", p("string")));
    const rows = Array.from({ length: 50 }, (_, i) => ({ id: BigInt(i), name: `row ${i}` }));
    const adds = await writeDataFiles({ store: tmp.store, data: buildTable(schema, rows), schema, compression });
    expect(adds[0]!.path.endsWith(`-c000${parquetFileSuffix(compression)}`)).toBe(true);
    const [report] = readWithPyarrow([join(tmp.dir, adds[0]!.path)]);
    // pyarrow reports the LZ4_RAW codec as "LZ4" (hyparquet shows the footer really says LZ4_RAW).
    expect(report!.codecs).toEqual([compression === "lz4_raw" ? "LZ4" : compression.toUpperCase()]);
    expect(report!.rows).toEqual(rows.map((r) => ({ id: String(r.id), name: r.name })));
  });

  it("honours maxRowGroupSize", async () => {
    const schema = struct(field("id", p("integer")));
    const rows = Array.from({ length: 1000 }, (_, i) => ({ id: i }));
    const adds = await writeDataFiles({ store: tmp.store, data: buildTable(schema, rows), schema, maxRowGroupSize: 300 });
    const [report] = readWithPyarrow([join(tmp.dir, adds[0]!.path)]);
    expect(report!.rowGroupRows).toEqual([300, 300, 300, 100]);
  });

  it("turns dictionary encoding and parquet statistics on and off", async () => {
    const schema = struct(field("k", p("string")));
    const rows = Array.from({ length: 100 }, (_, i) => ({ k: `k${i % 3}` }));
    const write = async (options: { dictionary?: boolean; statistics?: boolean | "chunk" | "page" }) => {
      const data = await arrowToParquet({ data: buildTable(schema, rows), schema, ...options });
      const path = join(tmp.dir, `opts-${String(options.dictionary)}-${String(options.statistics)}.parquet`);
      await tmp.store.put(path.slice(tmp.dir.length + 1), data);
      return readWithPyarrow([path])[0]!;
    };
    expect(await write({})).toMatchObject({ dictionary: true, statistics: true, createdBy: "delta-edge (parquet-wasm)" });
    expect(await write({ dictionary: false, statistics: false })).toMatchObject({ dictionary: false, statistics: false });
    expect(await write({ statistics: "chunk" })).toMatchObject({ statistics: true });
  });

  it("writes nothing for empty input", async () => {
    const schema = struct(field("id", p("integer")));
    expect(await writeDataFiles({ store: tmp.store, data: buildTable(schema, []), schema })).toEqual([]);
    expect(await writeDataFiles({ store: tmp.store, data: [], schema })).toEqual([]);
  });
});
