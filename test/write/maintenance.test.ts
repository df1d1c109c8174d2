/**
 * Maintenance: vacuum (retention, dry run, what counts as referenced, hidden files, the protocol
 * check) and optimize (per-partition compaction with dataChange=false, rows unchanged).
 */
import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import "../../src/node/index.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { writeTable } from "../../src/core/write/write-table.js";
import { vacuum } from "../../src/core/write/vacuum.js";
import { optimize } from "../../src/core/write/optimize.js";
import { readRows } from "../../src/core/scan/read.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { commitKey } from "../../src/core/log/path.js";
import { InvalidInputError, UnsupportedFeatureError } from "../../src/core/errors.js";
import { canonicalPath } from "../../src/core/log/replay.js";
import { pyarrowRows } from "../helpers/oracle.js";

const sortRows = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === "bigint" ? `${v}n` : v))).sort();
async function all(store: LocalStore | MemoryStore, where?: string) {
  const out: Record<string, unknown>[] = [];
  for await (const r of readRows({ store, where })) out.push(r);
  return out;
}

describe("vacuum", () => {
  it("deletes only unreferenced files older than the retention; dry run deletes nothing", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "delta-edge-vacuum-")), "t");
    const store = new LocalStore({ root: dir });
    let clock = Date.UTC(2024, 0, 1);
    const now = () => clock;
    await writeTable({ store, data: [{ a: 1 }], now });
    await writeTable({ store, data: [{ a: 2 }], mode: "append", now });
    const old = (await loadSnapshot({ store })).files().map((f) => canonicalPath(f.path));
    clock += 3_600_000;
    await writeTable({ store, data: [{ a: 3 }], mode: "overwrite", now });
    const live = (await loadSnapshot({ store })).files().map((f) => canonicalPath(f.path));
    // Hidden and partition-like paths, and an unreferenced file written just now.
    mkdirSync(join(dir, "_hidden"), { recursive: true });
    writeFileSync(join(dir, "_hidden", "x.parquet"), "x");
    writeFileSync(join(dir, ".tmp.parquet"), "x");

    await expect(vacuum({ store, retentionHours: 0, now })).rejects.toBeInstanceOf(InvalidInputError);
    // Default retention (7 days): the removed files were removed an hour ago; nothing goes.
    expect((await vacuum({ store, now })).files).toEqual([]);
    // Zero retention, explicitly allowed, but the clock is at the removal: file mtimes (real now) are newer.
    const later = () => Date.now() + 60_000;
    const dry = await vacuum({ store, retentionHours: 0, enforceRetentionDuration: false, dryRun: true, now: later });
    expect(dry.files.sort()).toEqual([...old].sort());
    for (const f of old) expect(existsSync(join(dir, f))).toBe(true);
    const done = await vacuum({ store, retentionHours: 0, enforceRetentionDuration: false, now: later });
    expect(done.files.sort()).toEqual([...old].sort());
    for (const f of old) expect(existsSync(join(dir, f))).toBe(false);
    for (const f of live) expect(existsSync(join(dir, f))).toBe(true);
    expect(existsSync(join(dir, "_hidden", "x.parquet"))).toBe(true);
    expect(existsSync(join(dir, ".tmp.parquet"))).toBe(true);
    expect(existsSync(join(dir, commitKey(0)))).toBe(true);
    expect(await all(store)).toEqual([{ a: 3n }]);
  });

  it("refuses tables with writer features delta-edge does not honour (vacuumProtocolCheck)", async () => {
    const store = new MemoryStore();
    await store.put(
      commitKey(0),
      [
        JSON.stringify({ protocol: { minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ["futureFeature"] } }),
        JSON.stringify({ metaData: { id: "x", format: { provider: "parquet", options: {} }, schemaString: '{"type":"struct","fields":[]}', partitionColumns: [], configuration: {} } }),
      ].join("\n"),
    );
    await expect(vacuum({ store })).rejects.toBeInstanceOf(UnsupportedFeatureError);
  });
});

describe("optimize", () => {
  it("compacts small files per partition with dataChange=false; rows are unchanged and pyarrow reads them", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "delta-edge-optimize-")), "t");
    const store = new LocalStore({ root: dir });
    for (let i = 0; i < 6; i++) {
      await writeTable({ store, data: [{ p: i % 2 ? "a" : "b", n: i }, { p: "a", n: 100 + i }], mode: "append", partitionBy: ["p"] });
    }
    const before = sortRows(await all(store));
    expect((await loadSnapshot({ store })).numFiles).toBe(9);
    const r = await optimize({ store });
    expect(r).toMatchObject({ filesRemoved: 9, filesAdded: 2, partitionsOptimized: 2 });
    const after = await loadSnapshot({ store });
    expect(after.numFiles).toBe(2);
    expect(sortRows(await all(store))).toEqual(before);
    for (const f of after.files()) expect(f.dataChange).toBe(false);
    expect(after.tombstones().every((t) => t.dataChange === false)).toBe(true);
    const files = after.files().map((f) => join(dir, canonicalPath(f.path)));
    const counts = pyarrowRows(files);
    expect([...counts.values()].reduce((n, v) => n + (v.rows?.length ?? 0), 0)).toBe(before.length);
    // Nothing left to do.
    expect((await optimize({ store })).filesRemoved).toBe(0);
  });

  it("--where limits compaction to matching partitions and refuses data columns", async () => {
    const store = new MemoryStore();
    for (let i = 0; i < 4; i++) await writeTable({ store, data: [{ p: "a", n: i }, { p: "b", n: i }], mode: "append", partitionBy: ["p"] });
    const r = await optimize({ store, where: "p = 'a'" });
    expect(r.filesRemoved).toBe(4);
    const s = await loadSnapshot({ store });
    expect(s.files().filter((f) => f.partitionValues.p === "b").length).toBe(4);
    await expect(optimize({ store, where: "n = 1" })).rejects.toThrow(/only use partition columns/);
  });
});
