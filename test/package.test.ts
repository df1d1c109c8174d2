/**
 * The package's public entry points resolve through package.json `exports` (as a user's import
 * would) and the `bin` runs; the core entry pulls in no Node built-ins.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");

describe("package entry points", () => {
  for (const [entry, name] of [
    ["delta-edge", "openTable"],
    ["delta-edge/node", "LocalStore"],
    ["delta-edge/browser", "HttpStore"],
    ["delta-edge/duckdb", "attachDeltaTable"],
    ["delta-edge/worker", "openTable"],
  ] as const) {
    it(`${entry} exports ${name}`, () => {
      const r = spawnSync(process.execPath, ["--input-type=module", "-e", `const m = await import(${JSON.stringify(entry)}); console.log(typeof m[${JSON.stringify(name)}]);`], { cwd: ROOT, encoding: "utf8" });
      expect(r.stderr).toBe("");
      expect(r.stdout.trim()).toBe("function");
    });
  }

  it("declares the bin and the five exports", () => {
    const pkg = JSON.parse(readFileSync(resolve(ROOT, "package.json"), "utf8")) as { bin: Record<string, string>; exports: Record<string, unknown> };
    expect(pkg.bin["delta-edge"]).toBe("./bin/delta-edge.js");
    expect(Object.keys(pkg.exports).sort()).toEqual([".", "./browser", "./duckdb", "./node", "./worker"]);
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
