/**
 * Request economy of the change feed, counted with a CountingStore: the feed of versions [a, b]
 * reads the commits a..b and the data files they name, plus what the protocol needs to know the
 * schema and the feed setting at a: `_last_checkpoint`, the checkpoint's protocol and metaData
 * column chunks (ranged reads, not the file, and none of its 8000 file actions) and the commits
 * between the checkpoint and a. No older commit, no other data file. An empty poll (a start just
 * past the latest version) is one listing, or two HEAD probes on a store that cannot list.
 */
import { describe, expect, it } from "vitest";
import "../../src/node/index.js"; // registers parquet-wasm's .wasm for Node (the writer)
import { CountingStore } from "../../src/core/storage/counting.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { commitKey, checkpointKey } from "../../src/core/log/path.js";
import { writeTable } from "../../src/core/write/write-table.js";
import { createCheckpoint } from "../../src/core/write/checkpoint-write.js";
import { readChanges } from "../../src/core/changes/read-changes.js";
import type { ObjectStore } from "../../src/core/storage/object-store.js";

const SCHEMA = { type: "struct", fields: [{ name: "id", type: "long", nullable: true, metadata: {} }, { name: "v", type: "string", nullable: true, metadata: {} }] };

/**
 * Version 0: the feed on and 8000 files; versions 1..20: one file each (those are never read);
 * versions 21..24: one real data file each; a checkpoint at 20, as the writer makes them.
 */
async function feedTable(): Promise<MemoryStore> {
  const scratch = new MemoryStore();
  const store = new MemoryStore();
  const lines: unknown[][] = [
    [
      { protocol: { minReaderVersion: 1, minWriterVersion: 4 } },
      { metaData: { id: "economy", format: { provider: "parquet", options: {} }, schemaString: JSON.stringify(SCHEMA), partitionColumns: [], configuration: { "delta.enableChangeDataFeed": "true" }, createdTime: 0 } },
      ...Array.from({ length: 8000 }, (_, i) => ({
        add: { path: `old-${i}.parquet`, partitionValues: {}, size: 1000, modificationTime: 0, dataChange: true, stats: JSON.stringify({ numRecords: 10, minValues: { id: i }, maxValues: { id: i + 9 }, nullCount: { id: 0 } }) },
      })),
    ],
  ];
  for (let v = 1; v <= 20; v++) {
    lines.push([{ commitInfo: { timestamp: v, operation: "WRITE" } }, { add: { path: `mid-${v}.parquet`, partitionValues: {}, size: 1000, modificationTime: 0, dataChange: true } }]);
  }
  for (let v = 21; v <= 24; v++) {
    const written = await writeTable({ store: scratch, mode: "append", data: [{ id: BigInt(v * 100), v: `a${v}` }, { id: BigInt(v * 100 + 1), v: `b${v}` }] });
    for (const add of written.files) await store.put(add.path, await scratch.get(add.path));
    lines.push([{ commitInfo: { timestamp: v, operation: "WRITE" } }, ...written.files.map((add) => ({ add }))]);
  }
  for (const [v, actions] of lines.entries()) {
    await store.put(commitKey(v), `${actions.map((l) => JSON.stringify(l)).join("\n")}\n`);
    if (v === 20) await createCheckpoint({ store, version: v });
  }
  return store;
}

let built: Promise<MemoryStore> | undefined;
/** The table, built once for all tests (reads never change it). */
const sharedTable = (): Promise<MemoryStore> => (built ??= feedTable());

function addedPaths(store: MemoryStore, version: number): Promise<string[]> {
  return store.get(commitKey(version)).then((b) =>
    new TextDecoder()
      .decode(b)
      .split("\n")
      .filter((l) => l.startsWith('{"add"'))
      .map((l) => (JSON.parse(l) as { add: { path: string } }).add.path),
  );
}

class NoListing extends CountingStore {
  override get listable(): boolean {
    return false;
  }
}

describe("change feed economy", () => {
  it("the feed of [22, 24] reads commits 21..24, their data files, _last_checkpoint and the checkpoint's protocol/metaData chunks", async () => {
    const inner = await sharedTable();
    const store = new CountingStore(inner);
    const table = await readChanges({ store, startingVersion: 22, endingVersion: 24 });
    expect(table.numRows).toBe(6);
    const ops = store.operations();
    const gets = ops.filter((o) => o.op === "get");
    const dataFiles = new Set([...(await addedPaths(inner, 22)), ...(await addedPaths(inner, 23)), ...(await addedPaths(inner, 24))]);
    const keys = new Set(gets.map((o) => o.key));
    expect([...keys].sort()).toEqual(
      [...dataFiles, "_delta_log/_last_checkpoint", checkpointKey(20), commitKey(21), commitKey(22), commitKey(23), commitKey(24)].sort(),
    );
    // Each commit once; the checkpoint only in ranges, far fewer bytes than the file.
    for (const v of [21, 22, 23, 24]) expect(gets.filter((o) => o.key === commitKey(v))).toHaveLength(1);
    const checkpointReads = gets.filter((o) => o.key === checkpointKey(20));
    expect(checkpointReads.every((o) => o.range !== undefined)).toBe(true);
    const checkpointSize = (await inner.head(checkpointKey(20))).size;
    expect(checkpointReads.reduce((n, o) => n + o.bytes, 0)).toBeLessThan(checkpointSize / 4);
    expect(ops.filter((o) => o.op === "list")).toHaveLength(2);
    expect(ops.filter((o) => o.op === "head")).toHaveLength(0);
  });

  it("a feed starting just after a checkpoint needs no _last_checkpoint: one listing, the commits, the checkpoint chunks", async () => {
    const inner = await sharedTable();
    const store = new CountingStore(inner);
    await readChanges({ store, startingVersion: 21, endingVersion: 21 });
    const keys = new Set(store.operations().filter((o) => o.op === "get").map((o) => o.key));
    expect([...keys].filter((k) => k.startsWith("_delta_log/")).sort()).toEqual([checkpointKey(20), commitKey(21)].sort());
    expect(store.stats().list).toBe(1);
  });

  it("an empty poll (start = latest + 1) is one listing and reads nothing", async () => {
    const store = new CountingStore(await sharedTable());
    const table = await readChanges({ store, startingVersion: 25, emptyWhenCaughtUp: true, columns: [] });
    expect(table.numRows).toBe(0);
    store.reset();
    const { planChanges } = await import("../../src/core/changes/change-plan.js");
    const plan = await planChanges({ store, startingVersion: 25, emptyWhenCaughtUp: true });
    expect(plan.endVersion).toBe(24);
    expect(store.stats()).toMatchObject({ requests: 1, list: 1, get: 0 });
  });

  it("without listing, an empty poll is two HEAD probes", async () => {
    const store: ObjectStore & { stats(): { requests: number; head: number } } = new NoListing(await sharedTable());
    const { planChanges } = await import("../../src/core/changes/change-plan.js");
    const plan = await planChanges({ store, startingVersion: 25, emptyWhenCaughtUp: true });
    expect(plan.endVersion).toBe(24);
    expect(store.stats()).toMatchObject({ requests: 2, head: 2 });
  });

  it("without listing, a feed probes its range and gives the same rows", async () => {
    const inner = await sharedTable();
    const listed = await readChanges({ store: inner, startingVersion: 22 });
    const probed = await readChanges({ store: new NoListing(inner), startingVersion: 22 });
    const text = (t: typeof listed) => t.toArray().map((r) => JSON.stringify(r, (_, v: unknown) => (typeof v === "bigint" ? String(v) : v)));
    expect(text(probed)).toEqual(text(listed));
    expect(probed.numRows).toBe(6);
  });
});
