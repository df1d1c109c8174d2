/**
 * duckdb-wasm's browser bundles (worker scripts and wasm of the mvp and eh builds, from
 * node_modules/@duckdb/duckdb-wasm/dist) into the Worker's R2 bucket, where the Worker's
 * `/duckdb/<version>/<file>` route serves them to the explorer (src/worker/duckdb-bundles.ts; the
 * wasm is too big for static assets). `npm start` uploads them into its local bucket on start
 * (once: files already there with the same size are skipped). For a deployed Worker, print the
 * wrangler commands that upload them to the real bucket:
 *
 *   node scripts/duckdb-bundles.mjs [bucket-name]     (default: wrangler.toml's delta-edge-tables)
 */
import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

/** The bundle files served (what duckdb-wasm's selectBundle picks from, without the COI build). */
export const DUCKDB_BUNDLE_FILES = ["duckdb-mvp.wasm", "duckdb-browser-mvp.worker.js", "duckdb-eh.wasm", "duckdb-browser-eh.worker.js"];

/** The installed duckdb-wasm: its version and dist folder. */
export function duckdbWasm() {
  const dist = dirname(require.resolve("@duckdb/duckdb-wasm/dist/duckdb-eh.wasm"));
  const pkg = JSON.parse(readFileSync(join(dist, "..", "package.json"), "utf8"));
  return { version: pkg.version, dist };
}

/** The bucket key of a bundle file (prefix as the Worker's DUCKDB_PREFIX, default `_duckdb/`). */
export function bundleKey(version, file, prefix = "_duckdb/") {
  return `${prefix}${version}/${file}`;
}

/**
 * Puts the bundle files into an R2 bucket binding (Miniflare's getR2Bucket, or a Worker's).
 * @param {{ head(key: string): Promise<{ size: number } | null>, put(key: string, body: Uint8Array, options?: object): Promise<unknown> }} bucket
 * @param {{ prefix?: string, files?: string[] }} [options] files: a subset of DUCKDB_BUNDLE_FILES
 *   (a test in Chromium needs only the eh build)
 * @returns {Promise<{ version: string, uploaded: string[] }>}
 */
export async function uploadDuckdbBundles(bucket, options = {}) {
  const { version, dist } = duckdbWasm();
  const prefix = options.prefix ?? "_duckdb/";
  const uploaded = [];
  for (const file of options.files ?? DUCKDB_BUNDLE_FILES) {
    if (!DUCKDB_BUNDLE_FILES.includes(file)) throw new Error(`${file} is not a duckdb-wasm bundle file served by the Worker`);
    const path = join(dist, file);
    const key = bundleKey(version, file, prefix);
    const existing = await bucket.head(key);
    if (existing !== null && existing.size === statSync(path).size) continue;
    // A plain Uint8Array (Miniflare's binding proxy refuses Node Buffers).
    await bucket.put(key, new Uint8Array(readFileSync(path)));
    uploaded.push(key);
  }
  return { version, uploaded };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const bucket = process.argv[2] ?? "delta-edge-tables";
  const { version, dist } = duckdbWasm();
  for (const file of DUCKDB_BUNDLE_FILES) {
    const type = file.endsWith(".wasm") ? "application/wasm" : "text/javascript";
    console.log(`npx wrangler r2 object put ${bucket}/${bundleKey(version, file)} --remote --file ${relative(ROOT, join(dist, file))} --content-type ${type}`);
  }
}
