/**
 * Metadata cleanup per PROTOCOL.md: only files before the newest checkpoint that is not newer than
 * the cut-off commit go (commits, checkpoints, crc, compactions, staged commits), the checkpoint's
 * own commit stays, every version from the checkpoint on still loads; without such a checkpoint
 * nothing is deleted; orphaned sidecars older than a day go; checkpointProtection and
 * delta.enableExpiredLogCleanup=false are honoured.
 */
import { describe, expect, it } from "vitest";
import { NotFoundError } from "../../src/core/errors.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { createCheckpoint } from "../../src/core/write/checkpoint-write.js";
import { cleanupLog, truncateDay } from "../../src/core/write/log-cleanup.js";
import { createTable } from "../../src/core/write/table-create.js";
import { Transaction } from "../../src/core/write/transaction.js";
import { SCHEMA, fakeAdd, logKeys } from "./helpers.js";

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1, 12);
const pad = (v: number) => String(v).padStart(20, "0");

/** A table whose commit v is made at day `dayOf(v)` (file times follow the clock). */
async function agedTable(dayOf: (v: number) => number, versions: number, configuration: Record<string, string> = {}) {
  let now = T0;
  const clock = () => now;
  const store = new MemoryStore({ now: clock });
  await createTable({ store, schema: SCHEMA, configuration, now: clock });
  for (let v = 1; v <= versions; v++) {
    now = T0 + dayOf(v) * DAY;
    await new Transaction({ store, snapshot: await loadSnapshot({ store }), operation: "WRITE", now: clock }).addFiles([fakeAdd(`f${v}`)]).commit();
  }
  return { store, setNow: (t: number) => (now = t), clock };
}

describe("cleanupLog", () => {
  it("deletes everything before the newest checkpoint not newer than the cut-off commit", async () => {
    const { store, setNow, clock } = await agedTable((v) => (v <= 10 ? 0 : v <= 20 ? 3 : 40), 25);
    await store.put(`_delta_log/${pad(5)}.crc`, "{}");
    await store.put(`_delta_log/${pad(3)}.${pad(6)}.compacted.json`, "");
    const text = async (v: number) => new TextDecoder().decode(await store.get(`_delta_log/${pad(v)}.json`));
    await store.put(`_delta_log/${pad(20)}.${pad(22)}.compacted.json`, [await text(20), await text(21), await text(22)].join("\n"));
    await store.put(`_delta_log/${pad(21)}.${pad(23)}.compacted.json`, [await text(21), await text(22), await text(23)].join("\n"));
    await store.put(`_delta_log/_staged_commits/${pad(7)}.3f2504e0-4f89-41d3-9a0c-0305e82c3301.json`, "");
    await store.put(`_delta_log/_staged_commits/${pad(24)}.3f2504e0-4f89-41d3-9a0c-0305e82c3301.json`, "");
    setNow(T0 + 41 * DAY);
    const before = await logKeys(store);
    const dry = await cleanupLog({ store, now: clock, dryRun: true });
    expect(await logKeys(store)).toEqual(before);
    const result = await cleanupLog({ store, now: clock });
    expect(result).toEqual(dry);
    expect(result.cutOffCheckpoint).toBe(20);
    const left = await logKeys(store);
    expect(left).toEqual([
      `_delta_log/${pad(20)}.checkpoint.parquet`,
      `_delta_log/${pad(20)}.json`,
      `_delta_log/${pad(21)}.${pad(23)}.compacted.json`,
      ...[21, 22, 23, 24, 25].map((v) => `_delta_log/${pad(v)}.json`),
      "_delta_log/_last_checkpoint",
      `_delta_log/_staged_commits/${pad(24)}.3f2504e0-4f89-41d3-9a0c-0305e82c3301.json`,
    ]);
    // Deleted oldest first.
    expect(result.deleted.slice(0, 3)).toEqual([`_delta_log/${pad(0)}.json`, `_delta_log/${pad(1)}.json`, `_delta_log/${pad(2)}.json`]);
    for (let v = 20; v <= 25; v++) expect((await loadSnapshot({ store, version: v })).numFiles).toBe(v);
    await expect(loadSnapshot({ store, version: 19 })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("keeps everything when no checkpoint is old enough", async () => {
    const { store, setNow, clock } = await agedTable((v) => (v < 10 ? 0 : 35), 12);
    setNow(T0 + 40 * DAY);
    const before = await logKeys(store);
    expect(before).toContain(`_delta_log/${pad(10)}.checkpoint.parquet`);
    expect(await cleanupLog({ store, now: clock })).toEqual({ cutOffCheckpoint: undefined, deleted: [] });
    expect(await logKeys(store)).toEqual(before);
  });

  it("uses midnight UTC of now - retention as the cut-off and delta.logRetentionDuration", async () => {
    expect(truncateDay(Date.UTC(2024, 2, 3, 17, 5))).toBe(Date.UTC(2024, 2, 3));
    const { store, setNow, clock } = await agedTable((v) => (v <= 10 ? 0 : 1), 11, { "delta.logRetentionDuration": "interval 2 days" });
    setNow(T0 + 2 * DAY); // cut-off: midnight of T0's day, before every commit (made at noon)
    expect((await cleanupLog({ store, now: clock })).deleted).toEqual([]);
    setNow(T0 + 3 * DAY); // cut-off: midnight after T0: commits 0..10 are older, checkpoint 10 qualifies
    const result = await cleanupLog({ store, now: clock });
    expect(result.cutOffCheckpoint).toBe(10);
    expect(result.deleted).toHaveLength(10);
  });

  it("treats commit times as increasing with the version (an old mtime cannot expire a newer commit early)", async () => {
    const { store, setNow, clock } = await agedTable(() => 0, 12);
    await createCheckpoint({ store, version: 11, now: clock });
    // Commit 11's file looks ancient, but commit 10 is recent, so 11 is at least as recent as 10:
    // the cut-off commit is 9 and no checkpoint is at or below it.
    store.setLastModified(`_delta_log/${pad(10)}.json`, T0 + 20 * DAY);
    store.setLastModified(`_delta_log/${pad(11)}.json`, T0 - 100 * DAY);
    setNow(T0 + 45 * DAY);
    expect(await cleanupLog({ store, now: clock })).toEqual({ cutOffCheckpoint: undefined, deleted: [] });
  });

  it("deletes orphaned sidecars older than a day and keeps referenced and recent ones", async () => {
    const { store, setNow, clock } = await agedTable(() => 0, 10);
    const snapshot = await loadSnapshot({ store });
    const sidecar = (name: string) => `_delta_log/_sidecars/${name}`;
    await store.put(sidecar("orphan-old.parquet"), "x");
    await store.put(sidecar("referenced.parquet"), "x");
    // A V2 checkpoint (JSON, UUID-named) at version 10 that references one sidecar.
    const v2 = `_delta_log/${pad(10)}.checkpoint.3f2504e0-4f89-41d3-9a0c-0305e82c3301.json`;
    await store.put(v2, JSON.stringify({ sidecar: { path: "referenced.parquet", sizeInBytes: 1, modificationTime: 0 } }));
    setNow(T0 + 40 * DAY);
    await store.put(sidecar("orphan-new.parquet"), "x");
    const result = await cleanupLog({ store, snapshot, now: clock });
    expect(result.deleted).toContain(sidecar("orphan-old.parquet"));
    const left = await logKeys(store);
    expect(left).toContain(sidecar("referenced.parquet"));
    expect(left).toContain(sidecar("orphan-new.parquet"));
    expect(left).not.toContain(sidecar("orphan-old.parquet"));
  });

  it("honours checkpointProtection below delta.requireCheckpointProtectionBeforeVersion", async () => {
    const config = { "delta.requireCheckpointProtectionBeforeVersion": "15" };
    const { store, setNow, clock } = await agedTable(() => 0, 12, config);
    const s = await loadSnapshot({ store });
    await new Transaction({ store, snapshot: s, operation: "UPGRADE PROTOCOL", now: clock })
      .setProtocol({ minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ["appendOnly", "invariants", "checkpointProtection"] })
      .commit();
    setNow(T0 + 40 * DAY);
    const before = await logKeys(store);
    expect(await cleanupLog({ store, now: clock })).toEqual({ cutOffCheckpoint: 10, deleted: [] });
    expect(await logKeys(store)).toEqual(before);
  });
});

describe("post-commit cleanup", () => {
  it("runs after a checkpoint unless delta.enableExpiredLogCleanup=false", async () => {
    for (const [config, expectDeleted] of [
      [{}, true],
      [{ "delta.enableExpiredLogCleanup": "false" }, false],
    ] as const) {
      const { store } = await agedTable((v) => (v <= 10 ? 0 : 40), 19, config);
      const keys = await logKeys(store);
      const r = await new Transaction({ store, snapshot: await loadSnapshot({ store }), operation: "WRITE", now: () => T0 + 41 * DAY })
        .addFiles([fakeAdd("f20")])
        .commit();
      expect(r.version).toBe(20);
      expect(r.postCommit?.checkpoint?.version).toBe(20);
      expect(r.postCommit?.cleanup?.deleted.length ?? 0).toBe(expectDeleted ? 10 : 0);
      expect((await logKeys(store)).includes(keys[0]!)).toBe(!expectDeleted);
    }
  });
});
