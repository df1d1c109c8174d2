/**
 * The copy-if-absent and unsafe-rename strategies on in-memory doubles: commits land, a lost race
 * is a CommitExistsError with the winner's bytes, uncertain copies are settled by reading back, temp
 * files never survive, and unsafe rename's check-then-write window is shown deterministically.
 * The 8 x 25 race on the copy double runs here too (fast); moto versions live in concurrency-*.
 */
import { describe, expect, it } from "vitest";
import { AlreadyExistsError, StorageError } from "../../src/core/errors.js";
import { CopyIfAbsentLogStore } from "../../src/core/logstore/copy-if-absent.js";
import { CommitExistsError } from "../../src/core/logstore/log-store.js";
import { selectLogStore } from "../../src/core/logstore/select.js";
import { UnsafeRenameLogStore } from "../../src/core/logstore/unsafe-rename.js";
import { CountingStore } from "../../src/core/storage/counting.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { CopyingMemoryStore } from "./fakes.js";
import { checkRace, logKeys, raceAppends } from "./race.js";

const R2_HEADER = { header: "cf-copy-destination-if-none-match", value: "*" };
const KEY1 = "_delta_log/00000000000000000001.json";
const text = (b: Uint8Array | undefined): string => new TextDecoder().decode(b);

describe("CopyIfAbsentLogStore", () => {
  it("commits through a temp file and a create-only copy with the configured header, then removes the temp file", async () => {
    const store = new CopyingMemoryStore();
    const logStore = new CopyIfAbsentLogStore({ store, condition: R2_HEADER });
    await logStore.writeCommit({ version: 1, body: "first" });
    expect(text(await logStore.readCommit({ version: 1 }))).toBe("first");
    expect(store.conditions).toEqual([R2_HEADER]);
    expect(await logKeys(store)).toEqual([KEY1]);
  });

  it("reports a taken version with the winner's bytes after one read, writing nothing", async () => {
    const store = new CopyingMemoryStore();
    const logStore = new CopyIfAbsentLogStore({ store, condition: R2_HEADER });
    await logStore.writeCommit({ version: 1, body: "winner" });
    const counting = new CountingStore(store);
    const err = await new CopyIfAbsentLogStore({ store: Object.assign(counting, { copyIfAbsent: store.copyIfAbsent.bind(store) }) })
      .writeCommit({ version: 1, body: "loser" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommitExistsError);
    expect(text((err as CommitExistsError).winner)).toBe("winner");
    expect(counting.stats()).toMatchObject({ get: 1, put: 0, delete: 0 });
    expect(text(await store.get(KEY1))).toBe("winner");
  });

  it("lets exactly one of many writers racing for a version copy, never overwriting", async () => {
    const store = new CopyingMemoryStore();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => new CopyIfAbsentLogStore({ store, condition: R2_HEADER }).writeCommit({ version: 1, body: `w${i}` })),
    );
    const won = results.flatMap((r, i) => (r.status === "fulfilled" ? [`w${i}`] : []));
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(CommitExistsError);
    expect(store.refused).toBe(9); // all ten passed the first look; the create-only copy decided
    expect(text(await store.get(KEY1))).toBe(won[0]);
    expect(await logKeys(store)).toEqual([KEY1]);
  });

  it("recognizes its own commit when the copy's response is lost or a retry sees 412", async () => {
    const store = new CopyingMemoryStore();
    const real = store.copyIfAbsent.bind(store);
    store.copyIfAbsent = async (from, to, condition) => {
      await real(from, to, condition);
      throw new AlreadyExistsError("412 on the transport's retry of our own copy");
    };
    await new CopyIfAbsentLogStore({ store }).writeCommit({ version: 1, body: "mine" });
    expect(text(await store.get(KEY1))).toBe("mine");
  });

  it("repeats a create-only copy that failed without landing, then gives up cleanly", async () => {
    const store = new CopyingMemoryStore();
    const real = store.copyIfAbsent.bind(store);
    let failures = 2;
    store.copyIfAbsent = async (from, to, condition) => {
      if (failures-- > 0) throw new StorageError("connection reset");
      await real(from, to, condition);
    };
    await new CopyIfAbsentLogStore({ store }).writeCommit({ version: 1, body: "x" });
    expect(text(await store.get(KEY1))).toBe("x");
    store.copyIfAbsent = async () => {
      throw new StorageError("connection reset");
    };
    await expect(new CopyIfAbsentLogStore({ store, uncertainRetries: 1 }).writeCommit({ version: 2, body: "y" })).rejects.toThrow(/connection reset/);
    expect(await logKeys(store)).toEqual([KEY1]); // no commit 2, no temp file
  });

  it("8 writers x 25 appends through the copy double end at version 200 with every row once", async () => {
    const store = new CopyingMemoryStore();
    const logStore = () => selectLogStore({ store, commit: { copyIfNotExists: { kind: "header", ...R2_HEADER } } });
    expect(logStore().name).toBe("copy-if-absent");
    await checkRace(store, await raceAppends({ store, logStore }));
    expect(store.refused).toBeGreaterThan(0);
  });
});

describe("UnsafeRenameLogStore", () => {
  it("commits when N.json is absent and reports an existing one as a lost race", async () => {
    const store = new MemoryStore();
    const logStore = new UnsafeRenameLogStore({ store, allowUnsafeRename: true });
    await logStore.writeCommit({ version: 1, body: "a" });
    const err = await logStore.writeCommit({ version: 1, body: "b" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommitExistsError);
    expect(text((err as CommitExistsError).winner)).toBe("a");
  });

  it("lets two writers that check at the same time both 'win' — the second silently replaces the first", async () => {
    const store = new MemoryStore();
    const a = new UnsafeRenameLogStore({ store, allowUnsafeRename: true });
    const b = new UnsafeRenameLogStore({ store, allowUnsafeRename: true });
    await Promise.all([a.writeCommit({ version: 1, body: "from a" }), b.writeCommit({ version: 1, body: "from b" })]);
    expect(text(await store.get(KEY1))).toBe("from b"); // a was told it committed version 1; its commit is gone
  });
});
