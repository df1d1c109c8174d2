/**
 * attachDeltaTable's behaviour beyond SELECT *: time travel by version and timestamp, `where`
 * pushed into the plan (partition pruning reported, rows exact), column selection and order, an
 * empty result still creating a typed table, replacement of an attached table, small batches
 * (sliced IPC streams, nested columns), and failures: a data file failing mid-scan or an abort
 * leaves the previous table and no staging table; bad options are InvalidInputErrors, DuckDB's
 * refusals DuckDBAttachErrors naming the table. On golden/dv-partitioned-with-checkpoint
 * (partitioned, deletion vectors, 16 versions) and other golden tables.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { attachDeltaTable, DuckDBAttachError } from "../../src/duckdb/index.js";
import { InvalidInputError, StorageError } from "../../src/core/errors.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { openTable } from "../../src/core/table/open.js";
import { planScan } from "../../src/core/scan/plan.js";
import { readRows } from "../../src/core/scan/read.js";
import { formatRowJson } from "../../src/core/scan/rows.js";
import type { ObjectStore } from "../../src/core/storage/object-store.js";
import { CONFORMANCE } from "../helpers/conformance.js";
import { rowMultiset } from "../helpers/oracle.js";
import { nodeDuckDB, type NodeDuckDB } from "./node-duckdb.js";
import { duckRows } from "./duck-rows.js";

const DV_TABLE = join(CONFORMANCE, "golden", "dv-partitioned-with-checkpoint", "delta");

/** Our scan's rows in the JSON value encoding. */
async function scanRows(store: ObjectStore, options: { version?: number; where?: string; columns?: string[] } = {}): Promise<unknown[]> {
  const snapshot = await openTable({ store, version: options.version });
  const plan = planScan(snapshot, options);
  const out: unknown[] = [];
  for await (const row of readRows({ store, snapshot, ...options })) out.push(formatRowJson(row, plan.outputFields));
  return out;
}

describe("attachDeltaTable", () => {
  let duck: NodeDuckDB;
  const store = new LocalStore({ root: DV_TABLE });
  beforeAll(async () => {
    duck = await nodeDuckDB();
  }, 60_000);
  afterAll(() => duck?.close());

  const stagingTables = (): unknown[] => duckRows(duck.sql("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '__delta_edge_staging%'"));

  it("time-travels by version and by timestamp; re-attaching replaces the table", async () => {
    const v5 = await attachDeltaTable(duck.conn, { name: "dv", store, version: 5 });
    expect(v5.version).toBe(5);
    expect(rowMultiset(duckRows(duck.sql("SELECT * FROM dv")))).toEqual(rowMultiset(await scanRows(store, { version: 5 })));
    const latest = await attachDeltaTable(duck.conn, { name: "dv", store });
    expect(latest.version).toBe(15);
    const rows = duckRows(duck.sql("SELECT * FROM dv"));
    expect(rows.length).toBe(latest.rows);
    expect(rowMultiset(rows)).toEqual(rowMultiset(await scanRows(store)));
    expect(rows.length).not.toBe(v5.rows);
    // Conformance files share one mtime, so compare with the library's own resolution of the time.
    const at3 = (await openTable({ store, version: 3 })).timestamp;
    const byTime = await attachDeltaTable(duck.conn, { name: "dv", store, timestamp: at3 });
    expect(byTime.version).toBe((await openTable({ store, timestamp: at3 })).version);
    expect(duckRows(duck.sql("SELECT count(*)::INTEGER AS n FROM dv"))).toEqual([{ n: byTime.rows }]);
    expect(stagingTables()).toEqual([]);
  });

  it("pushes `where` into the plan (pruning) and keeps exactly the matching rows, in the columns asked for", async () => {
    const where = "part = 1 AND col1 > 20";
    const a = await attachDeltaTable(duck.conn, { name: "subset", store, where, columns: ["col2", "col1"] });
    expect(a.files.prunedByPartition).toBeGreaterThan(0);
    expect(a.files.read).toBeLessThan(a.files.total);
    expect(a.columns).toEqual(["col2", "col1"]);
    const got = duckRows(duck.sql("SELECT * FROM subset"));
    const want = await scanRows(store, { where, columns: ["col2", "col1"] });
    expect(want.length).toBeGreaterThan(0);
    expect(rowMultiset(got)).toEqual(rowMultiset(want));
    expect(duckRows(duck.sql("SELECT column_name FROM (DESCRIBE subset)"))).toEqual([{ column_name: "col2" }, { column_name: "col1" }]);
  });

  it("creates an empty, typed table when nothing matches", async () => {
    const a = await attachDeltaTable(duck.conn, { name: "none", store, where: "part = 99" });
    expect(a.rows).toBe(0);
    expect(a.files.read).toBe(0);
    expect(duckRows(duck.sql("SELECT count(*)::INTEGER AS n FROM none"))).toEqual([{ n: 0 }]);
    expect(duckRows(duck.sql("SELECT column_name, column_type FROM (DESCRIBE none)"))).toEqual([
      { column_name: "part", column_type: "INTEGER" },
      { column_name: "col1", column_type: "INTEGER" },
      { column_name: "col2", column_type: "VARCHAR" },
    ]);
  });

  it("streams small batches (sliced IPC streams) with nested columns intact", async () => {
    for (const t of ["data-reader-nested-struct", "data-reader-array-primitives", "parquet-all-types"]) {
      const s = new LocalStore({ root: join(CONFORMANCE, "golden", t, "delta") });
      const progress: number[] = [];
      const a = await attachDeltaTable(duck.conn, { name: "small", store: s, batchSize: 3, onProgress: (p) => progress.push(p.rows) });
      expect(a.rows).toBeGreaterThan(3);
      expect(a.batches).toBe(progress.length);
      // Every IPC stream held 1..3 rows, and they add up to the table.
      const sizes = progress.map((n, i) => n - (progress[i - 1] ?? 0));
      expect(sizes.every((n) => n >= 1 && n <= 3)).toBe(true);
      expect(progress.at(-1)).toBe(a.rows);
      expect(rowMultiset(duckRows(duck.sql("SELECT * FROM small")))).toEqual(rowMultiset(await scanRows(s)));
    }
  });

  it("a failure mid-scan keeps the previous table and leaves no staging table", async () => {
    await attachDeltaTable(duck.conn, { name: "kept", store, version: 0 });
    const before = duckRows(duck.sql("SELECT * FROM kept"));
    let reads = 0;
    const failing: ObjectStore = Object.create(store, {
      get: {
        value: (key: string, o?: Parameters<ObjectStore["get"]>[1]) => {
          if (key.endsWith(".parquet") && ++reads > 3) return Promise.reject(new Error("disk on fire"));
          return store.get(key, o);
        },
      },
    });
    const err = await attachDeltaTable(duck.conn, { name: "kept", store: failing, concurrency: 1, batchSize: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect(String(err)).toMatch(/disk on fire/);
    expect(reads).toBeGreaterThan(3);
    expect(duckRows(duck.sql("SELECT * FROM kept"))).toEqual(before);
    expect(stagingTables()).toEqual([]);
  });

  it("an abort stops the attach and keeps the previous table", async () => {
    const controller = new AbortController();
    const err = await attachDeltaTable(duck.conn, {
      name: "kept",
      store,
      batchSize: 1,
      onProgress: (p) => (p.batches === 2 ? controller.abort(new Error("user stop")) : undefined),
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(String(err)).toMatch(/user stop|abort/i);
    expect(duckRows(duck.sql("SELECT count(*)::INTEGER AS n FROM kept"))).toEqual([{ n: 50 }]);
    expect(stagingTables()).toEqual([]);
  });

  it("takes a database (connects itself) as well as a connection", async () => {
    const a = await attachDeltaTable(duck.bindings, { name: "viaDb", store, version: 0 });
    expect(a.rows).toBe(50);
    expect(duckRows(duck.sql('SELECT count(*)::INTEGER AS n FROM "viaDb"'))).toEqual([{ n: 50 }]);
  });

  it("quotes names: spaces, quotes and keywords work", async () => {
    await attachDeltaTable(duck.conn, { name: 'my "odd" select', store, version: 0, columns: ["part"] });
    expect(duckRows(duck.sql('SELECT count(*)::INTEGER AS n FROM "my ""odd"" select"'))).toEqual([{ n: 50 }]);
  });

  it("reports bad input and DuckDB refusals as DeltaErrors", async () => {
    await expect(attachDeltaTable(duck.conn, { name: "", store })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(attachDeltaTable(duck.conn, { name: "x", store, version: 1, timestamp: 0 })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(attachDeltaTable(duck.conn, { name: "x" })).rejects.toThrow(/store or a url/);
    await expect(attachDeltaTable(duck.conn, { name: "x", store, where: "nope = 1" })).rejects.toThrow(/nope/);
    await expect(attachDeltaTable(duck.conn, { name: "x", store, batchSize: 0 })).rejects.toBeInstanceOf(InvalidInputError);
    await attachDeltaTable(duck.conn, { name: "taken", store, version: 0 });
    const err = await attachDeltaTable(duck.conn, { name: "taken", store, replace: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DuckDBAttachError);
    expect(String(err)).toContain("version 15");
    expect(stagingTables()).toEqual([]);
  });
});
