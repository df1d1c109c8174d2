/**
 * Bundle budgets of the browser entry (issue 13), measured by scripts/bundle-size.mjs with the
 * project's bundler (rolldown, minified, code splitting) and gzip: `import { openTable, readRows }
 * from "delta-edge/browser"` at most 100 KiB gzip, the whole entry at most 150 KiB, initial
 * chunks only (what a page loads before anything is used). No module of a wasm engine
 * (@duckdb/duckdb-wasm, parquet-wasm) or of a charting library is in an initial chunk of these
 * entries or of the explorer; the parquet-wasm reader (with hyparquet-writer's Thrift writer) and
 * every decompressor but Snappy (built into hyparquet) stay available as lazy chunks.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { measureBundles, NEVER_INITIAL, type BundleEntry, type BundleMeasure } from "../../scripts/bundle-size.mjs";

let measured: Array<BundleEntry & BundleMeasure>;

beforeAll(async () => {
  measured = await measureBundles();
  for (const m of measured) console.log(`bundle ${m.name}: ${(m.initialGzip / 1024).toFixed(1)} KiB gzip initial`);
});

describe("browser bundle budgets", () => {
  it("keeps each entry's initial chunks within its gzip budget", () => {
    const budgeted = measured.filter((m) => m.budget !== undefined);
    expect(budgeted.map((m) => m.name)).toEqual(["openTable+readRows", "delta-edge/browser (all)"]);
    for (const m of budgeted) expect(m.initialGzip, m.name).toBeLessThanOrEqual(m.budget as number);
  });

  it("never puts wasm engines or charting libraries in an initial chunk", () => {
    for (const m of measured) {
      expect(m.initialModules.length, m.name).toBeGreaterThan(50);
      expect(m.initialModules.filter((id) => NEVER_INITIAL.some((re) => re.test(id))), m.name).toEqual([]);
    }
  });

  it("loads the parquet-wasm reader and the decompressors lazily", () => {
    const onDemand = [
      "node_modules/parquet-wasm/",
      "src/core/parquet/wasm-reader.ts",
      "src/core/parquet/wasm-bytes.ts",
      "node_modules/hyparquet-writer/",
      "hyparquet-compressors/src/brotli",
      "hyparquet-compressors/src/gzip",
      "hyparquet-compressors/src/lz4",
      "node_modules/fzstd/",
    ];
    for (const m of measured) {
      const lazy = m.lazy.flatMap((l) => l.modules);
      for (const part of onDemand) {
        expect(lazy.some((id) => id.includes(part)), `${m.name}: ${part} lazy`).toBe(true);
        expect(m.initialModules.some((id) => id.includes(part)), `${m.name}: ${part} initial`).toBe(false);
      }
    }
  });
});
