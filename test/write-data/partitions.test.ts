/**
 * Partitioned writes: one file per partition tuple, in the Hive directory of its values (special
 * characters escaped, null as __HIVE_DEFAULT_PARTITION__), add.path URI-encoded on top of that,
 * partitionValues serialized per type, partition columns dropped from the files, and pyarrow reads
 * every file back with exactly its partition's rows. Also the grouping itself (splitByPartition).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { decodeAddPath, parsePartitionDirectory } from "../../src/core/schema/partition-path.js";
import { parsePartitionValue } from "../../src/core/schema/partition-values.js";
import { scalarsEqual } from "../../src/core/schema/scalar.js";
import type { DataType } from "../../src/core/schema/types.js";
import { writeDataFiles } from "../../src/core/write/data-files.js";
import { splitByPartition } from "../../src/core/write/partition-split.js";
import { buildBatch, buildTable } from "./helpers/arrow-build.js";
import { readWithPyarrow, tempStore, useNodeParquetWasm } from "./helpers/oracle.js";
import { dec, field, p, struct } from "./fixtures.js";

beforeAll(() => useNodeParquetWasm());
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

interface Case {
  name: string;
  type: DataType;
  values: unknown[];
  /** Expected partitionValues string per value (same order). */
  serialized: (string | null)[];
  /** Expected on-disk directory segment value per value. */
  dirs: string[];
}

const CASES: Case[] = [
  {
    name: "string",
    type: p("string"),
    values: ["a/b", "x=y", "100%", "with space", "ü日本😀", "", null, "A%2FA", "#?:*\\'\"[]^{", "plain"],
    serialized: ["a/b", "x=y", "100%", "with space", "ü日本😀", null, null, "A%2FA", "#?:*\\'\"[]^{", "plain"],
    dirs: ["a%2Fb", "x%3Dy", "100%25", "with space", "ü日本😀", "__HIVE_DEFAULT_PARTITION__", "__HIVE_DEFAULT_PARTITION__", "A%252FA", "%23%3F%3A%2A%5C%27%22%5B%5D%5E%7B", "plain"],
  },
  { name: "integer", type: p("integer"), values: [1, -5, 2147483647, null], serialized: ["1", "-5", "2147483647", null], dirs: ["1", "-5", "2147483647", "__HIVE_DEFAULT_PARTITION__"] },
  { name: "long", type: p("long"), values: [2n ** 62n, -1n], serialized: ["4611686018427387904", "-1"], dirs: ["4611686018427387904", "-1"] },
  { name: "byte", type: p("byte"), values: [-128, 7], serialized: ["-128", "7"], dirs: ["-128", "7"] },
  { name: "short", type: p("short"), values: [300, null], serialized: ["300", null], dirs: ["300", "__HIVE_DEFAULT_PARTITION__"] },
  { name: "double", type: p("double"), values: [1.5, 10, -0.001], serialized: ["1.5", "10.0", "-0.001"], dirs: ["1.5", "10.0", "-0.001"] },
  { name: "date", type: p("date"), values: [0, 18628, -1, null], serialized: ["1970-01-01", "2021-01-01", "1969-12-31", null], dirs: ["1970-01-01", "2021-01-01", "1969-12-31", "__HIVE_DEFAULT_PARTITION__"] },
  {
    name: "timestamp",
    type: p("timestamp"),
    values: [1609459200123456n, 0n, null],
    serialized: ["2021-01-01T00:00:00.123456Z", "1970-01-01T00:00:00.000000Z", null],
    dirs: ["2021-01-01T00%3A00%3A00.123456Z", "1970-01-01T00%3A00%3A00.000000Z", "__HIVE_DEFAULT_PARTITION__"],
  },
  {
    name: "timestamp_ntz",
    type: p("timestamp_ntz"),
    values: [1609459200123456n],
    serialized: ["2021-01-01 00:00:00.123456"],
    dirs: ["2021-01-01 00%3A00%3A00.123456"],
  },
  { name: "boolean", type: p("boolean"), values: [true, false, null], serialized: ["true", "false", null], dirs: ["true", "false", "__HIVE_DEFAULT_PARTITION__"] },
  {
    name: "decimal",
    type: dec(10, 2),
    values: [{ unscaled: 12345n, scale: 2 }, { unscaled: -5n, scale: 2 }, { unscaled: 0n, scale: 2 }, null],
    serialized: ["123.45", "-0.05", "0.00", null],
    dirs: ["123.45", "-0.05", "0.00", "__HIVE_DEFAULT_PARTITION__"],
  },
];

describe("partitioned writes", () => {
  it.each(CASES)("partitions by a $name column", async (c) => {
    const tmp = tempStore();
    cleanups.push(tmp.cleanup);
    const schema = struct(field("id", p("long")), field("part", c.type), field("v", p("string")));
    // two rows per value, interleaved, so rows of one partition are gathered from across the batch
    const rows = [...c.values, ...c.values].map((value, i) => ({ id: BigInt(i), part: value, v: `v${i}` }));
    const adds = await writeDataFiles({ store: tmp.store, data: buildTable(schema, rows), schema, partitionColumns: ["part"] });
    const distinct = [...new Set(c.serialized.map((s) => JSON.stringify(s)))];
    expect(adds).toHaveLength(distinct.length);
    const reports = readWithPyarrow(adds.map((a) => join(tmp.dir, decodeAddPath(a.path))));
    adds.forEach((add, k) => {
      const onDisk = decodeAddPath(add.path);
      expect(existsSync(join(tmp.dir, onDisk))).toBe(true);
      const [dir, file] = onDisk.split("/");
      expect(file).toMatch(/^part-\d{5}-[0-9a-f-]{36}-c000\.snappy\.parquet$/);
      const value = add.partitionValues["part"] ?? null;
      const which = c.serialized.findIndex((s) => s === value);
      expect(which).toBeGreaterThanOrEqual(0);
      expect(dir).toBe(`part=${c.dirs[which]}`);
      expect(readdirSync(tmp.dir)).toContain(dir);
      // the directory parses back to the partition value, and the value to the written scalar
      expect(parsePartitionDirectory(onDisk)).toEqual([["part", value]]);
      const scalar = parsePartitionValue({ column: "part", type: c.type, value });
      expect(scalarsEqual(scalar, (c.values[which] ?? null) as never, c.type) || (scalar === null && c.values[which] === "")).toBe(true);
      // the file holds exactly that partition's rows, without the partition column
      const report = reports[k]!;
      expect(report.columns).toEqual(["id", "v"]);
      const expected = rows.filter((r) => JSON.stringify(c.serialized[c.values.indexOf(r.part)]) === JSON.stringify(value)).map((r) => ({ id: String(r.id), v: r.v }));
      expect(report.rows).toEqual(expected);
      expect(JSON.parse(add.stats!).numRecords).toBe(expected.length);
      expect(add.stats).not.toContain('"part"');
    });
  });

  it("URI-encodes the log path on top of Hive escaping", async () => {
    const tmp = tempStore();
    cleanups.push(tmp.cleanup);
    const schema = struct(field("x", p("string")), field("y", p("integer")), field("v", p("integer")));
    const adds = await writeDataFiles({ store: tmp.store, data: buildTable(schema, [{ x: "A/A", y: 1, v: 1 }, { x: "a b%", y: null, v: 2 }]), schema, partitionColumns: ["x", "y"] });
    const paths = adds.map((a) => a.path.split("/").slice(0, 2).join("/")).sort();
    expect(paths).toEqual(["x=A%252FA/y=1", "x=a%20b%2525/y=__HIVE_DEFAULT_PARTITION__"]);
    expect(adds.map((a) => a.partitionValues)).toEqual([{ x: "A/A", y: "1" }, { x: "a b%", y: null }]);
    expect(readdirSync(tmp.dir).sort()).toEqual(["x=A%2FA", "x=a b%25"]);
  });

  it("writes timestamp partition values in the space format when asked", async () => {
    const tmp = tempStore();
    cleanups.push(tmp.cleanup);
    const schema = struct(field("t", p("timestamp")), field("v", p("integer")));
    const adds = await writeDataFiles({ store: tmp.store, data: buildTable(schema, [{ t: 1609459200000000n, v: 1 }]), schema, partitionColumns: ["t"], timestampPartitionFormat: "space" });
    expect(adds[0]!.partitionValues).toEqual({ t: "2021-01-01 00:00:00.000000" });
  });
});

describe("splitByPartition", () => {
  const schema = struct(field("k", p("string")), field("n", p("integer")));

  it("groups in order of first appearance with stable keys, dropping partition columns", () => {
    const batch = buildBatch(schema, [{ k: "b", n: 1 }, { k: "a", n: 2 }, { k: "b", n: 3 }, { k: null, n: 4 }, { k: "", n: 5 }]);
    const groups = splitByPartition({ batch, schema, partitionColumns: ["k"] });
    expect(groups.map((g) => [g.partitionValues, g.directory, g.batch.numRows])).toEqual([
      [{ k: "b" }, "k=b", 2],
      [{ k: "a" }, "k=a", 1],
      [{ k: null }, "k=__HIVE_DEFAULT_PARTITION__", 2],
    ]);
    expect(groups[0]!.batch.schema.fields.map((f) => f.name)).toEqual(["n"]);
    expect(groups[0]!.batch.getChild("n")!.toArray()).toEqual(Int32Array.from([1, 3]));
    expect(groups[2]!.values).toEqual({ k: null });
    const again = splitByPartition({ batch: buildBatch(schema, [{ k: "a", n: 9 }]), schema, partitionColumns: ["k"] });
    expect(again[0]!.key).toBe(groups[1]!.key);
  });

  it("does not copy a batch that holds one partition", () => {
    const batch = buildBatch(schema, [{ k: "a", n: 1 }, { k: "a", n: 2 }]);
    const [group] = splitByPartition({ batch, schema, partitionColumns: ["k"] });
    expect(group!.batch.data.children[0]).toBe(batch.data.children[1]);
  });

  it("rejects unknown, nested and all-column partitioning", () => {
    const batch = buildBatch(schema, [{ k: "a", n: 1 }]);
    expect(() => splitByPartition({ batch, schema, partitionColumns: ["zz"] })).toThrow(/partition column zz/);
    expect(() => splitByPartition({ batch, schema, partitionColumns: ["k", "n"] })).toThrow(/every column/);
    const nested = struct(field("s", struct(field("a", p("integer")))), field("n", p("integer")));
    expect(() => splitByPartition({ batch: buildBatch(nested, [{ s: null, n: 1 }]), schema: nested, partitionColumns: ["s"] })).toThrow(/primitive type/);
  });
});
