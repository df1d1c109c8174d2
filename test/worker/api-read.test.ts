/**
 * The Worker's read API, end to end: the real Worker bundle in Miniflare over a simulated R2
 * bucket. Tables are created through the API (NDJSON and Arrow bodies) and copied in from the
 * shared conformance tables; every answer is checked against our library reading the same data
 * (the conformance files from disk, or the Worker's R2 objects from Node): info, history and
 * files are the CLI's JSON, rows agree in every format, and a browser-style HttpStore pointed at
 * /objects reads the table with Range requests.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { Bool, DateDay, Float64, Int32, Int64, Table, TimestampMicrosecond, Utf8, tableFromIPC, tableToIPC, vectorFromArray } from "apache-arrow";
import { HttpStore } from "../../src/core/storage/http.js";
import type { ObjectStore } from "../../src/core/storage/object-store.js";
import { openTable } from "../../src/core/table/open.js";
import { readHistory } from "../../src/core/table/history.js";
import { planScan } from "../../src/core/scan/plan.js";
import { scanBatches } from "../../src/core/scan/execute.js";
import { batchRows, formatRowJson } from "../../src/core/scan/rows.js";
import { fileSummary, historyRows, tableInfo } from "../../src/core/table/summary.js";
import { CONFORMANCE, memoryStoreFromDir } from "../helpers/conformance.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { miniflareAvailability } from "../helpers/servers/miniflare-r2.js";
import { ndjsonRows, postRows, startTestWorker, type TestWorker } from "./worker-server.js";

const availability = miniflareAvailability();
let w: TestWorker;

const GOLDEN: Record<string, string> = {
  "golden/primitives": "golden/data-reader-primitives/delta",
  "golden/dv_partitioned": "golden/dv-partitioned-with-checkpoint/delta",
  "golden/nested": "golden/data-reader-nested-struct/delta",
};

const ORDERS_V0 = [
  { id: 1, region: "eu west", amount: 10.5, note: "first" },
  { id: 2, region: "us", amount: 20, note: null },
];
const ORDERS_V1 = [{ id: 3, region: "a%b=c ü", amount: -1.25, note: "third, with \"quotes\"" }];

/** The Arrow table appended as version 2 (same columns as the NDJSON-created table). */
const ORDERS_V2 = new Table({
  id: vectorFromArray([4n, 5n], new Int64()),
  region: vectorFromArray(["us", "eu west"], new Utf8()),
  amount: vectorFromArray([1, 2.5], new Float64()),
  note: vectorFromArray([null, "arrow"], new Utf8()),
});

/** Rows as our library formats them (the CLI's ndjson) for a store. */
async function libraryRows(store: ObjectStore, options: { version?: number; columns?: string[]; where?: string; limit?: number } = {}): Promise<unknown[]> {
  const snapshot = await openTable({ store, version: options.version });
  const plan = planScan(snapshot, { columns: options.columns, where: options.where });
  const out: unknown[] = [];
  for await (const b of scanBatches(plan, { store, limit: options.limit })) for (const r of batchRows(b, plan.outputFields)) out.push(formatRowJson(r, plan.outputFields));
  return out;
}

/**
 * A conformance table in memory. The bytes are copied out of Node Buffers: a Buffer's slice() is a
 * view, so MemoryStore ranges over Buffers hand hyparquet views of the wrong bytes.
 */
async function goldenStore(target: string): Promise<MemoryStore> {
  const files = memoryStoreFromDir(join(CONFORMANCE, GOLDEN[target] as string));
  const store = new MemoryStore({ name: target });
  for await (const meta of files.list("")) {
    await store.put(meta.key, new Uint8Array(await files.get(meta.key)));
    store.setLastModified(meta.key, meta.lastModified);
  }
  return store;
}

const json = async (r: Response): Promise<unknown> => {
  expect(r.headers.get("Content-Type")).toMatch(/^application\/json/);
  return r.json();
};
const byId = (rows: unknown[]) => [...(rows as { id: number }[])].sort((a, b) => Number(a.id) - Number(b.id));

beforeAll(async () => {
  if (!availability.available) return;
  w = await startTestWorker();
  expect((await postRows(w, "sales/orders", ORDERS_V0)).status).toBe(200);
  expect((await postRows(w, "sales/orders", ORDERS_V1, "mode=append")).status).toBe(200);
  const arrow = await w.api("api/tables/sales/orders?mode=append", {
    method: "POST",
    auth: true,
    headers: { "Content-Type": "application/vnd.apache.arrow.stream" },
    body: new Uint8Array(tableToIPC(ORDERS_V2, "stream")),
  });
  expect(await arrow.json()).toMatchObject({ status: "committed", version: 2, files: 1, rows: 2 });
  // Conformance tables copied into the Worker's bucket.
  const bucket = await w.bucket();
  for (const target of Object.keys(GOLDEN)) {
    const local = await goldenStore(target);
    for await (const meta of local.list("")) await bucket.put(`${target}/${meta.key}`, new Uint8Array(await local.get(meta.key)));
  }
});
afterAll(async () => {
  await w?.stop();
});

describe.skipIf(!availability.available)("Worker API: reads (Miniflare + R2)", () => {
  it("GET /api/tables lists schemas and their tables", async () => {
    const r = await w.api("api/tables");
    expect(r.status).toBe(200);
    expect(await json(r)).toEqual({
      schemas: [
        { name: "golden", tables: ["dv_partitioned", "nested", "primitives"].map((t) => ({ name: t, path: `golden/${t}` })) },
        { name: "sales", tables: [{ name: "orders", path: "sales/orders" }] },
      ],
    });
  });

  it("GET /api/tables/:schema/:table is the CLI's info JSON (latest, ?version=, ?timestamp=)", async () => {
    for (const target of Object.keys(GOLDEN)) {
      const local = await goldenStore(target);
      const expected = JSON.parse(JSON.stringify(tableInfo(await openTable({ store: local })))) as Record<string, unknown>;
      const got = (await json(await w.api(`api/tables/${target}`))) as Record<string, unknown>;
      // The commit time falls back to the file time when commitInfo has none: upload time here.
      if (expected.timestamp !== got.timestamp) {
        delete expected.timestamp;
        delete got.timestamp;
      }
      expect(got).toEqual(expected);
    }
    const r2 = await w.tableStore("sales/orders");
    const latest = await json(await w.api("api/tables/sales/orders"));
    expect(latest).toEqual(JSON.parse(JSON.stringify(tableInfo(await openTable({ store: r2 })))));
    expect(latest).toMatchObject({ version: 2, numFiles: 3, partitionColumns: [] });
    const v0 = (await json(await w.api("api/tables/sales/orders?version=0"))) as { version: number; numFiles: number; timestamp: string };
    expect(v0).toMatchObject({ version: 0, numFiles: 1 });
    const atV0 = (await json(await w.api(`api/tables/sales/orders?timestamp=${encodeURIComponent(v0.timestamp)}`))) as { version: number };
    expect(atV0.version).toBeLessThanOrEqual(1); // commits within the same millisecond share a timestamp
    expect((await w.api("api/tables/sales/orders?version=0&timestamp=2020-01-01")).status).toBe(400);
    expect((await w.api("api/tables/sales/orders?version=abc")).status).toBe(400);
    expect((await w.api("api/tables/sales/orders?version=9")).status).toBe(404);
  });

  it("GET .../history is the CLI's history JSON, newest first, with ?limit=", async () => {
    const r2 = await w.tableStore("sales/orders");
    const all = (await json(await w.api("api/tables/sales/orders/history"))) as { version: number; operation: string }[];
    expect(all).toEqual(JSON.parse(JSON.stringify(historyRows(await readHistory({ store: r2 })))));
    expect(all.map((h) => h.version)).toEqual([2, 1, 0]);
    expect(all.map((h) => h.operation)).toEqual(["WRITE", "WRITE", "WRITE"]);
    expect(((await json(await w.api("api/tables/sales/orders/history?limit=1"))) as unknown[]).length).toBe(1);
  });

  it("GET .../files lists live files as the CLI's files lines (?version=, ?where=)", async () => {
    const local = await goldenStore("golden/dv_partitioned");
    const snapshot = await openTable({ store: local });
    expect(await json(await w.api("api/tables/golden/dv_partitioned/files"))).toEqual(JSON.parse(JSON.stringify(snapshot.files().map(fileSummary))));
    const files = (await json(await w.api("api/tables/sales/orders/files"))) as { path: string; numRecords: number }[];
    expect(files.map((f) => f.numRecords).sort()).toEqual([1, 2, 2]);
    expect(((await json(await w.api("api/tables/sales/orders/files?version=1"))) as unknown[]).length).toBe(2);
    const pruned = (await json(await w.api(`api/tables/sales/orders/files?where=${encodeURIComponent("id >= 4")}`))) as unknown[];
    expect(pruned.length).toBe(1); // min/max stats skip the files of versions 0 and 1
  });

  it("GET .../rows: ndjson, json, csv and arrow carry the library's rows", async () => {
    for (const target of [...Object.keys(GOLDEN), "sales/orders"]) {
      const store = target.startsWith("golden/") ? await goldenStore(target) : await w.tableStore(target);
      const expected = await libraryRows(store);
      const r = await w.api(`api/tables/${target}/rows`);
      expect(r.headers.get("Content-Type")).toBe("application/x-ndjson; charset=utf-8");
      const rows = await ndjsonRows(r);
      expect(rows).toEqual(expected);
      expect(await json(await w.api(`api/tables/${target}/rows?format=json`))).toEqual(expected);
      const arrow = await w.api(`api/tables/${target}/rows?format=arrow`);
      expect(arrow.headers.get("Content-Type")).toBe("application/vnd.apache.arrow.stream");
      const table = tableFromIPC(new Uint8Array(await arrow.arrayBuffer()));
      expect(table.numRows).toBe(expected.length);
    }
    const csv = await w.api("api/tables/sales/orders/rows?format=csv&columns=id,note");
    expect(csv.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const lines = (await csv.text()).trim().split("\n");
    expect(lines[0]).toBe("id,note");
    expect(lines.slice(1).sort()).toEqual(["1,first", "2,", '3,"third, with ""quotes"""', "4,", "5,arrow"]);
  });

  it("rows as written: NDJSON and Arrow appends read back in order, with the JSON value encoding", async () => {
    const rows = byId(await ndjsonRows(await w.api("api/tables/sales/orders/rows")));
    expect(rows).toEqual([
      ...ORDERS_V0,
      ...ORDERS_V1,
      { id: 4, region: "us", amount: 1, note: null },
      { id: 5, region: "eu west", amount: 2.5, note: "arrow" },
    ]);
    const table = tableFromIPC(new Uint8Array(await (await w.api("api/tables/sales/orders/rows?format=arrow&where=id%3D5")).arrayBuffer()));
    expect(table.toArray().map((r) => ({ ...r.toJSON(), id: Number(r.toJSON().id) }))).toEqual([{ id: 5, region: "eu west", amount: 2.5, note: "arrow" }]);
  });

  it("an Arrow body creates a typed table (int, long beyond 2^53, NaN, nulls, date, timestamp)", async () => {
    const typed = new Table({
      i: vectorFromArray([1, 2, null], new Int32()),
      big: vectorFromArray([1n, 9007199254740993n, null], new Int64()),
      x: vectorFromArray([1.5, Number.NaN, null], new Float64()),
      ok: vectorFromArray([true, false, null], new Bool()),
      day: vectorFromArray([new Date(Date.UTC(2024, 0, 2)), new Date(Date.UTC(1969, 11, 31)), null], new DateDay()),
      ts: vectorFromArray([Date.UTC(2024, 0, 2, 3, 4, 5, 6), 0, null], new TimestampMicrosecond("UTC")),
    });
    const r = await w.api("api/tables/types/arrow?partitionBy=ok", {
      method: "POST",
      auth: true,
      headers: { "Content-Type": "application/vnd.apache.arrow.stream" },
      body: new Uint8Array(tableToIPC(typed, "stream")),
    });
    expect(await r.json()).toMatchObject({ status: "committed", version: 0, rows: 3, files: 3 });
    const info = (await json(await w.api("api/tables/types/arrow"))) as { schema: { fields: { name: string; type: string }[] }; partitionColumns: string[] };
    expect(info.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(["i:integer", "big:long", "x:double", "ok:boolean", "day:date", "ts:timestamp"]);
    expect(info.partitionColumns).toEqual(["ok"]);
    const rows = await ndjsonRows(await w.api("api/tables/types/arrow/rows?columns=i,big,x,ok,day,ts"));
    expect([...rows].sort((a, b) => String(a.i).localeCompare(String(b.i)))).toEqual([
      { i: 1, big: 1, x: 1.5, ok: true, day: "2024-01-02", ts: "2024-01-02T03:04:05.006000Z" },
      { i: 2, big: "9007199254740993", x: "NaN", ok: false, day: "1969-12-31", ts: "1970-01-01T00:00:00.000000Z" },
      { i: null, big: null, x: null, ok: null, day: null, ts: null },
    ]);
  });

  it("GET .../rows honors columns, where, limit, version and timestamp", async () => {
    const r2 = await w.tableStore("sales/orders");
    const cases: [string, Parameters<typeof libraryRows>[1]][] = [
      ["columns=amount,id", { columns: ["amount", "id"] }],
      [`where=${encodeURIComponent("region = 'us' AND amount > 1")}`, { where: "region = 'us' AND amount > 1" }],
      ["version=1", { version: 1 }],
      ["limit=2", { limit: 2 }],
    ];
    for (const [query, options] of cases) {
      const got = await ndjsonRows(await w.api(`api/tables/sales/orders/rows?${query}`));
      const expected = await libraryRows(r2, options);
      expect(options?.limit === undefined ? byId(got) : got.length).toEqual(options?.limit === undefined ? byId(expected) : options.limit);
    }
    expect(await ndjsonRows(await w.api("api/tables/sales/orders/rows?limit=0"))).toEqual([]);
    expect((await ndjsonRows(await w.api("api/tables/sales/orders/rows?timestamp=2999-01-01T00:00:00Z"))).length).toBe(5);
    const bad = await w.api(`api/tables/sales/orders/rows?where=${encodeURIComponent("nope = 1")}`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "INVALID_INPUT" } });
    expect((await w.api("api/tables/sales/orders/rows?format=parquet")).status).toBe(400);
  });

  it("rows stream (no Content-Length, chunked), and a client may stop early", async () => {
    for (let i = 0; i < 3; i++) await postRows(w, "stream/t", [{ n: i }], "mode=append");
    const r = await w.api("api/tables/stream/t/rows");
    expect(r.headers.get("Content-Length")).toBeNull();
    expect((await ndjsonRows(r)).map((x) => x.n).sort()).toEqual([0, 1, 2]);
    const early = await w.api("api/tables/stream/t/rows?format=json");
    const reader = (early.body as ReadableStream<Uint8Array>).getReader();
    expect((await reader.read()).done).toBe(false);
    await reader.cancel();
    expect((await w.api("api/tables/stream/t")).status).toBe(200);
  });

  it("a browser-style HttpStore over /objects reads the table with Range requests", async () => {
    const requests: { method: string; range: string | null; status: number }[] = [];
    const tracking: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      requests.push({ method: init?.method ?? "GET", range: new Headers(init?.headers).get("Range"), status: res.status });
      return res;
    };
    for (const target of ["sales/orders", "golden/dv_partitioned"]) {
      requests.length = 0;
      const store = new HttpStore({ url: `${w.url}objects/${target}`, fetch: tracking });
      const snapshot = await openTable({ store });
      const expected = (await json(await w.api(`api/tables/${target}`))) as { version: number };
      expect(snapshot.version).toBe(expected.version);
      expect(byId(await libraryRows(store))).toEqual(byId(await ndjsonRows(await w.api(`api/tables/${target}/rows`))));
      const ranged = requests.filter((q) => q.range !== null);
      expect(ranged.length).toBeGreaterThan(0);
      expect(ranged.every((q) => q.status === 206)).toBe(true);
    }
  });
});
