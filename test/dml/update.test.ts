/**
 * UPDATE on the four table shapes: new values computed by expressions (arithmetic, CASE,
 * COALESCE, ||, CAST, NULL) read back by our reader and by the oracle equal values computed in
 * the test from the inputs; only files with matching rows change; updates that move rows to
 * another partition; CDF tables' change files hold the pre- and post-images. Refusals: unknown
 * columns, a value of the wrong type, an overflow found while updating (nothing committed).
 */
import { describe, expect, it } from "vitest";
import { updateRows } from "../../src/core/dml/update.js";
import { InvalidInputError } from "../../src/core/errors.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { rowMultiset } from "../helpers/oracle.js";
import { writeTable } from "../../src/core/write/write-table.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { SHAPES, allRows, checkTable, expectRecordedMetrics, filesWithout, makeTable, tempDir, type TestRow } from "./helpers.js";

/** Spark's UPDATE metric names (commitInfo.operationMetrics). */
const UPDATE_METRICS = [
  "numRemovedFiles", "numAddedFiles", "numUpdatedRows", "numCopiedRows", "numAddedChangeFiles", "numAddedBytes", "numRemovedBytes",
  "numDeletionVectorsAdded", "numDeletionVectorsRemoved", "numDeletionVectorsUpdated", "executionTimeMs", "scanTimeMs", "rewriteTimeMs",
];

describe.each(SHAPES)("UPDATE, $name", (shape) => {
  it("computes new values with the expression grammar", async () => {
    const { store, dir } = await makeTable(shape);
    const hit = (r: TestRow) => r.id >= 40 && r.id < 50;
    const untouched = await filesWithout(store, dir, hit);
    const result = await updateRows({
      store,
      where: "id >= 40 AND id < 50",
      set: {
        score: "score * 2 + -1",
        value: "CASE WHEN id < 45 THEN 'low' || CAST(id AS string) ELSE COALESCE(value, 'was null') END",
      },
    });
    expect(result.metrics.numUpdatedRows).toBe(10);
    await expectRecordedMetrics(store, "UPDATE", result.metrics, UPDATE_METRICS);
    const expected = allRows().map((r) =>
      hit(r) ? { ...r, score: r.score * 2 - 1, value: r.id < 45 ? `low${r.id}` : (r.value ?? "was null") } : r,
    );
    const oracle = await checkTable(store, dir, expected, { untouched, changesOf: result.version });
    if (shape.dv) {
      expect(result.metrics.numAddedFiles).toBeGreaterThan(0);
      expect(result.metrics.numCopiedRows).toBe(0);
      expect(rowMultiset(oracle.changes?.rows ?? [])).toEqual(
        rowMultiset([
          ...allRows().filter(hit).map((r) => ({ ...r, _change_type: "update_preimage" })),
          ...expected.filter(hit).map((r) => ({ ...r, _change_type: "update_postimage" })),
        ]),
      );
    }
  });

  it("moves updated rows to another partition; NULL assignments", async () => {
    const { store, dir } = await makeTable(shape);
    const result = await updateRows({ store, where: "part = 'b' AND id < 20", set: { part: "'z'", value: "NULL" } });
    expect(result.metrics.numUpdatedRows).toBe(allRows().filter((r) => r.part === "b" && r.id < 20).length);
    await checkTable(
      store,
      dir,
      allRows().map((r) => (r.part === "b" && r.id < 20 ? { ...r, part: "z", value: null } : r)),
    );
  });

  it("without a predicate updates every row", async () => {
    const { store, dir } = await makeTable(shape);
    await updateRows({ store, set: { score: "0.5" } });
    await checkTable(store, dir, allRows().map((r) => ({ ...r, score: 0.5 })));
  });
});

describe("UPDATE refusals (nothing committed)", () => {
  async function refused(set: Record<string, string>, pattern: RegExp, where?: string): Promise<void> {
    const { store } = await makeTable(SHAPES[2] as (typeof SHAPES)[number]);
    const before = (await loadSnapshot({ store })).version;
    const err = await updateRows({ store, set, where }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as Error).message).toMatch(pattern);
    expect((await loadSnapshot({ store })).version).toBe(before);
  }

  it("an unknown column to set", async () => {
    await refused({ nope: "1" }, /unknown column nope to set/);
  });
  it("an unknown column in the expression", async () => {
    await refused({ score: "nope + 1" }, /column score = nope \+ 1: unknown column nope/);
  });
  it("a type mismatch in set", async () => {
    await refused({ id: "'abc'" }, /cannot set column id of type long to 'abc', a value of type string/);
    await refused({ value: "id + 1" }, /cannot set column value of type string/);
  });
  it("an append-only table", async () => {
    const store = new LocalStore({ root: tempDir() });
    await writeTable({ store, data: [{ id: 1n, v: "a" }], configuration: { "delta.appendOnly": "true" } });
    await expect(updateRows({ store, where: "id = 1", set: { v: "'b'" } })).rejects.toThrow(/UPDATE is not allowed: the table is append-only/);
    expect((await loadSnapshot({ store })).version).toBe(0);
  });
  it("an overflow found while updating", async () => {
    await refused({ id: "id * 9223372036854775807" }, /arithmetic overflow/, "id > 1");
  });
});
