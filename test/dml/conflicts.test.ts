/**
 * DML against concurrent commits, made deterministic by running an operation on a snapshot read
 * before another commit landed (what a slower concurrent writer sees). Delta Spark's conflict
 * rules under WriteSerializable: a winner that removed or re-DV'd a file this operation read
 * fails it with CommitConflictError naming the winner (so two DELETEs on one file can never both
 * apply their DVs to the old DV); a blind append, or a change to files this operation did not
 * read, is retried past; with Serializable, a concurrent append matching the predicate conflicts.
 */
import { describe, expect, it } from "vitest";
import { deleteRows } from "../../src/core/dml/delete.js";
import { CommitConflictError } from "../../src/core/errors.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { writeTable } from "../../src/core/write/write-table.js";
import { logKeys } from "../write-txn/helpers.js";
import { SHAPES, allRows, checkTable, makeTable, testRow } from "./helpers.js";

describe.each([SHAPES[0], SHAPES[2]] as (typeof SHAPES)[number][])("DELETE conflicts, $name", (shape) => {
  it("two DELETEs on the same file: the later one fails naming the winner, nothing is lost", async () => {
    const { store, dir } = await makeTable(shape);
    const s = await loadSnapshot({ store });
    const first = await deleteRows({ store, where: "id = 3" });
    expect(first.version).toBe(s.version + 1);
    const log = await logKeys(store);
    const err = await deleteRows({ store, snapshot: s, where: "id = 4" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommitConflictError);
    expect((err as Error).message).toMatch(new RegExp(`version ${s.version + 1}`));
    expect(await logKeys(store)).toEqual(log);
    await checkTable(store, dir, allRows().filter((r) => r.id !== 3));
    // The application retries on a fresh snapshot: both deletes apply.
    await deleteRows({ store, where: "id = 4" });
    const oracle = await checkTable(store, dir, allRows().filter((r) => r.id !== 3 && r.id !== 4));
    if (shape.dv) expect(oracle.files.find((f) => f.deleted.length > 0)?.deleted).toEqual([3, 4]);
  });

  it("a DELETE retries past a concurrent DELETE of a file it did not read", async () => {
    const { store, dir } = await makeTable(shape);
    const s = await loadSnapshot({ store });
    await deleteRows({ store, where: "id = 25" }); // second file (ids 20..39): not read by `id = 3`
    const late = await deleteRows({ store, snapshot: s, where: "id = 3" });
    expect(late).toMatchObject({ status: "committed", version: s.version + 2 });
    expect(late.commit?.winners).toEqual([s.version + 1]);
    await checkTable(store, dir, allRows().filter((r) => r.id !== 3 && r.id !== 25));
  });

  it("a DELETE retries past a concurrent blind append (WriteSerializable), which keeps its rows", async () => {
    const { store, dir } = await makeTable(shape);
    const s = await loadSnapshot({ store });
    const appended = { id: 3n, part: "a", value: "again", score: 0 };
    await writeTable({ store, data: [appended], mode: "append" });
    const late = await deleteRows({ store, snapshot: s, where: "id = 3" });
    expect(late.version).toBe(s.version + 2);
    await checkTable(store, dir, [...allRows().filter((r) => r.id !== 3), { ...testRow(3), value: "again", score: 0 }]);
  });

  it("with Serializable isolation a concurrent append matching the predicate conflicts", async () => {
    const { store } = await makeTable(shape);
    const s = await loadSnapshot({ store });
    await writeTable({ store, data: [{ id: 3n, part: "a", value: "again", score: 0 }], mode: "append" });
    await expect(deleteRows({ store, snapshot: s, where: "id = 3", isolationLevel: "Serializable" })).rejects.toThrow(
      new RegExp(`concurrent append.*version ${s.version + 1}`),
    );
    // An append whose stats cannot match the predicate does not.
    const s2 = await loadSnapshot({ store });
    await writeTable({ store, data: [{ id: 1000n, part: "a", value: "x", score: 0 }], mode: "append" });
    expect((await deleteRows({ store, snapshot: s2, where: "id = 3", isolationLevel: "Serializable" })).status).toBe("committed");
  });
});
