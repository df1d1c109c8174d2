/**
 * `npm start`: the Worker in `wrangler dev` (the pinned devDependency), which bundles it exactly
 * as `wrangler deploy` does and simulates its bindings locally from wrangler.toml (the R2 bucket,
 * the DeltaIngest Durable Object with SQLite storage, the ingest queue and its consumer, the demo
 * assets), with state in .wrangler/state. Settings come from the environment: PORT (default
 * 8787), WRITE_TOKEN (default "dev-token"), READ_TOKEN, TABLES_PREFIX, MAX_BODY_BYTES, CORS_ORIGIN,
 * INGEST_*, and presigning's PRESIGN_* and AWS_* (presign-settings.ts); they reach the Worker
 * through a temporary env file (not the command line, where other users could read a token).
 * Telemetry and the Request.cf download are off. duckdb-wasm's bundles (the explorer's SQL box)
 * are put into the local bucket once, with `wrangler r2 object put --local` (duckdb-bundles.mjs).
 *
 *   npm start
 *   PORT=9000 WRITE_TOKEN=s3cret INGEST_FLUSH_DELAY_MS=500 npm start
 *   PRESIGN_ALLOW=lake/tables/ AWS_ENDPOINT_URL=... AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... npm start
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildDemo, DEMO_DIR } from "./build-demo.mjs";
import { bundleKey, DUCKDB_BUNDLE_FILES, duckdbWasm } from "./duckdb-bundles.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const PASSED = ["READ_TOKEN", "TABLES_PREFIX", "MAX_BODY_BYTES", "MAX_LINE_BYTES", "MAX_FIELD_BYTES", "CORS_ORIGIN", "DUCKDB_PREFIX"];
const PASSED_PREFIXES = ["INGEST_", "PRESIGN_", "AWS_"];

const port = process.env.PORT ?? "8787";
if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) throw new Error(`PORT must be a port number, got '${port}'`);
const writeToken = process.env.WRITE_TOKEN ?? "dev-token";
/** @type {Record<string, string>} */
const vars = { WRITE_TOKEN: writeToken };
for (const [name, value] of Object.entries(process.env)) {
  if (value !== undefined && (PASSED.includes(name) || PASSED_PREFIXES.some((p) => name.startsWith(p)))) vars[name] = value;
}
// wrangler refuses a missing assets directory: build the demo explorer first.
if (existsSync(DEMO_DIR)) await buildDemo();

const wranglerBin = join(ROOT, "node_modules", ".bin", "wrangler");
const wranglerEnv = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };
const statePath = join(ROOT, ".wrangler", "state");
uploadDuckdbBundlesLocally();

/** Puts duckdb-wasm's bundles into the local bucket, once per duckdb-wasm version (a marker file). */
function uploadDuckdbBundlesLocally() {
  const { version, dist } = duckdbWasm();
  const marker = join(statePath, `duckdb-${version}-${process.env.DUCKDB_PREFIX ?? "_duckdb"}.uploaded`.replaceAll("/", "_"));
  if (existsSync(marker)) return;
  const prefix = `${(process.env.DUCKDB_PREFIX ?? "_duckdb").replace(/^\/+|\/+$/g, "")}/`;
  const bucket = "delta-edge-tables";
  console.log(`delta-edge: putting duckdb-wasm ${version} bundles into the local bucket (once)`);
  for (const file of DUCKDB_BUNDLE_FILES) {
    const type = file.endsWith(".wasm") ? "application/wasm" : "text/javascript";
    const result = spawnSync(
      wranglerBin,
      ["r2", "object", "put", `${bucket}/${bundleKey(version, file, prefix)}`, "--local", "--persist-to", statePath, "--file", join(dist, file), "--content-type", type],
      { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"], env: wranglerEnv },
    );
    if (result.status !== 0) {
      console.warn(`delta-edge: could not put ${file} into the local bucket; the explorer's SQL box will not load`);
      return;
    }
  }
  mkdirSync(statePath, { recursive: true });
  writeFileSync(marker, `${new Date().toISOString()}\n`);
}

const dir = mkdtempSync(join(tmpdir(), "delta-edge-dev-"));
const envFile = join(dir, ".env");
writeFileSync(envFile, Object.entries(vars).map(([k, v]) => `${k}=${JSON.stringify(v)}\n`).join(""), { mode: 0o600 });
const cleanup = () => rmSync(dir, { recursive: true, force: true });

console.log(`delta-edge: wrangler dev on http://127.0.0.1:${port}/ (state in .wrangler/state)`);
console.log(`write token: ${writeToken}${process.env.WRITE_TOKEN === undefined ? " (set WRITE_TOKEN to change it)" : ""}`);
const child = spawn(
  wranglerBin,
  ["dev", "--ip", "127.0.0.1", "--port", port, "--env-file", envFile, "--persist-to", statePath, "--show-interactive-dev-session=false"],
  { cwd: ROOT, stdio: "inherit", env: wranglerEnv },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => {
  cleanup();
  process.exit(code ?? (signal === null ? 0 : 1));
});
