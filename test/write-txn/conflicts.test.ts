/**
 * Logical conflicts between a transaction and the commits that beat it: what must fail with
 * CommitConflictError (leaving the log without any trace of the loser) and what may retry at the
 * next version. Also the race that matters most: an overwrite against a concurrent append either
 * fails cleanly or wins cleanly, never half-applied.
 */
import { describe, expect, it } from "vitest";
import { CommitConflictError } from "../../src/core/errors.js";
import type { AddFile } from "../../src/core/log/actions.js";
import { PutIfAbsentLogStore, type LogStore } from "../../src/core/logstore/index.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import type { Snapshot } from "../../src/core/table/snapshot.js";
import { createTable } from "../../src/core/write/table-create.js";
import { Transaction, type TransactionOptions } from "../../src/core/write/transaction.js";
import { SCHEMA, commitLines, fakeAdd, logKeys } from "./helpers.js";

async function table(): Promise<{ store: MemoryStore; snapshot: Snapshot }> {
  const store = new MemoryStore();
  await createTable({ store, schema: SCHEMA, partitionColumns: ["part"] });
  const s0 = await loadSnapshot({ store });
  await new Transaction({ store, snapshot: s0, operation: "WRITE" })
    .addFiles([fakeAdd("part=a/1.parquet", { part: "a" }), fakeAdd("part=a/2.parquet", { part: "a" }), fakeAdd("part=b/3.parquet", { part: "b" })])
    .commit();
  return { store, snapshot: await loadSnapshot({ store }) };
}

const txn = (store: MemoryStore, snapshot: Snapshot, extra: Partial<TransactionOptions> = {}) =>
  new Transaction({ store, snapshot, operation: "WRITE", postCommit: false, ...extra });

const inPartA = (f: AddFile) => f.partitionValues.part === "a";

/** Expects the commit to fail with CommitConflictError and to leave the log exactly as it was. */
async function expectConflict(store: MemoryStore, commit: Promise<unknown>, pattern: RegExp): Promise<void> {
  const before = await logKeys(store);
  const err = await commit.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CommitConflictError);
  expect((err as Error).message).toMatch(pattern);
  expect(await logKeys(store)).toEqual(before);
}

describe("conflicts that fail the transaction", () => {
  it("a concurrent metadata change fails even a blind append", async () => {
    const { store, snapshot } = await table();
    await txn(store, snapshot, { operation: "SET TBLPROPERTIES" })
      .setMetadata({ ...snapshot.metadata, configuration: { "delta.appendOnly": "true" } })
      .commit();
    await expectConflict(store, txn(store, snapshot).addFiles([fakeAdd("part=a/x.parquet", { part: "a" })]).commit(), /metadata changed.*version 2/);
  });

  it("a concurrent protocol change fails the transaction", async () => {
    const { store, snapshot } = await table();
    await txn(store, snapshot).setProtocol({ minReaderVersion: 1, minWriterVersion: 3 }).commit();
    await expectConflict(store, txn(store, snapshot).addFiles([fakeAdd("part=a/x.parquet", { part: "a" })]).commit(), /protocol changed/);
  });

  it("a concurrent remove of a file this transaction read fails it", async () => {
    const { store, snapshot } = await table();
    const [f1] = snapshot.files();
    await txn(store, snapshot).removeFile(f1!).commit();
    const reader = txn(store, snapshot).readWhere(inPartA).addFiles([fakeAdd("part=a/x.parquet", { part: "a" })]);
    await expectConflict(store, reader.commit(), /concurrent delete-read: file part=a\/1.parquet/);
  });

  it("two transactions removing the same file: the second fails", async () => {
    const { store, snapshot } = await table();
    const f3 = snapshot.files().find((f) => f.path === "part=b/3.parquet")!;
    await txn(store, snapshot).removeFile(f3).commit();
    await expectConflict(store, txn(store, snapshot).removeFile(f3).commit(), /concurrent delete-delete/);
  });

  it("a concurrent append into the read partitions fails a Serializable overwrite", async () => {
    const { store, snapshot } = await table();
    await txn(store, snapshot).addFiles([fakeAdd("part=a/new.parquet", { part: "a" })]).commit();
    const replace = txn(store, snapshot).readWhere(inPartA).addFiles([fakeAdd("part=a/r.parquet", { part: "a" })]);
    for (const f of snapshot.files().filter(inPartA)) replace.removeFile(f);
    await expectConflict(store, replace.commit(), /concurrent append: file part=a\/new.parquet/);
  });

  it("a concurrent txn of the same app with a lower version fails the transaction", async () => {
    const { store, snapshot } = await table();
    await txn(store, snapshot).setAppTransaction({ appId: "job", version: 4 }).commit();
    await expectConflict(store, txn(store, snapshot).setAppTransaction({ appId: "job", version: 5 }).commit(), /concurrent transaction: app job/);
  });

  it("a concurrent write of the same domain fails the transaction", async () => {
    const { store, snapshot } = await table();
    const protocol = { minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ["appendOnly", "invariants", "domainMetadata"] };
    await txn(store, snapshot).setProtocol(protocol).commit();
    const s = await loadSnapshot({ store });
    await txn(store, s).setDomainMetadata({ domain: "app.settings", configuration: "1" }).commit();
    await expectConflict(store, txn(store, s).setDomainMetadata({ domain: "app.settings", configuration: "2" }).commit(), /domain app.settings/);
  });

  it("a create that loses version 0 fails", async () => {
    const store = new MemoryStore();
    const results = await Promise.allSettled([createTable({ store, schema: SCHEMA }), createTable({ store, schema: SCHEMA })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected");
    expect(lost?.reason).toBeInstanceOf(CommitConflictError);
    expect(await logKeys(store)).toEqual(["_delta_log/00000000000000000000.json"]);
  });

  it("gives up after maxAttempts, naming the versions it tried", async () => {
    const { store, snapshot } = await table();
    // A log store that lets a rival blind append win every version just before we try it.
    const inner = new PutIfAbsentLogStore({ store });
    let rival = 0;
    const hostile: LogStore = {
      store,
      name: "hostile",
      readCommit: (o) => inner.readCommit(o),
      writeCommit: async (o) => {
        await inner.writeCommit({ version: o.version, body: `{"commitInfo":{"txnId":"rival-${rival++}","isBlindAppend":true}}` });
        return inner.writeCommit(o);
      },
    };
    const err = await txn(store, snapshot, { logStore: hostile, maxAttempts: 3 })
      .addFiles([fakeAdd("part=a/x.parquet", { part: "a" })])
      .commit()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommitConflictError);
    expect((err as Error).message).toMatch(/after 3 attempts: versions 2, 3, 4/);
    expect((await loadSnapshot({ store })).files().map((f) => f.path)).not.toContain("part=a/x.parquet");
  });
});

describe("races that retry", () => {
  it("a blind append moves past concurrent appends, removes and compactions", async () => {
    const { store, snapshot } = await table();
    await txn(store, snapshot).addFiles([fakeAdd("part=a/4.parquet", { part: "a" })]).commit();
    await txn(store, snapshot).removeFile(snapshot.files()[0]!).commit();
    const result = await txn(store, snapshot).addFiles([fakeAdd("part=b/5.parquet", { part: "b" })]).commit();
    expect(result).toMatchObject({ status: "committed", version: 4, attempts: 2, winners: [2, 3] });
    const lines = await commitLines(store, 4);
    expect(lines[0]?.commitInfo).toMatchObject({ readVersion: 1, isBlindAppend: true });
  });

  it("a partition overwrite ignores appends and removes in other partitions", async () => {
    const { store, snapshot } = await table();
    await txn(store, snapshot).addFiles([fakeAdd("part=b/9.parquet", { part: "b" })]).commit();
    await txn(store, snapshot).removeFile(snapshot.files().find((f) => f.path === "part=b/3.parquet")!).commit();
    const replace = txn(store, snapshot).readWhere(inPartA).addFiles([fakeAdd("part=a/r.parquet", { part: "a" })]);
    for (const f of snapshot.files().filter(inPartA)) replace.removeFile(f);
    expect(await replace.commit()).toMatchObject({ status: "committed", version: 4 });
    expect((await loadSnapshot({ store })).files().map((f) => f.path).sort()).toEqual(["part=a/r.parquet", "part=b/9.parquet"]);
  });

  it("WriteSerializable: an overwrite may commit after a concurrent blind append", async () => {
    const { store, snapshot } = await table();
    await txn(store, snapshot).addFiles([fakeAdd("part=a/new.parquet", { part: "a" })]).commit();
    const replace = txn(store, snapshot, { isolationLevel: "WriteSerializable" }).readWholeTable().addFiles([fakeAdd("part=a/r.parquet", { part: "a" })]);
    for (const f of snapshot.files()) replace.removeFile(f);
    expect(await replace.commit()).toMatchObject({ status: "committed", version: 3 });
    expect((await loadSnapshot({ store })).files().map((f) => f.path).sort()).toEqual(["part=a/new.parquet", "part=a/r.parquet"]);
  });

  it("a different app's txn and another domain do not conflict", async () => {
    const { store, snapshot } = await table();
    await txn(store, snapshot).setAppTransaction({ appId: "other", version: 1 }).commit();
    expect(await txn(store, snapshot).setAppTransaction({ appId: "job", version: 1 }).commit()).toMatchObject({ status: "committed", version: 3 });
  });
});

describe("overwrite racing an append", () => {
  /** An overwrite (reads the whole table, removes every file) and a blind append, from one snapshot. */
  async function contenders() {
    const { store, snapshot } = await table();
    const before = snapshot.files().map((f) => f.path).sort();
    const overwrite = txn(store, snapshot, { operation: "WRITE", operationParameters: { mode: "Overwrite" } })
      .readWholeTable()
      .addFiles([fakeAdd("part=a/overwrite.parquet", { part: "a" })]);
    for (const f of snapshot.files()) overwrite.removeFile(f);
    const append = txn(store, snapshot).addFiles([fakeAdd("part=b/append.parquet", { part: "b" })]);
    return { store, before, overwrite, append };
  }

  /** The table after the race is one of the two clean outcomes, never a mix. */
  async function expectClean(store: MemoryStore, before: string[], overwrite: PromiseSettledResult<unknown>): Promise<void> {
    const final = (await loadSnapshot({ store })).files().map((f) => f.path).sort();
    if (overwrite.status === "fulfilled") {
      expect(final).toEqual(["part=a/overwrite.parquet", "part=b/append.parquet"]);
    } else {
      expect(overwrite.reason).toBeInstanceOf(CommitConflictError);
      expect(final).toEqual([...before, "part=b/append.parquet"].sort());
      expect((await logKeys(store)).filter((k) => k.endsWith(".json"))).toHaveLength(3); // create, seed, append
    }
  }

  it("overwrite first: it wins, and the blind append after it still gets in", async () => {
    const { store, before, overwrite, append } = await contenders();
    const o = await Promise.allSettled([overwrite.commit()]);
    expect(o[0].status).toBe("fulfilled");
    await append.commit();
    await expectClean(store, before, o[0]);
  });

  it("append first: the overwrite, which read the whole table, fails with CommitConflictError and changes nothing", async () => {
    const { store, before, overwrite, append } = await contenders();
    await append.commit();
    const o = await Promise.allSettled([overwrite.commit()]);
    expect(o[0].status).toBe("rejected");
    await expectClean(store, before, o[0]);
  });

  it("concurrently: each of 20 races ends in one of the two clean outcomes; never half-applied", async () => {
    for (let round = 0; round < 20; round++) {
      const { store, before, overwrite, append } = await contenders();
      const [o, a] = await Promise.allSettled([overwrite.commit(), append.commit()]);
      expect(a.status).toBe("fulfilled"); // a blind append always gets in
      await expectClean(store, before, o);
    }
  });
});

