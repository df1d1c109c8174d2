/**
 * Scans over a flaky HTTP origin: 40 conformance tables served by the loopback static server, once
 * as is and once with 20% of requests failing (500, 503, connection resets before the answer,
 * bodies cut after full headers), faults chosen by a fixed seed. Through HttpStore's retries every
 * scan must return exactly the rows of the fault-free scan (before retries, 39 of 40 failed).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONFORMANCE } from "../helpers/conformance.js";
import { FaultPlan, type HttpFault } from "../helpers/faults.js";
import { startStaticServer, type StaticServer } from "../helpers/static-server.js";
import { HttpStore } from "../../src/core/storage/http.js";
import { readRows } from "../../src/core/scan/read.js";

/** Small tables from every group of the conformance data (checkpoints, DVs, column mapping, CDF, partitions, ...). */
const TABLES = [
  "dat/reader_tests/generated/basic_append/delta",
  "delta-rs/cdc_ict_table",
  "delta-rs/checkpoint-cdf-table",
  "delta-rs/delta-0.8-empty",
  "delta-rs/delta-0.8.0-numeric-partition",
  "delta-rs/delta-2.2.0-partitioned-types",
  "delta-rs/golden/data-reader-array-primitives",
  "delta-rs/partition-type-primitives",
  "delta-rs/simple_table_with_cdc",
  "delta-rs/table-without-dv-small",
  "delta-rs/table_with_edge_timestamps",
  "golden-noexpected/collations-preview-table",
  "golden-noexpected/data-reader-date-types-UTC",
  "golden-noexpected/type-widening",
  "golden/basic-decimal-table/delta",
  "golden/canonicalized-paths-special-a/delta",
  "golden/data-reader-date-types-America/delta",
  "golden/data-reader-nested-struct/delta",
  "golden/data-reader-timestamp_ntz-name-mode/delta",
  "golden/data-skipping-partition-and-data-column/delta",
  "golden/hive/delta/deltatbl-deleted-path",
  "golden/hive/delta/deltatbl-not-allow-write",
  "golden/hive/delta/deltatbl-special-chars-in-partition-column",
  "golden/log-replay-latest-metadata-protocol/delta",
  "golden/basic-with-inserts-updates/delta",
  "golden/snapshot-data3/delta",
  "golden/time-travel-schema-changes-a/delta",
  "kernel/app-txn-checkpoint",
  "kernel/cdf-column-mapping-id-mode",
  "kernel/cdf-table-backtick-column-names",
  "kernel/cdf-table-delete-unconditional",
  "kernel/cdf-table-update-ops",
  "kernel/crc-full",
  "kernel/parquet_row_group_skipping",
  "kernel/partition_cm/none",
  "kernel/table-with-dv-small",
  "kernel/type-widening",
  "kernel/v1-single-part-struct-stats-only",
  "kernel/v2-checkpoints-parquet-with-last-checkpoint",
  "kernel/v2-classic-checkpoint-parquet",
];

/** Every row of a table as sorted JSON lines (bigints and bytes made printable). */
async function scanRows(store: HttpStore): Promise<string[]> {
  const out: string[] = [];
  for await (const row of readRows({ store })) {
    out.push(JSON.stringify(row, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v instanceof Uint8Array ? [...v] : v)));
  }
  return out.sort();
}

const urlOf = (server: StaticServer, table: string): string => `${server.url}/${table.split("/").map(encodeURIComponent).join("/")}`;

describe("scans over a flaky HTTP origin (20% of requests fail)", () => {
  let clean: StaticServer;
  let flaky: StaticServer;
  const plan = new FaultPlan<HttpFault>({ seed: 20240917, rate: 0.2, kinds: ["500", "503", "reset", "cut"] });

  beforeAll(async () => {
    clean = await startStaticServer({ root: CONFORMANCE });
    flaky = await startStaticServer({ root: CONFORMANCE, faults: plan });
  });
  afterAll(async () => {
    await clean?.stop();
    await flaky?.stop();
  });

  it("returns the fault-free rows for each of 40 conformance tables", async () => {
    const failed: string[] = [];
    for (const table of TABLES) {
      const expected = await scanRows(new HttpStore({ url: urlOf(clean, table) }));
      // Short backoffs keep the test fast; the retry decisions are the same as with the defaults.
      const store = new HttpStore({ url: urlOf(flaky, table), client: { retryInitialBackoffMs: 1, retryMaxBackoffMs: 10 } });
      const got = await scanRows(store).catch((error: unknown) => {
        failed.push(`${table}: ${String(error)}`);
        return undefined;
      });
      if (got !== undefined) expect(got, table).toEqual(expected);
    }
    expect(failed).toEqual([]);
    // The faults really happened, of every kind, at about the planned rate.
    for (const kind of plan.options.kinds) expect(plan.injected.get(kind) ?? 0, kind).toBeGreaterThan(10);
    expect(plan.total / plan.decisions).toBeGreaterThan(0.15);
  }, 120_000);
});
