/**
 * DELETE on the four table shapes: rows read back by our reader and by the independent oracle
 * equal the input minus the deleted rows; untouched files stay byte-identical; stats bound the
 * data; with DVs the files keep their data and carry DVs the oracle decodes; on CDF tables the
 * change data files hold exactly the deleted rows. Also partition-only predicates (whole files
 * removed unread), deleting nothing (no commit), and refusals.
 */
import { describe, expect, it } from "vitest";
import { CountingStore } from "../../src/core/storage/counting.js";
import { deleteRows } from "../../src/core/dml/delete.js";
import { InvalidInputError } from "../../src/core/errors.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { readHistory } from "../../src/core/table/history.js";
import { writeTable } from "../../src/core/write/write-table.js";
import { rowMultiset } from "../helpers/oracle.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { SHAPES, allRows, checkTable, expectRecordedMetrics, filesWithout, makeTable, tempDir, type TestRow } from "./helpers.js";

/** Spark's DELETE metric names (commitInfo.operationMetrics). */
const DELETE_METRICS = [
  "numRemovedFiles", "numAddedFiles", "numDeletedRows", "numCopiedRows", "numAddedChangeFiles", "numAddedBytes", "numRemovedBytes",
  "numDeletionVectorsAdded", "numDeletionVectorsRemoved", "numDeletionVectorsUpdated", "executionTimeMs", "scanTimeMs", "rewriteTimeMs",
];

const matches = (r: TestRow): boolean => [3, 14, 40].includes(r.id) || (r.id > 50 && r.id <= 55);
const WHERE = "id IN (3, 14, 40) OR (id > 50 AND id <= 55)";

describe.each(SHAPES)("DELETE, $name", (shape) => {
  it("deletes exactly the matching rows", async () => {
    const { store, dir } = await makeTable(shape);
    const untouched = await filesWithout(store, dir, matches);
    expect(untouched.size).toBeGreaterThan(0);
    const before = await loadSnapshot({ store });
    const result = await deleteRows({ store, where: WHERE });
    expect(result.status).toBe("committed");
    expect(result.version).toBe(before.version + 1);
    expect(result.metrics.numDeletedRows).toBe(allRows().filter(matches).length);
    const oracle = await checkTable(store, dir, allRows().filter((r) => !matches(r)), { untouched, changesOf: result.version });
    if (shape.dv) {
      expect(result.metrics.numAddedFiles).toBe(0);
      expect(result.metrics.numCopiedRows).toBe(0);
      expect(result.metrics.numDeletionVectorFiles).toBe(1);
      expect(oracle.files.some((f) => f.deleted.length > 0)).toBe(true);
      expect(oracle.protocol).toMatchObject({ minReaderVersion: 3, minWriterVersion: 7 });
      expect(oracle.protocol.readerFeatures).toContain("deletionVectors");
      expect(rowMultiset(oracle.changes?.rows ?? [])).toEqual(rowMultiset(allRows().filter(matches).map((r) => ({ ...r, _change_type: "delete" }))));
    } else {
      expect(result.metrics.numDeletionVectorFiles).toBe(0);
      expect(oracle.files.every((f) => f.deleted.length === 0)).toBe(true);
      expect(result.metrics.numCopiedRows).toBeGreaterThan(0);
    }
    const [entry] = await readHistory({ store, limit: 1 });
    expect(entry?.operationParameters?.predicate).toBe(JSON.stringify([WHERE]));
    await expectRecordedMetrics(store, "DELETE", result.metrics, DELETE_METRICS);
  });

  it("deletes again from files that already have deletion vectors", async () => {
    const { store, dir } = await makeTable(shape);
    await deleteRows({ store, where: WHERE });
    const second = (r: TestRow) => r.id === 4 || r.id === 41 || r.id === 52 || r.id === 56;
    const untouched = await filesWithout(store, dir, second);
    const result = await deleteRows({ store, where: "id IN (4, 41, 52, 56)" });
    expect(result.metrics.numDeletedRows).toBe(3); // 52 went in the first delete
    const oracle = await checkTable(store, dir, allRows().filter((r) => !matches(r) && !second(r)), { untouched, changesOf: result.version });
    if (shape.dv) {
      expect(result.metrics.numDeletionVectorsUpdated).toBeGreaterThan(0);
      expect(rowMultiset(oracle.changes?.rows ?? [])).toEqual(rowMultiset([4, 41, 56].map((id) => ({ ...allRows()[id], _change_type: "delete" }))));
    }
  });

  it("deleting nothing commits nothing", async () => {
    const { store, dir } = await makeTable(shape);
    const before = await loadSnapshot({ store });
    const result = await deleteRows({ store, where: "id > 1000 OR value = 'none'" });
    expect(result).toMatchObject({ status: "unchanged", version: before.version });
    expect((await loadSnapshot({ store })).version).toBe(before.version);
    await checkTable(store, dir, allRows());
  });

  it("deletes every row of a file: the file is removed", async () => {
    const { store, dir } = await makeTable(shape);
    const result = await deleteRows({ store, where: "id < 20" });
    expect(result.metrics.numRemovedFiles).toBeGreaterThan(0);
    const oracle = await checkTable(store, dir, allRows().filter((r) => r.id >= 20));
    expect(oracle.files.every((f) => f.rows.length > 0)).toBe(true);
  });
});

describe("DELETE with a partition-only predicate", () => {
  it.each(SHAPES.filter((s) => s.partitioned))("$name: removes whole files without reading them", async (shape) => {
    const { store, dir } = await makeTable(shape);
    const counting = new CountingStore(store);
    const result = await deleteRows({ store: counting, where: "part = 'b'" });
    const dataReads = counting.operations().filter((o) => o.op === "get" && !o.key.startsWith("_delta_log/"));
    expect(dataReads).toEqual([]);
    expect(result.metrics).toMatchObject({ numFilesScanned: 0, numRemovedFiles: 3, numDeletedRows: 20, numAddedFiles: 0, numAddedChangeFiles: 0 });
    await checkTable(store, dir, allRows().filter((r) => r.part !== "b"));
  });

  it("a CDF table with a mixed predicate reads the whole files too, so the change files hold every deleted row", async () => {
    const shape = SHAPES[3] as (typeof SHAPES)[number];
    const { store, dir } = await makeTable(shape);
    const gone = (r: TestRow) => r.part === "b" || r.id === 3;
    const result = await deleteRows({ store, where: "part = 'b' OR id = 3" });
    const oracle = await checkTable(store, dir, allRows().filter((r) => !gone(r)), { changesOf: result.version });
    expect(rowMultiset(oracle.changes?.rows ?? [])).toEqual(rowMultiset(allRows().filter(gone).map((r) => ({ ...r, _change_type: "delete" }))));
  });
});

describe("DELETE refusals (nothing committed)", () => {
  it("an unknown column", async () => {
    const { store } = await makeTable(SHAPES[0] as (typeof SHAPES)[number]);
    const before = (await loadSnapshot({ store })).version;
    await expect(deleteRows({ store, where: "nope = 1" })).rejects.toThrow(InvalidInputError);
    await expect(deleteRows({ store, where: "nope = 1" })).rejects.toThrow(/unknown column nope/);
    expect((await loadSnapshot({ store })).version).toBe(before);
  });

  it("an append-only table", async () => {
    const store = new LocalStore({ root: tempDir() });
    await writeTable({ store, data: [{ id: 1n, v: "a" }], configuration: { "delta.appendOnly": "true" } });
    await expect(deleteRows({ store, where: "id = 1" })).rejects.toThrow(/DELETE is not allowed: the table is append-only/);
    expect((await loadSnapshot({ store })).version).toBe(0);
  });
});

describe("DELETE with computed values in the predicate", () => {
  it.each([SHAPES[0], SHAPES[3]] as (typeof SHAPES)[number][])("$name", async (shape) => {
    const { store, dir } = await makeTable(shape);
    const gone = (r: TestRow) => r.score * 2 > 160 || (r.part === "a" ? r.id === 3 : false) || (r.value ?? "") + "!" === "v10!";
    await deleteRows({ store, where: "score * 2 > 160 OR CASE WHEN part = 'a' THEN id = 3 ELSE FALSE END OR COALESCE(value, '') || '!' = 'v10!'" });
    await checkTable(store, dir, allRows().filter((r) => !gone(r)));
  });
});

describe("DELETE across a checkpoint", () => {
  it("DV descriptors survive the checkpoint written at version 10 (our reader and the oracle read it)", async () => {
    const shape = SHAPES[2] as (typeof SHAPES)[number];
    const { store, dir } = await makeTable(shape);
    const ids = [1, 2, 21, 22, 41, 42, 3, 23, 43, 5];
    for (const id of ids) await deleteRows({ store, where: `id = ${id}` });
    const snapshot = await loadSnapshot({ store });
    expect(snapshot.version).toBe(12);
    expect(snapshot.segment.checkpoint?.version).toBe(10);
    const oracle = await checkTable(store, dir, allRows().filter((r) => !ids.includes(r.id)));
    expect(oracle.files.every((f) => f.deleted.length > 0)).toBe(true);
  });
});
