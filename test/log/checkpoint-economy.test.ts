/**
 * Request economy of checkpoint reads during snapshot loading, counted with a CountingStore: a
 * checkpoint is read with ranged reads through the Parquet layer (parquet/rows-reader.ts), so a
 * small checkpoint costs one request and a large one its footer plus the action columns' chunks;
 * columns that are not actions (a writer may add its own) are never fetched.
 */
import { describe, expect, it } from "vitest";
import { CountingStore } from "../../src/core/storage/counting.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { checkpointKey, commitKey } from "../../src/core/log/path.js";
import { CHECKPOINT_SCHEMA, checkpointRows, createCheckpoint } from "../../src/core/write/checkpoint-write.js";
import { encodeParquetRows } from "../../src/core/parquet/rows-writer.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";

const SCHEMA = { type: "struct", fields: [{ name: "id", type: "long", nullable: true, metadata: {} }] };
const protocol = { protocol: { minReaderVersion: 1, minWriterVersion: 2 } };
const metaData = { metaData: { id: "economy", format: { provider: "parquet", options: {} }, schemaString: JSON.stringify(SCHEMA), partitionColumns: [], configuration: {}, createdTime: 0 } };
const add = (i: number) => ({
  add: { path: `part-${i}.parquet`, partitionValues: {}, size: 1000, modificationTime: 0, dataChange: true, stats: JSON.stringify({ numRecords: 10, minValues: { id: i }, maxValues: { id: i + 9 }, nullCount: { id: 0 } }) },
});

/** A table whose version 0 holds `files` adds, checkpointed at version 0. */
async function table(files: number): Promise<MemoryStore> {
  const store = new MemoryStore();
  const lines = [protocol, metaData, ...Array.from({ length: files }, (_, i) => add(i))];
  await store.put(commitKey(0), `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);
  await createCheckpoint({ store, version: 0 });
  return store;
}

async function checkpointReads(store: MemoryStore): Promise<{ requests: number; bytes: number; size: number; files: number }> {
  const counting = new CountingStore(store);
  const snapshot = await loadSnapshot({ store: counting });
  const reads = counting.operations().filter((o) => o.op === "get" && o.key === checkpointKey(0));
  const size = (await store.head(checkpointKey(0))).size;
  return { requests: reads.length, bytes: reads.reduce((n, o) => n + o.bytes, 0), size, files: snapshot.numFiles };
}

describe("checkpoint read economy", () => {
  it("a checkpoint of up to 1 MiB is one request, as a whole-file read was", async () => {
    for (const files of [20, 8000]) {
      const got = await checkpointReads(await table(files));
      expect(got.files).toBe(files);
      expect(got.size).toBeLessThan(1024 * 1024);
      expect([got.requests, got.bytes]).toEqual([1, got.size]);
    }
  });

  it("columns that are not actions are not fetched", async () => {
    // 20 adds and a 2 MiB column of incompressible text that no reader needs (a writer's own)
    const store = await table(20);
    const rows = checkpointRows(await loadSnapshot({ store }), 0);
    const [root, ...rest] = CHECKPOINT_SCHEMA;
    const schema = [{ ...root!, num_children: (root!.num_children ?? 0) + 1 }, ...rest, { name: "writerNotes", type: "BYTE_ARRAY" as const, converted_type: "UTF8" as const, repetition_type: "OPTIONAL" as const }];
    let seed = 1;
    const xorshift = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return seed >>> 0;
    };
    const noise = (n: number) => Array.from({ length: n }, () => String.fromCharCode(33 + (xorshift() % 90))).join("");
    const names = ["txn", "add", "remove", "metaData", "protocol", "domainMetadata"] as const;
    const columns = [...names.map((name) => ({ name, data: rows.map((r) => r[name] ?? null) })), { name: "writerNotes", data: rows.map(() => noise((2 * 1024 * 1024) / rows.length)) }];
    await store.put(checkpointKey(0), encodeParquetRows({ schema, columns, createdBy: "test" }));
    const got = await checkpointReads(store);
    expect(got.files).toBe(20);
    expect(got.size).toBeGreaterThan(2 * 1024 * 1024);
    expect(got.requests).toBeLessThanOrEqual(2);
    expect(got.bytes).toBeLessThan(got.size / 2);
  });
});
