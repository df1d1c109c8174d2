/**
 * Log file names and segment selection on synthetic listings: strict name matching, the newest
 * complete checkpoint at or below the target, incomplete multi-part checkpoints skipped, gaps as
 * errors, compaction files used only where they fit, and a stale or corrupt _last_checkpoint.
 */
import { describe, expect, it } from "vitest";
import { parseLogFileName, commitKey, checkpointKey, multipartCheckpointKey, padVersion } from "../../src/core/log/path.js";
import { buildLogSegment } from "../../src/core/log/segment.js";
import type { LogFile } from "../../src/core/log/listing.js";
import { parseLastCheckpoint } from "../../src/core/log/last-checkpoint.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { NotFoundError, ProtocolError } from "../../src/core/errors.js";

function files(names: string[]): LogFile[] {
  return names
    .sort()
    .map((name) => ({ key: `_delta_log/${name}`, info: parseLogFileName(name)!, size: 1, lastModified: 1 }))
    .filter((f) => f.info !== undefined);
}
const c = (v: number) => `${padVersion(v)}.json`;

describe("log file names", () => {
  it("classifies exact names and ignores everything else", () => {
    expect(parseLogFileName(c(7))).toEqual({ kind: "commit", version: 7 });
    expect(parseLogFileName(`${padVersion(10)}.checkpoint.parquet`)).toMatchObject({ kind: "checkpoint", version: 10 });
    expect(parseLogFileName(`${padVersion(10)}.checkpoint.0000000002.0000000003.parquet`)).toMatchObject({ part: 2, parts: 3 });
    expect(parseLogFileName(`${padVersion(3)}.checkpoint.80a083e8-7026-4e79-81be-64bd76c43a11.json`)).toMatchObject({
      uuid: "80a083e8-7026-4e79-81be-64bd76c43a11",
      format: "json",
    });
    expect(parseLogFileName(`${padVersion(6)}.${padVersion(10)}.compacted.json`)).toEqual({ kind: "compacted", version: 6, endVersion: 10 });
    expect(parseLogFileName(`${padVersion(4)}.crc`)).toEqual({ kind: "crc", version: 4 });
    for (const junk of [`._${c(1)}`, `.${c(1)}.crc`, `${c(1)}.tmp`, "1.json", "_last_checkpoint", ".s3-optimization-0", `${padVersion(1)}.checkpoint.0000000004.0000000003.parquet`]) {
      expect(parseLogFileName(junk), junk).toBeUndefined();
    }
    expect(commitKey(12)).toBe("_delta_log/00000000000000000012.json");
    expect(checkpointKey(10)).toBe("_delta_log/00000000000000000010.checkpoint.parquet");
    expect(multipartCheckpointKey(10, 1, 2)).toBe("_delta_log/00000000000000000010.checkpoint.0000000001.0000000002.parquet");
  });
});

describe("segment selection", () => {
  it("takes the newest checkpoint at or below the target and the commits after it", () => {
    const list = files([c(0), c(1), c(2), `${padVersion(2)}.checkpoint.parquet`, c(3), c(4), `${padVersion(4)}.checkpoint.parquet`, c(5)]);
    const latest = buildLogSegment(list, { path: "t" });
    expect(latest.version).toBe(5);
    expect(latest.checkpoint?.version).toBe(4);
    expect(latest.deltas.map((f) => f.info.version)).toEqual([5]);
    const v3 = buildLogSegment(list, { path: "t", version: 3 });
    expect(v3.checkpoint?.version).toBe(2);
    expect(v3.deltas.map((f) => f.info.version)).toEqual([3]);
    const v1 = buildLogSegment(list, { path: "t", version: 1 });
    expect(v1.checkpoint).toBeUndefined();
    expect(v1.deltas.map((f) => f.info.version)).toEqual([0, 1]);
  });

  it("skips a multi-part checkpoint with a missing part", () => {
    const list = files([c(0), c(1), `${padVersion(1)}.checkpoint.parquet`, c(2), c(3), `${padVersion(3)}.checkpoint.0000000001.0000000002.parquet`, c(4)]);
    const s = buildLogSegment(list, { path: "t" });
    expect(s.checkpoint?.version).toBe(1);
    expect(s.deltas.map((f) => f.info.version)).toEqual([2, 3, 4]);
    const complete = files([...list.map((f) => f.key.slice(11)), `${padVersion(3)}.checkpoint.0000000002.0000000002.parquet`]);
    const s2 = buildLogSegment(complete, { path: "t" });
    expect(s2.checkpoint).toMatchObject({ version: 3, kind: "multipart" });
    expect(s2.checkpoint?.files.length).toBe(2);
  });

  it("a gap after the checkpoint is an error; a gap before it is not", () => {
    const gapAfter = files([c(0), `${padVersion(0)}.checkpoint.parquet`, c(1), c(3)]);
    expect(() => buildLogSegment(gapAfter, { path: "t" })).toThrow(ProtocolError);
    expect(() => buildLogSegment(gapAfter, { path: "t" })).toThrow(/commit 2 is missing/);
    const gapBefore = files([c(0), c(2), `${padVersion(3)}.checkpoint.parquet`, c(3), c(4)]);
    expect(buildLogSegment(gapBefore, { path: "t" }).deltas.map((f) => f.info.version)).toEqual([4]);
  });

  it("a vacuumed log without a usable checkpoint cannot be reconstructed", () => {
    const list = files([c(5), c(6), `${padVersion(6)}.checkpoint.parquet`, c(7)]);
    expect(buildLogSegment(list, { path: "t" }).checkpoint?.version).toBe(6);
    expect(() => buildLogSegment(list, { path: "t", version: 5 })).toThrow(NotFoundError);
    expect(() => buildLogSegment(list, { path: "t", version: 9 })).toThrow(/latest version is 7/);
  });

  it("uses the longest compaction file that ends before the target", () => {
    const names = [...Array.from({ length: 16 }, (_, v) => c(v)), `${padVersion(0)}.${padVersion(5)}.compacted.json`, `${padVersion(6)}.${padVersion(10)}.compacted.json`, `${padVersion(6)}.${padVersion(15)}.compacted.json`];
    const s = buildLogSegment(files(names), { path: "t" });
    expect(s.deltas.map((f) => f.key.slice(11))).toEqual([`${padVersion(0)}.${padVersion(5)}.compacted.json`, `${padVersion(6)}.${padVersion(10)}.compacted.json`, ...[11, 12, 13, 14, 15].map(c)]);
    const noCompaction = buildLogSegment(files(names), { path: "t", useCompaction: false });
    expect(noCompaction.deltas.length).toBe(16);
  });
});

describe("_last_checkpoint is only a hint", () => {
  it("parses good hints and rejects junk", () => {
    expect(parseLastCheckpoint('{"version":10,"size":13,"parts":2}')).toEqual({ version: 10, size: 13, parts: 2 });
    for (const bad of ["", "{", "[]", '{"version":"10"}', '{"size":3}', "null"]) expect(parseLastCheckpoint(bad)).toBeUndefined();
  });

  const proto = JSON.stringify({ protocol: { minReaderVersion: 1, minWriterVersion: 2 } });
  const meta = JSON.stringify({
    metaData: { id: "x", format: { provider: "parquet" }, schemaString: '{"type":"struct","fields":[]}', partitionColumns: [], configuration: {} },
  });
  const add = (i: number) => JSON.stringify({ add: { path: `f${i}`, partitionValues: {}, size: 1, modificationTime: 1, dataChange: true } });

  it("a hint pointing at a checkpoint that does not exist falls back to listing the whole log", async () => {
    const store = new MemoryStore();
    await store.put(commitKey(0), `${proto}\n${meta}\n${add(0)}\n`);
    for (let v = 1; v <= 3; v++) await store.put(commitKey(v), `${add(v)}\n`);
    await store.put("_delta_log/_last_checkpoint", '{"version":2,"size":4}');
    const s = await loadSnapshot({ store });
    expect(s.version).toBe(3);
    expect(s.numFiles).toBe(4);
  });

  it("a corrupt hint is ignored", async () => {
    const store = new MemoryStore();
    await store.put(commitKey(0), `${proto}\n${meta}\n${add(0)}\n`);
    await store.put(commitKey(1), `${add(1)}\n`);
    await store.put("_delta_log/_last_checkpoint", "{not json");
    expect((await loadSnapshot({ store })).numFiles).toBe(2);
  });

  it("a corrupt commit line is a ProtocolError naming the file and version", async () => {
    const store = new MemoryStore({ name: "bad" });
    await store.put(commitKey(0), `${proto}\n${meta}\n`);
    await store.put(commitKey(1), `{"add": {oops\n`);
    await expect(loadSnapshot({ store })).rejects.toThrow(/corrupt log line 1.*00000000000000000001\.json.*version 1/);
  });
});
