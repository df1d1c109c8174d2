/**
 * RESTORE on the four table shapes (after DELETEs, with and without deletion vectors): one commit
 * brings back exactly the rows of the old version (our reader and the oracle), the files that
 * were live then and now stay untouched, and a restore to a version whose files were vacuumed is
 * refused with nothing committed. Also enabling deletion vectors by a property change upgrades
 * the protocol as Spark does.
 */
import { utimesSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deleteRows } from "../../src/core/dml/delete.js";
import { restoreTable } from "../../src/core/dml/restore.js";
import { InvalidInputError, NotFoundError } from "../../src/core/errors.js";
import { readHistory } from "../../src/core/table/history.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { setTableProperties } from "../../src/core/write/table-properties.js";
import { vacuum } from "../../src/core/write/vacuum.js";
import { writeTable } from "../../src/core/write/write-table.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { commitLines } from "../write-txn/helpers.js";
import { SHAPES, allRows, checkTable, expectRecordedMetrics, filesWithout, makeTable } from "./helpers.js";

describe.each(SHAPES)("RESTORE, $name", (shape) => {
  it("brings back the rows of an older version in one commit", async () => {
    const { store, dir } = await makeTable(shape);
    const v = (await loadSnapshot({ store })).version;
    // Files live both then and now (none of their rows deleted) stay as they are.
    const untouched = await filesWithout(store, dir, (r) => r.id < 5 || r.id === 33 || r.id === 38);
    expect(untouched.size).toBeGreaterThan(0);
    await deleteRows({ store, where: "id < 5 OR id = 33" });
    await deleteRows({ store, where: "id = 38" });
    const result = await restoreTable({ store, version: v });
    expect(result).toMatchObject({ status: "committed", version: v + 3 });
    expect(result.metrics.numRestoredFiles).toBeGreaterThan(0);
    await expectRecordedMetrics(store, "RESTORE", result.metrics, ["tableSizeAfterRestore", "numOfFilesAfterRestore", "numRemovedFiles", "numRestoredFiles", "removedFilesSize", "restoredFilesSize"]);
    await checkTable(store, dir, allRows(), { untouched });
    const lines = await commitLines(store, result.version);
    expect(lines[0]?.commitInfo).toMatchObject({ operation: "RESTORE", operationParameters: { version: String(v) } });
    const files = lines.flatMap((l) => [l.add, l.remove].filter((x) => x !== undefined));
    expect(files.length).toBeGreaterThan(0);
    expect(files.every((f) => f?.dataChange === true)).toBe(true);
    // Restoring to the version just after the first delete (by timestamp of its commit).
    const [, afterFirst] = await readHistory({ store });
    const again = await restoreTable({ store, version: afterFirst!.version - 1 });
    await checkTable(store, dir, allRows().filter((r) => r.id >= 5 && r.id !== 33));
    expect(again.status).toBe("committed");
  });
});

describe("RESTORE by timestamp", () => {
  it("restores the latest version committed at or before the timestamp", async () => {
    const { store, dir } = await makeTable(SHAPES[2] as (typeof SHAPES)[number]);
    const v = (await loadSnapshot({ store })).version;
    await deleteRows({ store, where: "id < 10" });
    await deleteRows({ store, where: "id >= 50" });
    // The commits' file times (what time travel reads without in-commit timestamps): a minute apart.
    const t = Date.now() + 60_000;
    for (const [i, version] of [v, v + 1, v + 2].entries()) {
      const at = new Date(t + i * 60_000);
      utimesSync(join(dir, "_delta_log", `${String(version).padStart(20, "0")}.json`), at, at);
    }
    const result = await restoreTable({ store, timestamp: new Date(t + 90_000).toISOString() });
    expect(result).toMatchObject({ status: "committed", version: v + 3 });
    await checkTable(store, dir, allRows().filter((r) => r.id >= 10));
    expect((await readHistory({ store, limit: 1 }))[0]?.operationParameters).toMatchObject({ version: String(v + 1) });
  });
});

describe("RESTORE refusals", () => {
  it("a version whose files were vacuumed: nothing committed", async () => {
    const { store } = await makeTable(SHAPES[0] as (typeof SHAPES)[number]);
    await deleteRows({ store, where: "id < 30" });
    await vacuum({ store, retentionHours: 0, enforceRetentionDuration: false });
    const before = (await loadSnapshot({ store })).version;
    await expect(restoreTable({ store, version: 2 })).rejects.toThrow(NotFoundError);
    await expect(restoreTable({ store, version: 2 })).rejects.toThrow(/cannot restore to version 2: \d+ of its files no longer exist/);
    expect((await loadSnapshot({ store })).version).toBe(before);
  });

  it("a future version and both version and timestamp", async () => {
    const { store } = await makeTable(SHAPES[0] as (typeof SHAPES)[number]);
    await expect(restoreTable({ store, version: 9 })).rejects.toThrow(InvalidInputError);
    await expect(restoreTable({ store, version: 0, timestamp: Date.now() })).rejects.toThrow(/exactly one/);
  });

  it("an append-only table, when the restore would remove files", async () => {
    const store = new MemoryStore();
    await writeTable({ store, data: [{ id: 1n }], configuration: { "delta.appendOnly": "true" } });
    await writeTable({ store, data: [{ id: 2n }], mode: "append" });
    await expect(restoreTable({ store, version: 0 })).rejects.toThrow(InvalidInputError);
    await expect(restoreTable({ store, version: 0 })).rejects.toThrow(/append-only.*removing .* is not allowed/);
    expect((await loadSnapshot({ store })).version).toBe(1);
  });

  it("restoring the current version changes nothing", async () => {
    const { store } = await makeTable(SHAPES[0] as (typeof SHAPES)[number]);
    expect(await restoreTable({ store, version: 2 })).toMatchObject({ status: "unchanged", version: 2 });
  });
});

describe("enabling deletion vectors on an existing table", () => {
  it("upgrades the protocol to reader 3 / writer 7, then DELETE writes DVs", async () => {
    const { store, dir } = await makeTable({ name: "plain", dv: false, partitioned: false });
    expect((await loadSnapshot({ store })).protocol).toEqual({ minReaderVersion: 1, minWriterVersion: 2 });
    const set = await setTableProperties({ store, properties: { "delta.enableDeletionVectors": "true" } });
    expect(set).toMatchObject({ status: "committed", protocolUpgraded: true });
    expect((await loadSnapshot({ store })).protocol).toEqual({
      minReaderVersion: 3,
      minWriterVersion: 7,
      readerFeatures: ["deletionVectors"],
      writerFeatures: ["appendOnly", "deletionVectors", "invariants"],
    });
    const result = await deleteRows({ store, where: "id = 7" });
    expect(result.metrics).toMatchObject({ numDeletionVectorsAdded: 1, numAddedFiles: 0 });
    const oracle = await checkTable(store, dir, allRows().filter((r) => r.id !== 7));
    expect(oracle.files.filter((f) => f.deleted.length > 0).map((f) => f.deleted)).toEqual([[7]]);
    expect(await setTableProperties({ store, properties: { "delta.enableDeletionVectors": "true" } })).toMatchObject({ status: "unchanged" });
    await expect(setTableProperties({ store, properties: { "delta.columnMapping.mode": "name" } })).rejects.toThrow(/cannot be changed/);
  });
});
