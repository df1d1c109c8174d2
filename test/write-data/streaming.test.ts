/**
 * Streaming writes: input consumed batch by batch with files cut at the target size (big batches
 * sliced), early flushes when many partitions together exceed the buffer budget, uploads starting
 * before the input ends, every row landing in exactly one file, cleanup of already written files
 * when a later step fails, and abort.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordBatch } from "apache-arrow";
import { StorageError } from "../../src/core/errors.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import type { PutBody } from "../../src/core/storage/object-store.js";
import { writeDataFiles } from "../../src/core/write/data-files.js";
import { buildBatch } from "./helpers/arrow-build.js";
import { useNodeParquetWasm } from "./helpers/oracle.js";
import { field, p, struct } from "./fixtures.js";

beforeAll(() => useNodeParquetWasm());
const SCHEMA = struct(field("id", p("long")), field("k", p("integer")), field("s", p("string")));
const batchOf = (start: number, n: number, partitions = 1): RecordBatch =>
  buildBatch(SCHEMA, Array.from({ length: n }, (_, i) => ({ id: BigInt(start + i), k: (start + i) % partitions, s: `value-${start + i}-padding` })));

class RecordingStore extends MemoryStore {
  readonly puts: string[] = [];
  failAt = Infinity;
  override async put(key: string, body: PutBody): Promise<void> {
    if (this.puts.length + 1 >= this.failAt) throw new StorageError(`injected failure writing ${key}`);
    this.puts.push(key);
    return super.put(key, body);
  }
}

const totals = (adds: { stats?: string | null }[]) => adds.reduce((n, a) => n + (JSON.parse(a.stats!) as { numRecords: number }).numRecords, 0);
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

describe("streaming writes", () => {
  it("cuts files at the target size while consuming an async stream, uploading before the input ends", async () => {
    const store = new RecordingStore();
    const putsSeenByProducer: number[] = [];
    async function* produce(): AsyncGenerator<RecordBatch> {
      for (let b = 0; b < 40; b++) {
        putsSeenByProducer.push(store.puts.length);
        yield batchOf(b * 500, 500);
      }
    }
    const adds = await writeDataFiles({ store, data: produce(), schema: SCHEMA, targetFileSize: 100_000 });
    expect(adds.length).toBeGreaterThan(5);
    expect(totals(adds)).toBe(20_000);
    expect(putsSeenByProducer.at(-1)).toBeGreaterThan(0);
    // files hold consecutive, disjoint id ranges covering every row once
    const ranges = adds.map((a) => JSON.parse(a.stats!) as { numRecords: number; minValues: { id: number }; maxValues: { id: number } });
    ranges.sort((x, y) => x.minValues.id - y.minValues.id);
    let next = 0;
    for (const r of ranges) {
      expect(r.minValues.id).toBe(next);
      expect(r.maxValues.id).toBe(next + r.numRecords - 1);
      next += r.numRecords;
    }
    expect(next).toBe(20_000);
    expect(new Set(adds.map((a) => a.path)).size).toBe(adds.length);
    for (const a of adds) expect((await store.head(a.path)).size).toBe(a.size);
  });

  it("slices a batch larger than the target into several files", async () => {
    const store = new MemoryStore();
    const adds = await writeDataFiles({ store, data: batchOf(0, 10_000), schema: SCHEMA, targetFileSize: 50_000 });
    expect(adds.length).toBeGreaterThanOrEqual(6);
    expect(totals(adds)).toBe(10_000);
    expect(adds.map((a) => a.path.slice(0, 10))).toEqual(adds.map((_, i) => `part-${String(i).padStart(5, "0")}`));
  });

  it("flushes the largest partition early when all buffers exceed maxBufferedBytes", async () => {
    const store = new RecordingStore();
    const putsSeenByProducer: number[] = [];
    async function* produce(): AsyncGenerator<RecordBatch> {
      for (let b = 0; b < 20; b++) {
        putsSeenByProducer.push(store.puts.length);
        yield batchOf(b * 200, 200, 50);
      }
    }
    const adds = await writeDataFiles({ store, data: produce(), schema: SCHEMA, partitionColumns: ["k"], targetFileSize: 10_000_000, maxBufferedBytes: 40_000 });
    expect(putsSeenByProducer.at(-1)).toBeGreaterThan(0);
    expect(totals(adds)).toBe(4000);
    expect(new Set(adds.map((a) => a.partitionValues["k"])).size).toBe(50);
  });

  it("deletes the files it wrote when a later upload fails", async () => {
    const store = new RecordingStore();
    store.failAt = 4;
    await expect(writeDataFiles({ store, data: batchOf(0, 5000), schema: SCHEMA, targetFileSize: 30_000 })).rejects.toThrow(/injected failure/);
    expect(store.puts.length).toBe(3);
    const left = [];
    for await (const o of store.list("")) left.push(o.key);
    expect(left).toEqual([]);
  });

  it("stops when aborted", async () => {
    const controller = new AbortController();
    async function* produce(): AsyncGenerator<RecordBatch> {
      yield batchOf(0, 10);
      controller.abort(new Error("stop now"));
      yield batchOf(10, 10);
    }
    await expect(writeDataFiles({ store: new MemoryStore(), data: produce(), schema: SCHEMA, signal: controller.signal })).rejects.toThrow(/stop now/);
  });

  it("shows every conformed batch to onBatch, whose error aborts the write", async () => {
    const seen: number[] = [];
    const store = new MemoryStore();
    const adds = await writeDataFiles({ store, data: [batchOf(0, 3), batchOf(3, 2)], schema: SCHEMA, onBatch: (b) => void seen.push(b.numRows) });
    expect(seen).toEqual([3, 2]);
    expect(adds).toHaveLength(1);
    const failing = writeDataFiles({
      store: new MemoryStore(),
      data: [batchOf(0, 3)],
      schema: SCHEMA,
      onBatch: (b) => {
        if ((b.getChild("id")!.get(2) as bigint) === 2n) throw new Error("row 2 violates the predicate");
      },
    });
    await expect(failing).rejects.toThrow(/violates/);
  });

  it("rejects bad sizes", async () => {
    await expect(writeDataFiles({ store: new MemoryStore(), data: [], schema: SCHEMA, targetFileSize: 0 })).rejects.toThrow(/targetFileSize/);
  });
});
