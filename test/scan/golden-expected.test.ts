/**
 * Every golden table with `expected/` gives exactly Spark's rows, compared with pyarrow reading
 * `expected/` (same value encoding, rows in any order), for each Parquet reader (describe.each):
 *
 * - hyparquet (JS): through `delta-edge scan --format ndjson`, as a user runs it (the CLI's
 *   default reader choice; every golden table is far below WASM_LOAD_BYTES, so that is the JS
 *   decoder), with an empty stderr and exit code 0;
 * - parquet-wasm: planScan + scanBatches with `reader` set to the wasm reader (all columns, the
 *   value encoding of the CLI), and the wasm path did the decoding (no fallback to the JS decoder
 *   except for INT96-only reads, which the JS decoder does).
 *
 * Driven from the folders: a new table becomes a new test for each reader.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { CONFORMANCE } from "../helpers/conformance.js";
import { expectedRows, pyarrowRows, rowMultiset } from "../helpers/oracle.js";
import { runCli } from "../cli/run-cli.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { openTable } from "../../src/core/table/open.js";
import { planScan } from "../../src/core/scan/plan.js";
import { scanBatches } from "../../src/core/scan/execute.js";
import { batchRows, formatRowJson } from "../../src/core/scan/rows.js";
import { fallbacks, wasmReader } from "../parquet/wasm-helpers.js";

const GOLDEN = join(CONFORMANCE, "golden");
const tables = readdirSync(GOLDEN)
  .filter((t) => existsSync(join(GOLDEN, t, "expected")) && existsSync(join(GOLDEN, t, "delta")))
  .sort();

/** Per-table scan time zone the data needs (see the conformance README "Traps"). */
const TIME_ZONE: Record<string, string> = { "data-reader-partition-values": "America/Los_Angeles" };

interface ReaderCase {
  name: string;
  /** Scans golden table `t` (all columns) and returns its rows in the CLI's JSON encoding. */
  scan: (t: string) => Promise<unknown[]>;
  /** Whether the tables may run concurrently (the wasm case counts fallbacks per table: no). */
  concurrent: boolean;
}

const READERS: ReaderCase[] = [
  {
    name: "hyparquet (JS) through the CLI",
    concurrent: true,
    scan: async (t) => {
      const tz = TIME_ZONE[t] === undefined ? [] : ["--time-zone", TIME_ZONE[t]];
      const r = await runCli(["scan", join(GOLDEN, t, "delta"), "--format", "ndjson", ...tz]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      return r.stdout.trim() === "" ? [] : r.stdout.trim().split("\n").map((l) => JSON.parse(l) as unknown);
    },
  },
  {
    name: "parquet-wasm",
    concurrent: false,
    scan: async (t) => {
      const store = new LocalStore({ root: join(GOLDEN, t, "delta") });
      const snapshot = await openTable({ store });
      const plan = planScan(snapshot, TIME_ZONE[t] === undefined ? {} : { timeZone: TIME_ZONE[t] });
      const before = fallbacks.length;
      const got: unknown[] = [];
      for await (const b of scanBatches(plan, { store, reader: wasmReader })) {
        for (const row of batchRows(b, plan.outputFields)) got.push(formatRowJson(row, plan.outputFields));
      }
      expect(fallbacks.slice(before).filter((f) => !f.reason.startsWith("only INT96"))).toEqual([]);
      return got;
    },
  },
];

describe("golden tables: scan equals Spark's expected rows", () => {
  let expected = new Map<string, { rows?: unknown[]; error?: string }>();
  beforeAll(() => {
    expected = pyarrowRows(tables.map((t) => join(GOLDEN, t, "expected")));
  }, 120_000);

  it("has golden tables with expected output", () => expect(tables.length).toBeGreaterThan(40));

  describe.each(READERS)("$name reader", (c) => {
    for (const t of tables) {
      (c.concurrent ? it.concurrent : it)(t, async () => {
        const want = expectedRows(expected, join(GOLDEN, t, "expected"));
        const got = await c.scan(t);
        expect(got.length).toBe(want.length);
        expect(rowMultiset(got)).toEqual(rowMultiset(want));
      });
    }
  });
});
