/**
 * Scan economy, proven with a counting store: a filter on one partition reads only that
 * partition's files; a 2-column projection of a wide file fetches the footer and those column
 * chunks only (within 1.25x of their compressed size); --limit 10 on a multi-file table reads
 * one data file.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { CONFORMANCE } from "../helpers/conformance.js";
import { PYTHON } from "../helpers/oracle.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { CountingStore } from "../../src/core/storage/counting.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { planScan } from "../../src/core/scan/plan.js";
import { scanBatches } from "../../src/core/scan/execute.js";
import { createHyparquetReader } from "../../src/core/parquet/hyparquet-reader.js";

async function drain(store: CountingStore, options: Parameters<typeof planScan>[1], limit?: number): Promise<number> {
  const snapshot = await loadSnapshot({ store });
  store.reset();
  let rows = 0;
  for await (const b of scanBatches(planScan(snapshot, options), { store, limit })) rows += b.numRows;
  return rows;
}

const dataKeys = (store: CountingStore) => [...new Set(store.operations().filter((o) => o.op === "get" && !o.key.startsWith("_delta_log/")).map((o) => o.key))].sort();

describe("scan economy", () => {
  let wide: string;
  let multi: string;
  beforeAll(() => {
    const base = mkdtempSync(join(tmpdir(), "delta-edge-economy-"));
    wide = join(base, "wide");
    multi = join(base, "multi");
    const script = resolve(import.meta.dirname, "../helpers/make_wide_table.py");
    for (const [dir, args] of [[wide, ["40", "100000", "1"]], [multi, ["3", "1000", "4"]]] as const) {
      const r = spawnSync(PYTHON, [script, dir, ...args], { encoding: "utf8" });
      if (r.status !== 0) throw new Error(r.stderr);
    }
  }, 60_000);

  it("a filter on one partition reads only that partition's files", async () => {
    const store = new CountingStore(new LocalStore({ root: join(CONFORMANCE, "delta-rs/delta-0.8.0-partitioned") }));
    const rows = await drain(store, { where: "year = '2021' AND month = '12'" });
    expect(rows).toBe(3); // value 6, 7 on day 20 and 5 on day 4 (see the table's data)
    const keys = dataKeys(store);
    expect(keys.length).toBe(2);
    for (const k of keys) expect(k.startsWith("year=2021/month=12/")).toBe(true);
  });

  it("a 2-column projection of a wide file fetches the footer and those column chunks only", async () => {
    const store = new CountingStore(new LocalStore({ root: wide }));
    const rows = await drain(store, { columns: ["c3", "c17"] });
    expect(rows).toBe(100000);
    const reads = store.operations().filter((o) => o.op === "get" && o.key === "part-00000.parquet");
    const bytes = reads.reduce((n, o) => n + o.bytes, 0);
    // The independent measure: the footer and the two chunks' compressed sizes from the footer.
    const source = { byteLength: (await store.inner.head("part-00000.parquet")).size, read: (s: number, e: number) => store.inner.get("part-00000.parquet", { range: { offset: s, length: e - s } }) };
    const meta = await createHyparquetReader().readMetadata(source);
    const chunks = (meta.columnChunks[0] ?? []).filter((c) => c.path[0] === "c3" || c.path[0] === "c17");
    expect(chunks.length).toBe(2);
    const needed = chunks.reduce((n, c) => n + (c.end - c.start), 0) + meta.footerLength + 8;
    expect(bytes).toBeLessThanOrEqual(1.25 * needed);
    expect(bytes).toBeLessThan(source.byteLength / 10);
  });

  it("--limit 10 on a multi-file table reads one data file", async () => {
    const store = new CountingStore(new LocalStore({ root: multi }));
    const rows = await drain(store, {}, 10);
    expect(rows).toBe(10);
    expect(dataKeys(store)).toEqual(["part-00000.parquet"]);
  });
});
