/**
 * Request economy of snapshot loading, proven with a counting store: a checkpointed table costs
 * `_last_checkpoint`, one listing that starts at the checkpoint version, the checkpoint and only
 * the commits after it. Without listing (static hosting), probing finds the latest version with
 * O(log n) HEAD requests.
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { CONFORMANCE, memoryStoreFromDir } from "../helpers/conformance.js";
import { CountingStore } from "../../src/core/storage/counting.js";
import type { ListOptions, ObjectMeta, ObjectStore } from "../../src/core/storage/object-store.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { commitKey } from "../../src/core/log/path.js";

/** Records the options of every list call (CountingStore logs only the prefix). */
class ListSpy extends CountingStore {
  readonly listCalls: { prefix: string; startAfter: string | undefined }[] = [];
  override list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectMeta> {
    this.listCalls.push({ prefix, startAfter: options.startAfter });
    return super.list(prefix, options);
  }
}

/** Hides listing, like a CDN or static web server. */
class NoListing extends CountingStore {
  override get listable(): boolean {
    return false;
  }
}

describe("snapshot loading economy", () => {
  it("reads _last_checkpoint, lists from the checkpoint, then the checkpoint and later commits only", async () => {
    const dir = join(CONFORMANCE, "golden/basic-with-inserts-deletes-checkpoint/delta");
    const store = new ListSpy(memoryStoreFromDir(dir));
    const snapshot = await loadSnapshot({ store });
    expect(snapshot.version).toBe(13);
    expect(store.listCalls).toEqual([{ prefix: "_delta_log/", startAfter: "_delta_log/00000000000000000009.zzzz" }]);
    const gets = store
      .operations()
      .filter((o) => o.op === "get")
      .map((o) => o.key)
      .sort();
    expect(gets).toEqual([
      "_delta_log/00000000000000000010.checkpoint.parquet",
      "_delta_log/00000000000000000011.json",
      "_delta_log/00000000000000000012.json",
      "_delta_log/00000000000000000013.json",
      "_delta_log/_last_checkpoint",
    ]);
    expect(store.stats().requests).toBe(6);
  });

  it("time travel to a version before the checkpoint lists from 0 and never reads the checkpoint", async () => {
    const dir = join(CONFORMANCE, "golden/basic-with-inserts-deletes-checkpoint/delta");
    const store = new ListSpy(memoryStoreFromDir(dir));
    const snapshot = await loadSnapshot({ store, version: 3 });
    expect(snapshot.version).toBe(3);
    const gets = store.operations().filter((o) => o.op === "get").map((o) => o.key);
    expect(gets.filter((k) => k.includes("checkpoint.parquet"))).toEqual([]);
    expect(gets.filter((k) => k.endsWith(".json")).sort()).toEqual([0, 1, 2, 3].map(commitKey));
  });

  it("a V2 checkpoint whose actions _last_checkpoint embeds is not fetched; only its sidecars are", async () => {
    const dir = join(CONFORMANCE, "kernel/v2-checkpoints-json-with-sidecars");
    const store = new ListSpy(memoryStoreFromDir(dir));
    const snapshot = await loadSnapshot({ store });
    expect(snapshot.version).toBe(6);
    const gets = store.operations().filter((o) => o.op === "get").map((o) => o.key);
    expect(gets.some((k) => /\.checkpoint\.[0-9a-f-]{36}\.json$/.test(k))).toBe(false);
    expect(gets.filter((k) => k.startsWith("_delta_log/_sidecars/")).length).toBe(2);
    expect(snapshot.numFiles).toBe(101);
  });

  it("without listing, probes for the latest commit in O(log n) HEAD requests", async () => {
    const inner = new MemoryStore();
    const n = 300;
    const meta = { metaData: { id: "t", format: { provider: "parquet" }, schemaString: '{"type":"struct","fields":[]}', partitionColumns: [], configuration: {} } };
    await inner.put(commitKey(0), `${JSON.stringify({ protocol: { minReaderVersion: 1, minWriterVersion: 2 } })}\n${JSON.stringify(meta)}\n`);
    for (let v = 1; v <= n; v++) {
      await inner.put(commitKey(v), `${JSON.stringify({ add: { path: `f${v}.parquet`, partitionValues: {}, size: v, modificationTime: v, dataChange: true } })}\n`);
    }
    const store = new NoListing(inner);
    const snapshot = await loadSnapshot({ store });
    expect(snapshot.version).toBe(n);
    expect(snapshot.numFiles).toBe(n);
    const heads = store.stats().head;
    expect(heads).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(n)) + 2);
    expect(store.stats().list).toBe(0);
  });

  it("without listing, uses the _last_checkpoint hint and probes only after it", async () => {
    const dir = join(CONFORMANCE, "golden/basic-with-inserts-deletes-checkpoint/delta");
    const store = new NoListing(memoryStoreFromDir(dir));
    const snapshot = await loadSnapshot({ store });
    expect(snapshot.version).toBe(13);
    const keys = store.operations().map((o) => `${o.op} ${o.key}`);
    expect(keys.filter((k) => k.startsWith("get") && k.endsWith(".json")).length).toBe(3);
    expect(keys.some((k) => k.includes("00000000000000000005.json"))).toBe(false);
  });

  it("an empty store is not a table", async () => {
    const store: ObjectStore = new MemoryStore();
    await expect(loadSnapshot({ store })).rejects.toThrow(/no Delta table/);
  });
});
