/**
 * Bundle sizes of the browser entry, measured the way a page would ship it: rolldown (the
 * project's bundler, as scripts/build-demo.mjs uses it) with the browser conditions, minified,
 * code splitting on, each output chunk gzipped (level 9). "Initial" is the entry chunk plus the
 * chunks it imports statically; dynamically imported chunks (parquet-wasm's glue, the Brotli
 * decoder) load only when used. `delta-edge/browser` resolves to src/browser/index.ts, so the
 * figures are of the current source. Used by test/browser/bundle-budget.test.ts (the budgets)
 * and bench/run.js (`npm run bench bundle` prints them).
 *
 *   node scripts/bundle-size.mjs
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Buffer } from "node:buffer";
import { gzipSync } from "node:zlib";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The measured entries and their gzip budgets in bytes (issue 13); the explorer has none, but the same NEVER_INITIAL rule. */
export const ENTRIES = [
  { name: "openTable+readRows", code: 'export { openTable, readRows } from "delta-edge/browser";', budget: 100 * 1024 },
  { name: "delta-edge/browser (all)", code: 'export * from "delta-edge/browser";', budget: 150 * 1024 },
  { name: "explorer (demo/src/main.ts)", code: `import ${JSON.stringify(join(ROOT, "demo/src/main.ts"))};`, budget: undefined },
];

/** Packages that must never be in an initial chunk: wasm engines and charting libraries. */
export const NEVER_INITIAL = [
  /node_modules\/@duckdb\/duckdb-wasm\//,
  /node_modules\/parquet-wasm\//,
  /node_modules\/(chart\.js|echarts|uplot|d3|d3-[a-z-]+|vega|vega-lite|plotly\.js[a-z-]*|@observablehq\/plot|apexcharts|recharts|frappe-charts)\//,
];

/**
 * Bundles one entry module (source text) and returns its chunks.
 * @param {string} code
 * @returns {Promise<{ initialGzip: number, initialRaw: number, initialModules: string[], lazy: Array<{ file: string, gzip: number, modules: string[] }> }>}
 */
export async function measureEntry(code) {
  const { rolldown } = await import("rolldown");
  const dir = mkdtempSync(join(tmpdir(), "delta-edge-bundle-"));
  try {
    const input = join(dir, "entry.js");
    writeFileSync(input, `${code}\n`);
    const bundle = await rolldown({
      input,
      cwd: ROOT,
      platform: "browser",
      resolve: { conditionNames: ["browser", "import", "default"], alias: { "delta-edge/browser": join(ROOT, "src/browser/index.ts") } },
      logLevel: "silent",
    });
    const { output } = await bundle.generate({ format: "esm", minify: true });
    await bundle.close();
    const chunks = new Map(output.filter((o) => o.type === "chunk").map((c) => [c.fileName, c]));
    const entry = [...chunks.values()].find((c) => c.isEntry);
    if (entry === undefined) throw new Error("rolldown produced no entry chunk");
    const initial = new Set();
    const visit = (name) => {
      if (initial.has(name)) return;
      initial.add(name);
      for (const dep of chunks.get(name)?.imports ?? []) visit(dep);
    };
    visit(entry.fileName);
    const modulesOf = (chunk) => Object.keys(chunk.modules).map((id) => id.replace(`${ROOT}/`, ""));
    const gzip = (text) => gzipSync(text, { level: 9 }).byteLength;
    let initialGzip = 0;
    let initialRaw = 0;
    const initialModules = [];
    const lazy = [];
    for (const [name, chunk] of chunks) {
      if (initial.has(name)) {
        initialGzip += gzip(chunk.code);
        initialRaw += Buffer.byteLength(chunk.code);
        initialModules.push(...modulesOf(chunk));
      } else {
        lazy.push({ file: name, gzip: gzip(chunk.code), modules: modulesOf(chunk) });
      }
    }
    return { initialGzip, initialRaw, initialModules, lazy };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Measures every entry of {@link ENTRIES}. */
export async function measureBundles() {
  const out = [];
  for (const e of ENTRIES) out.push({ ...e, ...(await measureEntry(e.code)) });
  return out;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const m of await measureBundles()) {
    const budget = m.budget === undefined ? "" : ` (budget ${m.budget / 1024} KiB)`;
    console.log(`${m.name}: ${(m.initialGzip / 1024).toFixed(1)} KiB gzip initial${budget}, ${(m.initialRaw / 1024).toFixed(1)} KiB minified`);
    for (const l of m.lazy) console.log(`  lazy ${l.file}: ${(l.gzip / 1024).toFixed(1)} KiB gzip (${l.modules.slice(0, 3).join(", ")}${l.modules.length > 3 ? ", ..." : ""})`);
  }
}
