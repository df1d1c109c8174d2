/**
 * The library read API: an Arrow Table, a stream of RecordBatches with bounded batch sizes, and
 * row objects of canonical values, at the latest version or by time travel.
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { CONFORMANCE, memoryStoreFromDir } from "../helpers/conformance.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { readBatches, readRows, readTable } from "../../src/core/scan/read.js";

const store = (t: string) => new LocalStore({ root: join(CONFORMANCE, t) });

describe("read API", () => {
  it("readTable returns an Arrow Table with logical column names in the requested order", async () => {
    const t = await readTable({ store: store("golden/data-reader-primitives/delta"), columns: ["as_string", "as_long"] });
    expect(t.schema.fields.map((f) => f.name)).toEqual(["as_string", "as_long"]);
    expect(t.numRows).toBe(11);
    expect(t.getChild("as_long")?.toArray()).toBeInstanceOf(BigInt64Array);
  });

  it("readBatches streams batches no larger than batchSize", async () => {
    let rows = 0;
    let batches = 0;
    for await (const b of readBatches({ store: store("golden/parquet-decimal-type/delta"), batchSize: 1000 })) {
      expect(b.numRows).toBeLessThanOrEqual(1000);
      rows += b.numRows;
      batches++;
    }
    expect(batches).toBeGreaterThan(1);
    const all = await readTable({ store: store("golden/parquet-decimal-type/delta") });
    expect(rows).toBe(all.numRows);
  });

  it("readRows yields canonical values and honours where, limit and version", async () => {
    const rows: Record<string, unknown>[] = [];
    for await (const r of readRows({ store: store("golden/data-reader-primitives/delta"), where: "as_int >= 3", limit: 2 })) rows.push(r);
    expect(rows.length).toBe(2);
    for (const r of rows) {
      expect(typeof r.as_long).toBe("bigint");
      expect(r.as_int as number).toBeGreaterThanOrEqual(3);
      expect(r.as_big_decimal).toMatchObject({ scale: 0 });
    }
    const v0: unknown[] = [];
    for await (const r of readRows({ store: store("golden/basic-with-inserts-deletes-checkpoint/delta"), version: 0 })) v0.push(r);
    const latest = await readTable({ store: store("golden/basic-with-inserts-deletes-checkpoint/delta") });
    expect(v0.length).toBeGreaterThan(0);
    expect(v0.length).not.toBe(latest.numRows);
  });

  it("reads data whose bytes came in as Node Buffers (views into a shared pool)", async () => {
    // memoryStoreFromDir puts Buffers from readFileSync: stores and readers must copy exact bytes.
    const t = await readTable({ store: memoryStoreFromDir(join(CONFORMANCE, "golden/data-reader-primitives/delta")) });
    expect(t.numRows).toBe(11);
  });
});
