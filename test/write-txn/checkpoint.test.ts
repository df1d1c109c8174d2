/**
 * Checkpoint writing: automatic classic checkpoints every `delta.checkpointInterval` commits with
 * `_last_checkpoint`; the state replayed through our checkpoint equals the state replayed from the
 * JSON log alone (files, tombstones, protocol, metadata, txns, domains), also for conformance
 * tables written by Spark, delta-rs and kernel (struct-only stats, DVs, sidecars, domains);
 * pyarrow reads the parquet; expired tombstones are dropped; a failing checkpoint never fails the
 * commit that triggered it.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AddFile } from "../../src/core/log/actions.js";
import { fileKey } from "../../src/core/log/replay.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import type { Snapshot } from "../../src/core/table/snapshot.js";
import { createCheckpoint, shouldCheckpoint } from "../../src/core/write/checkpoint-write.js";
import { createTable } from "../../src/core/write/table-create.js";
import { Transaction } from "../../src/core/write/transaction.js";
import { CONFORMANCE } from "../helpers/conformance.js";
import { hasPyarrow, PYTHON } from "../helpers/oracle.js";
import { FaultyStore, SCHEMA, fakeAdd, logKeys, tempLocalStore } from "./helpers.js";

/** Drops null and undefined fields, recursively (checkpoints carry absent fields as nulls). */
function compact<T>(value: T): T {
  if (Array.isArray(value)) return value.map(compact) as T;
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = compact(v);
  return out as T;
}

/** The comparable state of a snapshot (file actions without dataChange, which checkpoints reset). */
function state(s: Snapshot) {
  return compact(rawState(s));
}

function rawState(s: Snapshot) {
  const file = (f: AddFile) => ({
    key: fileKey(f.path, f.deletionVector),
    partitionValues: f.partitionValues,
    size: Number(f.size),
    modificationTime: Number(f.modificationTime),
    deletionVector: f.deletionVector ?? null,
    numRecords: f.stats ? (JSON.parse(f.stats) as { numRecords?: number }).numRecords : Number(f.statsParsed?.numRecords ?? NaN),
    tags: f.tags ?? null,
    baseRowId: f.baseRowId ?? null,
    defaultRowCommitVersion: f.defaultRowCommitVersion ?? null,
  });
  const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : 1);
  return {
    version: s.version,
    protocol: s.protocol,
    metadata: s.metadata,
    files: s.files().map(file).sort(byKey),
    tombstones: s
      .tombstones()
      .map((r) => ({ key: fileKey(r.path, r.deletionVector), deletionTimestamp: Number(r.deletionTimestamp), size: r.size ?? null }))
      .sort(byKey),
    txns: [...s.appTransactions(0)].sort((a, b) => (a.appId < b.appId ? -1 : 1)).map((t) => ({ ...t, lastUpdated: t.lastUpdated ?? null })),
    domains: [...s.domainMetadata().values()].sort((a, b) => (a.domain < b.domain ? -1 : 1)),
  };
}

/** A copy of a store's commit files only (no checkpoints, no hint): the pure JSON replay. */
async function jsonOnly(store: MemoryStore): Promise<MemoryStore> {
  const copy = new MemoryStore();
  for await (const m of store.list("_delta_log/")) if (/\/\d{20}\.json$/.test(m.key)) await copy.put(m.key, await store.get(m.key));
  return copy;
}

describe("automatic checkpoints", () => {
  it("are written every 10 commits, with _last_checkpoint, and replay to the JSON log's state", async () => {
    const store = new MemoryStore();
    await createTable({ store, schema: SCHEMA, partitionColumns: ["part"], configuration: { "delta.enableDeletionVectors": "true" }, protocol: { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ["deletionVectors"], writerFeatures: ["deletionVectors", "domainMetadata"] } });
    const dv = { storageType: "u", pathOrInlineDv: "ab^-aqEH.-t@S}K{vb[*k^", offset: 4, sizeInBytes: 40, cardinality: 6 };
    for (let v = 1; v <= 25; v++) {
      const snapshot = await loadSnapshot({ store });
      const t = new Transaction({ store, snapshot, operation: "WRITE" });
      t.addFiles([{ ...fakeAdd(`part=${v % 3}/f${v}.parquet`, { part: v % 3 === 2 ? null : String(v % 3) }), tags: { n: String(v) } }]);
      if (v % 4 === 0) t.removeFile(snapshot.files()[0]!);
      if (v === 6) t.addFiles([{ ...fakeAdd("part=1/dv.parquet", { part: "1" }), deletionVector: dv }]);
      if (v === 13) t.removeFile(snapshot.files().find((f) => f.path === "part=1/dv.parquet")!);
      if (v % 5 === 0) t.setAppTransaction({ appId: `app-${v % 2}`, version: v });
      if (v === 7) t.setDomainMetadata({ domain: "com.example.a", configuration: '{"x":1}' });
      if (v === 8) t.setDomainMetadata({ domain: "com.example.b", configuration: "b" });
      if (v === 12) t.setDomainMetadata({ domain: "com.example.a", configuration: "", removed: true });
      if (v === 15) t.setMetadata({ ...snapshot.metadata, configuration: { ...snapshot.metadata.configuration, "delta.logRetentionDuration": "interval 60 days" } });
      const result = await t.commit();
      expect(result.version).toBe(v);
      expect(result.postCommit?.checkpoint?.version).toBe(shouldCheckpoint(v, {}) ? v : undefined);
    }
    const keys = await logKeys(store);
    expect(keys.filter((k) => k.includes("checkpoint.parquet"))).toEqual([
      "_delta_log/00000000000000000010.checkpoint.parquet",
      "_delta_log/00000000000000000020.checkpoint.parquet",
    ]);
    const hint = JSON.parse(new TextDecoder().decode(await store.get("_delta_log/_last_checkpoint"))) as Record<string, number>;
    const cpSize = (await store.head("_delta_log/00000000000000000020.checkpoint.parquet")).size;
    const at20 = await loadSnapshot({ store, version: 20 });
    expect(hint).toEqual({ version: 20, size: 2 + at20.numFiles + at20.tombstones().length + at20.appTransactions(0).length + at20.domainMetadata().size, sizeInBytes: cpSize, numOfAddFiles: at20.numFiles });
    const json = await jsonOnly(store);
    for (const version of [10, 15, 20, 25]) {
      const viaCheckpoint = await loadSnapshot({ store, version });
      expect(viaCheckpoint.segment.checkpoint?.version).toBe(version >= 20 ? 20 : 10);
      expect(state(viaCheckpoint)).toEqual(state(await loadSnapshot({ store: json, version })));
    }
  });

  it("honour delta.checkpointInterval", async () => {
    const store = new MemoryStore();
    await createTable({ store, schema: SCHEMA, configuration: { "delta.checkpointInterval": "3" } });
    for (let v = 1; v <= 7; v++) await new Transaction({ store, snapshot: await loadSnapshot({ store }), operation: "WRITE" }).addFiles([fakeAdd(`f${v}`)]).commit();
    expect((await logKeys(store)).filter((k) => k.endsWith("checkpoint.parquet")).map((k) => Number(k.slice(11, 31)))).toEqual([3, 6]);
  });

  it("drop tombstones older than delta.deletedFileRetentionDuration", async () => {
    let now = Date.UTC(2024, 5, 1);
    const store = new MemoryStore({ now: () => now });
    const clock = () => now;
    await createTable({ store, schema: SCHEMA, configuration: { "delta.deletedFileRetentionDuration": "interval 2 days" }, now: clock });
    const s0 = await loadSnapshot({ store });
    await new Transaction({ store, snapshot: s0, operation: "WRITE", now: clock }).addFiles([fakeAdd("old"), fakeAdd("young"), fakeAdd("kept")]).commit();
    const s1 = await loadSnapshot({ store });
    await new Transaction({ store, snapshot: s1, operation: "DELETE", now: clock }).removeFile(s1.files()[0]!).commit();
    now += 3 * 86_400_000;
    const s2 = await loadSnapshot({ store });
    await new Transaction({ store, snapshot: s2, operation: "DELETE", now: clock }).removeFile(s2.files().find((f) => f.path === "young")!).commit();
    const info = await createCheckpoint({ store, now: clock });
    expect(info).toMatchObject({ version: 3, numOfAddFiles: 1, size: 2 + 1 + 1 });
    const viaCheckpoint = await loadSnapshot({ store });
    expect(viaCheckpoint.tombstones().map((r) => r.path)).toEqual(["young"]);
  });

  it("a failing checkpoint does not fail the commit", async () => {
    const inner = new MemoryStore();
    const store = new FaultyStore(inner, { failPut: (k) => k.endsWith(".checkpoint.parquet") });
    await createTable({ store, schema: SCHEMA });
    const warnings: string[] = [];
    for (let v = 1; v <= 10; v++) {
      const result = await new Transaction({ store, snapshot: await loadSnapshot({ store }), operation: "WRITE", onWarning: (m) => warnings.push(m) })
        .addFiles([fakeAdd(`f${v}`)])
        .commit();
      expect(result).toMatchObject({ status: "committed", version: v });
      if (v === 10) expect(result.postCommit?.checkpointError).toBeInstanceOf(Error);
    }
    expect(warnings).toEqual([expect.stringMatching(/checkpoint of version 10 failed \(the commit succeeded\)/)]);
    expect((await loadSnapshot({ store })).numFiles).toBe(10);
  });

  it("an explicit checkpoint of an older version does not move _last_checkpoint back", async () => {
    const store = new MemoryStore();
    await createTable({ store, schema: SCHEMA });
    for (let v = 1; v <= 12; v++) await new Transaction({ store, snapshot: await loadSnapshot({ store }), operation: "WRITE" }).addFiles([fakeAdd(`f${v}`)]).commit();
    const old = await createCheckpoint({ store, version: 5 });
    expect(old).toMatchObject({ version: 5, numOfAddFiles: 5, lastCheckpointUpdated: false });
    const latest = await createCheckpoint({ store });
    expect(latest).toMatchObject({ version: 12, numOfAddFiles: 12, lastCheckpointUpdated: true });
    expect(state(await loadSnapshot({ store, version: 5 }))).toEqual(state(await loadSnapshot({ store: await jsonOnly(store), version: 5 })));
  });
});

describe.skipIf(!hasPyarrow)("pyarrow reads our checkpoint", () => {
  it("with Spark's column layout and the same rows", async () => {
    const store = await tempLocalStore();
    await createTable({ store, schema: SCHEMA, partitionColumns: ["part"], configuration: { "delta.appendOnly": "false" } });
    for (let v = 1; v <= 10; v++) {
      const snapshot = await loadSnapshot({ store });
      const t = new Transaction({ store, snapshot, operation: "WRITE" }).addFiles([fakeAdd(`part=x/f${v}.parquet`, { part: v % 2 ? "x" : null })]);
      if (v === 4) t.setAppTransaction({ appId: "app", version: 4 });
      if (v === 9) t.removeFile(snapshot.files()[0]!);
      await t.commit();
    }
    const script = `
import json, sys, pyarrow.parquet as pq
t = pq.read_table(sys.argv[1])
rows = t.to_pylist()
print(json.dumps({"columns": t.schema.names, "add": t.schema.field("add").type.num_fields,
  "rows": [{k: v for k, v in r.items() if v is not None} for r in rows]}, default=str))`;
    const out = JSON.parse(execFileSync(PYTHON, ["-c", script, join(store.directory, "_delta_log/00000000000000000010.checkpoint.parquet")], { encoding: "utf8" })) as {
      columns: string[];
      rows: Record<string, Record<string, unknown>>[];
    };
    expect(out.columns).toEqual(["txn", "add", "remove", "metaData", "protocol", "domainMetadata"]);
    const kinds = out.rows.map((r) => Object.keys(r));
    expect(kinds.every((k) => k.length === 1)).toBe(true);
    expect(out.rows.filter((r) => r.add)).toHaveLength(9);
    expect(out.rows.find((r) => r.remove)?.remove).toMatchObject({ path: "part=x/f1.parquet", dataChange: false, extendedFileMetadata: true, size: 110 });
    expect(out.rows.find((r) => r.txn)?.txn).toMatchObject({ appId: "app", version: 4 });
    expect(out.rows.find((r) => r.protocol)?.protocol).toEqual({ minReaderVersion: 1, minWriterVersion: 2, readerFeatures: null, writerFeatures: null });
    const meta = out.rows.find((r) => r.metaData)?.metaData;
    expect(meta).toMatchObject({ partitionColumns: ["part"], configuration: [["delta.appendOnly", "false"]], format: { provider: "parquet", options: [] } });
    const add = out.rows.find((r) => r.add?.path === "part=x/f2.parquet")?.add;
    expect(add).toMatchObject({ partitionValues: [["part", null]], size: 110, modificationTime: 1_700_000_000_000, dataChange: false });
    expect(JSON.parse(add?.stats as string)).toMatchObject({ numRecords: 10 });
  });
});

/** Loads a conformance table's _delta_log (with file times) into a MemoryStore. */
function logStoreOf(dir: string): MemoryStore {
  const store = new MemoryStore({ name: dir });
  const walk = (abs: string, key: string): void => {
    for (const name of readdirSync(abs)) {
      const p = join(abs, name);
      const k = `${key}/${name}`;
      const st = statSync(p);
      if (st.isDirectory()) walk(p, k);
      else {
        void store.put(k, readFileSync(p));
        store.setLastModified(k, Math.floor(st.mtimeMs));
      }
    }
  };
  walk(join(CONFORMANCE, dir, "_delta_log"), "_delta_log");
  return store;
}

describe("re-checkpointing conformance tables", () => {
  const tables = [
    "kernel/v1-single-part-struct-stats-only",
    "kernel/v2-checkpoints-parquet-with-sidecars",
    "kernel/v2-checkpoints-json-with-sidecars",
    "kernel/app-txn-checkpoint",
    "kernel/table-with-dv-small",
    "kernel/type-widening",
    "kernel/partition_cm/name",
    "golden/dv-partitioned-with-checkpoint/delta",
    "delta-rs/table-with-domain-metadata",
    "delta-rs/table_with_deletion_logs",
  ];
  for (const dir of tables) {
    it(`${dir}: our checkpoint replays to the original state`, async () => {
      const original = logStoreOf(dir);
      const before = await loadSnapshot({ store: original });
      const now = before.timestamp; // as of the last commit: the same tombstones and txns stay live
      const copy = logStoreOf(dir);
      await createCheckpoint({ store: copy, snapshot: before, now: () => now });
      // Keep only our checkpoint, our hint and later commits: the replay must come from our file.
      for (const key of await logKeys(copy)) {
        const isOurs = key.endsWith(`${String(before.version).padStart(20, "0")}.checkpoint.parquet`) || key.endsWith("_last_checkpoint");
        if (!isOurs) await copy.delete(key);
      }
      const after = await loadSnapshot({ store: copy });
      expect(after.segment.checkpoint?.kind).toBe("classic");
      const expected = state(before);
      const retention = 7 * 86_400_000;
      expected.tombstones = expected.tombstones.filter((t) => t.deletionTimestamp > now - retention);
      expect(state(after)).toEqual(expected);
    });
  }
});
