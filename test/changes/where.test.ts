/**
 * `where` and `columns` on the change feed work as in scans: the predicate prunes change files by
 * partition values (the table's and the change columns', which are constant per added or removed
 * file) and by stats, and filters rows exactly; the rows equal the oracle's rows filtered the same
 * way, and the files that cannot match are never read (counted with a CountingStore).
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONFORMANCE, memoryStoreFromDir } from "../helpers/conformance.js";
import { changeOracle, rowMultiset } from "../helpers/oracle.js";
import { planChanges } from "../../src/core/changes/change-plan.js";
import { readChangeRows } from "../../src/core/changes/read-changes.js";
import { CountingStore } from "../../src/core/storage/counting.js";
import { formatRowJson } from "../../src/core/scan/rows.js";
import { InvalidInputError } from "../../src/core/errors.js";

type Row = Record<string, unknown>;

async function rows(store: CountingStore, start: number, where: string, columns?: string[]): Promise<Row[]> {
  const plan = await planChanges({ store, startingVersion: start, where, columns });
  const out: Row[] = [];
  for await (const r of readChangeRows({ store, startingVersion: start, where, columns })) out.push(formatRowJson(r, plan.outputFields ?? []));
  return out;
}

/** Data and change files read (keys outside _delta_log). */
function filesRead(store: CountingStore): string[] {
  return [...new Set(store.operations().filter((o) => o.op === "get" && !o.key.startsWith("_delta_log/")).map((o) => o.key))];
}

const arg = (table: string, start: number) => `${join(CONFORMANCE, table)}:${start}:`;
const ORACLE = changeOracle(["kernel/cdf-table", "kernel/cdf-table-delete-unconditional", "kernel/cdf-table-simple"].map((t) => arg(t, 0)));

function oracleRows(table: string, start: number): Row[] {
  const r = ORACLE.get(arg(table, start));
  if (r?.rows === undefined) throw new Error(`oracle: ${JSON.stringify(r)}`);
  return r.rows;
}

describe("where and columns on the change feed", () => {
  it("a partition predicate reads only that partition's data and change files", async () => {
    const table = "kernel/cdf-table";
    const store = new CountingStore(memoryStoreFromDir(join(CONFORMANCE, table)));
    const got = await rows(store, 0, "birthday = DATE '2023-12-22'");
    const want = oracleRows(table, 0).filter((r) => r.birthday === "2023-12-22");
    expect(want.length).toBeGreaterThan(0);
    expect(rowMultiset(got)).toEqual(rowMultiset(want));
    const read = filesRead(store);
    expect(read.length).toBeGreaterThan(0);
    expect(read.every((k) => k.includes("birthday=2023-12-22/"))).toBe(true);
  });

  it("a predicate on _change_type prunes added files when only deletes are asked for", async () => {
    const table = "kernel/cdf-table-delete-unconditional";
    const store = new CountingStore(memoryStoreFromDir(join(CONFORMANCE, table)));
    const got = await rows(store, 0, "_change_type = 'delete'");
    expect(rowMultiset(got)).toEqual(rowMultiset(oracleRows(table, 0).filter((r) => r._change_type === "delete")));
    expect(got).toHaveLength(10);
    // Version 0 adds the files version 1 removes: the plan shows that only the removes are read.
    const plan = await planChanges({ store, startingVersion: 0, where: "_change_type = 'delete'" });
    const planned = plan.runs.flatMap((r) => r.files.map((f) => f.partitionValues._change_type));
    expect(planned.length).toBeGreaterThan(0);
    expect(planned.every((t) => t === "delete")).toBe(true);
    expect(plan.runs.reduce((n, r) => n + r.counts.prunedByPartition, 0)).toBeGreaterThan(0);
  });

  it("a predicate on _commit_version reads only that commit's files; change data files filter rows by _change_type", async () => {
    const table = "kernel/cdf-table";
    const store = new CountingStore(memoryStoreFromDir(join(CONFORMANCE, table)));
    const got = await rows(store, 0, "_commit_version = 2 AND _change_type = 'update_postimage'");
    expect(rowMultiset(got)).toEqual(rowMultiset(oracleRows(table, 0).filter((r) => r._commit_version === 2 && r._change_type === "update_postimage")));
    expect(got).toHaveLength(3);
    expect(filesRead(store).every((k) => k.startsWith("_change_data/"))).toBe(true);
  });

  it("stats skip files whose rows cannot match", async () => {
    const table = "kernel/cdf-table-simple";
    const store = new CountingStore(memoryStoreFromDir(join(CONFORMANCE, table)));
    const got = await rows(store, 0, "id >= 20");
    expect(rowMultiset(got)).toEqual(rowMultiset(oracleRows(table, 0).filter((r) => (r.id as number) >= 20)));
    const plan = await planChanges({ store, startingVersion: 0, where: "id >= 20" });
    expect(plan.runs.reduce((n, r) => n + r.counts.skippedByStats, 0)).toBeGreaterThan(0);
    const all = await planChanges({ store, startingVersion: 0 });
    expect(plan.runs.flatMap((r) => r.files).length).toBeLessThan(all.runs.flatMap((r) => r.files).length);
  });

  it("columns select table columns; the change columns always follow", async () => {
    const store = new CountingStore(memoryStoreFromDir(join(CONFORMANCE, "kernel/cdf-table")));
    const got = await rows(store, 3, "id = 7", ["name"]);
    expect(got).toHaveLength(1);
    expect(Object.keys(got[0] as Row)).toEqual(["name", "_change_type", "_commit_version", "_commit_timestamp"]);
    expect(got[0]).toMatchObject({ name: "Dennis", _change_type: "delete", _commit_version: 3 });
  });

  it("refuses unknown columns in columns and where, naming them", async () => {
    const store = new CountingStore(memoryStoreFromDir(join(CONFORMANCE, "kernel/cdf-table")));
    await expect(planChanges({ store, startingVersion: 0, columns: ["nope"] })).rejects.toThrow(/unknown column 'nope'/);
    await expect(planChanges({ store, startingVersion: 0, where: "nope = 1" })).rejects.toBeInstanceOf(InvalidInputError);
  });
});
