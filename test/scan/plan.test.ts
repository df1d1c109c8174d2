/**
 * Scan planning: partition pruning on typed partition values, stats skipping from JSON stats and
 * from checkpoint stats_parsed, files without stats never skipped, bad columns and predicates
 * reported with the table path and version.
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { CONFORMANCE } from "../helpers/conformance.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { planScan } from "../../src/core/scan/plan.js";
import { commitKey } from "../../src/core/log/path.js";
import { InvalidInputError } from "../../src/core/errors.js";

const open = (t: string) => loadSnapshot({ store: new LocalStore({ root: join(CONFORMANCE, t) }) });

const SCHEMA = {
  type: "struct",
  fields: [
    { name: "id", type: "long", nullable: true, metadata: {} },
    { name: "name", type: "string", nullable: true, metadata: {} },
    { name: "ts", type: "timestamp", nullable: true, metadata: {} },
    { name: "amount", type: "decimal(10,2)", nullable: true, metadata: {} },
    { name: "day", type: "date", nullable: true, metadata: {} },
    { name: "region", type: "string", nullable: true, metadata: {} },
  ],
};

/** A synthetic table: files f0..f3 with known stats, partitioned by day and region. */
async function synthetic(): Promise<MemoryStore> {
  const store = new MemoryStore();
  const file = (i: number, day: string | null, region: string, stats: object | null) =>
    JSON.stringify({
      add: { path: `f${i}.parquet`, partitionValues: { day, region }, size: 10, modificationTime: 1, dataChange: true, ...(stats ? { stats: JSON.stringify(stats) } : {}) },
    });
  const lines = [
    JSON.stringify({ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }),
    JSON.stringify({ metaData: { id: "x", format: { provider: "parquet", options: {} }, schemaString: JSON.stringify(SCHEMA), partitionColumns: ["day", "region"], configuration: {} } }),
    file(0, "2024-01-01", "eu", { numRecords: 10, minValues: { id: 1, name: "apple", ts: "2024-01-01T00:00:00.000Z", amount: 1.5 }, maxValues: { id: 10, name: "kiwi", ts: "2024-01-01T10:00:00.123Z", amount: 99.99 }, nullCount: { id: 0, name: 2, ts: 0, amount: 0 } }),
    file(1, "2024-01-02", "us", { numRecords: 5, minValues: { id: 11, name: "lemon", ts: "2024-01-02T00:00:00.000Z", amount: 100 }, maxValues: { id: 20, name: "zucchini", ts: "2024-01-02T23:59:59.999Z", amount: 500 }, nullCount: { id: 0, name: 0, ts: 0, amount: 0 } }),
    file(2, null, "eu", null),
    file(3, "2024-01-03", "us", { numRecords: 4, nullCount: { id: 4, name: 4, ts: 4, amount: 4 } }),
  ];
  await store.put(commitKey(0), `${lines.join("\n")}\n`);
  return store;
}

const paths = (plan: ReturnType<typeof planScan>) => plan.files.map((f) => f.add.path).sort();

describe("scan planning", () => {
  it("prunes partitions on typed values, including null partitions", async () => {
    const s = await loadSnapshot({ store: await synthetic() });
    expect(paths(planScan(s, { where: "day = DATE '2024-01-02'" }))).toEqual(["f1.parquet"]);
    expect(paths(planScan(s, { where: "day >= '2024-01-02'" }))).toEqual(["f1.parquet", "f3.parquet"]);
    expect(paths(planScan(s, { where: "day IS NULL" }))).toEqual(["f2.parquet"]);
    expect(paths(planScan(s, { where: "region = 'eu' AND day IS NOT NULL" }))).toEqual(["f0.parquet"]);
    const plan = planScan(s, { where: "region = 'mars'" });
    expect(plan.files).toEqual([]);
    expect(plan.counts).toEqual({ total: 4, prunedByPartition: 4, skippedByStats: 0 });
    expect(planScan(s, {}).files[0]?.partitionValues).toEqual({ day: 19723, region: "eu" });
  });

  it("skips files by min/max/nullCount, never a file without stats", async () => {
    const s = await loadSnapshot({ store: await synthetic() });
    expect(paths(planScan(s, { where: "id > 10" }))).toEqual(["f1.parquet", "f2.parquet"]);
    expect(paths(planScan(s, { where: "id = 5" }))).toEqual(["f0.parquet", "f2.parquet"]);
    expect(paths(planScan(s, { where: "name = 'banana'" }))).toEqual(["f0.parquet", "f2.parquet"]);
    expect(paths(planScan(s, { where: "amount > 200" }))).toEqual(["f1.parquet", "f2.parquet"]);
    expect(paths(planScan(s, { where: "amount = 99.99" }))).toEqual(["f0.parquet", "f2.parquet"]);
    // Timestamp max is truncated to ms: 10:00:00.123500 may exist in f0 (max 10:00:00.123).
    expect(paths(planScan(s, { where: "ts > TIMESTAMP '2024-01-01 10:00:00.1235'" }))).toEqual(["f0.parquet", "f1.parquet", "f2.parquet"]);
    expect(paths(planScan(s, { where: "ts > TIMESTAMP '2024-01-01 10:00:00.125'" }))).toEqual(["f1.parquet", "f2.parquet"]);
    // f3 is all null in every column; f1 has no null names.
    expect(paths(planScan(s, { where: "id IS NOT NULL" }))).toEqual(["f0.parquet", "f1.parquet", "f2.parquet"]);
    expect(paths(planScan(s, { where: "name IS NULL" }))).toEqual(["f0.parquet", "f2.parquet", "f3.parquet"]);
    expect(planScan(s, { where: "id > 10" }).counts.skippedByStats).toBe(2);
  });

  it("combines partition and data predicates (golden data-skipping-partition-and-data-column)", async () => {
    const s = await open("golden/data-skipping-partition-and-data-column/delta");
    expect(s.numFiles).toBe(4);
    for (const [part, id] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
      const plan = planScan(s, { where: `part = ${part} AND id = ${id}` });
      expect(plan.files.length, `part=${part} id=${id}`).toBe(1);
    }
    expect(planScan(s, { where: "part = 0 OR id = 0" }).files.length).toBe(3);
  });

  it("uses stats_parsed from checkpoints that carry no JSON stats", async () => {
    const s = await open("kernel/v1-single-part-struct-stats-only");
    const all = planScan(s, {}).files.length;
    const none = planScan(s, { where: "id < -1000" });
    expect(all).toBe(s.numFiles);
    expect(none.counts.skippedByStats).toBeGreaterThan(0);
  });

  it("selects columns and refuses unknown ones, with path and version in the message", async () => {
    const s = await loadSnapshot({ store: await synthetic() });
    const plan = planScan(s, { columns: ["region", "id"], where: "name = 'x'" });
    expect(plan.outputFields.map((f) => f.name)).toEqual(["region", "id"]);
    expect(plan.readFields.map((f) => f.name)).toEqual(["id", "name"]);
    expect(() => planScan(s, { columns: ["nope"] })).toThrow(InvalidInputError);
    expect(() => planScan(s, { columns: ["nope"] })).toThrow(/unknown column 'nope'.*version 0/);
    expect(() => planScan(s, { where: "nope = 1" })).toThrow(/version 0/);
  });

  it("skips by nested column stats and by binary and boolean partition values", async () => {
    const store = new MemoryStore();
    const schema = {
      type: "struct",
      fields: [
        { name: "s", type: { type: "struct", fields: [{ name: "x", type: "long", nullable: true, metadata: {} }] }, nullable: true, metadata: {} },
        { name: "bin", type: "binary", nullable: true, metadata: {} },
        { name: "flag", type: "boolean", nullable: true, metadata: {} },
      ],
    };
    const add = (i: number, bin: string, flag: string, min: number, max: number) =>
      JSON.stringify({ add: { path: `n${i}.parquet`, partitionValues: { bin, flag }, size: 1, modificationTime: 1, dataChange: true, stats: JSON.stringify({ numRecords: 2, minValues: { s: { x: min } }, maxValues: { s: { x: max } }, nullCount: { s: { x: 0 } } }) } });
    await store.put(
      commitKey(0),
      [
        JSON.stringify({ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }),
        JSON.stringify({ metaData: { id: "n", format: { provider: "parquet", options: {} }, schemaString: JSON.stringify(schema), partitionColumns: ["bin", "flag"], configuration: {} } }),
        add(0, "ab", "true", 1, 5),
        add(1, "cd", "false", 10, 20),
      ].join("\n"),
    );
    const s = await loadSnapshot({ store });
    expect(paths(planScan(s, { where: "s.x > 7" }))).toEqual(["n1.parquet"]);
    expect(paths(planScan(s, { where: "s.x = 3" }))).toEqual(["n0.parquet"]);
    expect(paths(planScan(s, { where: "flag = false" }))).toEqual(["n1.parquet"]);
    expect(paths(planScan(s, { where: "bin = 'ab'" }))).toEqual(["n0.parquet"]);
  });
});
