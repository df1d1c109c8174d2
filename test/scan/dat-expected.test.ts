/**
 * DAT cases: `delta-edge scan --format ndjson --version N` gives exactly the rows of
 * `expected/vN/table_content.parquet` (and `latest` without --version), compared with pyarrow.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { CONFORMANCE } from "../helpers/conformance.js";
import { expectedRows, pyarrowRows, rowMultiset } from "../helpers/oracle.js";
import { runCli } from "../cli/run-cli.js";

const DAT = join(CONFORMANCE, "dat/reader_tests/generated");
const cases: { name: string; version: string; expected: string }[] = [];
for (const name of readdirSync(DAT).sort()) {
  const dir = join(DAT, name, "expected");
  if (!existsSync(dir)) continue;
  for (const version of readdirSync(dir).sort()) cases.push({ name, version, expected: join(dir, version, "table_content.parquet") });
}

describe.concurrent("DAT: every version scans to its expected rows", () => {
  let expected: Map<string, { rows?: unknown[]; error?: string }>;
  beforeAll(() => {
    expected = pyarrowRows(cases.map((c) => c.expected));
  }, 60_000);

  it("has cases", () => expect(cases.length).toBeGreaterThanOrEqual(8));

  for (const c of cases) {
    it(`${c.name} ${c.version}`, async () => {
      const want = expectedRows(expected, c.expected);
      const args = ["scan", join(DAT, c.name, "delta"), "--format", "ndjson", ...(c.version === "latest" ? [] : ["--version", c.version.slice(1)])];
      const r = await runCli(args);
      expect(r.stderr).toBe("");
      const got = r.stdout.trim() === "" ? [] : r.stdout.trim().split("\n").map((l) => JSON.parse(l) as unknown);
      expect(rowMultiset(got)).toEqual(rowMultiset(want));
    });
  }
});
