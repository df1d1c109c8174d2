/**
 * The CLI `changes` command on conformance tables: NDJSON rows equal the library's change rows
 * (the value encoding of DESIGN.md, with `_change_type`, `_commit_version`, `_commit_timestamp`),
 * json/csv/arrow carry the same rows, --from-timestamp resolves as the library does, --columns and
 * --where apply, and refusals are one line on stderr naming the version, exit code 1.
 */
import { join } from "node:path";
import { tableFromIPC } from "apache-arrow";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { CONFORMANCE } from "../helpers/conformance.js";
import { rowMultiset } from "../helpers/oracle.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { planChanges } from "../../src/core/changes/change-plan.js";
import { readChangeRows } from "../../src/core/changes/read-changes.js";
import { formatRowJson } from "../../src/core/scan/rows.js";
import { ROOT, runCli } from "./run-cli.js";

const TABLE = join(CONFORMANCE, "delta-rs/cdc_ict_table");

const ndjson = (text: string) => text.trim().split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>);

async function libraryRows(path: string, start: number): Promise<unknown[]> {
  const store = new LocalStore({ root: path });
  const plan = await planChanges({ store, startingVersion: start });
  const out: unknown[] = [];
  for await (const r of readChangeRows({ store, startingVersion: start })) out.push(formatRowJson(r, plan.outputFields ?? []));
  return out;
}

describe("delta-edge changes", () => {
  it("prints the change rows as NDJSON, as the library reads them", async () => {
    const r = await runCli(["changes", TABLE, "--from", "0"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const rows = ndjson(r.stdout);
    expect(rows).toHaveLength(10);
    expect(rowMultiset(rows)).toEqual(rowMultiset(await libraryRows(TABLE, 0)));
    expect(rows[0]).toMatchObject({ _change_type: "insert", _commit_version: 1, _commit_timestamp: "2023-05-12T06:50:06.883000Z" });
  });

  it("json, csv and arrow carry the same rows", async () => {
    const range = ["changes", TABLE, "--from", "2", "--to", "2"];
    const [nd, json, csvOut] = await Promise.all([runCli(range), runCli([...range, "--format", "json"]), runCli([...range, "--format", "csv"])]);
    const base = ndjson(nd.stdout);
    expect(JSON.parse(json.stdout)).toEqual(base);
    const csv = csvOut.stdout.trim().split("\n");
    expect(csv[0]).toBe("name,birthyear,age,_change_type,_commit_version,_commit_timestamp");
    expect(csv.slice(1).sort()).toEqual(base.map((r) => [r.name, r.birthyear, r.age, r._change_type, r._commit_version, r._commit_timestamp].join(",")).sort());
    const arrow = spawnSync(process.execPath, [join(ROOT, "bin/delta-edge.js"), "changes", TABLE, "--from", "2", "--to", "2", "--format", "arrow"], { maxBuffer: 1 << 26 });
    const table = tableFromIPC(arrow.stdout);
    expect(table.numRows).toBe(base.length);
    expect(table.schema.fields.map((f) => f.name)).toEqual(["name", "birthyear", "age", "_change_type", "_commit_version", "_commit_timestamp"]);
  });

  it("--from-timestamp, --columns and --where", async () => {
    const r = await runCli(["changes", TABLE, "--from-timestamp", "2026-07-12T16:36:53.881Z", "--columns", "name,age", "--where", "_change_type = 'update_postimage'"]);
    expect(r.code).toBe(0);
    expect(ndjson(r.stdout).sort((a, b) => String(a.name).localeCompare(String(b.name)))).toEqual([
      { name: "Kate", age: 37, _change_type: "update_postimage", _commit_version: 3, _commit_timestamp: "2026-07-12T16:36:53.881000Z" },
      { name: "Steve", age: 41, _change_type: "update_postimage", _commit_version: 3, _commit_timestamp: "2026-07-12T16:36:53.881000Z" },
    ]);
  });

  it("refusals are one line naming the version, exit code 1", async () => {
    const [after, off, both] = await Promise.all([
      runCli(["changes", TABLE, "--from", "9"]),
      runCli(["changes", join(CONFORMANCE, "golden/deltalog-getChanges/delta"), "--from", "0"]),
      runCli(["changes", TABLE, "--from", "0", "--from-timestamp", "2026-01-01"]),
    ]);
    expect(after.code).toBe(1);
    expect(after.stdout).toBe("");
    expect(after.stderr.trim().split("\n")).toHaveLength(1);
    expect(after.stderr).toMatch(/delta-edge changes: .*cdc_ict_table: INVALID_INPUT: the range starts at version 9, after the latest version 3 .*version 9/);
    expect(off.code).toBe(1);
    expect(off.stderr).toMatch(/change data feed is not enabled at version 0/);
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/exactly one of --from V and --from-timestamp/);
  });
});
