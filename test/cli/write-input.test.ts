/**
 * `delta-edge write` from text files as a careful user would break it (issue 9): values beyond
 * their column's range are refused naming the file, line, column and value (not wrapped), NDJSON
 * integers beyond 2^53 are stored exactly, invalid UTF-8 is refused with its line (not replaced by
 * U+FFFD), an unclosed quote over megabytes is answered at once, and a line past the limit stops
 * the CLI early with memory proportional to the limit (RSS of the child process, measured by a
 * preload that prints `process.resourceUsage().maxRSS` at exit).
 */
import { describe, expect, it } from "vitest";
import { closeSync, mkdtempSync, openSync, readdirSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DateDay, Int32, Int64, Table, tableToIPC, vectorFromArray } from "apache-arrow";
import { runCli } from "./run-cli.js";

const work = () => mkdtempSync(join(tmpdir(), "delta-edge-cli-input-"));
const commits = (table: string) => readdirSync(join(table, "_delta_log")).filter((f) => f.endsWith(".json"));
const scan = async (table: string) => {
  const r = await runCli(["scan", table]);
  expect(r.stderr).toBe("");
  return r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
};

describe("delta-edge write: values", () => {
  it("refuses values beyond their column's range, in data and partition columns, and commits nothing", async () => {
    const dir = work();
    const table = join(dir, "t");
    const first = new Table({
      id: vectorFromArray([1n], new Int64()),
      l: vectorFromArray([2n ** 63n - 1n], new Int64()),
      day: vectorFromArray([new Date(Date.UTC(10000, 0, 1))], new DateDay()),
      b: vectorFromArray([127n], new Int64()),
    });
    writeFileSync(join(dir, "a.arrow"), tableToIPC(first, "stream"));
    let r = await runCli(["write", table, "--input", join(dir, "a.arrow"), "--partition-by", "b"]);
    expect(r.stderr).toBe("");
    const bad: [string, RegExp][] = [
      ["id,l,day,b\n2,1,2024-01-01,1\n3,99999999999999999999,2024-01-01,1\n", /bad\.csv:3, column l: "99999999999999999999" is out of the range of long/],
      ["id,l,day,b\n2,1,2024-02-30,1\n", /bad\.csv:2, column day: "2024-02-30" is not a date/],
      ["id,l,day,b\n2,1,2024-01-01,99999999999999999999\n", /bad\.csv:2, column b: "99999999999999999999" is out of the range of long/],
    ];
    for (const [text, why] of bad) {
      writeFileSync(join(dir, "bad.csv"), text);
      r = await runCli(["write", table, "--input", join(dir, "bad.csv"), "--mode", "append"]);
      expect(r.code, text).toBe(1);
      expect(r.stderr, text).toMatch(why);
    }
    writeFileSync(join(dir, "bad.ndjson"), '{"id": 2, "l": 1}\n{"id": 3, "l": 9223372036854775808}\n');
    r = await runCli(["write", table, "--input", join(dir, "bad.ndjson"), "--mode", "append"]);
    expect(r.stderr).toMatch(/bad\.ndjson:2, column l: "9223372036854775808" is out of the range of long/);
    expect(commits(table)).toEqual(["00000000000000000000.json"]);
    expect(await scan(table)).toEqual([{ id: 1, l: "9223372036854775807", day: "+10000-01-01", b: 127 }]);
  });

  it("stores NDJSON integers beyond 2^53 and long decimals exactly", async () => {
    const dir = work();
    const table = join(dir, "t");
    writeFileSync(join(dir, "a.ndjson"), '{"id": 9007199254740993, "big": 123456789012345678901234567890}\n');
    const r = await runCli(["write", table, "--input", join(dir, "a.ndjson")]);
    expect(r.stderr).toBe("");
    expect(await scan(table)).toEqual([{ id: "9007199254740993", big: "123456789012345678901234567890" }]);
  });
});

describe("delta-edge write: Arrow input that needs narrowing", () => {
  it("checks every value: an int64 column fits an integer column when its values do", async () => {
    const dir = work();
    const narrow = new Table({ k: vectorFromArray(["y"]), n: vectorFromArray([2n ** 31n - 1n], new Int64()) });
    writeFileSync(join(dir, "ok.arrow"), tableToIPC(narrow, "stream"));
    // A table whose n is integer (from Arrow int32), appended to from int64 data.
    const intTable = join(dir, "ints");
    writeFileSync(join(dir, "int.arrow"), tableToIPC(new Table({ k: vectorFromArray(["x"]), n: vectorFromArray([1], new Int32()) }), "stream"));
    expect((await runCli(["write", intTable, "--input", join(dir, "int.arrow")])).stderr).toBe("");
    let r = await runCli(["write", intTable, "--input", join(dir, "ok.arrow"), "--mode", "append"]);
    expect(r.stderr).toBe("");
    const wide = new Table({ k: vectorFromArray(["z", "w"]), n: vectorFromArray([5n, 2n ** 31n], new Int64()) });
    writeFileSync(join(dir, "bad.arrow"), tableToIPC(wide, "stream"));
    r = await runCli(["write", intTable, "--input", join(dir, "bad.arrow"), "--mode", "append"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/column n: row 1 of Arrow type Int64 cannot be written as Delta integer: 2147483648 is out of the range of integer \[-2147483648, 2147483647\]/);
    expect((await scan(intTable)).sort((a, b) => String(a.k).localeCompare(String(b.k)))).toEqual([
      { k: "x", n: 1 },
      { k: "y", n: 2147483647 },
    ]);
  });
});

describe("delta-edge write: text", () => {
  it("refuses invalid UTF-8 naming the line (never stores U+FFFD); a byte-order mark is dropped", async () => {
    const dir = work();
    const table = join(dir, "t");
    writeFileSync(join(dir, "bad.csv"), Buffer.concat([Buffer.from("id,s\n1,a\n2,"), Buffer.from([0xc3, 0x28]), Buffer.from("\n")]));
    let r = await runCli(["write", table, "--input", join(dir, "bad.csv")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.csv:3: not valid UTF-8 \(byte 0xc3 at offset 11\)/);
    writeFileSync(join(dir, "bad.ndjson"), Buffer.concat([Buffer.from('{"s": "'), Buffer.from([0xff]), Buffer.from('"}\n')]));
    r = await runCli(["write", table, "--input", join(dir, "bad.ndjson")]);
    expect(r.stderr).toMatch(/bad\.ndjson:1: not valid UTF-8/);
    writeFileSync(join(dir, "bom.csv"), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("id,s\n1,é\n")]));
    r = await runCli(["write", table, "--input", join(dir, "bom.csv")]);
    expect(r.stderr).toBe("");
    expect(await scan(table)).toEqual([{ id: 1, s: "é" }]);
  });

  it("an unclosed quote before megabytes of CSV is refused at once", { timeout: 30_000 }, async () => {
    const dir = work();
    // 60k lines, 2.4 MB: the quadratic reader took 81 s for 20k lines.
    const lines = Array.from({ length: 60_000 }, (_, i) => `${i},row number ${i} of the input`).join("\n");
    writeFileSync(join(dir, "q.csv"), `id,name\n1,"oops\n${lines}\n`);
    const r = await runCli(["write", join(dir, "t"), "--input", join(dir, "q.csv")], {}, undefined, { timeoutMs: 25_000 });
    expect(r.stderr).toMatch(/q\.csv:2: unterminated quoted field/);
    expect(r.code).toBe(1);
  });

  it("a line past the limit fails early, with memory proportional to the limit, not to the line", { timeout: 60_000 }, async () => {
    const dir = work();
    const preload = join(dir, "rss.mjs");
    writeFileSync(preload, 'process.on("exit", () => process.stderr.write(`\\nmaxrss ${process.resourceUsage().maxRSS}\\n`));\n');
    const big = join(dir, "big.ndjson");
    const fd = openSync(big, "w");
    writeSync(fd, '{"a": "');
    const mib = Buffer.alloc(1 << 20, "x");
    for (let i = 0; i < 40; i++) writeSync(fd, mib);
    writeSync(fd, '"}\n');
    closeSync(fd);
    writeFileSync(join(dir, "small.ndjson"), "[1]\n");
    const run = async (file: string, extra: string[] = []) => {
      const r = await runCli(["write", join(dir, "t"), "--input", file, ...extra], {}, undefined, { nodeArgs: ["--import", preload], timeoutMs: 50_000 });
      const kib = Number(/maxrss (\d+)/.exec(r.stderr)?.[1]);
      return { ...r, kib };
    };
    const base = await run(join(dir, "small.ndjson"));
    expect(base.stderr).toMatch(/small\.ndjson:1: not a JSON object/);
    const limited = await run(big);
    expect(limited.code).toBe(1);
    expect(limited.stderr).toMatch(/big\.ndjson:1: line longer than 16777216 bytes \(the maxLineBytes limit\)/);
    // The 16 MiB limit may cost a few times 16 MiB; the 40 MiB line itself is never held (it took 1.5 GB).
    expect(limited.kib - base.kib).toBeLessThan(96 * 1024);
    const small = await run(big, ["--max-line-bytes", "1048576"]);
    expect(small.stderr).toMatch(/big\.ndjson:1: line longer than 1048576 bytes/);
    expect(small.kib - base.kib).toBeLessThan(32 * 1024);
    const zero = await runCli(["write", join(dir, "t"), "--input", big, "--max-field-bytes", "0"]);
    expect(zero.stderr).toMatch(/--max-field-bytes must be a positive integer/);
  });
});
