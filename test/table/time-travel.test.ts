/**
 * Time travel by version and by timestamp: file modification times (made monotonic) for plain
 * tables, in-commit timestamps where commits carry them, clear errors for times before the first
 * commit and for contradictory options.
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { CONFORMANCE } from "../helpers/conformance.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { CountingStore } from "../../src/core/storage/counting.js";
import { openTable } from "../../src/core/table/open.js";
import { parseTimestamp, versionAtTimestamp } from "../../src/core/table/time-travel.js";
import { commitKey } from "../../src/core/log/path.js";
import { InvalidInputError, NotFoundError } from "../../src/core/errors.js";

const PROTOCOL = { protocol: { minReaderVersion: 1, minWriterVersion: 2 } };
const META = (ict: boolean) => ({
  metaData: {
    id: "t",
    format: { provider: "parquet", options: {} },
    schemaString: '{"type":"struct","fields":[{"name":"a","type":"long","nullable":true,"metadata":{}}]}',
    partitionColumns: [],
    configuration: ict ? { "delta.enableInCommitTimestamps": "true" } : {},
  },
});

/** A table of n commits; commit v has file time fileTime(v) and, if given, ICT ict(v). */
async function makeTable(n: number, fileTime: (v: number) => number, ict?: (v: number) => number): Promise<MemoryStore> {
  const store = new MemoryStore();
  for (let v = 0; v < n; v++) {
    const lines: unknown[] = [];
    lines.push({ commitInfo: { timestamp: fileTime(v), operation: "WRITE", ...(ict ? { inCommitTimestamp: ict(v) } : {}) } });
    if (v === 0) lines.push(PROTOCOL, META(ict !== undefined));
    lines.push({ add: { path: `f${v}.parquet`, partitionValues: {}, size: 1, modificationTime: 1, dataChange: true } });
    await store.put(commitKey(v), `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);
    store.setLastModified(commitKey(v), fileTime(v));
  }
  return store;
}

describe("timestamp time travel", () => {
  it("uses commit file times: between, equal, after the last, before the first", async () => {
    const store = await makeTable(5, (v) => 1_000_000 + v * 1000);
    expect(await versionAtTimestamp(store, 1_000_000)).toBe(0);
    expect(await versionAtTimestamp(store, 1_002_500)).toBe(2);
    expect(await versionAtTimestamp(store, 1_003_000)).toBe(3);
    expect(await versionAtTimestamp(store, 9_999_999)).toBe(4);
    await expect(versionAtTimestamp(store, 999_999)).rejects.toBeInstanceOf(NotFoundError);
    const s = await openTable({ store, timestamp: new Date(1_002_500) });
    expect(s.version).toBe(2);
    expect(s.numFiles).toBe(3);
  });

  it("makes equal or decreasing file times monotonic, as Spark does", async () => {
    // Commits 1..3 all carry the same file time: they become t, t+1, t+2.
    const store = await makeTable(4, (v) => (v === 0 ? 500 : 1000));
    expect(await versionAtTimestamp(store, 1000)).toBe(1);
    expect(await versionAtTimestamp(store, 1001)).toBe(2);
    expect(await versionAtTimestamp(store, 1002)).toBe(3);
  });

  it("uses in-commit timestamps where commits carry them, reading O(log n) commitInfos", async () => {
    const n = 64;
    // File times are all equal (e.g. a copied table); ICT says commit v happened at 10_000 + 10v.
    const inner = await makeTable(n, () => 5, (v) => 10_000 + 10 * v);
    const store = new CountingStore(inner);
    expect(await versionAtTimestamp(store, 10_000 + 10 * 37 + 5)).toBe(37);
    expect(store.stats().get).toBeLessThanOrEqual(Math.ceil(Math.log2(n)) + 3);
    const s = await openTable({ store: inner, timestamp: 10_000 + 10 * 40 });
    expect(s.version).toBe(40);
    expect(s.timestamp).toBe(10_000 + 10 * 40);
  });

  it("follows in-commit timestamps on a real ICT table (delta-rs cdc_ict_table)", async () => {
    const store = new LocalStore({ root: join(CONFORMANCE, "delta-rs/cdc_ict_table") });
    expect(await versionAtTimestamp(store, 1783874212175)).toBe(2);
    expect(await versionAtTimestamp(store, 1783874213881)).toBe(3);
    const s = await openTable({ store, timestamp: "2026-07-12T16:36:53.881Z" });
    expect(s.version).toBe(3);
    expect(s.timestamp).toBe(1783874213881);
  });

  it("refuses a version and a timestamp together, and bad inputs", async () => {
    const store = await makeTable(2, (v) => v + 1);
    await expect(openTable({ store, version: 0, timestamp: 1 })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(openTable({ store, version: -1 })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(openTable({ store, version: 7 })).rejects.toThrow(/version 7 does not exist; the latest version is 1/);
    expect(() => parseTimestamp("yesterday")).toThrow(InvalidInputError);
  });

  it("parses ISO, zone-less (UTC), date-only and epoch-ms timestamps", () => {
    expect(parseTimestamp("2024-01-02T03:04:05Z")).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(parseTimestamp("2024-01-02 03:04:05")).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(parseTimestamp("2024-01-02")).toBe(Date.UTC(2024, 0, 2));
    expect(parseTimestamp("2024-01-02T03:04:05+02:00")).toBe(Date.UTC(2024, 0, 2, 1, 4, 5));
    expect(parseTimestamp("1700000000000")).toBe(1700000000000);
  });
});
