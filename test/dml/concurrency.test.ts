/**
 * Real races on the memory store, the local store and moto S3: deleters (several on the same
 * files) and appenders all start at once; a deleter that loses with CommitConflictError retries
 * on a fresh snapshot, as an application would. Afterwards every delete that was reported
 * committed took effect exactly once and nothing else was deleted (no lost delete, no row deleted
 * twice or resurrected), every appended row is there, and the versions are contiguous with one
 * commit per reported success. Merges racing merges never insert a key twice nor lose a row, and
 * concurrent increments (MERGE and UPDATE `score = score + 1`) are never lost.
 * Fails under CI=true when moto is missing.
 */
import { describe, expect, it } from "vitest";
import { deleteRows } from "../../src/core/dml/delete.js";
import { mergeInto } from "../../src/core/dml/merge/merge.js";
import { updateRows } from "../../src/core/dml/update.js";
import { CommitConflictError } from "../../src/core/errors.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import type { ObjectStore } from "../../src/core/storage/object-store.js";
import { storeFromUrl } from "../../src/core/storage/url.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { writeTable } from "../../src/core/write/write-table.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { motoForFile } from "../helpers/servers/moto.js";
import { motoEnv } from "../logstore/moto-env.js";
import { rowMultiset } from "../helpers/oracle.js";
import { logKeys } from "../write-txn/helpers.js";
import { SHAPES, allRows, fillTable, ourRows, tempDir, testRow, type TableShape, type TestRow } from "./helpers.js";

const { availability, bucket, server: moto } = motoForFile("dml-race");


/** Deletes of one id each: several share a file (ids 0..19 are one file unpartitioned). */
const DELETED = [1, 2, 5, 8, 21, 22, 47];
const APPENDERS = 2;
const APPENDS = 4;

async function race(store: ObjectStore, shape: TableShape): Promise<void> {
  await fillTable(store, shape);
  const start = (await loadSnapshot({ store })).version;
  const successes: number[] = [];
  const lost = { n: 0 }; // commit rounds lost to another writer (retried by the loop or by the caller)
  const deleter = async (id: number): Promise<void> => {
    const r = await untilCommitted(() => deleteRows({ store, where: `id = ${id}`, maxAttempts: 50 }), lost);
    expect(r.status).toBe("committed");
    successes.push(r.version);
  };
  const appender = async (a: number): Promise<void> => {
    for (let i = 0; i < APPENDS; i++) {
      const id = 1000 + a * APPENDS + i;
      const r = await writeTable({ store, data: [{ id: BigInt(id), part: "a", value: `v${id}`, score: id * 1.5 }], mode: "append", maxAttempts: 200 });
      successes.push(r.version);
      lost.n += (r.commit?.attempts ?? 1) - 1;
    }
  };
  await Promise.all([...DELETED.map(deleter), ...Array.from({ length: APPENDERS }, (_, a) => appender(a))]);
  expect(lost.n).toBeGreaterThan(0); // nine writers started on one snapshot: most lose the first round
  const end = (await loadSnapshot({ store })).version;
  expect(end - start).toBe(DELETED.length + APPENDERS * APPENDS);
  expect([...successes].sort((a, b) => a - b)).toEqual(Array.from({ length: end - start }, (_, i) => start + 1 + i));
  const commits = (await logKeys(store)).filter((k) => /^_delta_log\/\d{20}\.json$/.test(k)).map((k) => Number(k.slice(11, 31)));
  expect(commits).toEqual(Array.from({ length: end + 1 }, (_, i) => i));
  const appended = Array.from({ length: APPENDERS * APPENDS }, (_, i) => ({ ...testRow(1000 + i), part: "a", value: `v${1000 + i}` }));
  const expected = [...allRows().filter((r) => !DELETED.includes(r.id)), ...appended];
  expect(await ourRows(store)).toEqual(rowMultiset(expected));
}

/** Retries an operation that lost to a conflicting commit on a fresh snapshot; counts the losses. */
async function untilCommitted<T extends { status: string; version: number; commit?: { attempts: number } | undefined }>(run: () => Promise<T>, lost: { n: number }): Promise<T> {
  for (let attempt = 0; attempt < 40; attempt++) {
    try {
      const r = await run();
      lost.n += (r.commit?.attempts ?? 1) - 1;
      return r;
    } catch (err) {
      if (!(err instanceof CommitConflictError)) throw err;
      lost.n++;
    }
  }
  throw new Error("never committed");
}

const MERGERS = 4;

/**
 * Merges racing merges: each upserts one existing key of its own, one new key of its own and one
 * new key all of them insert. Whatever the order, every key ends up exactly once (no duplicate
 * insert of the shared key, no resurrected or lost row), each merger's own rows carry its value.
 */
async function raceMerges(store: ObjectStore, shape: TableShape): Promise<void> {
  await fillTable(store, shape);
  const start = (await loadSnapshot({ store })).version;
  const lost = { n: 0 };
  const versions = await Promise.all(
    Array.from({ length: MERGERS }, (_, m) =>
      untilCommitted(
        () =>
          mergeInto({
            store,
            source: [10 + m, 500, 600 + m].map((id) => ({ id: BigInt(id), part: testRow(id).part, value: `m${m}`, score: id * 1.5 })),
            on: "target.id = source.id",
            whenMatched: [{ action: "updateAll" }],
            whenNotMatched: [{ action: "insertAll" }],
            maxAttempts: 50,
          }),
        lost,
      ).then((r) => r.version),
    ),
  );
  expect(lost.n).toBeGreaterThan(0);
  expect([...versions].sort((a, b) => a - b)).toEqual(Array.from({ length: MERGERS }, (_, i) => start + 1 + i));
  const rows = await ourRows(store);
  const ids = rows.map((r) => (JSON.parse(r) as TestRow).id);
  expect(ids.filter((id) => id === 500)).toHaveLength(1);
  expect(new Set(ids).size).toBe(ids.length);
  const byId = new Map(rows.map((r) => JSON.parse(r) as TestRow).map((r) => [r.id, r]));
  for (let m = 0; m < MERGERS; m++) {
    expect(byId.get(10 + m)?.value).toBe(`m${m}`);
    expect(byId.get(600 + m)?.value).toBe(`m${m}`);
  }
  expect(ids.length).toBe(60 + 1 + MERGERS);
}

/**
 * The lost-update race: several merges each add 1 to the score of the same key (and updates add
 * 1 to another key's score), all at once. Each must see the others' increments or conflict and
 * retry: the final scores are the initial ones plus the number of increments.
 */
async function raceIncrements(store: ObjectStore, shape: TableShape): Promise<void> {
  await fillTable(store, shape);
  const lost = { n: 0 };
  await Promise.all([
    ...Array.from({ length: MERGERS }, () =>
      untilCommitted(
        () =>
          mergeInto({
            store,
            source: [{ id: 7n }],
            on: "target.id = source.id",
            whenMatched: [{ action: "update", set: { score: "target.score + 1" } }],
            maxAttempts: 50,
          }),
        lost,
      ),
    ),
    ...Array.from({ length: MERGERS }, () => untilCommitted(() => updateRows({ store, where: "id = 30", set: { score: "score + 1" }, maxAttempts: 50 }), lost)),
  ]);
  expect(lost.n).toBeGreaterThan(0);
  const byId = new Map((await ourRows(store)).map((r) => JSON.parse(r) as TestRow).map((r) => [r.id, r]));
  expect(byId.get(7)?.score).toBe(testRow(7).score + MERGERS);
  expect(byId.get(30)?.score).toBe(testRow(30).score + MERGERS);
  expect(byId.size).toBe(60);
}

function motoStore(name: string): ObjectStore {
  return storeFromUrl({ url: `s3://${bucket}/${name}`, env: motoEnv(moto()) });
}

describe.each([SHAPES[0], SHAPES[2]] as TableShape[])("deletes racing deletes and appends, $name", (shape) => {
  it("memory store", async () => {
    await race(new MemoryStore(), shape);
  });

  it("local store", async () => {
    await race(new LocalStore({ root: tempDir() }), shape);
  });

  it.skipIf(!availability.available)("moto S3", { timeout: 120_000 }, async () => {
    await race(motoStore(`delete-${shape.dv ? "dv" : "cow"}`), shape);
  });
});

describe.each([SHAPES[1], SHAPES[2]] as TableShape[])("merges racing merges, $name", (shape) => {
  it("memory store", async () => {
    await raceMerges(new MemoryStore(), shape);
    await raceIncrements(new MemoryStore(), shape);
  });

  it("local store", async () => {
    await raceMerges(new LocalStore({ root: tempDir() }), shape);
    await raceIncrements(new LocalStore({ root: tempDir() }), shape);
  });

  it.skipIf(!availability.available)("moto S3", { timeout: 120_000 }, async () => {
    await raceMerges(motoStore(`merge-${shape.dv ? "dv" : "cow"}`), shape);
    await raceIncrements(motoStore(`incr-${shape.dv ? "dv" : "cow"}`), shape);
  });
});
