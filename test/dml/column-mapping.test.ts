/**
 * DML on column-mapped tables (name mode, physical names in data and change files): DELETE and
 * MERGE read and write by physical name, change data files carry `_change_type` under its own
 * name, and both readers see the expected rows.
 */
import { describe, expect, it } from "vitest";
import { deleteRows } from "../../src/core/dml/delete.js";
import { mergeInto } from "../../src/core/dml/merge/merge.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { rowMultiset } from "../helpers/oracle.js";
import { SHAPES, allRows, checkTable, makeTable, testRow, type TestRow } from "./helpers.js";

const MAPPED = { "delta.columnMapping.mode": "name" };

describe.each(SHAPES)("column mapping (name), $name", (shape) => {
  it("DELETE then MERGE", async () => {
    const { store, dir } = await makeTable(shape, { configuration: MAPPED });
    expect((await loadSnapshot({ store })).properties["delta.columnMapping.mode"]).toBe("name");
    const del = await deleteRows({ store, where: "id IN (2, 31) OR value IS NULL" });
    const gone = (r: TestRow) => r.id === 2 || r.id === 31 || r.value === null;
    let expected = allRows().filter((r) => !gone(r));
    const oracle = await checkTable(store, dir, expected, { changesOf: del.version });
    if (shape.dv) expect(rowMultiset(oracle.changes?.rows ?? [])).toEqual(rowMultiset(allRows().filter(gone).map((r) => ({ ...r, _change_type: "delete" }))));
    const src = [{ ...testRow(5), value: "m" }, testRow(70)];
    const merged = await mergeInto({
      store,
      source: src.map((r) => ({ ...r, id: BigInt(r.id) })),
      on: "target.id = source.id",
      whenMatched: [{ action: "updateAll" }],
      whenNotMatched: [{ action: "insertAll" }],
    });
    expected = [...expected.filter((r) => r.id !== 5), ...src];
    const after = await checkTable(store, dir, expected, { changesOf: merged.version });
    if (shape.dv) expect(after.changes?.rows.map((r) => r._change_type).sort()).toEqual(["insert", "update_postimage", "update_preimage"]);
  });
});
