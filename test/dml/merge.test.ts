/**
 * MERGE on the four table shapes: upserts, conditional deletes, NOT MATCHED BY SOURCE, the early
 * filter (target files the source's keys cannot reach are not read and stay byte-identical), and
 * the refusals (a target row matched twice, a source without the key column, a condition on the
 * wrong side, a type mismatch, an append-only table). Rows read back by our reader and by the
 * oracle equal rows computed from the inputs; CDF tables' change files hold exactly the changes.
 */
import { tableFromArrays } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { mergeInto } from "../../src/core/dml/merge/merge.js";
import { InvalidInputError } from "../../src/core/errors.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { writeTable } from "../../src/core/write/write-table.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { rowMultiset } from "../helpers/oracle.js";
import { SHAPES, allRows, checkTable, expectRecordedMetrics, filesWithout, makeTable, tempDir, testRow, type TestRow } from "./helpers.js";

/** Spark's and delta-rs's MERGE metric names, all recorded in commitInfo.operationMetrics. */
const MERGE_METRICS = [
  "numSourceRows", "numTargetRowsInserted", "numTargetRowsUpdated", "numTargetRowsDeleted", "numTargetRowsCopied", "numOutputRows",
  "numTargetRowsMatchedUpdated", "numTargetRowsMatchedDeleted", "numTargetRowsNotMatchedBySourceUpdated", "numTargetRowsNotMatchedBySourceDeleted",
  "numTargetFilesAdded", "numTargetFilesRemoved", "numTargetFilesScanned", "numTargetFilesSkippedDuringScan", "numTargetChangeFilesAdded",
  "numTargetBytesAdded", "numTargetBytesRemoved", "numTargetDeletionVectorsAdded", "numTargetDeletionVectorsRemoved", "numTargetDeletionVectorsUpdated",
  "executionTimeMs", "scanTimeMs", "rewriteTimeMs",
];

const asInput = (r: TestRow) => ({ id: BigInt(r.id), part: r.part, value: r.value, score: r.score });
const changed = (r: TestRow, type: string) => ({ ...r, _change_type: type });

describe.each(SHAPES)("MERGE, $name", (shape) => {
  it("upserts: matched rows updated (one moves partition), new rows inserted", async () => {
    const { store, dir } = await makeTable(shape);
    const updates: TestRow[] = [5, 17, 33, 58].map((id) => ({ ...testRow(id), value: `new${id}`, score: -id }));
    (updates[1] as TestRow).part = "a"; // id 17 was in part c
    const inserts: TestRow[] = [100, 101].map((id) => testRow(id));
    const untouched = await filesWithout(store, dir, (r) => [5, 17, 33, 58].includes(r.id));
    const result = await mergeInto({
      store,
      source: [...updates, ...inserts].map(asInput),
      on: "target.id = source.id",
      whenMatched: [{ action: "updateAll" }],
      whenNotMatched: [{ action: "insertAll" }],
    });
    expect(result.metrics).toMatchObject({ numSourceRows: 6, numTargetRowsUpdated: 4, numTargetRowsInserted: 2, numTargetRowsDeleted: 0 });
    const ids = new Set(updates.map((u) => u.id));
    const expected = [...allRows().filter((r) => !ids.has(r.id)), ...updates, ...inserts];
    const oracle = await checkTable(store, dir, expected, { untouched, changesOf: result.version });
    if (shape.dv) {
      expect(result.metrics.numTargetRowsCopied).toBe(0);
      expect(rowMultiset(oracle.changes?.rows ?? [])).toEqual(
        rowMultiset([
          ...allRows().filter((r) => ids.has(r.id)).map((r) => changed(r, "update_preimage")),
          ...updates.map((r) => changed(r, "update_postimage")),
          ...inserts.map((r) => changed(r, "insert")),
        ]),
      );
    } else expect(result.metrics.numTargetRowsCopied).toBeGreaterThan(0);
  });

  it("first matching clause wins; conditional delete; NOT MATCHED BY SOURCE delete", async () => {
    const { store, dir } = await makeTable(shape);
    const source = [3, 4, 12, 13, 200].map((id) => ({ ...testRow(id), value: id % 2 === 0 ? "even" : "odd" }));
    // NOT MATCHED BY SOURCE reads every file; the ones with no changed row must stay as they are.
    const untouched = await filesWithout(store, dir, (r) => [3, 12, 13].includes(r.id) || r.id >= 55);
    expect(untouched.size).toBeGreaterThan(0);
    const result = await mergeInto({
      store,
      source: source.map(asInput),
      on: "target.id = source.id",
      whenMatched: [
        { action: "delete", condition: "source.value = 'odd'" },
        { action: "updateAll", condition: "target.id > 10" },
      ],
      whenNotMatched: [{ action: "insertAll", condition: "source.id > 1000" }],
      whenNotMatchedBySource: [{ action: "delete", condition: "target.id >= 55" }],
    });
    // 3, 13: deleted (odd); 12: updated; 4: matched, no clause applies; 200: not inserted; 55..59 deleted.
    const expected = allRows()
      .filter((r) => r.id !== 3 && r.id !== 13 && r.id < 55)
      .map((r) => (r.id === 12 ? { ...r, value: "even" } : r));
    expect(result.metrics).toMatchObject({
      numTargetRowsDeleted: 7,
      numTargetRowsUpdated: 1,
      numTargetRowsInserted: 0,
      numTargetRowsMatchedDeleted: 2,
      numTargetRowsMatchedUpdated: 1,
      numTargetRowsNotMatchedBySourceDeleted: 5,
      numTargetRowsNotMatchedBySourceUpdated: 0,
      numTargetDeletionVectorsAdded: result.metrics.numDeletionVectorsAdded,
      numTargetBytesAdded: result.metrics.numAddedBytes,
    });
    if (shape.dv) expect(result.metrics.numTargetDeletionVectorsAdded).toBeGreaterThan(0);
    await expectRecordedMetrics(store, "MERGE", result.metrics, MERGE_METRICS);
    const oracle = await checkTable(store, dir, expected, { untouched, changesOf: result.version });
    if (shape.dv) {
      expect(rowMultiset(oracle.changes?.rows ?? [])).toEqual(
        rowMultiset([
          ...allRows().filter((r) => r.id === 3 || r.id === 13 || r.id >= 55).map((r) => changed(r, "delete")),
          changed(testRow(12), "update_preimage"),
          changed({ ...testRow(12), value: "even" }, "update_postimage"),
        ]),
      );
    }
  });

  it("SET and VALUES expressions; NOT MATCHED BY SOURCE update", async () => {
    const { store, dir } = await makeTable(shape);
    const source = [
      { id: 8n, part: testRow(8).part, value: "s8", score: 100 },
      { id: 77n, part: "c", value: "s77", score: 5 },
    ];
    const result = await mergeInto({
      store,
      source,
      on: "target.id = source.id",
      whenMatched: [{ action: "update", set: { value: "source.value || '!'", score: "target.score + source.score" } }],
      whenNotMatched: [{ action: "insert", values: { id: "source.id", part: "source.part", value: "'ins' || CAST(source.id AS string)" } }],
      whenNotMatchedBySource: [{ action: "update", set: { value: "'orphan'" }, condition: "target.id >= 58" }],
    });
    expect(result.metrics).toMatchObject({ numTargetRowsUpdated: 3, numTargetRowsInserted: 1, numTargetRowsMatchedUpdated: 1, numTargetRowsNotMatchedBySourceUpdated: 2 });
    const expected = [
      ...allRows().map((r) => (r.id === 8 ? { ...r, value: "s8!", score: r.score + 100 } : r.id >= 58 ? { ...r, value: "orphan" } : r)),
      { id: 77, part: "c", value: "ins77", score: null as unknown as number },
    ];
    await checkTable(store, dir, expected);
  });

  it("the early filter skips target files the source keys cannot reach", async () => {
    const { store, dir } = await makeTable(shape);
    const untouched = await filesWithout(store, dir, (r) => r.id >= 20 && r.id <= 22);
    const result = await mergeInto({
      store,
      source: [20, 22].map((id) => asInput({ ...testRow(id), value: "x" })),
      on: "target.id = source.id",
      whenMatched: [{ action: "updateAll" }],
    });
    expect(result.metrics.numTargetFilesSkippedDuringScan).toBeGreaterThan(0);
    expect(result.metrics.numTargetFilesScanned).toBeLessThan(shape.partitioned ? 9 : 3);
    await checkTable(
      store,
      dir,
      allRows().map((r) => (r.id === 20 || r.id === 22 ? { ...r, value: "x" } : r)),
      { untouched },
    );
  });
});

describe("MERGE on a partitioned table: the key's partition values prune files", () => {
  it("a partition-column equality reads only the source's partitions", async () => {
    const { store, dir } = await makeTable(SHAPES[1] as (typeof SHAPES)[number]);
    const result = await mergeInto({
      store,
      source: [asInput({ ...testRow(4), value: "p" })], // part b
      on: "target.part = source.part AND target.id = source.id",
      whenMatched: [{ action: "updateAll" }],
    });
    expect(result.metrics.numTargetFilesScanned).toBe(1); // part b, ids 0..19
    await checkTable(store, dir, allRows().map((r) => (r.id === 4 ? { ...r, value: "p" } : r)));
  });
});

describe("MERGE sources and target-only conditions", () => {
  it("a RecordBatch stream source; a target-only conjunct of `on` prunes files too", async () => {
    const { store, dir } = await makeTable(SHAPES[1] as (typeof SHAPES)[number]);
    const batch = tableFromArrays({ id: BigInt64Array.from([1n, 2n, 40n]), part: ["b", "c", "b"], value: ["s1", "s2", "s40"], score: Float64Array.from([0, 0, 0]) }).batches[0];
    async function* stream() {
      yield batch as NonNullable<typeof batch>;
    }
    const result = await mergeInto({
      store,
      source: stream(),
      on: "target.id = source.id AND target.part = 'b'",
      whenMatched: [{ action: "updateAll" }],
    });
    // Only part b files in the key range [1, 40] are read: ids 0..19 and 20..39 and 40..59 of part b.
    expect(result.metrics.numTargetFilesScanned).toBe(3);
    expect(result.metrics).toMatchObject({ numSourceRows: 3, numTargetRowsUpdated: 2 }); // ids 1 and 40 are in part b, 2 is in c
    await checkTable(
      store,
      dir,
      allRows().map((r) => (r.id === 1 || r.id === 40 ? { ...r, value: `s${r.id}`, score: 0 } : r)),
    );
  });
});

describe("MERGE refusals (nothing committed)", () => {
  async function refused(run: (store: LocalStore) => Promise<unknown>, pattern: RegExp): Promise<void> {
    const { store } = await makeTable(SHAPES[2] as (typeof SHAPES)[number]);
    const before = (await loadSnapshot({ store })).version;
    const err = await run(store).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as Error).message).toMatch(pattern);
    expect((await loadSnapshot({ store })).version).toBe(before);
  }

  it("a target row matched by two source rows", async () => {
    await refused(
      (store) => mergeInto({ store, source: [asInput(testRow(7)), asInput({ ...testRow(7), value: "dup" })], on: "target.id = source.id", whenMatched: [{ action: "updateAll" }] }),
      /matched 2 source rows/,
    );
  });

  it("a source without the key column", async () => {
    await refused(
      (store) => mergeInto({ store, source: [{ value: "x" }], on: "target.id = source.id", whenNotMatched: [{ action: "insertAll" }] }),
      /merge condition: unknown column source\.id/,
    );
  });

  it("a WHEN NOT MATCHED condition on a target column", async () => {
    await refused(
      (store) => mergeInto({ store, source: [asInput(testRow(7))], on: "target.id = source.id", whenNotMatched: [{ action: "insertAll", condition: "target.id > 1" }] }),
      /whenNotMatched\[0\] condition cannot reference target column/,
    );
  });

  it("a source column type that does not fit the target", async () => {
    await refused(
      (store) =>
        mergeInto({
          store,
          source: tableFromArrays({ id: BigInt64Array.from([7n]), part: ["a"], value: Float64Array.from([1.5]), score: Float64Array.from([1]) }),
          on: "target.id = source.id",
          whenMatched: [{ action: "updateAll" }],
        }),
      /whenMatched\[0\] \(update all\): column value has Arrow type Float64, which cannot be written to Delta type string/,
    );
  });

  it("VALUES reading a target column, SET of the wrong type", async () => {
    await refused(
      (store) => mergeInto({ store, source: [asInput(testRow(700))], on: "target.id = source.id", whenNotMatched: [{ action: "insert", values: { id: "target.id" } }] }),
      /whenNotMatched\[0\] cannot reference target column/,
    );
    await refused(
      (store) => mergeInto({ store, source: [asInput(testRow(7))], on: "target.id = source.id", whenMatched: [{ action: "update", set: { score: "source.value" } }] }),
      /whenMatched\[0\]: cannot set column score of type double to source\.value, a value of type string/,
    );
  });

  it("an `on` without a target = source equality", async () => {
    await refused((store) => mergeInto({ store, source: [asInput(testRow(7))], on: "target.id > source.id", whenMatched: [{ action: "delete" }] }), /needs an equality/);
  });

  it("update clauses on an append-only table; insert-only merges are allowed", async () => {
    const store = new LocalStore({ root: tempDir() });
    await writeTable({ store, data: [{ id: 1n, v: "a" }], configuration: { "delta.appendOnly": "true" } });
    await expect(mergeInto({ store, source: [{ id: 1n, v: "b" }], on: "target.id = source.id", whenMatched: [{ action: "updateAll" }] })).rejects.toThrow(/append-only/);
    const r = await mergeInto({ store, source: [{ id: 1n, v: "b" }, { id: 2n, v: "c" }], on: "target.id = source.id", whenNotMatched: [{ action: "insertAll" }] });
    expect(r.metrics).toMatchObject({ numTargetRowsInserted: 1, numTargetFilesRemoved: 0 });
  });
});
