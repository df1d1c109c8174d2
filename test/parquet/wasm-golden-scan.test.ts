/**
 * The full golden scan with the parquet-wasm reader: every golden table with `expected/` scanned
 * through planScan + scanBatches with `reader` set to the wasm reader (all columns, the value
 * encoding of the CLI) gives exactly Spark's rows, as pyarrow reads them from `expected/`; and the
 * wasm path did the decoding (no fallback except INT96-only reads, which the JS decoder does).
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CONFORMANCE } from "../helpers/conformance.js";
import { expectedRows, pyarrowRows, rowMultiset } from "../helpers/oracle.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { openTable } from "../../src/core/table/open.js";
import { planScan } from "../../src/core/scan/plan.js";
import { scanBatches } from "../../src/core/scan/execute.js";
import { batchRows, formatRowJson } from "../../src/core/scan/rows.js";
import { fallbacks, wasmReader } from "./wasm-helpers.js";

const GOLDEN = join(CONFORMANCE, "golden");
const tables = readdirSync(GOLDEN)
  .filter((t) => existsSync(join(GOLDEN, t, "expected")) && existsSync(join(GOLDEN, t, "delta")))
  .sort();
/** Per-table scan options the data needs (as in test/scan/golden-expected.test.ts). */
const TIME_ZONE: Record<string, string> = { "data-reader-partition-values": "America/Los_Angeles" };

describe("golden tables scanned with the parquet-wasm reader equal Spark's expected rows", () => {
  let expected = new Map<string, { rows?: unknown[]; error?: string }>();
  beforeAll(() => {
    expected = pyarrowRows(tables.map((t) => join(GOLDEN, t, "expected")));
  }, 120_000);

  it("has golden tables with expected output", () => expect(tables.length).toBeGreaterThan(40));

  for (const t of tables) {
    it(t, async () => {
      const want = expectedRows(expected, join(GOLDEN, t, "expected"));
      const store = new LocalStore({ root: join(GOLDEN, t, "delta") });
      const snapshot = await openTable({ store });
      const plan = planScan(snapshot, TIME_ZONE[t] === undefined ? {} : { timeZone: TIME_ZONE[t] });
      const before = fallbacks.length;
      const got: unknown[] = [];
      for await (const b of scanBatches(plan, { store, reader: wasmReader })) {
        for (const row of batchRows(b, plan.outputFields)) got.push(formatRowJson(row, plan.outputFields));
      }
      expect(fallbacks.slice(before).filter((f) => !f.reason.startsWith("only INT96"))).toEqual([]);
      expect(got.length).toBe(want.length);
      expect(rowMultiset(got)).toEqual(rowMultiset(want));
    });
  }
});
