/**
 * The CLI's write side as a user runs it: `write` from parquet, arrow, ndjson and csv inputs with
 * modes, partitioning, replaceWhere and schema evolution; `checkpoint`, `vacuum`, `optimize`.
 * What is written is read back with `scan` and, for the live files, with pyarrow.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tableFromArrays, tableToIPC } from "apache-arrow";
import { PYTHON, pyarrowRows } from "../helpers/oracle.js";
import { runCli } from "./run-cli.js";

const work = () => mkdtempSync(join(tmpdir(), "delta-edge-cliw-"));
const scan = async (table: string, extra: string[] = []) => {
  const r = await runCli(["scan", table, ...extra]);
  expect(r.stderr).toBe("");
  return r.stdout.trim() === "" ? [] : r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
};
const sorted = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();

describe("delta-edge write", () => {
  it("writes from every input format; scan and pyarrow agree", async () => {
    const dir = work();
    const pq = join(dir, "in.parquet");
    const py = spawnSync(PYTHON, ["-c", `import pyarrow as pa, pyarrow.parquet as pq; pq.write_table(pa.table({"id": pa.array([1, 2], pa.int64()), "name": ["a", "b"]}), ${JSON.stringify(pq)})`], { encoding: "utf8" });
    expect(py.stderr).toBe("");
    writeFileSync(join(dir, "in.arrow"), tableToIPC(tableFromArrays({ id: BigInt64Array.from([3n]), name: ["c"] }), "stream"));
    writeFileSync(join(dir, "in.ndjson"), '{"id": 4, "name": "d"}\n{"id": 5, "name": null}\n');
    writeFileSync(join(dir, "in.csv"), 'id,name\n6,"f, g"\n7,\n');
    const table = join(dir, "t");
    let r = await runCli(["write", table, "--input", pq]);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "committed", version: 0, rows: 2 });
    for (const f of ["in.arrow", "in.ndjson", "in.csv"]) {
      r = await runCli(["write", table, "--input", join(dir, f), "--mode", "append"]);
      expect(r.stderr, f).toBe("");
    }
    const rows = await scan(table);
    expect(sorted(rows)).toEqual(
      sorted([
        { id: 1, name: "a" },
        { id: 2, name: "b" },
        { id: 3, name: "c" },
        { id: 4, name: "d" },
        { id: 5, name: null },
        { id: 6, name: "f, g" },
        { id: 7, name: null },
      ]),
    );
    const files = (await runCli(["files", table])).stdout.trim().split("\n").map((l) => join(table, (JSON.parse(l) as { path: string }).path));
    const viaPyarrow = [...pyarrowRows(files).values()].flatMap((v) => v.rows ?? []) as Record<string, unknown>[];
    expect(sorted(viaPyarrow)).toEqual(sorted(rows));
  });

  it("refuses an existing table by default, and bad input leaves the log unchanged", async () => {
    const dir = work();
    const table = join(dir, "t");
    writeFileSync(join(dir, "a.ndjson"), '{"k": "x", "v": 1}\n{"k": "y", "v": 2}\n');
    await runCli(["write", table, "--input", join(dir, "a.ndjson"), "--partition-by", "k"]);
    const again = await runCli(["write", table, "--input", join(dir, "a.ndjson")]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already exists/);
    writeFileSync(join(dir, "bad.ndjson"), '{"k": "x", "v": "not a number"}\n');
    const bad = await runCli(["write", table, "--input", join(dir, "bad.ndjson"), "--mode", "append"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/\bv\b/);
    writeFileSync(join(dir, "outside.ndjson"), '{"k": "y", "v": 9}\n');
    const outside = await runCli(["write", table, "--input", join(dir, "outside.ndjson"), "--mode", "overwrite", "--replace-where", "k = 'x'"]);
    expect(outside.code).not.toBe(0);
    expect(outside.stderr).toMatch(/does not satisfy the replaceWhere/);
    expect(readdirSync(join(table, "_delta_log")).filter((f) => f.endsWith(".json"))).toEqual(["00000000000000000000.json"]);
  });

  it("replace-where replaces one partition; schema-mode merge adds a column", async () => {
    const dir = work();
    const table = join(dir, "t");
    writeFileSync(join(dir, "a.ndjson"), '{"k": "x", "v": 1}\n{"k": "y", "v": 2}\n');
    writeFileSync(join(dir, "b.ndjson"), '{"k": "x", "v": 10}\n');
    writeFileSync(join(dir, "c.ndjson"), '{"k": "z", "v": 3, "extra": true}\n');
    await runCli(["write", table, "--input", join(dir, "a.ndjson"), "--partition-by", "k"]);
    const r = await runCli(["write", table, "--input", join(dir, "b.ndjson"), "--mode", "overwrite", "--replace-where", "k = 'x'"]);
    expect(JSON.parse(r.stdout)).toMatchObject({ version: 1, removedFiles: 1 });
    expect(sorted(await scan(table, ["--columns", "k,v"]))).toEqual(sorted([{ k: "x", v: 10 }, { k: "y", v: 2 }]));
    const refused = await runCli(["write", table, "--input", join(dir, "c.ndjson"), "--mode", "append"]);
    expect(refused.stderr).toMatch(/extra/);
    await runCli(["write", table, "--input", join(dir, "c.ndjson"), "--mode", "append", "--schema-mode", "merge"]);
    expect((await scan(table, ["--where", "k = 'z'"]))[0]).toEqual({ k: "z", v: 3, extra: true });
  });
});

describe("delta-edge checkpoint, optimize, vacuum", () => {
  it("compacts, checkpoints and vacuums; the table reads the same throughout", async () => {
    const dir = work();
    const table = join(dir, "t");
    for (let i = 0; i < 3; i++) {
      writeFileSync(join(dir, `${i}.ndjson`), `{"n": ${i}}\n`);
      await runCli(["write", table, "--input", join(dir, `${i}.ndjson`), "--mode", "append"]);
    }
    const before = sorted(await scan(table));
    const opt = await runCli(["optimize", table]);
    expect(JSON.parse(opt.stdout)).toMatchObject({ version: 3, filesRemoved: 3, filesAdded: 1 });
    const cp = await runCli(["checkpoint", table]);
    expect(JSON.parse(cp.stdout)).toMatchObject({ version: 3, numOfAddFiles: 1 });
    expect(readdirSync(join(table, "_delta_log"))).toContain("00000000000000000003.checkpoint.parquet");
    const dry = await runCli(["vacuum", table, "--dry-run"]);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, files: [] });
    const short = await runCli(["vacuum", table, "--retention-hours", "0"]);
    expect(short.code).not.toBe(0);
    expect(short.stderr).toMatch(/shorter than the table's delta.deletedFileRetentionDuration/);
    expect(sorted(await scan(table))).toEqual(before);
  });
});
