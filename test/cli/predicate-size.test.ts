/**
 * `--where` of any length through the CLI: 5000 OR terms, 5000 AND terms and a 12k-item IN list
 * filter rows (scan) and files (files) correctly; nesting past the bound (10000 parentheses,
 * NOT NOT ...) is one line on stderr naming the bound, exit 1, no stack trace.
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { CONFORMANCE } from "../helpers/conformance.js";
import { runCli } from "./run-cli.js";

const TABLE = join(CONFORMANCE, "golden/data-reader-primitives/delta");
const ints = async (where: string, extra: string[] = []) => {
  const r = await runCli(["scan", TABLE, "--columns", "as_int", "--where", where, ...extra]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return r.stdout
    .trim()
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => (JSON.parse(l) as { as_int: number }).as_int)
    .sort((a, b) => a - b);
};

describe("CLI --where size", () => {
  it("5000 OR terms, 5000 AND terms and a 12000-item IN list (argv caps one argument at 128 KiB)", async () => {
    expect(await ints(Array.from({ length: 5000 }, (_, i) => `as_int = ${i * 3}`).join(" OR "))).toEqual([0, 3, 6, 9]);
    expect(await ints(Array.from({ length: 5000 }, (_, i) => `as_int != ${i + 2}`).join(" AND "))).toEqual([0, 1]);
    expect(await ints(`as_long IN (${Array.from({ length: 12000 }, (_, i) => i * 2 + 1).join(", ")})`)).toEqual([1, 3, 5, 7, 9]);
    // files: stats prune with the same predicate (one file per (part, id) in this table)
    const skipping = join(CONFORMANCE, "golden/data-skipping-partition-and-data-column/delta");
    const files = await runCli(["files", skipping, "--where", Array.from({ length: 3000 }, (_, i) => `(part = ${i + 1} AND id = ${i})`).join(" OR ")]);
    expect(files.stderr).toBe("");
    expect(files.stdout.trim().split("\n").length).toBe(1); // only part = 1 AND id = 0
  });

  it("nesting past the bound is a one-line error naming it", async () => {
    for (const where of [`${"(".repeat(10000)}as_int = 1${")".repeat(10000)}`, `${"NOT ".repeat(10000)}as_int = 1`]) {
      for (const command of ["scan", "files"]) {
        const r = await runCli([command, TABLE, "--where", where]);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(new RegExp(`^delta-edge ${command}: .*: INVALID_INPUT: predicate nests deeper than 256 levels .*version 0\\)\\n$`));
        expect(r.stderr.length).toBeLessThan(2000);
      }
    }
  });
});
