/**
 * The CLI's row-level commands as a user runs them: `delete --where`, `update --set`, `merge --source FILE --on`
 * with clause flags in order (a flag's value or a following --condition is its condition) and
 * `restore --version`; each prints its metrics as one JSON object. Errors are one line on stderr
 * with a non-zero exit. Also the SET-list parser the surfaces share.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAssignments } from "../../src/core/dml/assignments.js";
import { runCli } from "./run-cli.js";

const work = () => mkdtempSync(join(tmpdir(), "delta-edge-clidml-"));
const ndjson = (dir: string, name: string, rows: object[]): string => {
  const file = join(dir, name);
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  return file;
};
async function ok(args: string[]): Promise<Record<string, unknown>> {
  const r = await runCli(args);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}
async function rows(table: string): Promise<Record<string, unknown>[]> {
  const r = await runCli(["scan", table]);
  return r.stdout.trim().split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>).sort((a, b) => Number(a.id) - Number(b.id));
}

describe("delta-edge delete / merge / restore", () => {
  it("runs DML end to end and prints metrics", async () => {
    const dir = work();
    const table = join(dir, "t");
    await ok(["write", table, "--input", ndjson(dir, "a.ndjson", [1, 2, 3, 4].map((id) => ({ id, v: `v${id}` }))), "--property", "delta.enableDeletionVectors=true"]);
    expect(await ok(["delete", table, "--where", "id = 2"])).toMatchObject({ status: "committed", version: 1, numDeletedRows: 1, numDeletionVectorsAdded: 1 });
    expect(await ok(["update", table, "--set", "v = v || '+', id = id * 1", "--where", "id = 4"])).toMatchObject({ status: "committed", version: 2, numUpdatedRows: 1 });
    const source = ndjson(dir, "s.ndjson", [
      { id: 1, v: "gone" },
      { id: 3, v: "new3" },
      { id: 9, v: "new9" },
      { id: 10, v: "skip" },
    ]);
    const merged = await ok([
      "merge", table, "--source", source, "--on", "target.id = source.id",
      "--when-matched-delete", "source.v = 'gone'",
      "--when-matched-update-all",
      "--when-not-matched-insert-all", "--condition", "source.id < 10",
    ]);
    expect(merged).toMatchObject({ status: "committed", version: 3, numSourceRows: 4, numTargetRowsDeleted: 1, numTargetRowsUpdated: 1, numTargetRowsInserted: 1 });
    expect(await rows(table)).toEqual([
      { id: 3, v: "new3" },
      { id: 4, v: "v4+" },
      { id: 9, v: "new9" },
    ]);
    expect(await ok(["restore", table, "--version", "0"])).toMatchObject({ status: "committed", version: 4 });
    expect((await rows(table)).map((r) => r.id)).toEqual([1, 2, 3, 4]);
    const history = JSON.parse((await runCli(["history", table])).stdout) as { operation: string }[];
    expect(history.map((h) => h.operation)).toEqual(["RESTORE", "MERGE", "UPDATE", "DELETE", "WRITE"]);
  });

  it("refuses bad input with one line on stderr", async () => {
    const dir = work();
    const table = join(dir, "t");
    await ok(["write", table, "--input", ndjson(dir, "a.ndjson", [{ id: 1 }])]);
    let r = await runCli(["delete", table, "--where", "nope = 1"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^delta-edge delete: .*INVALID_INPUT: unknown column nope/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    r = await runCli(["delete", table]);
    expect(r.stderr).toMatch(/delete needs --where/);
    r = await runCli(["merge", table, "--source", ndjson(dir, "s.ndjson", [{ id: 1 }]), "--on", "target.id = source.id", "--condition", "x"]);
    expect(r.stderr).toMatch(/--condition must follow a --when-... clause flag/);
    // a text source without the key column is refused (not merged as null keys), nothing committed
    const csv = join(dir, "s.csv");
    writeFileSync(csv, "v\na\n");
    for (const source of [ndjson(dir, "nokey.ndjson", [{ v: "a" }]), csv]) {
      r = await runCli(["merge", table, "--source", source, "--on", "target.id = source.id", "--when-not-matched-insert-all"]);
      expect(r.code, source).not.toBe(0);
      expect(r.stderr, source).toMatch(/unknown column source\.id/);
    }
    expect(await rows(table)).toEqual([{ id: 1 }]);
    // a CSV source with the key (typed by the table) merges
    writeFileSync(csv, "id\n1\n2\n");
    expect(await ok(["merge", table, "--source", csv, "--on", "target.id = source.id", "--when-not-matched-insert-all"])).toMatchObject({ status: "committed", numTargetRowsInserted: 1 });
    expect(await rows(table)).toEqual([{ id: 1 }, { id: 2 }]);
  });
});

describe("parseAssignments", () => {
  it("splits at top-level commas and the assignment's =", () => {
    expect(parseAssignments("a = b + 1, c = 'x, y', d = COALESCE(e, f), `my col` = g >= 2, h = 'it''s'")).toEqual({
      a: "b + 1",
      c: "'x, y'",
      d: "COALESCE(e, f)",
      "my col": "g >= 2",
      h: "'it''s'",
    });
  });
  it("refuses what is not an assignment list", () => {
    expect(() => parseAssignments("a")).toThrow(/column = expression/);
    expect(() => parseAssignments("a = 1, a = 2")).toThrow(/assigned twice/);
    expect(() => parseAssignments("a = (1")).toThrow(/unbalanced/);
    expect(() => parseAssignments("a = 'x")).toThrow(/unterminated/);
  });
});
