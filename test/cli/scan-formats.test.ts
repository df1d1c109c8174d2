/**
 * `delta-edge scan` output formats carry the same rows: ndjson is the reference; json is the same
 * array; csv has a header and the same values; arrow is an IPC stream apache-arrow reads back;
 * parquet is a file pyarrow reads back to the same rows.
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tableFromIPC } from "apache-arrow";
import { CONFORMANCE } from "../helpers/conformance.js";
import { pyarrowRows, rowMultiset } from "../helpers/oracle.js";
import { runCli } from "./run-cli.js";

const TABLE = join(CONFORMANCE, "golden/data-reader-primitives/delta");
const ndjsonRows = async (extra: string[] = []) => {
  const r = await runCli(["scan", TABLE, ...extra]);
  expect(r.code).toBe(0);
  return r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
};

describe("scan output formats", () => {
  it("json is the ndjson rows as one array", async () => {
    const r = await runCli(["scan", TABLE, "--format", "json"]);
    expect(JSON.parse(r.stdout)).toEqual(await ndjsonRows());
  });

  it("csv has a header and the same values", async () => {
    const rows = await ndjsonRows(["--columns", "as_int,as_string,as_big_decimal"]);
    const r = await runCli(["scan", TABLE, "--format", "csv", "--columns", "as_int,as_string,as_big_decimal"]);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toBe("as_int,as_string,as_big_decimal");
    const cell = (v: unknown) => (v === null ? "" : String(v));
    expect(lines.slice(1)).toEqual(rows.map((x) => [x.as_int, x.as_string, x.as_big_decimal].map(cell).join(",")));
  });

  it("arrow is an IPC stream with the rows", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "delta-edge-cli-")), "rows.arrow");
    const r = await runCli(["scan", TABLE, "--format", "arrow", "--out", out, "--where", "as_int < 5"]);
    expect(r.code).toBe(0);
    const t = tableFromIPC(readFileSync(out));
    expect(t.numRows).toBe((await ndjsonRows(["--where", "as_int < 5"])).length);
    expect(t.schema.fields.map((f) => f.name)).toContain("as_big_decimal");
  });

  it("parquet is a file pyarrow reads back to the same rows", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "delta-edge-cli-")), "rows.parquet");
    const r = await runCli(["scan", TABLE, "--format", "parquet", "--out", out]);
    expect(r.stderr).toBe("");
    const back = pyarrowRows([out]).get(out);
    expect(back?.error).toBeUndefined();
    expect(rowMultiset(back?.rows ?? [])).toEqual(rowMultiset(await ndjsonRows()));
  });

  it("unknown formats are refused", async () => {
    const r = await runCli(["scan", TABLE, "--format", "xml"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/unknown --format xml/);
  });
});
