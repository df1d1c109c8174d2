/**
 * delta-edge/duckdb on every golden table with Spark's expected output: attachDeltaTable into
 * duckdb-wasm (its Node build, the same wasm as in a browser), then `SELECT * FROM t` read back
 * as DuckDB's own Arrow IPC, gives exactly Spark's rows (pyarrow reading expected/) and exactly
 * our scan's rows, in the value encoding of DESIGN.md; and DuckDB's column types (DESCRIBE) are
 * the DuckDB types of the Delta schema: DECIMAL(p,s), TIMESTAMP WITH TIME ZONE for timestamp,
 * TIMESTAMP for timestamp_ntz, DATE, BLOB, STRUCT, lists and MAPs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { attachDeltaTable } from "../../src/duckdb/index.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { openTable } from "../../src/core/table/open.js";
import { planScan } from "../../src/core/scan/plan.js";
import { readRows } from "../../src/core/scan/read.js";
import { formatRowJson } from "../../src/core/scan/rows.js";
import { CONFORMANCE, GOLDEN_TIME_ZONE } from "../helpers/conformance.js";
import { goldenTablesWithExpected } from "../parquet/helpers/conformance.js";
import { pyarrowRows, rowMultiset } from "../helpers/oracle.js";
import { nodeDuckDB, type NodeDuckDB } from "./node-duckdb.js";
import { duckRows, duckType } from "./duck-rows.js";

const GOLDEN = join(CONFORMANCE, "golden");
const tables = goldenTablesWithExpected();

describe("delta-edge/duckdb on the golden tables: SELECT * equals Spark's rows and our scan", () => {
  let duck: NodeDuckDB;
  let expected: Map<string, { rows?: unknown[]; error?: string }>;
  beforeAll(async () => {
    [duck, expected] = await Promise.all([nodeDuckDB(), Promise.resolve().then(() => pyarrowRows(tables.map((t) => join(GOLDEN, t, "expected"))))]);
  }, 120_000);
  afterAll(() => duck?.close());

  it("has golden tables with expected output", () => expect(tables.length).toBeGreaterThan(40));

  // One DuckDB, so the tables run one after another (each replaces `t`).
  for (const t of tables) {
    it(t, async () => {
      const want = expected.get(join(GOLDEN, t, "expected"));
      expect(want?.error, "pyarrow could not read expected/").toBeUndefined();
      const store = new LocalStore({ root: join(GOLDEN, t, "delta") });
      const timeZone = GOLDEN_TIME_ZONE[t];
      const attached = await attachDeltaTable(duck.conn, { name: "t", store, timeZone });
      const got = rowMultiset(duckRows(duck.sql("SELECT * FROM t")));
      expect(got.length).toBe(want?.rows?.length);
      expect(attached.rows).toBe(got.length);
      expect(firstDifference(got, rowMultiset(want?.rows ?? [])), "DuckDB vs Spark").toBeUndefined();

      const snapshot = await openTable({ store });
      const plan = planScan(snapshot, { timeZone });
      const ours: unknown[] = [];
      for await (const row of readRows({ store, snapshot, timeZone })) ours.push(formatRowJson(row, plan.outputFields));
      expect(firstDifference(got, rowMultiset(ours)), "DuckDB vs our scan").toBeUndefined();

      const described = duckRows(duck.sql("DESCRIBE t")) as Array<{ column_name: string; column_type: string }>;
      expect(described.map((d) => [d.column_name, d.column_type])).toEqual(plan.outputFields.map((f) => [f.name, duckType(f.type)]));
      // parquet-decimal-dictionaries has 10^6 rows: ~20 s alone, more on a busy machine.
    }, 240_000);
  }
});

/** The first differing position of two sorted row lists (undefined when equal): cheap on 10^6 rows. */
function firstDifference(a: string[], b: string[]): { index: number; got: string | undefined; want: string | undefined } | undefined {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return { index: i, got: a[i], want: b[i] };
  return undefined;
}
