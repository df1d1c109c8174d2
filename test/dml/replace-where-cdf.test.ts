/**
 * replaceWhere on change-data-feed tables, which were refused before when the overwrite rewrote
 * rows: a rewrite writes change data holding every change (the replaced rows as deletes, from
 * straddled and wholly removed files, and the new rows as inserts); an overwrite that only removes
 * whole partitions writes none (readers derive the feed from its removes and adds).
 */
import { describe, expect, it } from "vitest";
import { writeTable } from "../../src/core/write/write-table.js";
import { rowMultiset } from "../helpers/oracle.js";
import { SHAPES, allRows, checkTable, makeTable, testRow, type TableShape } from "./helpers.js";

const partitioned = SHAPES[3] as TableShape;
const plain = SHAPES[2] as TableShape;

describe("replaceWhere on a CDF table", () => {
  it.each([plain, partitioned])("$name: rewriting straddled files writes deletes and inserts", async (shape) => {
    const { store, dir } = await makeTable(shape);
    const replaced = (r: { id: number }) => r.id >= 10 && r.id < 25;
    const fresh = [100, 101].map((id) => ({ ...testRow(id), id: 15 + id - 100 }));
    const result = await writeTable({
      store,
      data: fresh.map((r) => ({ ...r, id: BigInt(r.id) })),
      mode: "overwrite",
      replaceWhere: "id >= 10 AND id < 25",
    });
    const oracle = await checkTable(store, dir, [...allRows().filter((r) => !replaced(r)), ...fresh], { changesOf: result.version });
    expect(rowMultiset(oracle.changes?.rows ?? [])).toEqual(
      rowMultiset([...allRows().filter(replaced).map((r) => ({ ...r, _change_type: "delete" })), ...fresh.map((r) => ({ ...r, _change_type: "insert" }))]),
    );
  });

  it("whole partitions and a straddled file: the whole files' rows are in the change data too", async () => {
    const { store, dir } = await makeTable(partitioned);
    const replaced = (r: { id: number; part: string }) => r.part === "b" || r.id === 3;
    const fresh = { ...testRow(300), part: "b" };
    const result = await writeTable({ store, data: [{ ...fresh, id: 300n }], mode: "overwrite", replaceWhere: "part = 'b' OR id = 3" });
    const oracle = await checkTable(store, dir, [...allRows().filter((r) => !replaced(r)), fresh], { changesOf: result.version });
    expect(rowMultiset(oracle.changes?.rows ?? [])).toEqual(
      rowMultiset([...allRows().filter(replaced).map((r) => ({ ...r, _change_type: "delete" })), { ...fresh, _change_type: "insert" }]),
    );
  });

  it("replacing whole partitions writes no change data", async () => {
    const { store, dir } = await makeTable(partitioned);
    const fresh = { ...testRow(200), part: "b" };
    const result = await writeTable({ store, data: [{ ...fresh, id: 200n }], mode: "overwrite", replaceWhere: "part = 'b'" });
    const oracle = await checkTable(store, dir, [...allRows().filter((r) => r.part !== "b"), fresh], { changesOf: result.version });
    expect(oracle.changes?.files).toBe(0);
  });
});
