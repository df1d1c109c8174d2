/**
 * `npm start`: the Worker in `wrangler dev` (the pinned devDependency), which bundles it exactly
 * as `wrangler deploy` does and simulates its bindings locally from wrangler.toml (the R2 bucket,
 * the DeltaIngest Durable Object with SQLite storage, the ingest queue and its consumer, the demo
 * assets), with state in .wrangler/state. Settings come from the environment: PORT (default
 * 8787), WRITE_TOKEN (default "dev-token"), READ_TOKEN, TABLES_PREFIX, MAX_BODY_BYTES, CORS_ORIGIN,
 * INGEST_*, and presigning's PRESIGN_* and AWS_* (presign-settings.ts); they reach the Worker
 * through a temporary env file (not the command line, where other users could read a token).
 * Telemetry and the Request.cf download are off.
 *
 *   npm start
 *   PORT=9000 WRITE_TOKEN=s3cret INGEST_FLUSH_DELAY_MS=500 npm start
 *   PRESIGN_ALLOW=lake/tables/ AWS_ENDPOINT_URL=... AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... npm start
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildDemo, DEMO_DIR } from "./build-demo.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const PASSED = ["READ_TOKEN", "TABLES_PREFIX", "MAX_BODY_BYTES", "CORS_ORIGIN"];
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

const dir = mkdtempSync(join(tmpdir(), "delta-edge-dev-"));
const envFile = join(dir, ".env");
writeFileSync(envFile, Object.entries(vars).map(([k, v]) => `${k}=${JSON.stringify(v)}\n`).join(""), { mode: 0o600 });
const cleanup = () => rmSync(dir, { recursive: true, force: true });

console.log(`delta-edge: wrangler dev on http://127.0.0.1:${port}/ (state in .wrangler/state)`);
console.log(`write token: ${writeToken}${process.env.WRITE_TOKEN === undefined ? " (set WRITE_TOKEN to change it)" : ""}`);
const child = spawn(
  join(ROOT, "node_modules", ".bin", "wrangler"),
  ["dev", "--ip", "127.0.0.1", "--port", port, "--env-file", envFile, "--persist-to", join(ROOT, ".wrangler", "state"), "--show-interactive-dev-session=false"],
  { cwd: ROOT, stdio: "inherit", env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" } },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => {
  cleanup();
  process.exit(code ?? (signal === null ? 0 : 1));
});
