/**
 * Runs the built CLI (bin/delta-edge.js -> dist/) as a child process, as a user would, and returns
 * its exit code and output. `npm test` builds first (pretest).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";

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
