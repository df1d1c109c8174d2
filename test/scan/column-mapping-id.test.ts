/**
 * Column mapping in id mode: parquet columns are matched by field id, not by name (the file here
 * is written by pyarrow with names that match nothing in the schema, only the ids).
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PYTHON } from "../helpers/oracle.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { readRows } from "../../src/core/scan/read.js";

describe("column mapping id mode", () => {
  it("reads columns and nested fields by parquet field id", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "delta-edge-idmode-")), "t");
    const r = spawnSync(PYTHON, [resolve(import.meta.dirname, "../helpers/make_id_mode_table.py"), dir], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    const rows: unknown[] = [];
    for await (const row of readRows({ store: new LocalStore({ root: dir }) })) rows.push(row);
    expect(rows).toEqual([
      { a: 1n, s: { x: "p" } },
      { a: 2n, s: { x: null } },
      { a: 3n, s: null },
    ]);
    const filtered: unknown[] = [];
    for await (const row of readRows({ store: new LocalStore({ root: dir }), where: "s.x = 'p'", columns: ["a"] })) filtered.push(row);
    expect(filtered).toEqual([{ a: 1n }]);
  });
});
