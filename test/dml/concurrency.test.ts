/**
 * Real races on the memory store, the local store and moto S3: deleters (several on the same
 * files) and appenders all start at once; a deleter that loses with CommitConflictError retries
 * on a fresh snapshot, as an application would. Afterwards every delete that was reported
 * committed took effect exactly once and nothing else was deleted (no lost delete, no row deleted
 * twice or resurrected), every appended row is there, and the versions are contiguous with one
 * commit per reported success. Fails under CI=true when moto is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteRows } from "../../src/core/dml/delete.js";
import { CommitConflictError } from "../../src/core/errors.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import type { ObjectStore } from "../../src/core/storage/object-store.js";
import { storeFromUrl } from "../../src/core/storage/url.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { writeTable } from "../../src/core/write/write-table.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { MOTO_CREDENTIALS, motoAvailability, startMoto, type MotoServer } from "../helpers/servers/moto.js";
import { rowMultiset } from "../helpers/oracle.js";
import { logKeys } from "../write-txn/helpers.js";
import { SHAPES, allRows, fillTable, ourRows, tempDir, testRow, type TableShape } from "./helpers.js";

const availability = motoAvailability();
let moto: MotoServer | undefined;
const bucket = `dml-race-${Date.now().toString(36)}`;

beforeAll(async () => {
  if (!availability.available) return;
  moto = await startMoto();
  await moto.createBucket(bucket);
});
afterAll(async () => {
  await moto?.stop();
});

/** Deletes of one id each: several share a file (ids 0..19 are one file unpartitioned). */
const DELETED = [1, 2, 5, 8, 21, 22, 47];
const APPENDERS = 2;
const APPENDS = 4;

async function race(store: ObjectStore, shape: TableShape): Promise<void> {
  await fillTable(store, shape);
  const start = (await loadSnapshot({ store })).version;
  const successes: number[] = [];
  let lost = 0; // commit rounds lost to another writer (retried by the loop or by the caller)
  const deleter = async (id: number): Promise<void> => {
    for (let attempt = 0; attempt < 40; attempt++) {
      try {
        const r = await deleteRows({ store, where: `id = ${id}`, maxAttempts: 50 });
        expect(r.status).toBe("committed");
        successes.push(r.version);
        lost += (r.commit?.attempts ?? 1) - 1;
        return;
      } catch (err) {
        if (!(err instanceof CommitConflictError)) throw err;
        lost++;
      }
    }
    throw new Error(`delete of ${id} never committed`);
  };
  const appender = async (a: number): Promise<void> => {
    for (let i = 0; i < APPENDS; i++) {
      const id = 1000 + a * APPENDS + i;
      const r = await writeTable({ store, data: [{ id: BigInt(id), part: "a", value: `v${id}`, score: id * 1.5 }], mode: "append", maxAttempts: 200 });
      successes.push(r.version);
      lost += (r.commit?.attempts ?? 1) - 1;
    }
  };
  await Promise.all([...DELETED.map(deleter), ...Array.from({ length: APPENDERS }, (_, a) => appender(a))]);
  expect(lost).toBeGreaterThan(0); // nine writers started on one snapshot: most lose the first round
  const end = (await loadSnapshot({ store })).version;
  expect(end - start).toBe(DELETED.length + APPENDERS * APPENDS);
  expect([...successes].sort((a, b) => a - b)).toEqual(Array.from({ length: end - start }, (_, i) => start + 1 + i));
  const commits = (await logKeys(store)).filter((k) => /^_delta_log\/\d{20}\.json$/.test(k)).map((k) => Number(k.slice(11, 31)));
  expect(commits).toEqual(Array.from({ length: end + 1 }, (_, i) => i));
  const appended = Array.from({ length: APPENDERS * APPENDS }, (_, i) => ({ ...testRow(1000 + i), part: "a", value: `v${1000 + i}` }));
  const expected = [...allRows().filter((r) => !DELETED.includes(r.id)), ...appended];
  expect(await ourRows(store)).toEqual(rowMultiset(expected));
}

describe.each([SHAPES[0], SHAPES[2]] as TableShape[])("deletes racing deletes and appends, $name", (shape) => {
  it("memory store", async () => {
    await race(new MemoryStore(), shape);
  });

  it("local store", async () => {
    await race(new LocalStore({ root: tempDir() }), shape);
  });

  it.skipIf(!availability.available)("moto S3", { timeout: 120_000 }, async () => {
    const env = {
      AWS_ENDPOINT_URL: (moto as MotoServer).endpoint,
      AWS_REGION: MOTO_CREDENTIALS.region,
      AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
      AWS_ALLOW_HTTP: "true",
    };
    await race(storeFromUrl({ url: `s3://${bucket}/${shape.dv ? "dv" : "cow"}`, env }), shape);
  });
});
