/**
 * The package's public entry points resolve through package.json `exports` (as a user's import
 * would) and the `bin` runs; the core entry pulls in no Node built-ins.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");

/** The runtime names of "delta-edge", sorted. */
const ROOT_VALUES = [
  "AlreadyExistsError", "AzureStore", "CachingStore", "ChangeFeedError", "CommitConflictError", "CountingStore", "DeltaError",
  "GcsStore", "HttpStore", "InvalidInputError", "MemoryStore", "NotFoundError", "PresignedS3Store", "ProtocolError", "S3Store",
  "Snapshot", "StorageError", "Transaction", "UnsupportedFeatureError", "createCheckpoint", "deleteRows", "merge", "mergeInto",
  "openTable", "optimize", "planChanges", "planScan", "readBatches", "readChangeBatches", "readChangeRows", "readChanges",
  "readHistory", "readRows", "readTable", "restoreTable", "setTableProperties", "storeFromUrl", "updateRows", "vacuum", "writeTable",
];

/** Helpers that were public before issue 10 and must stay internal. */
const INTERNAL = ["bodyBytes", "resolveRange", "readBack", "newTempCommitName", "formatRowJson", "formatValueJson", "loadSnapshot", "prepareReads", "bytesEqual"];

describe("package entry points", () => {
  for (const [entry, name] of [
    ["delta-edge", "openTable"],
    ["delta-edge/node", "LocalStore"],
    ["delta-edge/browser", "HttpStore"],
    ["delta-edge/duckdb", "attachDeltaTable"],
    ["delta-edge/worker", "openTable"],
    ["delta-edge/storage", "storeFromUrl"],
    ["delta-edge/logstore", "selectLogStore"],
    ["delta-edge/expr", "parse"],
    ["delta-edge/schema", "parseSchema"],
    ["delta-edge/parquet", "createHyparquetReader"],
    ["delta-edge/assets", "materialize"],
  ] as const) {
    it(`${entry} exports ${name}`, () => {
      const r = spawnSync(process.execPath, ["--input-type=module", "-e", `const m = await import(${JSON.stringify(entry)}); console.log(typeof m[${JSON.stringify(name)}]);`], { cwd: ROOT, encoding: "utf8" });
      expect(r.stderr).toBe("");
      expect(r.stdout.trim()).toBe("function");
    });
  }

  it("declares the bin and the eleven exports, each with its types", () => {
    const pkg = JSON.parse(readFileSync(resolve(ROOT, "package.json"), "utf8")) as { bin: Record<string, string>; exports: Record<string, { types: string; default: string }> };
    expect(pkg.bin["delta-edge"]).toBe("./bin/delta-edge.js");
    expect(Object.keys(pkg.exports).sort()).toEqual([".", "./assets", "./browser", "./duckdb", "./expr", "./logstore", "./node", "./parquet", "./schema", "./storage", "./worker"]);
    for (const [entry, { types, default: js }] of Object.entries(pkg.exports)) {
      expect(types, entry).toBe(js.replace(/\.js$/, ".d.ts"));
      expect(existsSync(resolve(ROOT, js)), `${entry}: ${js} is built`).toBe(true);
      expect(existsSync(resolve(ROOT, types)), `${entry}: ${types} is built`).toBe(true);
    }
  });

  // The root entry is the README's surface (issue 10): changing it is a breaking change that
  // CHANGELOG.md records. Types are not listed here (they leave no runtime name).
  it("delta-edge exports exactly the documented values", () => {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", 'console.log(JSON.stringify(Object.keys(await import("delta-edge")).sort()))'], { cwd: ROOT, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual(ROOT_VALUES);
  });

  it("internal helpers are exported by no entry", () => {
    const entries = Object.keys((JSON.parse(readFileSync(resolve(ROOT, "package.json"), "utf8")) as { exports: Record<string, unknown> }).exports).map((e) => (e === "." ? "delta-edge" : `delta-edge/${e.slice(2)}`));
    const script = `const out = {}; for (const e of ${JSON.stringify(entries)}) out[e] = Object.keys(await import(e)); console.log(JSON.stringify(out));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8" });
    const names = JSON.parse(r.stdout) as Record<string, string[]>;
    for (const [entry, exported] of Object.entries(names)) {
      expect(exported.filter((n) => INTERNAL.includes(n)), entry).toEqual([]);
    }
  });

  it("the duckdb entry never imports its optional peer @duckdb/duckdb-wasm", () => {
    const code = readdirSync(resolve(ROOT, "dist/duckdb")).filter((f) => f.endsWith(".js")).map((f) => readFileSync(resolve(ROOT, "dist/duckdb", f), "utf8"));
    expect(code.length).toBeGreaterThan(0);
    expect(code.filter((c) => /(from\s*|import\s*\(\s*)["']@duckdb\//.test(c))).toEqual([]);
  });

  it("the core, browser and duckdb builds import no Node built-ins", () => {
    const script = `
      import { readdirSync, readFileSync, statSync } from "node:fs";
      import { join } from "node:path";
      const bad = [];
      const walk = (d) => { for (const e of readdirSync(d)) { const p = join(d, e); if (statSync(p).isDirectory()) walk(p); else if (p.endsWith(".js") && /from ["'](node:|fs["']|path["']|os["']|crypto["'])/.test(readFileSync(p, "utf8"))) bad.push(p); } };
      walk("dist/core"); walk("dist/browser"); walk("dist/duckdb");
      console.log(JSON.stringify(bad));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8" });
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});
