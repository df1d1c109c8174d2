/**
 * The asset()/materialize() runner: dependency order, selection, errors (cycles, duplicates,
 * missing partition keys, unknown keys), and partition mappings — a daily asset over an hourly
 * one loads its 24 hours, offsets widen the window, one dimension of a multi-partition maps to a
 * single definition (both ways), static and function mappings.
 */
import { describe, expect, it } from "vitest";
import "../../src/node/index.js";
import type { Table } from "apache-arrow";
import {
  asset,
  dailyPartitions,
  deltaLakeIOManager,
  hourlyPartitions,
  materialize,
  multiPartitions,
  sourceAsset,
  staticMapping,
  staticPartitions,
  timeWindowMapping,
  type AssetDefinition,
} from "../../src/core/assets/index.js";
import { MemoryStore } from "../../src/core/storage/memory.js";

const now = () => new Date("2024-01-10T00:00:00Z");
let n = 0;
const io = () => deltaLakeIOManager({ store: new MemoryStore({ name: `runner-${++n}` }) });

/** An asset that records what it loaded (row count per input). */
function recorder(name: string, ins: AssetDefinition["ins"] extends infer _ ? Record<string, object> : never, seen: Record<string, number>, extra: object = {}): AssetDefinition {
  return asset({
    name,
    ins,
    ...extra,
    compute: (c, inputs) => {
      for (const [k, v] of Object.entries(inputs)) seen[k] = (v as Table).numRows;
      const column = c.metadata["partition_expr"];
      return typeof column === "string" ? c.partitionKeys.map((k) => ({ [column]: k, ok: 1 })) : [{ ok: 1 }];
    },
  });
}

describe("materialize", () => {
  it("runs in dependency order, loads unselected assets from storage, refuses bad graphs", async () => {
    const m = io();
    const order: string[] = [];
    const a = asset({ name: "a", compute: () => (order.push("a"), [{ x: 1 }]) });
    const b = asset({ name: "b", ins: { a: {} }, compute: () => (order.push("b"), [{ x: 2 }]) });
    const c = asset({ name: "c", ins: { a: {}, b: {} }, compute: () => (order.push("c"), [{ x: 3 }]) });
    await materialize({ assets: [c, b, a], resources: { io_manager: m } });
    expect(order).toEqual(["a", "b", "c"]);
    await materialize({ assets: [a, b, c], resources: { io_manager: m }, selection: ["c"] });
    expect(order).toEqual(["a", "b", "c", "c"]);
    const x = asset({ name: "x", ins: { y: {} }, compute: () => [] });
    const y = asset({ name: "y", ins: { x: {} }, compute: () => [] });
    await expect(materialize({ assets: [x, y], resources: { io_manager: m } })).rejects.toThrow(/cycle: x -> y -> x/);
    await expect(materialize({ assets: [a, a], resources: { io_manager: m } })).rejects.toThrow(/defined twice/);
    await expect(materialize({ assets: [a, sourceAsset({ key: "s" })], resources: { io_manager: m }, selection: ["s"] })).rejects.toThrow(/source asset s/);
    const p = asset({ name: "p", partitionsDef: staticPartitions(["k"]), metadata: { partition_expr: "x" }, compute: () => [{ x: "k" , y: 1 }] });
    await expect(materialize({ assets: [p], resources: { io_manager: m } })).rejects.toThrow(/asset p is partitioned: pass partitionKey/);
    await expect(materialize({ assets: [p], resources: { io_manager: m }, partitionKey: "z" })).rejects.toThrow(/"z" is not one of its partition keys/);
    expect(() => asset({ key: "a/b", name: "b", compute: () => [] })).toThrow(/not both/);
    expect(() => asset({ name: "../x", compute: () => [] })).toThrow(/invalid asset key/);
  });

  it("maps partitions: hourly -> daily, offsets, multi <-> single dimension, static and explicit mappings", async () => {
    const m = io();
    const hourly = hourlyPartitions({ startDate: "2024-01-01-00:00", now });
    const daily = dailyPartitions({ startDate: "2024-01-01", now });
    const species = staticPartitions(["a", "b"]);
    const hours = asset({
      name: "hours",
      partitionsDef: hourly,
      metadata: { partition_expr: "ts" },
      compute: (c) => {
        const w = c.partitionTimeWindow as { start: Date; end: Date };
        const rows = [];
        for (let t = w.start.getTime(); t < w.end.getTime(); t += 3600_000) rows.push({ ts: new Date(t), v: 1 });
        return rows;
      },
    });
    await materialize({ assets: [hours], resources: { io_manager: m }, partitionKeyRange: { start: "2024-01-01-00:00", end: "2024-01-03-23:00" } });
    const days = asset({ name: "days", partitionsDef: daily, metadata: { partition_expr: "d" }, compute: (c) => c.partitionKeys.map((d) => ({ d, v: 1 })) });
    await materialize({ assets: [days], resources: { io_manager: m }, partitionKeyRange: { start: "2024-01-01", end: "2024-01-05" } });
    const seen: Record<string, number> = {};
    const ctx = { partitionsDef: daily, metadata: { partition_expr: "d" } };
    await materialize({ assets: [hours, days, recorder("daily_rollup", { hours: {} }, seen, ctx)], resources: { io_manager: m }, selection: ["daily_rollup"], partitionKey: "2024-01-02" });
    expect(seen["hours"]).toBe(24);
    await materialize({ assets: [days, recorder("rolling", { days: { partitionMapping: timeWindowMapping({ startOffset: -2 }) } }, seen, ctx)], resources: { io_manager: m }, selection: ["rolling"], partitionKey: "2024-01-04" });
    expect(seen["days"]).toBe(3);
    // Multi downstream over a daily upstream: the date dimension is the daily definition.
    const multi = multiPartitions({ date: daily, species });
    const cells = asset({ name: "cells", partitionsDef: multi, metadata: { partition_expr: { date: "d", species: "s" } }, ins: { days: {} }, compute: (c, { days: t }) => [{ d: c.keysByDimension?.["date"], s: c.keysByDimension?.["species"], n: (t as Table).numRows }] });
    for (const k of ["2024-01-02|a", "2024-01-02|b", "2024-01-03|a"]) await materialize({ assets: [days, cells], resources: { io_manager: m }, selection: ["cells"], partitionKey: k });
    // Single static downstream over the multi upstream: every date of its species.
    await materialize({ assets: [cells, recorder("per_species", { cells: {} }, seen, { partitionsDef: species, metadata: { partition_expr: "s" } })], resources: { io_manager: m }, selection: ["per_species"], partitionKey: "a" });
    expect(seen["cells"]).toBe(2);
    const other = staticPartitions(["x", "y"]);
    const mapped = recorder("mapped", { days: { partitionMapping: staticMapping({ "2024-01-01": "x", "2024-01-02": "x", "2024-01-03": "y" }) } }, seen, { partitionsDef: other, metadata: { partition_expr: "o" } });
    await materialize({ assets: [days, mapped], resources: { io_manager: m }, selection: ["mapped"], partitionKey: "x" });
    expect(seen["days"]).toBe(2);
    const unmapped = recorder("unmapped", { days: {} }, seen, { partitionsDef: other, metadata: { partition_expr: "o" } });
    await expect(materialize({ assets: [days, unmapped], resources: { io_manager: m }, selection: ["unmapped"], partitionKey: "x" })).rejects.toThrow(/cannot map static downstream partitions to time upstream partitions; give the input a partitionMapping/);
    const fn = recorder("fn", { days: { partitionMapping: { kind: "function", map: () => ["2024-01-05"] } } }, seen, { partitionsDef: other, metadata: { partition_expr: "o" } });
    await materialize({ assets: [days, fn], resources: { io_manager: m }, selection: ["fn"], partitionKey: "y" });
    expect(seen["days"]).toBe(1);
  });
});
