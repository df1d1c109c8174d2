/**
 * wrangler.toml stays deployable and in step with the code: `main` is the handler-only module
 * (workerd refuses named exports of a main module other than handlers and Durable Object classes:
 * it exports only DeltaIngest besides its default), the compatibility date honors R2
 * wildcard conditional puts (2024-09 or later), the bucket is bound as TABLES, no secret is in
 * the file, and the bundle has no Node built-ins and imports parquet-wasm's .wasm as a module.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { bundleWorker, COMPATIBILITY_DATE, WORKER_ENTRY } from "../../scripts/worker-dev.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const toml = readFileSync(resolve(ROOT, "wrangler.toml"), "utf8");

describe("wrangler.toml and the Worker bundle", () => {
  it("points at the handler module, binds TABLES, has a recent enough date and no secrets", () => {
    expect(WORKER_ENTRY).toBe(resolve(ROOT, "src/worker/main.ts"));
    expect(COMPATIBILITY_DATE >= "2024-09-01").toBe(true);
    expect(toml).toMatch(/\[\[r2_buckets\]\]\s*\nbinding = "TABLES"/);
    expect(toml).not.toMatch(/^\s*(WRITE_TOKEN|READ_TOKEN|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN)\s*=/m);
    expect(readFileSync(WORKER_ENTRY, "utf8")).toMatch(/^export default \{/m);
    expect(readFileSync(WORKER_ENTRY, "utf8").match(/^export (?!default).*$/gm)).toEqual(['export { DeltaIngest } from "./ingest/object.js";']);
    expect(toml).toMatch(/\[\[durable_objects\.bindings\]\]\s*\nname = "INGEST"\s*\nclass_name = "DeltaIngest"/);
    expect(toml).toMatch(/new_sqlite_classes = \["DeltaIngest"\]/);
  });

  it("bundles to one ES module without Node built-ins, plus parquet-wasm as a CompiledWasm module", async () => {
    const modules = await bundleWorker();
    expect(modules.map((m) => m.type)).toEqual(["ESModule", "CompiledWasm"]);
    const code = modules[0]?.contents as string;
    // Module imports start a line in the bundle (doc comments quoting Node examples do not count).
    expect(code).not.toMatch(/^import[^\n]*from\s*["']node:/m);
    expect(code.match(/^import[^\n]*$/gm)).toEqual(['import parquetWasmModule from "./parquet_wasm_bg.wasm";']);
    expect(code).toMatch(/from\s*"\.\/parquet_wasm_bg\.wasm"/);
    expect(modules[1]?.path).toMatch(/parquet_wasm_bg\.wasm$/);
  });
});
