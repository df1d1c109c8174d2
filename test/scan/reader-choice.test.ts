/**
 * The default reader of scans (parquet/reader-choice.ts): runtime detection; limit queries, small
 * scans and Workers without a loaded module never load parquet-wasm; the adaptive reader sends
 * small file reads to the JS decoder and large ones to wasm; a limit query stops after the row
 * group it needs; and with parquet-wasm loaded, the
 * default scan of a 2-column projection of a wide file decodes in wasm yet fetches only the
 * footer and those two column chunks (the economy test's guarantee).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { ParquetReader } from "../../src/core/parquet/reader.js";
import { createHyparquetReader } from "../../src/core/parquet/hyparquet-reader.js";
import { createWasmReader } from "../../src/core/parquet/wasm-reader.js";
import { adaptiveReader, defaultReader, detectRuntime } from "../../src/core/parquet/reader-choice.js";
import { scanBatches } from "../../src/core/scan/execute.js";
import { planScan } from "../../src/core/scan/plan.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { CountingStore } from "../../src/core/storage/counting.js";
import { parquetWasmReady, setParquetWasm } from "../../src/core/parquet/wasm-loader.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { PYTHON } from "../helpers/oracle.js";

/** A reader that records which files it was asked to read, delegating to the JS decoder. */
function recording(name: string, log: string[]): ParquetReader {
  const js = createHyparquetReader();
  return {
    readMetadata: (s, o) => js.readMetadata(s, o),
    read: (o) => {
      log.push(`${name}:${o.source.path?.split("/").pop()}`);
      return js.read(o);
    },
  };
}

async function rows(store: CountingStore, options: Parameters<typeof planScan>[1], exec: { limit?: number; reader?: ParquetReader } = {}): Promise<number> {
  const plan = planScan(await loadSnapshot({ store }), options);
  store.reset();
  let n = 0;
  for await (const b of scanBatches(plan, { store, ...exec })) n += b.numRows;
  return n;
}

describe("reader choice", () => {
  let wide = "";
  let small = "";
  let groups = "";
  beforeAll(() => {
    const base = mkdtempSync(join(tmpdir(), "delta-edge-reader-choice-"));
    wide = join(base, "wide");
    small = join(base, "small");
    groups = join(base, "groups");
    const script = resolve(import.meta.dirname, "../helpers/make_wide_table.py");
    for (const [dir, args] of [[wide, ["40", "100000", "1"]], [small, ["3", "1000", "2"]], [groups, ["3", "40000", "1"]]] as const) {
      const r = spawnSync(PYTHON, [script, dir, ...args], { encoding: "utf8" });
      if (r.status !== 0) throw new Error(r.stderr);
    }
    // the same rows in 4 row groups (the size in the log is only an upper bound for the scan)
    const file = join(groups, "part-00000.parquet");
    const r = spawnSync(PYTHON, ["-c", `import pyarrow.parquet as pq, sys; t = pq.read_table(sys.argv[1]); pq.write_table(t, sys.argv[1], row_group_size=10000)`, file]);
    if (r.status !== 0) throw new Error(String(r.stderr));
    const log = join(groups, "_delta_log", "00000000000000000000.json");
    writeFileSync(log, readFileSync(log, "utf8").replace(/"size": \d+/, `"size": ${statSync(file).size}`));
  }, 60_000);
  afterEach(() => vi.unstubAllGlobals());

  it("detects Node, and Workers by their user agent", () => {
    expect(detectRuntime()).toBe("node");
    vi.stubGlobal("navigator", { userAgent: "Cloudflare-Workers" });
    expect(detectRuntime()).toBe("workers");
  });

  it("sends small file reads to the JS decoder and large ones to wasm", async () => {
    const log: string[] = [];
    const reader = adaptiveReader({ js: recording("js", log), wasm: recording("wasm", log) });
    const store = new CountingStore(new LocalStore({ root: wide }));
    await rows(store, { columns: ["c3"] }, { reader });
    const tiny = new CountingStore(new LocalStore({ root: small }));
    await rows(tiny, {}, { reader });
    // files are read concurrently: order within a scan is not fixed
    expect([log[0], ...log.slice(1).sort()]).toEqual(["wasm:part-00000.parquet", "js:part-00000.parquet", "js:part-00001.parquet"]);
  });

  it("never loads parquet-wasm for limit queries, small scans, or in Workers, until it is loaded", async () => {
    const instantiate = vi.spyOn(WebAssembly, "instantiate");
    const store = new CountingStore(new LocalStore({ root: wide }));
    expect(await rows(store, { columns: ["c3", "c17"] }, { limit: 10 })).toBe(10);
    expect(await rows(new CountingStore(new LocalStore({ root: small })), {})).toBe(2000);
    vi.stubGlobal("navigator", { userAgent: "Cloudflare-Workers" });
    expect(await rows(store, { columns: ["c3", "c17"] })).toBe(100000);
    expect(instantiate).not.toHaveBeenCalled();
    expect(parquetWasmReady()).toBe(false);
    const js = defaultReader({ limit: 1 });
    expect(defaultReader({ runtime: "workers" })).toBe(js);
    expect(defaultReader({ runtime: "node", scanBytes: 1000 })).toBe(js);
    vi.unstubAllGlobals();
    instantiate.mockRestore();
    // in Node, a large scan loads it (from the registered source)
    setParquetWasm(() => readFile(fileURLToPath(import.meta.resolve("parquet-wasm/esm/parquet_wasm_bg.wasm"))));
    expect(await rows(store, { columns: ["c3", "c17"] })).toBe(100000);
    expect(parquetWasmReady()).toBe(true);
    // once loaded, Workers and small scans use it too
    expect(defaultReader({ runtime: "workers" })).not.toBe(js);
    expect(defaultReader({ runtime: "node", scanBytes: 1000 })).not.toBe(js);
    expect(defaultReader({ runtime: "node", limit: 5 })).toBe(js);
  });

  it("a limit query stops decoding, and fetching, after the row group it needs", async () => {
    const store = new CountingStore(new LocalStore({ root: groups }));
    expect(await rows(store, {}, { limit: 10 })).toBe(10);
    const source = { byteLength: statSync(join(groups, "part-00000.parquet")).size, read: (s: number, e: number) => store.inner.get("part-00000.parquet", { range: { offset: s, length: e - s } }) };
    const meta = await createHyparquetReader().readMetadata(source);
    expect(meta.rowGroups.length).toBe(4);
    const first = (meta.columnChunks[0] ?? []).reduce((n, c) => n + (c.end - c.start), 0);
    const bytes = store.operations().filter((o) => o.op === "get" && o.key === "part-00000.parquet").reduce((n, o) => n + o.bytes, 0);
    expect(bytes).toBeLessThanOrEqual(1.25 * first + 65536);
  });

  it("keeps the economy of ranged reads when the adaptive reader decodes in wasm", async () => {
    setParquetWasm(() => readFile(fileURLToPath(import.meta.resolve("parquet-wasm/esm/parquet_wasm_bg.wasm"))));
    const log: string[] = [];
    const fell: string[] = [];
    const wasm = createWasmReader({ onFallback: (e) => fell.push(e.reason) });
    const reader = adaptiveReader({ wasm: { readMetadata: wasm.readMetadata, read: (o) => (log.push("wasm"), wasm.read(o)) } });
    const store = new CountingStore(new LocalStore({ root: wide }));
    expect(await rows(store, { columns: ["c3", "c17"] }, { reader })).toBe(100000);
    expect([log, fell]).toEqual([["wasm"], []]);
    const reads = store.operations().filter((o) => o.op === "get" && o.key === "part-00000.parquet");
    const bytes = reads.reduce((n, o) => n + o.bytes, 0);
    const source = { byteLength: (await store.inner.head("part-00000.parquet")).size, read: (s: number, e: number) => store.inner.get("part-00000.parquet", { range: { offset: s, length: e - s } }) };
    const meta = await createHyparquetReader().readMetadata(source);
    const chunks = (meta.columnChunks[0] ?? []).filter((c) => c.path[0] === "c3" || c.path[0] === "c17");
    const needed = chunks.reduce((n, c) => n + (c.end - c.start), 0) + meta.footerLength + 8;
    expect(bytes).toBeLessThanOrEqual(1.25 * needed);
    expect(bytes).toBeLessThan(source.byteLength / 10);
  });
});
