/**
 * Partitioned assets through the Delta I/O manager, shared by the memory and moto S3 runs:
 * re-materializing one static partition leaves the others byte-identical; an hourly partition
 * replaces exactly its hour; a 3-day window loads 3 days; two static keys load both; a row outside
 * its partition is refused with the table unchanged; multi and dynamic partitions; integer and
 * date partition columns; dagster's message for a partitioned asset without partition_expr.
 */
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/core/errors.js";
import {
  asset,
  dailyPartitions,
  deltaLakeIOManager,
  dynamicPartitions,
  hourlyPartitions,
  materialize,
  monthlyPartitions,
  multiPartitions,
  staticPartitions,
  type DeltaMaterialization,
  type TableRoot,
} from "../../src/core/assets/index.js";
import type { Table } from "apache-arrow";
import { arrowTable, IRIS_TYPES, irisRows, jsonRows, listKeys, SPECIES, tableJson, tableState } from "./helpers.js";

const at = (iso: string) => () => new Date(iso);
const HOUR = 3600_000;

export function partitionSuite(name: string, makeRoot: () => Promise<TableRoot>): void {
  describe(`partitioned assets (${name})`, () => {
    it("re-materializing one static partition replaces it in one commit and leaves the others byte-identical", async () => {
      const io = deltaLakeIOManager({ ...(await makeRoot()), schema: "iris" });
      const species = staticPartitions(SPECIES);
      let tag = "v1";
      const iris = asset({
        name: "iris_partitioned",
        partitionsDef: species,
        metadata: { partition_expr: "species" },
        compute: (ctx) => arrowTable(irisRows(4, [ctx.partitionKey as string]).map((r) => ({ ...r, tag })), { ...IRIS_TYPES, tag: "string" }),
      });
      for (const s of SPECIES) await materialize({ assets: [iris], resources: { io_manager: io }, partitionKey: s });
      const store = io.tableStore("iris/iris_partitioned");
      const before = await tableState(store);
      expect(before.version).toBe(2);
      tag = "v2";
      const run = await materialize({ assets: [iris], resources: { io_manager: io }, partitionKey: "Iris-versicolor" });
      const md = run.get("iris_partitioned")?.metadata as DeltaMaterialization;
      expect(md.predicate).toBe("species = 'Iris-versicolor'");
      expect(md.version).toBe(3);
      expect(md.numRows).toBe(4);
      const after = await tableState(store);
      let others = 0;
      for (const [path, f] of before.files) {
        if (f.partitionValues["species"] === "Iris-versicolor") expect(after.files.has(path)).toBe(false);
        else {
          others++;
          expect(after.files.get(path)?.bytes).toEqual(f.bytes);
        }
      }
      expect(others).toBeGreaterThanOrEqual(2);
      const rows = await jsonRows(store);
      expect(rows).toHaveLength(12);
      for (const r of rows) expect(r["tag"]).toBe(r["species"] === "Iris-versicolor" ? "v2" : "v1");
      expect((await openPartitionColumns(io, "iris/iris_partitioned"))).toEqual(["species"]);
    });

    it("different partitions materialized concurrently all commit; monthly windows replace whole months", async () => {
      const io = deltaLakeIOManager(await makeRoot());
      const species = staticPartitions(SPECIES);
      const iris = asset({ name: "racing", partitionsDef: species, metadata: { partition_expr: "species" }, compute: (ctx) => arrowTable(irisRows(2, [ctx.partitionKey as string]), IRIS_TYPES) });
      await materialize({ assets: [iris], resources: { io_manager: io }, partitionKey: "Iris-setosa" });
      const runs = await Promise.all(SPECIES.map((s) => materialize({ assets: [iris], resources: { io_manager: io }, partitionKey: s })));
      expect(runs.map((r) => (r.get("racing")?.metadata as DeltaMaterialization).version).sort()).toEqual([1, 2, 3]);
      expect((await jsonRows(io.tableStore("public/racing"))).length).toBe(6);
      const monthly = monthlyPartitions({ startDate: "2024-01-01", now: at("2024-06-01T00:00:00Z") });
      let tag = "v1";
      const m = asset({
        name: "monthly",
        partitionsDef: monthly,
        metadata: { partition_expr: "d" },
        compute: (ctx) => {
          const start = (ctx.partitionTimeWindow as { start: Date }).start;
          return arrowTable([1, 15, 28].map((day) => ({ d: new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), day)), tag })), { d: "date", tag: "string" });
        },
      });
      for (const k of ["2024-01-01", "2024-02-01"]) await materialize({ assets: [m], resources: { io_manager: io }, partitionKey: k });
      tag = "v2";
      const run = await materialize({ assets: [m], resources: { io_manager: io }, partitionKey: "2024-02-01" });
      expect((run.get("monthly")?.metadata as DeltaMaterialization).predicate).toBe("d >= DATE '2024-02-01' AND d < DATE '2024-03-01'");
      const rows = await jsonRows(io.tableStore("public/monthly"));
      expect(rows.map((r) => `${String(r["d"])}:${String(r["tag"])}`).sort()).toEqual(["2024-01-01:v1", "2024-01-15:v1", "2024-01-28:v1", "2024-02-01:v2", "2024-02-15:v2", "2024-02-28:v2"]);
    });

    it("two static keys load both; an unpartitioned downstream loads every partition", async () => {
      const io = deltaLakeIOManager(await makeRoot());
      const species = staticPartitions(SPECIES);
      const iris = asset({ name: "iris", partitionsDef: species, metadata: { partition_expr: "species" }, compute: (ctx) => arrowTable(irisRows(3, [ctx.partitionKey as string]), IRIS_TYPES) });
      for (const s of SPECIES) await materialize({ assets: [iris], resources: { io_manager: io }, partitionKey: s });
      const two = (await io.loadInput({ assetKey: ["iris"], metadata: {}, upstreamMetadata: iris.metadata, partitions: { def: species, keys: ["Iris-setosa", "Iris-virginica"] } })) as Table;
      expect(new Set(tableJson(two).map((r) => r["species"]))).toEqual(new Set(["Iris-setosa", "Iris-virginica"]));
      expect(two.numRows).toBe(6);
      let seen = 0;
      const cleaned = asset({ name: "iris_cleaned", ins: { iris: {} }, compute: (_ctx, { iris: t }) => ((seen = (t as Table).numRows), t) });
      await materialize({ assets: [iris, cleaned], resources: { io_manager: io }, selection: ["iris_cleaned"] });
      expect(seen).toBe(9);
    });

    it("an hourly partition replaces exactly its hour [start, end), not just the rows at its start", async () => {
      const io = deltaLakeIOManager(await makeRoot());
      const hourly = hourlyPartitions({ startDate: "2024-03-01-00:00", now: at("2024-03-02T00:00:00Z") });
      let minutes = [0, 15, 59];
      let tag = "v1";
      const events = asset({
        name: "events",
        partitionsDef: hourly,
        metadata: { partition_expr: "ts" },
        compute: (ctx) => {
          const start = (ctx.partitionTimeWindow as { start: Date }).start.getTime();
          return arrowTable(minutes.map((m, i) => ({ ts: new Date(start + m * 60_000), value: i, tag })), { ts: "timestamp", value: "long", tag: "string" });
        },
      });
      for (const key of ["2024-03-01-05:00", "2024-03-01-06:00"]) await materialize({ assets: [events], resources: { io_manager: io }, partitionKey: key });
      const store = io.tableStore("public/events");
      const before = await tableState(store);
      minutes = [10, 20];
      tag = "v2";
      const run = await materialize({ assets: [events], resources: { io_manager: io }, partitionKey: "2024-03-01-05:00" });
      expect((run.get("events")?.metadata as DeltaMaterialization).predicate).toBe(
        "ts >= TIMESTAMP '2024-03-01 05:00:00.000000Z' AND ts < TIMESTAMP '2024-03-01 06:00:00.000000Z'",
      );
      const rows = await jsonRows(store);
      const hour5 = rows.filter((r) => String(r["ts"]).startsWith("2024-03-01T05"));
      expect(hour5.map((r) => [r["ts"], r["tag"]]).sort()).toEqual([
        ["2024-03-01T05:10:00.000000Z", "v2"],
        ["2024-03-01T05:20:00.000000Z", "v2"],
      ]);
      const after = await tableState(store);
      for (const [path, f] of before.files) {
        if (String(f.partitionValues["ts"]).startsWith("2024-03-01 06")) expect(after.files.get(path)?.bytes).toEqual(f.bytes);
      }
      expect(rows.filter((r) => String(r["ts"]).startsWith("2024-03-01T06"))).toHaveLength(3);
    });

    it("a 3-day window written as one range and loaded back is exactly 3 days", async () => {
      const io = deltaLakeIOManager(await makeRoot());
      const daily = dailyPartitions({ startDate: "2024-01-01", now: at("2024-01-08T00:00:00Z") });
      const sales = asset({
        name: "sales",
        partitionsDef: daily,
        metadata: { partition_expr: "day" },
        compute: (ctx) => {
          const w = ctx.partitionTimeWindow as { start: Date; end: Date };
          const rows = [];
          for (let t = w.start.getTime(); t < w.end.getTime(); t += 24 * HOUR) rows.push({ day: new Date(t), amount: t / HOUR });
          return arrowTable(rows, { day: "date", amount: "long" });
        },
      });
      await materialize({ assets: [sales], resources: { io_manager: io }, partitionKeyRange: { start: "2024-01-01", end: "2024-01-05" } });
      const run = await materialize({ assets: [sales], resources: { io_manager: io }, partitionKeyRange: { start: "2024-01-02", end: "2024-01-04" } });
      const md = run.get("sales")?.metadata as DeltaMaterialization;
      expect(md.predicate).toBe("day >= DATE '2024-01-02' AND day < DATE '2024-01-05'");
      expect(md.version).toBe(1);
      const loaded = (await io.loadInput({ assetKey: ["sales"], metadata: {}, upstreamMetadata: sales.metadata, partitions: { def: daily, keys: ["2024-01-02", "2024-01-03", "2024-01-04"] }, loadAs: "rows" })) as Record<string, unknown>[];
      expect(loaded.map((r) => r["day"]).sort()).toEqual([19724, 19725, 19726]); // days since epoch
      const weekly = asset({ name: "weekly", partitionsDef: daily, ins: { sales: {} }, compute: (_c, { sales: t }) => t });
      await expect(materialize({ assets: [sales, weekly], resources: { io_manager: io }, selection: ["weekly"], partitionKey: "2024-01-03" })).rejects.toThrow(/no 'partition_expr'/);
    });

    it("a row outside its partition is refused and the table is left unchanged", async () => {
      const io = deltaLakeIOManager(await makeRoot());
      const daily = dailyPartitions({ startDate: "2024-01-01", now: at("2024-01-08T00:00:00Z") });
      let rows: Record<string, unknown>[] = [{ day: "2024-01-02", v: 1 }];
      const a = asset({ name: "strict", partitionsDef: daily, metadata: { partition_expr: "day" }, compute: () => arrowTable(rows, { day: "date", v: "long" }) });
      await materialize({ assets: [a], resources: { io_manager: io }, partitionKey: "2024-01-02" });
      const store = io.tableStore("public/strict");
      const before = await tableState(store);
      const keysBefore = await listKeys(store);
      rows = [{ day: "2024-01-02", v: 2 }, { day: "2024-01-03", v: 3 }];
      const err = await materialize({ assets: [a], resources: { io_manager: io }, partitionKey: "2024-01-02" }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidInputError);
      expect(String((err as Error).message)).toMatch(/row 1 \(day="2024-01-03"\) is outside partition 2024-01-02/);
      const after = await tableState(store);
      expect(after.version).toBe(before.version);
      expect([...after.files.keys()]).toEqual([...before.files.keys()]);
      expect(await listKeys(store)).toEqual(keysBefore); // nothing written at all
      // Append mode checks too.
      const appending = deltaLakeIOManager({ ...(await makeRoot()), mode: "append" });
      await expect(materialize({ assets: [a], resources: { io_manager: appending }, partitionKey: "2024-01-02" })).rejects.toThrow(/outside partition/);
    });

    it("multi-partitions: a dimension -> column map, one cell replaced, epoch-second time column", async () => {
      const io = deltaLakeIOManager(await makeRoot());
      const def = multiPartitions({ date: dailyPartitions({ startDate: "2023-01-01", now: at("2023-01-04T00:00:00Z") }), species: staticPartitions(SPECIES) });
      let tag = "v1";
      const iris = asset({
        name: "iris_dataset_partitioned",
        partitionsDef: def,
        metadata: { partition_expr: { date: "time", species: "species" } },
        compute: (ctx) => {
          const { date, species } = ctx.keysByDimension as { date: string; species: string };
          const time = Date.parse(`${date}T00:00:00Z`) / 1000;
          return arrowTable(irisRows(2, [species]).map((r) => ({ ...r, time, tag })), { ...IRIS_TYPES, time: "long", tag: "string" });
        },
      });
      for (const key of ["2023-01-01|Iris-setosa", "2023-01-02|Iris-setosa", "2023-01-02|Iris-virginica"]) await materialize({ assets: [iris], resources: { io_manager: io }, partitionKey: key });
      tag = "v2";
      const run = await materialize({ assets: [iris], resources: { io_manager: io }, partitionKey: "2023-01-02|Iris-setosa" });
      expect((run.get(iris.key)?.metadata as DeltaMaterialization).predicate).toBe("time >= 1672617600 AND time < 1672704000 AND species = 'Iris-setosa'");
      const rows = await jsonRows(io.tableStore("public/iris_dataset_partitioned"));
      expect(rows).toHaveLength(6);
      expect(rows.filter((r) => r["tag"] === "v2").every((r) => r["species"] === "Iris-setosa" && r["time"] === 1672617600)).toBe(true);
      expect(rows.filter((r) => r["tag"] === "v2")).toHaveLength(2);
      await expect(materialize({ assets: [asset({ ...iris, name: "bad", key: undefined, metadata: { partition_expr: { date: "time" } }, compute: () => [] })], resources: { io_manager: io }, partitionKey: "2023-01-01|Iris-setosa" })).rejects.toThrow(/no entry for dimension\(s\) species/);
    });

    it("dynamic partitions: added, materialized, removed (a removed key is no longer loaded or writable)", async () => {
      const io = deltaLakeIOManager(await makeRoot());
      const batches = dynamicPartitions({ name: "batches", keys: ["a", "b"] });
      const data = asset({ name: "uploads", partitionsDef: batches, metadata: { partition_expr: "batch" }, compute: (ctx) => [{ batch: ctx.partitionKey, n: 1 }, { batch: ctx.partitionKey, n: 2 }] });
      for (const k of ["a", "b"]) await materialize({ assets: [data], resources: { io_manager: io }, partitionKey: k });
      batches.addPartitions(["c"]);
      await materialize({ assets: [data], resources: { io_manager: io }, partitionKey: "c" });
      batches.deletePartition("b");
      await expect(materialize({ assets: [data], resources: { io_manager: io }, partitionKey: "b" })).rejects.toThrow(/not one of its partition keys/);
      let loaded: Record<string, unknown>[] = [];
      const all = asset({ name: "all_uploads", ins: { uploads: { loadAs: "rows" } }, compute: (_c, { uploads }) => ((loaded = uploads as Record<string, unknown>[]), uploads) });
      await materialize({ assets: [data, all], resources: { io_manager: io }, selection: ["all_uploads"] });
      expect(loaded.map((r) => r["batch"]).sort()).toEqual(["a", "a", "c", "c"]);
    });

    it("integer and date static keys; dagster's message without partition_expr; unsupported column types", async () => {
      const io = deltaLakeIOManager(await makeRoot());
      const buckets = staticPartitions(["1", "2", "3"]);
      const b = asset({ name: "buckets", partitionsDef: buckets, metadata: { partition_expr: "bucket" }, compute: (ctx) => arrowTable([{ bucket: Number(ctx.partitionKey), x: "x" }], { bucket: "integer", x: "string" }) });
      for (const k of ["1", "2", "3"]) await materialize({ assets: [b], resources: { io_manager: io }, partitionKey: k });
      const two = (await io.loadInput({ assetKey: ["buckets"], metadata: {}, upstreamMetadata: b.metadata, partitions: { def: buckets, keys: ["1", "3"] }, loadAs: "rows" })) as Record<string, unknown>[];
      expect(two.map((r) => r["bucket"]).sort()).toEqual([1, 3]);
      const days = staticPartitions(["2024-05-01", "2024-05-02"]);
      const d = asset({ name: "days", partitionsDef: days, metadata: { partition_expr: "d" }, compute: (ctx) => arrowTable([{ d: ctx.partitionKey, x: 1 }], { d: "date", x: "long" }) });
      const run = await materialize({ assets: [d], resources: { io_manager: io }, partitionKey: "2024-05-02" });
      expect((run.get("days")?.metadata as DeltaMaterialization).predicate).toBe("d = DATE '2024-05-02'");
      const noExpr = asset({ name: "iris_dataset_partitioned", partitionsDef: buckets, compute: () => [{ x: 1 }] });
      await expect(materialize({ assets: [noExpr], resources: { io_manager: io }, partitionKey: "1" })).rejects.toThrow(
        "Asset 'iris_dataset_partitioned' has partitions, but no 'partition_expr' metadata value, so we don't know what column it's partitioned on.",
      );
      const dbl = asset({ name: "dbl", partitionsDef: buckets, metadata: { partition_expr: "v" }, compute: () => [{ v: 1.5, x: 1 }] });
      await expect(materialize({ assets: [dbl], resources: { io_manager: io }, partitionKey: "1" })).rejects.toThrow(/type double; supported partition column types: string, byte, short, integer, long, date, timestamp/);
      const missing = asset({ name: "missing", partitionsDef: buckets, metadata: { partition_expr: "nope" }, compute: () => [{ v: 1, x: 1 }] });
      await expect(materialize({ assets: [missing], resources: { io_manager: io }, partitionKey: "1" })).rejects.toThrow(/"nope" \(partition_expr\) is not a column/);
    });
  });
}

async function openPartitionColumns(io: { tableStore(p: string): import("../../src/core/storage/object-store.js").ObjectStore }, path: string): Promise<readonly string[]> {
  const { openTable } = await import("../../src/core/table/open.js");
  return (await openTable({ store: io.tableStore(path) })).partitionColumns;
}
