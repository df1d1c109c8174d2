/**
 * PutIfAbsentLogStore: commits are created once and never overwritten; a lost race is a
 * CommitExistsError carrying the winner's bytes; an uncertain PUT is settled by reading the commit
 * back (ours -> success, theirs -> CommitExistsError, missing -> another conditional PUT).
 */
import { describe, expect, it } from "vitest";
import { AlreadyExistsError, NotFoundError, StorageError } from "../../src/core/errors.js";
import { CommitExistsError, PutIfAbsentLogStore } from "../../src/core/logstore/index.js";
import { CountingStore } from "../../src/core/storage/counting.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import type { GetOptions } from "../../src/core/storage/object-store.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { createTable } from "../../src/core/write/table-create.js";
import { Transaction } from "../../src/core/write/transaction.js";
import { FaultyStore, SCHEMA, commitLines, fakeAdd, logKeys } from "./helpers.js";

const KEY0 = "_delta_log/00000000000000000000.json";

describe("PutIfAbsentLogStore", () => {
  it("creates a commit and reads it back", async () => {
    const logStore = new PutIfAbsentLogStore({ store: new MemoryStore() });
    await logStore.writeCommit({ version: 0, body: '{"commitInfo":{"txnId":"a"}}' });
    expect(new TextDecoder().decode(await logStore.readCommit({ version: 0 }))).toBe('{"commitInfo":{"txnId":"a"}}');
    await expect(logStore.readCommit({ version: 1 })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("reports a lost race as CommitExistsError with the winner's bytes, never overwriting", async () => {
    const store = new MemoryStore();
    const logStore = new PutIfAbsentLogStore({ store });
    await logStore.writeCommit({ version: 0, body: "winner" });
    const err = await logStore.writeCommit({ version: 0, body: "loser" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommitExistsError);
    expect(err).toBeInstanceOf(AlreadyExistsError);
    expect(new TextDecoder().decode((err as CommitExistsError).winner)).toBe("winner");
    expect((err as CommitExistsError).version).toBe(0);
    expect(new TextDecoder().decode(await store.get(KEY0))).toBe("winner");
  });

  it("recognizes its own commit when the PUT reports failure after landing", async () => {
    const inner = new MemoryStore();
    const counting = new CountingStore(new FaultyStore(inner, { failAfterPut: () => true }));
    const logStore = new PutIfAbsentLogStore({ store: counting });
    await logStore.writeCommit({ version: 0, body: "mine" });
    expect(counting.stats()).toMatchObject({ putIfAbsent: 1, get: 1 });
    expect(new TextDecoder().decode(await inner.get(KEY0))).toBe("mine");
  });

  it("recognizes its own commit when a retried request reports 'already exists'", async () => {
    const inner = new MemoryStore();
    // The first attempt lands but its response is lost; the client retries the request itself.
    let calls = 0;
    const retrying = new FaultyStore(inner, {});
    retrying.putIfAbsent = async (key, body) => {
      calls++;
      await inner.putIfAbsent(key, body).catch(() => undefined);
      await inner.putIfAbsent(key, body); // the transport-level retry sees 412
    };
    await new PutIfAbsentLogStore({ store: retrying }).writeCommit({ version: 0, body: "mine" });
    expect(calls).toBe(1);
  });

  it("retries a conditional PUT whose outcome was unknown and that did not land", async () => {
    const inner = new MemoryStore();
    let failures = 2;
    const counting = new CountingStore(new FaultyStore(inner, { failBeforePut: () => failures-- > 0 }));
    await new PutIfAbsentLogStore({ store: counting }).writeCommit({ version: 3, body: "x" });
    expect(counting.stats()).toMatchObject({ putIfAbsent: 3, get: 2 });
  });

  it("gives up after the configured uncertain retries, leaving no commit", async () => {
    const inner = new MemoryStore();
    const store = new FaultyStore(inner, { failBeforePut: () => true });
    const err = await new PutIfAbsentLogStore({ store, uncertainRetries: 1 }).writeCommit({ version: 0, body: "x" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    await expect(inner.get(KEY0)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("reports an unknown outcome when the read-back fails too", async () => {
    const inner = new MemoryStore();
    const store = new FaultyStore(inner, { failAfterPut: () => true });
    store.get = (_key: string, _options?: GetOptions) => Promise.reject(new Error("network down"));
    const err = await new PutIfAbsentLogStore({ store }).writeCommit({ version: 0, body: "x" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect(String((err as Error).message)).toMatch(/outcome unknown/);
  });
});

describe("transactions over an uncertain commit PUT", () => {
  it("a commit whose PUT reported failure but landed is recognized as ours, once", async () => {
    const inner = new MemoryStore();
    await createTable({ store: inner, schema: SCHEMA });
    const store = new CountingStore(new FaultyStore(inner, { failAfterPut: (k) => k.endsWith("1.json") }));
    const result = await new Transaction({ store, snapshot: await loadSnapshot({ store }), operation: "WRITE" }).addFiles([fakeAdd("a.parquet")]).commit();
    expect(result).toMatchObject({ status: "committed", version: 1, attempts: 1, winners: [] });
    expect(store.stats().putIfAbsent).toBe(1);
    expect((await commitLines(inner, 1))[0]?.commitInfo?.txnId).toBe(result.txnId);
    expect(await logKeys(inner)).toEqual(["_delta_log/00000000000000000000.json", "_delta_log/00000000000000000001.json"]);
  });

  it("a lost response while another writer won moves on to the next version", async () => {
    const inner = new MemoryStore();
    await createTable({ store: inner, schema: SCHEMA });
    const stale = await loadSnapshot({ store: inner });
    await new Transaction({ store: inner, snapshot: stale, operation: "WRITE" }).addFiles([fakeAdd("winner.parquet")]).commit();
    const store = new FaultyStore(inner, { failBeforePut: (k) => k.endsWith("1.json") });
    const result = await new Transaction({ store, snapshot: stale, operation: "WRITE" }).addFiles([fakeAdd("mine.parquet")]).commit();
    expect(result).toMatchObject({ status: "committed", version: 2, winners: [1] });
    expect((await loadSnapshot({ store: inner })).files().map((f) => f.path)).toEqual(["winner.parquet", "mine.parquet"]);
  });
});
