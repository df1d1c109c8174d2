/**
 * The Worker as wrangler (the pinned devDependency) deploys it: `wrangler deploy --dry-run
 * --outdir` accepts wrangler.toml (the R2 bucket, the DeltaIngest Durable Object with its SQLite
 * migration, the ingest queue) and bundles the Worker, and the upload fits the free plan's 3 MiB
 * gzip limit (the figure is printed, both wrangler's and our own gzip of the emitted modules).
 * Also: the Miniflare bindings the tests and benchmarks read from wrangler.toml
 * (scripts/wrangler-config.mjs) are the ones wrangler itself derives from it.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { buildDemo, DEMO_DIST } from "../../scripts/build-demo.mjs";
import { miniflareBindings } from "../../scripts/wrangler-config.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const WRANGLER = join(ROOT, "node_modules", ".bin", "wrangler");
/** The Workers free plan's limit on the compressed upload (wrangler reports KiB). */
const FREE_PLAN_GZIP_LIMIT = 3 * 1024 * 1024;
const ENV = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NO_COLOR: "1", FORCE_COLOR: "0" };

describe("wrangler deploy --dry-run", () => {
  it("accepts the configuration and the upload is within the free plan's 3 MiB gzip limit", async () => {
    expect(existsSync(WRANGLER)).toBe(true);
    const version = spawnSync(WRANGLER, ["--version"], { cwd: ROOT, env: ENV, encoding: "utf8" });
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).devDependencies.wrangler);
    if (!existsSync(join(DEMO_DIST, "index.html"))) await buildDemo(); // wrangler refuses a missing assets folder
    const out = mkdtempSync(join(tmpdir(), "delta-edge-deploy-"));
    try {
      const run = spawnSync(WRANGLER, ["deploy", "--dry-run", "--outdir", out], { cwd: ROOT, env: ENV, encoding: "utf8", timeout: 120_000 });
      const text = `${run.stdout}\n${run.stderr}`;
      expect(run.status, text).toBe(0);
      expect(text).toMatch(/--dry-run: exiting now/);
      expect(text).toMatch(/env\.INGEST \(DeltaIngest\)\s+Durable Object/);
      expect(text).toMatch(/env\.INGEST_QUEUE \(delta-edge-ingest\)\s+Queue/);
      expect(text).toMatch(/env\.TABLES \(delta-edge-tables\)\s+R2 Bucket/);
      const m = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(text);
      expect(m, text).not.toBeNull();
      const wranglerGzip = Number(m?.[2]) * 1024;
      const files = readdirSync(out).filter((f) => f.endsWith(".js") || f.endsWith(".wasm"));
      expect(files.some((f) => f.endsWith(".wasm"))).toBe(true);
      const raw = files.reduce((n, f) => n + readFileSync(join(out, f)).byteLength, 0);
      const gzip = files.reduce((n, f) => n + gzipSync(readFileSync(join(out, f))).byteLength, 0);
      console.log(
        `wrangler deploy --dry-run: upload ${(raw / 1024).toFixed(0)} KiB, gzip ${(wranglerGzip / 1024).toFixed(0)} KiB by wrangler, ${(gzip / 1024).toFixed(0)} KiB by zlib (${files.join(", ")}); free plan limit ${FREE_PLAN_GZIP_LIMIT / 1024} KiB`,
      );
      expect(wranglerGzip).toBeLessThanOrEqual(FREE_PLAN_GZIP_LIMIT);
      expect(gzip).toBeLessThanOrEqual(FREE_PLAN_GZIP_LIMIT);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("derives the same bindings from wrangler.toml as the local runner does", async () => {
    process.env.WRANGLER_SEND_METRICS = "false";
    const wrangler = (await import("wrangler")) as unknown as {
      unstable_getMiniflareWorkerOptions(path: string): { workerOptions: Record<string, any> };
    };
    const theirs = wrangler.unstable_getMiniflareWorkerOptions(join(ROOT, "wrangler.toml")).workerOptions;
    const ours = miniflareBindings();
    expect(ours.bindings).toEqual(theirs.bindings);
    expect(ours.r2Buckets).toEqual(Object.keys(theirs.r2Buckets));
    expect(ours.durableObjects).toEqual(
      Object.fromEntries(Object.entries(theirs.durableObjects as Record<string, { className: string; useSQLite?: boolean }>).map(([k, v]) => [k, { className: v.className, useSQLite: v.useSQLite === true }])),
    );
    expect(ours.queueProducers).toEqual(
      Object.fromEntries(Object.entries(theirs.queueProducers as Record<string, { queueName: string }>).map(([k, v]) => [k, { queueName: v.queueName }])),
    );
    const consumers = theirs.queueConsumers as Record<string, Record<string, unknown>>;
    for (const [queue, settings] of Object.entries(ours.queueConsumers)) expect(consumers[queue]).toMatchObject(settings);
    expect(Object.keys(ours.queueConsumers)).toEqual(Object.keys(consumers));
  });
});
