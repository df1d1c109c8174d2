/**
 * Idempotent writes (txn appId/version): a batch whose version the table already has (from the
 * snapshot, or from a commit that won the race) is skipped and adds nothing; newer batches commit;
 * expired txns (delta.setTransactionRetentionDuration) no longer count.
 */
import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { createTable } from "../../src/core/write/table-create.js";
import { Transaction } from "../../src/core/write/transaction.js";
import { SCHEMA, fakeAdd, logKeys } from "./helpers.js";

async function writeBatch(store: MemoryStore, batch: number, path = `b${batch}.parquet`) {
  const snapshot = await loadSnapshot({ store });
  return new Transaction({ store, snapshot, operation: "STREAMING UPDATE" })
    .setAppTransaction({ appId: "ingest", version: batch })
    .addFiles([fakeAdd(path)])
    .commit();
}

describe("idempotent txn writes", () => {
  it("replaying a committed batch adds nothing", async () => {
    const store = new MemoryStore();
    await createTable({ store, schema: SCHEMA });
    expect(await writeBatch(store, 1)).toMatchObject({ status: "committed", version: 1 });
    expect(await writeBatch(store, 2)).toMatchObject({ status: "committed", version: 2 });
    const keys = await logKeys(store);
    const replay = await writeBatch(store, 2, "b2-replay.parquet");
    expect(replay).toMatchObject({ status: "skipped", attempts: 0, skippedFor: { appId: "ingest", version: 2 } });
    expect(await writeBatch(store, 1, "b1-replay.parquet")).toMatchObject({ status: "skipped" });
    expect(await logKeys(store)).toEqual(keys);
    const snapshot = await loadSnapshot({ store });
    expect(snapshot.files().map((f) => f.path)).toEqual(["b1.parquet", "b2.parquet"]);
    expect(snapshot.appTransactionVersion("ingest")).toBe(2);
  });

  it("a replay racing the original is skipped when the original wins", async () => {
    const store = new MemoryStore();
    await createTable({ store, schema: SCHEMA });
    const snapshot = await loadSnapshot({ store });
    const make = (path: string) =>
      new Transaction({ store, snapshot, operation: "WRITE" }).setAppTransaction({ appId: "ingest", version: 7 }).addFiles([fakeAdd(path)]);
    const first = await make("a.parquet").commit();
    const second = await make("b.parquet").commit();
    expect(first).toMatchObject({ status: "committed", version: 1 });
    expect(second).toMatchObject({ status: "skipped", version: 1, attempts: 1, winners: [1], skippedFor: { appId: "ingest", version: 7 } });
    expect((await loadSnapshot({ store })).files().map((f) => f.path)).toEqual(["a.parquet"]);
  });

  it("different apps and newer batches commit", async () => {
    const store = new MemoryStore();
    await createTable({ store, schema: SCHEMA });
    await writeBatch(store, 5);
    const snapshot = await loadSnapshot({ store });
    const other = await new Transaction({ store, snapshot, operation: "WRITE" }).setAppTransaction({ appId: "other", version: 1 }).addFiles([fakeAdd("o.parquet")]).commit();
    expect(other.status).toBe("committed");
    expect(await writeBatch(store, 6)).toMatchObject({ status: "committed", version: 3 });
  });

  it("an expired txn does not make a batch redundant", async () => {
    let now = Date.UTC(2024, 0, 1);
    const store = new MemoryStore({ now: () => now });
    await createTable({ store, schema: SCHEMA, configuration: { "delta.setTransactionRetentionDuration": "interval 1 days" }, now: () => now });
    const s0 = await loadSnapshot({ store });
    await new Transaction({ store, snapshot: s0, operation: "WRITE", now: () => now }).setAppTransaction({ appId: "job", version: 3 }).commit();
    now += 2 * 86_400_000;
    const s1 = await loadSnapshot({ store });
    const again = await new Transaction({ store, snapshot: s1, operation: "WRITE", now: () => now }).setAppTransaction({ appId: "job", version: 3 }).addFiles([fakeAdd("late.parquet")]).commit();
    expect(again).toMatchObject({ status: "committed", version: 2 });
  });
});
