/**
 * Every golden table with `expected/` gives exactly Spark's rows through
 * `delta-edge scan --format ndjson`, compared with pyarrow reading `expected/` (same value
 * encoding, rows in any order). Driven from the folders: a new table becomes a new test.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { CONFORMANCE } from "../helpers/conformance.js";
import { expectedRows, pyarrowRows, rowMultiset } from "../helpers/oracle.js";
import { runCli } from "../cli/run-cli.js";

const GOLDEN = join(CONFORMANCE, "golden");
const tables = readdirSync(GOLDEN)
  .filter((t) => existsSync(join(GOLDEN, t, "expected")) && existsSync(join(GOLDEN, t, "delta")))
  .sort();

/** Per-table scan options the data needs (see the conformance README "Traps"). */
const EXTRA_ARGS: Record<string, string[]> = {
  "data-reader-partition-values": ["--time-zone", "America/Los_Angeles"],
};

describe.concurrent("golden tables: scan equals Spark's expected rows", () => {
  let expected: Map<string, { rows?: unknown[]; error?: string }>;
  beforeAll(() => {
    expected = pyarrowRows(tables.map((t) => join(GOLDEN, t, "expected")));
  }, 120_000);

  it("has golden tables with expected output", () => expect(tables.length).toBeGreaterThan(40));

  for (const t of tables) {
    it(t, async () => {
      const want = expectedRows(expected, join(GOLDEN, t, "expected"));
      const r = await runCli(["scan", join(GOLDEN, t, "delta"), "--format", "ndjson", ...(EXTRA_ARGS[t] ?? [])]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const got = r.stdout.trim() === "" ? [] : r.stdout.trim().split("\n").map((l) => JSON.parse(l) as unknown);
      expect(got.length).toBe(want.length);
      expect(rowMultiset(got)).toEqual(rowMultiset(want));
    });
  }
});
