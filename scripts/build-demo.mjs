/**
 * Builds the browser demo (demo/): bundles demo/src/main.ts — which reads tables through the
 * delta-edge/browser entry (src/browser/index.ts) — with rolldown, and writes demo/dist/index.html
 * (demo/style.css inlined) with the entry chunk and the lazily loaded chunks in demo/dist/assets/
 * (hashed names). What the page loads at first is the HTML and the entry chunk (plus any chunk it
 * imports statically); the SQL engine (duckdb-wasm's JS), the chart library and parquet-wasm are
 * dynamic `import()`s, each its own chunk, fetched only when used — the build fails if one of them
 * ends up in the initial chunks. duckdb-wasm's worker script and wasm (34 MB, over the 25 MiB
 * Workers static-asset limit) are not part of the build: the page loads them from
 * `duckdb/<version>/` beside it (the Worker's /duckdb route, see src/worker/duckdb-bundles.ts) or
 * from the URL given as `duckdbBundles` / DUCKDB_BUNDLES_URL, written into a <meta> of the page.
 * demo/dist is gitignored; `npm run build` runs this (about a second), and the Worker serves the
 * folder as static assets (wrangler.toml `[assets]`, and `npm start`).
 *
 *   node scripts/build-demo.mjs          (or: npm run build-demo)
 *   DUCKDB_BUNDLES_URL=https://cdn.example/duckdb-wasm/1.32.0/ npm run build-demo
 */
import { Buffer } from "node:buffer";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The demo's source folder. */
export const DEMO_DIR = join(ROOT, "demo");

/** The built demo (the Worker's static-assets folder). */
export const DEMO_DIST = join(DEMO_DIR, "dist");

/** Packages that must never be in the chunks a page loads at first (they are loaded lazily). */
export const LAZY_ONLY_PACKAGES = ["@duckdb/duckdb-wasm", "@observablehq/plot", "parquet-wasm", "d3-"];

/** Escapes text for an HTML attribute value. */
function attr(text) {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

/**
 * Bundles the demo and writes `<outDir>/index.html` and `<outDir>/assets/*.js`.
 * @param {{ outDir?: string, minify?: boolean, duckdbBundles?: string }} [options]
 *   duckdbBundles: base URL of duckdb-wasm's worker scripts and wasm (default: DUCKDB_BUNDLES_URL,
 *   else `duckdb/<version>/` relative to the page).
 * @returns {Promise<{ file: string, bytes: number, initial: Array<{ file: string, bytes: number }>, lazy: Array<{ file: string, bytes: number }> }>}
 */
export async function buildDemo(options = {}) {
  const outDir = options.outDir ?? DEMO_DIST;
  const { rolldown } = await import("rolldown");
  const bundle = await rolldown({
    input: { main: join(DEMO_DIR, "src", "main.ts") },
    platform: "browser",
    resolve: { conditionNames: ["browser", "import", "default"] },
    logLevel: "warn",
  });
  const { output } = await bundle.generate({
    format: "esm",
    minify: options.minify ?? true,
    entryFileNames: "assets/[name]-[hash].js",
    chunkFileNames: "assets/[name]-[hash].js",
  });
  await bundle.close();
  const chunks = output.filter((o) => o.type === "chunk");
  const entry = chunks.find((c) => c.isEntry);
  if (!entry) throw new Error("rolldown produced no entry chunk for the demo");
  const extra = output.filter((o) => o.type !== "chunk");
  if (extra.length > 0) throw new Error(`the demo bundle emitted assets it cannot serve: ${extra.map((o) => o.fileName).join(", ")}`);
  // The chunks loaded at first: the entry and what it imports statically (transitively).
  const byName = new Map(chunks.map((c) => [c.fileName, c]));
  const initial = new Set();
  const visit = (c) => {
    if (initial.has(c)) return;
    initial.add(c);
    for (const i of c.imports) if (byName.has(i)) visit(byName.get(i));
  };
  visit(entry);
  for (const c of initial) {
    const bad = c.moduleIds.filter((id) => LAZY_ONLY_PACKAGES.some((p) => id.includes(`node_modules/${p}`)));
    if (bad.length > 0) throw new Error(`${bad[0]} ended up in the demo's initial chunk ${c.fileName}: import it lazily (import())`);
  }
  const css = readFileSync(join(DEMO_DIR, "style.css"), "utf8");
  const shell = readFileSync(join(DEMO_DIR, "index.html"), "utf8");
  if (!shell.includes("<!-- STYLE -->") || !shell.includes("<!-- SCRIPT -->")) throw new Error("demo/index.html lacks the STYLE/SCRIPT markers");
  const duckdbBundles = options.duckdbBundles ?? process.env.DUCKDB_BUNDLES_URL;
  const meta = duckdbBundles === undefined || duckdbBundles === "" ? "" : `<meta name="delta-edge:duckdb-bundles" content="${attr(duckdbBundles)}">\n`;
  const html = shell
    .replace("<!-- STYLE -->", () => `${meta}<style>\n${css}</style>`)
    .replace("<!-- SCRIPT -->", () => `<script type="module" src="${attr(entry.fileName)}"></script>`);
  mkdirSync(outDir, { recursive: true });
  // Hashed names change with every build: drop the old ones.
  rmSync(join(outDir, "assets"), { recursive: true, force: true });
  mkdirSync(join(outDir, "assets"), { recursive: true });
  for (const c of chunks) writeFileSync(join(outDir, c.fileName), c.code);
  const file = join(outDir, "index.html");
  writeFileSync(file, html);
  const sized = (c) => ({ file: join(outDir, c.fileName), bytes: Buffer.byteLength(c.code) });
  return {
    file,
    bytes: Buffer.byteLength(html),
    initial: [...initial].map(sized),
    lazy: chunks.filter((c) => !initial.has(c)).map(sized),
  };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const { file, bytes, initial, lazy } = await buildDemo();
  const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
  console.log(`demo: ${file} (${kib(bytes)}) + initial chunks ${kib(initial.reduce((n, c) => n + c.bytes, 0))}, ${lazy.length} lazy chunks (${kib(lazy.reduce((n, c) => n + c.bytes, 0))}) in ${Date.now() - started} ms`);
}
