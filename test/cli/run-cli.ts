/**
 * Runs the built CLI (bin/delta-edge.js -> dist/) as a child process, as a user would, and returns
 * its exit code and output. `npm test` builds first (pretest). Also the small pieces the CLI tests
 * share: a run expected to succeed, NDJSON output parsed, NDJSON input files in a temp folder.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect } from "vitest";

export const ROOT = resolve(import.meta.dirname, "../..");
const BIN = resolve(ROOT, "bin/delta-edge.js");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `delta-edge ...args`; env adds to (not replaces) the current environment. `nodeArgs` go
 * before the script (e.g. `--import` a preload); `timeoutMs` kills a child that runs longer.
 */
export function runCli(args: string[], env: Record<string, string> = {}, cwd = ROOT, options: { nodeArgs?: string[]; timeoutMs?: number } = {}): Promise<CliResult> {
  if (!existsSync(resolve(ROOT, "dist/node/cli/main.js"))) throw new Error("dist/ is missing: run `npm run build` (npm test does)");
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], { cwd, env: { ...process.env, ...env }, ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", fail);
    child.on("close", (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

/** Runs `delta-edge ...args` and expects success (empty stderr, exit code 0); returns stdout. */
export async function runCliOk(args: string[], env: Record<string, string> = {}): Promise<string> {
  const r = await runCli(args, env);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return r.stdout;
}

/** NDJSON output as objects (blank lines ignored). */
export const ndjsonOf = (out: string): Record<string, unknown>[] => out.trim().split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>);

/** The `id` of every NDJSON output row, as numbers, sorted. */
export const idsOf = (out: string): number[] => ndjsonOf(out).map((r) => Number(r.id)).sort((a, b) => a - b);

/** A temporary folder of NDJSON input files: `input` writes one (a row a line) and returns its path. */
export function ndjsonInputs(prefix: string): { input: (name: string, rows: object[]) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    input(name, rows) {
      const file = join(dir, name);
      writeFileSync(file, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
      return file;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
