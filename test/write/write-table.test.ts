/**
 * The write API end to end on real stores: modes, partitioning, replaceWhere, schema evolution and
 * idempotent writes. Everything written is read back by our reader and by pyarrow (the live files
 * from `files`), and failures leave the log unchanged.
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tableFromArrays } from "apache-arrow";
import "../../src/node/index.js"; // registers parquet-wasm's .wasm for Node
import { LocalStore } from "../../src/node/storage/local.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { CountingStore } from "../../src/core/storage/counting.js";
import { writeTable } from "../../src/core/write/write-table.js";
import { readRows } from "../../src/core/scan/read.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { readHistory } from "../../src/core/table/history.js";
import { InvalidInputError } from "../../src/core/errors.js";
import { canonicalPath } from "../../src/core/log/replay.js";
import { pyarrowRows, rowMultiset } from "../helpers/oracle.js";
import { formatRowJson } from "../../src/core/scan/rows.js";
import { planScan } from "../../src/core/scan/plan.js";

const tmp = () => join(mkdtempSync(join(tmpdir(), "delta-edge-write-")), "t");

async function rows(store: LocalStore | MemoryStore, where?: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const r of readRows({ store, where })) out.push(r);
  return out;
}

/** Rows of the live files as pyarrow reads them, plus partition values, in the CLI encoding. */
async function pyarrowLiveRows(dir: string): Promise<string[]> {
  const store = new LocalStore({ root: dir });
  const snapshot = await loadSnapshot({ store });
  const plan = planScan(snapshot, {});
  const files = snapshot.files().map((f) => join(dir, canonicalPath(f.path)));
  const got = pyarrowRows(files);
  const out: unknown[] = [];
  snapshot.files().forEach((f, i) => {
    const r = got.get(files[i] as string);
    expect(r?.error).toBeUndefined();
    const pv = plan.files.find((p) => p.add === f)?.partitionValues ?? {};
    const partitionJson = formatRowJson(pv, plan.schema.fields.filter((x) => snapshot.partitionColumns.includes(x.name)));
    for (const row of r?.rows ?? []) out.push({ ...(row as object), ...partitionJson });
  });
  return rowMultiset(out);
}

async function ourRowsJson(store: LocalStore): Promise<string[]> {
  const snapshot = await loadSnapshot({ store });
  const fields = planScan(snapshot, {}).outputFields;
  return rowMultiset((await rows(store)).map((r) => formatRowJson(r, fields)));
}

describe("writeTable", () => {
  it("creates, appends, overwrites; both readers agree", async () => {
    const dir = tmp();
    const store = new LocalStore({ root: dir });
    const first = tableFromArrays({ id: BigInt64Array.from([1n, 2n, 3n]), name: ["a", "b", null], score: Float64Array.from([1.5, 2.5, 3.5]) });
    const r0 = await writeTable({ store, data: first });
    expect(r0).toMatchObject({ status: "committed", version: 0, rows: 3 });
    const r1 = await writeTable({ store, data: [{ id: 4n, name: "d", score: 4.5 }], mode: "append" });
    expect(r1.version).toBe(1);
    expect((await rows(store)).length).toBe(4);
    expect(await ourRowsJson(store)).toEqual(await pyarrowLiveRows(dir));
    const r2 = await writeTable({ store, data: [{ id: 9n, name: "z", score: 0 }], mode: "overwrite" });
    expect(r2).toMatchObject({ version: 2, removedFiles: 2 });
    expect(await rows(store)).toEqual([{ id: 9n, name: "z", score: 0 }]);
    const history = await readHistory({ store });
    expect(history.map((h) => h.operationParameters?.mode)).toEqual(["Overwrite", "Append", "ErrorIfExists"]);
    // Spark's WRITE metrics (the explorer's history shows them); overwrites add what they removed.
    const metrics = history.map((h) => h.commitInfo?.operationMetrics);
    expect(metrics[2]).toEqual({ numFiles: "1", numOutputRows: "3", numOutputBytes: String(r0.bytes) });
    expect(metrics[1]).toEqual({ numFiles: "1", numOutputRows: "1", numOutputBytes: String(r1.bytes) });
    expect(metrics[0]).toEqual({ numFiles: "1", numOutputRows: "1", numOutputBytes: String(r2.bytes), numRemovedFiles: "2", numRemovedBytes: String(r0.bytes + r1.bytes) });
  });

  it("mode error refuses an existing table and ignore leaves it alone", async () => {
    const store = new MemoryStore();
    await writeTable({ store, data: [{ a: 1 }] });
    await expect(writeTable({ store, data: [{ a: 2 }] })).rejects.toThrow(/already exists.*version 0/);
    expect(await writeTable({ store, data: [{ a: 2 }], mode: "ignore" })).toMatchObject({ status: "ignored", version: 0 });
    expect((await loadSnapshot({ store })).version).toBe(0);
  });

  it("partitions by every partition type, with Hive escaping, and reads back", async () => {
    const dir = tmp();
    const store = new LocalStore({ root: dir });
    const data = [
      { s: "a/b=c %", i: 1, d: "2024-01-02", b: true, v: 1.5 },
      { s: "日本", i: 2, d: "2024-01-03", b: false, v: 2.5 },
      { s: null, i: null, d: null, b: null, v: 3.5 },
    ];
    const schema = {
      kind: "struct" as const,
      fields: [
        { name: "s", type: { kind: "primitive" as const, name: "string" as const }, nullable: true, metadata: {} },
        { name: "i", type: { kind: "primitive" as const, name: "integer" as const }, nullable: true, metadata: {} },
        { name: "d", type: { kind: "primitive" as const, name: "date" as const }, nullable: true, metadata: {} },
        { name: "b", type: { kind: "primitive" as const, name: "boolean" as const }, nullable: true, metadata: {} },
        { name: "v", type: { kind: "primitive" as const, name: "double" as const }, nullable: true, metadata: {} },
      ],
    };
    await writeTable({ store, data, schema, partitionBy: ["s", "i", "d", "b"] });
    expect(readdirSync(dir).sort()).toEqual(["_delta_log", "s=__HIVE_DEFAULT_PARTITION__", "s=a%2Fb%3Dc %25", "s=日本"].sort());
    expect(await ourRowsJson(store)).toEqual(await pyarrowLiveRows(dir));
    expect((await rows(store, "s = 'a/b=c %'")).map((r) => r.v)).toEqual([1.5]);
    expect((await rows(store, "d IS NULL")).map((r) => r.v)).toEqual([3.5]);
  });

  it("replaceWhere removes whole partitions, rewrites straddling files, and refuses rows outside it", async () => {
    const dir = tmp();
    const store = new LocalStore({ root: dir });
    const data = Array.from({ length: 20 }, (_, k) => ({ day: `2024-01-0${(k % 4) + 1}`, n: k }));
    await writeTable({ store, data, partitionBy: ["day"] });
    // Partition predicate: whole files removed.
    const r = await writeTable({ store, data: [{ day: "2024-01-02", n: 100 }], mode: "overwrite", replaceWhere: "day = '2024-01-02'" });
    expect(r.removedFiles).toBe(1);
    expect((await rows(store, "day = '2024-01-02'")).map((x) => x.n)).toEqual([100n]);
    expect((await rows(store)).length).toBe(16);
    // Data predicate: files straddle; their other rows survive.
    const straddled = await writeTable({ store, data: [{ day: "2024-01-01", n: 1000 }], mode: "overwrite", replaceWhere: "n >= 8 AND day = '2024-01-01'" });
    const [entry] = await readHistory({ store, limit: 1 });
    expect(entry?.commitInfo?.operationMetrics).toMatchObject({ numFiles: "2", numOutputRows: "3", numOutputBytes: String(straddled.bytes), numRemovedFiles: "1", numCopiedRows: "2", numDeletedRows: "3", numAddedChangeFiles: "0" });
    expect((await rows(store, "day = '2024-01-01'")).map((x) => Number(x.n)).sort((a, b) => a - b)).toEqual([0, 4, 1000]);
    expect(await ourRowsJson(store)).toEqual(await pyarrowLiveRows(dir));
    // A new row outside the predicate: refused, log unchanged.
    const before = (await loadSnapshot({ store })).version;
    await expect(writeTable({ store, data: [{ day: "2024-01-03", n: 1 }], mode: "overwrite", replaceWhere: "day = '2024-01-04'" })).rejects.toThrow(InvalidInputError);
    expect((await loadSnapshot({ store })).version).toBe(before);
  });

  it("schema merge adds columns; type conflicts and unknown columns are refused naming the column", async () => {
    const store = new MemoryStore();
    await writeTable({ store, data: [{ a: 1, b: "x" }] });
    await expect(writeTable({ store, data: [{ a: 2, c: true }], mode: "append" })).rejects.toThrow(/\bc\b/);
    await writeTable({ store, data: [{ a: 2, c: true }], mode: "append", schemaMode: "merge" });
    expect(await rows(store)).toEqual(expect.arrayContaining([{ a: 1n, b: "x", c: null }, { a: 2n, b: null, c: true }]));
    await expect(writeTable({ store, data: [{ a: "text" }], mode: "append", schemaMode: "merge" })).rejects.toThrow(/row 0, column a: expected an integer/);
    await expect(writeTable({ store, data: tableFromArrays({ a: ["text"] }), mode: "append", schemaMode: "merge" })).rejects.toThrow(/column a is "long" in the table but "string"/);
    expect((await loadSnapshot({ store })).version).toBe(1);
  });

  it("schema overwrite replaces the schema on overwrite", async () => {
    const store = new MemoryStore();
    await writeTable({ store, data: [{ a: 1, b: "x" }] });
    await writeTable({ store, data: [{ z: "only" }], mode: "overwrite", schemaMode: "overwrite" });
    expect(await rows(store)).toEqual([{ z: "only" }]);
    await expect(writeTable({ store, data: [{ z: "x" }], mode: "append", schemaMode: "overwrite" })).rejects.toThrow(/needs mode overwrite/);
  });

  it("idempotent writes: a replayed (appId, version) adds nothing", async () => {
    const store = new MemoryStore();
    await writeTable({ store, data: [{ a: 1 }], appTransaction: { appId: "job", version: 1 } });
    const again = await writeTable({ store, data: [{ a: 1 }], mode: "append", appTransaction: { appId: "job", version: 1 } });
    expect(again.status).toBe("skipped");
    await writeTable({ store, data: [{ a: 2 }], mode: "append", appTransaction: { appId: "job", version: 2 } });
    expect((await rows(store)).length).toBe(2);
  });

  it("writes from a snapshot the caller already loaded without reading the log again, and still sees newer commits", async () => {
    const inner = new MemoryStore();
    await writeTable({ store: inner, data: [{ a: 1 }] });
    const store = new CountingStore(inner);
    const snapshot = await loadSnapshot({ store });
    store.reset();
    const r = await writeTable({ store, snapshot, data: [{ a: 2 }], mode: "append", appTransaction: { appId: "job", version: 1 } });
    expect(r).toMatchObject({ status: "committed", version: 1 });
    // No listing and no log read: one data file, one commit (plus the post-commit hooks' checks).
    expect(store.operations().filter((o) => o.op === "list" || (o.op === "get" && o.key.startsWith("_delta_log/")))).toEqual([]);
    // A stale snapshot still commits after the newer version (blind append), and its txn is honoured.
    await writeTable({ store: inner, data: [{ a: 3 }], mode: "append" });
    expect(await writeTable({ store, snapshot, data: [{ a: 4 }], mode: "append" })).toMatchObject({ status: "committed", version: 3 });
    expect((await writeTable({ store, snapshot: await loadSnapshot({ store }), data: [{ a: 2 }], mode: "append", appTransaction: { appId: "job", version: 1 } })).status).toBe("skipped");
    expect((await rows(inner)).map((x) => x.a).sort()).toEqual([1n, 2n, 3n, 4n]);
  });

  it("bad input is refused with the column named and nothing committed", async () => {
    const store = new MemoryStore();
    await writeTable({
      store,
      data: [{ a: 1 }],
      schema: { kind: "struct", fields: [{ name: "a", type: { kind: "primitive", name: "long" }, nullable: false, metadata: {} }] },
    });
    await expect(writeTable({ store, data: [{ a: null }], mode: "append" })).rejects.toThrow(/\ba\b/);
    await expect(writeTable({ store, data: [{ a: "x" }], mode: "append" })).rejects.toThrow(/\ba\b/);
    expect((await loadSnapshot({ store })).version).toBe(0);
  });
});
