/**
 * DML on change-data-feed tables reads back through readChanges as exactly the changes made
 * (issue 11's change data files, issue 12's reader): for DELETE, MERGE (update, insert, delete)
 * and replaceWhere, the version's deletes and update preimages are exactly the rows that left the
 * table and its inserts and update postimages exactly the rows that entered it (no unchanged row);
 * for RESTORE (added and removed files, no change data files) the changes turn the table before
 * into the table after. Tables with and without deletion vectors, partitioned and not; the rows
 * before and after come from our scan at each version.
 */
import { describe, expect, it } from "vitest";
import "../../src/node/index.js"; // registers parquet-wasm's .wasm for Node (the writer)
import { MemoryStore } from "../../src/core/storage/memory.js";
import { writeTable } from "../../src/core/write/write-table.js";
import { readRows } from "../../src/core/scan/read.js";
import { planScan } from "../../src/core/scan/plan.js";
import { openTable } from "../../src/core/table/open.js";
import { formatRowJson } from "../../src/core/scan/rows.js";
import { planChanges } from "../../src/core/changes/change-plan.js";
import { readChangeRows } from "../../src/core/changes/read-changes.js";
import { deleteRows, mergeInto, restoreTable } from "../../src/core/dml/index.js";
import { canonicalJson } from "../helpers/oracle.js";


type Row = Record<string, unknown>;
const CHANGE = ["_change_type", "_commit_version", "_commit_timestamp"];

const row = (id: number, value = `v${id}`) => ({ id: BigInt(id), part: ["a", "b", "c"][id % 3] as string, value });

async function tableRows(store: MemoryStore, version: number): Promise<string[]> {
  const snapshot = await openTable({ store, version });
  const fields = planScan(snapshot).outputFields;
  const out: string[] = [];
  for await (const r of readRows({ store, snapshot })) out.push(canonicalJson(formatRowJson(r, fields)));
  return out.sort();
}

async function changesAt(store: MemoryStore, version: number): Promise<{ type: string; row: string }[]> {
  const plan = await planChanges({ store, startingVersion: version, endingVersion: version });
  const out: { type: string; row: string }[] = [];
  for await (const r of readChangeRows({ store, startingVersion: version, endingVersion: version })) {
    const json = formatRowJson(r, plan.outputFields ?? []) as Row;
    expect(json._commit_version).toBe(version);
    out.push({ type: String(json._change_type), row: canonicalJson(Object.fromEntries(Object.entries(json).filter(([k]) => !CHANGE.includes(k)))) });
  }
  return out;
}

/** Multiset difference a - b (sorted strings). */
function minus(a: string[], b: string[]): string[] {
  const left = [...b];
  return a.filter((x) => {
    const i = left.indexOf(x);
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}

/** Checks version `v` against the table at v - 1 and v; `exact`: no unchanged row may be reported. */
async function checkVersion(store: MemoryStore, v: number, exact: boolean): Promise<{ type: string; row: string }[]> {
  const [before, after, changes] = await Promise.all([tableRows(store, v - 1), tableRows(store, v), changesAt(store, v)]);
  const removed = changes.filter((c) => c.type === "delete" || c.type === "update_preimage").map((c) => c.row).sort();
  const added = changes.filter((c) => c.type === "insert" || c.type === "update_postimage").map((c) => c.row).sort();
  expect(changes.every((c) => ["delete", "insert", "update_preimage", "update_postimage"].includes(c.type))).toBe(true);
  // The changes turn the table before into the table after.
  expect(minus(removed, before), `version ${v}: removed rows not in the table before`).toEqual([]);
  expect([...minus(before, removed), ...added].sort()).toEqual(after);
  if (exact) {
    expect(removed).toEqual(minus(before, after).sort());
    expect(added).toEqual(minus(after, before).sort());
    expect(changes.filter((c) => c.type === "update_preimage").length).toBe(changes.filter((c) => c.type === "update_postimage").length);
  }
  return changes;
}

const SHAPES = [
  { name: "DV + CDF", dv: true, partitioned: false },
  { name: "DV + CDF, partitioned", dv: true, partitioned: true },
  { name: "copy-on-write + CDF", dv: false, partitioned: false },
  { name: "copy-on-write + CDF, partitioned", dv: false, partitioned: true },
];

describe("DML on change-data-feed tables reads back through readChanges", () => {
  for (const shape of SHAPES) {
    it(shape.name, async () => {
      const store = new MemoryStore();
      const configuration = { "delta.enableChangeDataFeed": "true", ...(shape.dv ? { "delta.enableDeletionVectors": "true" } : {}) };
      const partitionBy = shape.partitioned ? ["part"] : undefined;
      await writeTable({ store, data: Array.from({ length: 12 }, (_, i) => row(i)), configuration, partitionBy });
      await writeTable({ store, mode: "append", data: Array.from({ length: 6 }, (_, i) => row(12 + i)) });
      let v = 1;

      const del = await deleteRows({ store, where: "id < 3 OR id = 14" });
      expect(del.version).toBe(++v);
      const deleted = await checkVersion(store, v, true);
      expect(deleted.map((c) => c.type)).toEqual(["delete", "delete", "delete", "delete"]);

      const merged = await mergeInto({
        store,
        source: [row(5, "updated"), row(7, "updated"), row(40, "new")],
        on: "target.id = source.id",
        whenMatched: [{ action: "updateAll" }],
        whenNotMatched: [{ action: "insertAll" }],
      });
      expect(merged.version).toBe(++v);
      const upserts = await checkVersion(store, v, true);
      expect(upserts.map((c) => c.type).sort()).toEqual(["insert", "update_postimage", "update_postimage", "update_preimage", "update_preimage"]);

      const dropped = await mergeInto({ store, source: [row(8), row(99)], on: "target.id = source.id", whenMatched: [{ action: "delete" }] });
      expect(dropped.version).toBe(++v);
      expect((await checkVersion(store, v, true)).map((c) => c.type)).toEqual(["delete"]);

      const replaced = await writeTable({ store, mode: "overwrite", replaceWhere: "id >= 15", data: [row(15, "replaced"), row(50)] });
      expect(replaced.version).toBe(++v);
      await checkVersion(store, v, true);

      const restored = await restoreTable({ store, version: 1 });
      expect(restored.version).toBe(++v);
      await checkVersion(store, v, false);
      expect(await tableRows(store, v)).toEqual(await tableRows(store, 1));

      // The whole range at once is the concatenation of the single versions.
      const all = await planChanges({ store, startingVersion: 2 });
      expect([all.startVersion, all.endVersion]).toEqual([2, v]);
    });
  }
});
