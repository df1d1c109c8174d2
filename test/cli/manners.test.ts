/**
 * CLI manners: a reader that stops early (`delta-edge scan ... | head`) ends the command quietly
 * with status 0 in every output format; and every bad invocation — bad arguments, missing or
 * unknown flags, unusable paths (a file, an empty directory, no _delta_log, a missing or
 * directory --input or --out), bad values, inputs not of their format or nested too deep — is
 * one line on stderr naming the table and the cause, exit 1 (2 for no command or table), never
 * a stack trace or a JS internal ("Cannot read properties of undefined", TypeError, ...).
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import "../../src/node/index.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { writeTable } from "../../src/core/write/write-table.js";
import { CONFORMANCE } from "../helpers/conformance.js";
import { ROOT } from "./run-cli.js";

const JS_INTERNALS = /Cannot read|undefined|is not a function|TypeError|RangeError|Maximum call stack|at .*\.js:|node:internal|^\s+at /m;
const TABLE = join(CONFORMANCE, "golden/data-reader-primitives/delta");
let dir: string;
let big: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "delta-edge-manners-"));
  big = join(dir, "big");
  // enough rows that every format overflows a pipe's buffer
  await writeTable({ store: new LocalStore({ root: big }), data: Array.from({ length: 30_000 }, (_, i) => ({ id: i, s: `row ${i} ${"x".repeat(30)}` })) });
  mkdirSync(join(dir, "empty"));
  mkdirSync(join(dir, "nolog/data"), { recursive: true });
  writeFileSync(join(dir, "nolog/data/x.parquet"), "x");
  writeFileSync(join(dir, "afile"), "not a table");
  writeFileSync(join(dir, "bad.arrow"), "garbage, not arrow");
  writeFileSync(join(dir, "rows.csv"), "a,b\n1,2\n");
  writeFileSync(join(dir, "deep.ndjson"), `{"a":${"[".repeat(50_000)}${"]".repeat(50_000)}}\n`);
});

/** Runs the CLI and closes its stdout after the first chunk, as `| head -c 1` does. */
function runClosingEarly(args: string[]): Promise<{ code: number | null; signal: string | null; stderr: string; got: number }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [resolve(ROOT, "bin/delta-edge.js"), ...args], { cwd: ROOT });
    let stderr = "";
    let got = 0;
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.on("data", (d: Buffer) => {
      got += d.byteLength;
      child.stdout.destroy();
    });
    child.on("error", fail);
    child.on("close", (code, signal) => done({ code, signal, stderr, got }));
  });
}

describe("CLI: a reader closing early is not an error", () => {
  it("scan | head exits 0 quietly in every format", async () => {
    for (const format of ["ndjson", "json", "csv", "arrow", "parquet"]) {
      const r = await runClosingEarly(["scan", big, "--format", format]);
      expect(r.got, format).toBeGreaterThan(0);
      expect({ format, code: r.code, signal: r.signal, stderr: r.stderr }).toEqual({ format, code: 0, signal: null, stderr: "" });
    }
  });
});

describe("CLI: bad invocations are one clear line", () => {
  it("each names the table and the cause, exit 1 (usage errors 2), without JS internals", async () => {
    const d = (p: string) => join(dir, p);
    const cases: [string[], RegExp, number?][] = [
      [["scan", TABLE, "--version", "abc"], /--version must be a non-negative integer, got 'abc'/],
      [["scan", TABLE, "--limit", "-1"], /--limit must be a non-negative integer/],
      [["scan", TABLE, "--columns", "nope,as_int"], /unknown column 'nope'/],
      [["scan", TABLE, "--columns", ","], /--columns needs at least one column/],
      [["scan", TABLE, "--version"], /option --version needs a value/],
      [["scan", TABLE, "--where"], /option --where needs a value/],
      [["scan", TABLE, "--bogus"], /unknown option --bogus/],
      [["scan", TABLE, "--dry-run"], /unknown option --dry-run/],
      [["scan", TABLE, "--format", "xml"], /unknown --format xml/],
      [["scan", TABLE, "--where", "as_int ="], /unexpected end of input/],
      [["scan", TABLE, "--where", "nope = 1"], /unknown column nope/],
      [["scan", TABLE, "--time-zone", "Mars/Phobos"], /unknown time zone "Mars\/Phobos"/],
      [["scan", TABLE, "--version", "0", "--timestamp", "2020-01-01"], /either a version or a timestamp/],
      [["scan", TABLE, "--timestamp", "yesterday"], /cannot parse timestamp 'yesterday'/],
      [["scan", TABLE, "--out", d("missing/dir/out.json")], /cannot write --out .*missing\/dir\/out\.json: ENOENT/],
      [["scan", TABLE, "--out", dir], /cannot write --out .*EISDIR/],
      [["scan", TABLE, "--option", "NOPE"], /--option takes KEY=VALUE/],
      [["scan", TABLE, "--option", "NOPE=1"], /unknown storage option "NOPE"/],
      [["info", TABLE, "--version", "99"], /version 99 does not exist; the latest version is 0/],
      [["info", d("afile")], /NOT_FOUND: no Delta table here/],
      [["scan", d("empty")], /NOT_FOUND: no Delta table here/],
      [["history", d("empty")], /NOT_FOUND: no Delta table here/],
      [["files", d("nolog")], /NOT_FOUND: no Delta table here/],
      [["history", TABLE, "--limit", "x"], /--limit must be a non-negative integer/],
      [["checkpoint", TABLE, "--version", "5"], /version 5 does not exist/],
      [["vacuum", TABLE, "--retention-hours", "abc"], /--retention-hours must be a number/],
      [["optimize", TABLE, "--target-size", "-5"], /--target-size must be a non-negative integer/],
      [["optimize", TABLE, "--where", "as_int = 1"], /may only use partition columns/],
      [["write", d("t1")], /write needs --input FILE/],
      [["write", d("t1"), "--input", d("missing.csv")], /cannot read --input .*missing\.csv: no such file/],
      [["write", d("t1"), "--input", dir, "--format", "csv"], /--input .* is a directory/],
      [["write", d("t1"), "--input", d("bad.arrow")], /bad\.arrow is not an Arrow IPC file or stream/],
      [["write", d("t1"), "--input", d("deep.ndjson")], /deep\.ndjson:1: the JSON nests deeper than 32 levels/],
      [["write", d("t1"), "--input", d("rows.csv"), "--mode", "bogus"], /unknown write mode 'bogus'/],
      [["write", d("t1"), "--input", d("rows.csv"), "--partition-by", "zz"], /partition column zz is not in the schema/],
      [["write", d("t1"), "--input", d("rows.csv"), "--property", "x"], /--property takes KEY=VALUE/],
      [["write", d("t1"), "--input", d("rows.csv"), "--compression", "bogus"], /--compression must be one of/],
      [["scan", "s3://"], /invalid bucket name/],
      [["scan", "http://"], /invalid http store URL/],
      [["scan"], /^usage: delta-edge scan <table>/, 2],
      [["scan", "a", "b"], /^usage: delta-edge scan <table>/, 2],
    ];
    const results = await runInOneProcess(cases.map(([args]) => args));
    cases.forEach(([args, cause, code = 1], i) => {
      const r = results[i]!;
      const what = args.join(" ");
      expect(r.code, `${what}: ${r.stderr}`).toBe(code);
      expect(r.stderr, what).toMatch(cause);
      expect(r.stderr, what).not.toMatch(JS_INTERNALS);
      expect(r.stderr.split("\n").length, `${what}: one line: ${r.stderr}`).toBe(2);
      if (code === 1) {
        expect(r.stderr, what).toMatch(new RegExp(`^delta-edge ${args[0]}:`));
        if (!/needs a value|unknown option/.test(r.stderr)) expect(r.stderr, `${what}: names the table`).toContain(`${args[1]}:`);
      }
    });
  }, 120_000);
});

/**
 * Runs many invocations in one child process (the built CLI's main(), stdout and stderr
 * captured per invocation), which is much faster than a process each; a crash of the process
 * (an unhandled error event, say) fails them all.
 */
async function runInOneProcess(invocations: string[][]): Promise<{ code: number; stderr: string }[]> {
  const script = `
    const { main } = await import(${JSON.stringify(resolve(ROOT, "dist/node/cli/main.js"))});
    const out = [];
    const write = (sink) => (chunk, ...rest) => { sink.text += String(chunk); const cb = rest.find((r) => typeof r === "function"); if (cb) cb(); return true; };
    for (const args of JSON.parse(process.argv[1])) {
      const err = { text: "" };
      const std = { text: "" };
      const saved = [process.stderr.write, process.stdout.write];
      process.stderr.write = write(err);
      process.stdout.write = write(std);
      let code;
      try { code = await main(args); } finally { [process.stderr.write, process.stdout.write] = saved; }
      out.push({ code, stderr: err.text });
    }
    process.stdout.write(JSON.stringify(out));
  `;
  const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script, JSON.stringify(invocations)], { cwd: ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
  expect(r.stderr, "the CLI process crashed").toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { code: number; stderr: string }[];
}
