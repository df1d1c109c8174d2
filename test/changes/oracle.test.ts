/**
 * Every table of ../shared/conformance that has (or names) the change data feed, read through
 * readChanges for the whole range, every single version and suffix ranges, compared with an
 * independent oracle (test/helpers/expected_changes.py: the log read with plain JSON, the files
 * with pyarrow, deletion vectors from dv-fixtures): the same rows (all columns, including
 * `_commit_timestamp`), or the same refusal at the same version.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONFORMANCE, findTables, memoryStoreFromDir } from "../helpers/conformance.js";
import { changeOracle as oracle, rowMultiset, type ChangeOracle as Oracle } from "../helpers/oracle.js";
import { readChangeRows } from "../../src/core/changes/read-changes.js";
import { planChanges } from "../../src/core/changes/change-plan.js";
import { ChangeFeedError } from "../../src/core/changes/errors.js";
import { UnsupportedFeatureError } from "../../src/core/errors.js";
import { formatRowJson } from "../../src/core/scan/rows.js";

/** Tables whose log mentions the feed (its property, its writer feature or cdc actions). */
function cdfTables(): string[] {
  return findTables().filter((t) => {
    const log = join(CONFORMANCE, t, "_delta_log");
    return readdirSync(log).some((f) => f.endsWith(".json") && /changeDataFeed|ChangeDataFeed|"cdc"/.test(readFileSync(join(log, f), "utf8")));
  });
}

/** Tables left to other tests, with the reason. */
const ELSEWHERE = new Map([["kernel/table-with-cdf", "its data files are fake paths: ranges are checked without reading data in refusals.test.ts"]]);

function commitVersions(table: string): number[] {
  return readdirSync(join(CONFORMANCE, table, "_delta_log"))
    .filter((f) => /^\d{20}\.json$/.test(f))
    .map((f) => Number(f.slice(0, 20)))
    .sort((a, b) => a - b);
}

/** [start, end] pairs: every single version, and suffixes (the whole log among them) from every version of short logs, every fourth of longer ones. */
function ranges(versions: number[]): [number, number | undefined][] {
  const out: [number, number | undefined][] = [];
  const step = versions.length > 10 ? 4 : 1;
  versions.forEach((v, i) => {
    out.push([v, v]);
    if (i % step === 0) out.push([v, undefined]);
  });
  return out;
}

const tables = cdfTables().filter((t) => !ELSEWHERE.has(t));
const cases = tables.flatMap((t) => ranges(commitVersions(t)).map(([s, e]) => ({ table: t, start: s, end: e, arg: `${join(CONFORMANCE, t)}:${s}:${e ?? ""}` })));
const expected = oracle(cases.map((c) => c.arg));

describe("change data feed of every CDF conformance table = the independent oracle", () => {
  it("finds the feed's tables (kernel cdf-*, delta-rs cdf-table*, checkpoint-cdf-table, simple_table_with_cdc, cdc_ict_table, golden deltalog-getChanges)", () => {
    for (const t of [
      "kernel/cdf-table",
      "kernel/cdf-table-with-dv",
      "kernel/cdf-column-mapping-id-mode",
      "kernel/compacted-log-files-table",
      "delta-rs/cdf-table",
      "delta-rs/cdf-table-non-partitioned",
      "delta-rs/cdf-table-with-cdc-and-dvs",
      "delta-rs/checkpoint-cdf-table",
      "delta-rs/simple_table_with_cdc",
      "delta-rs/cdc_ict_table",
      "golden/deltalog-getChanges/delta",
    ]) {
      expect(tables).toContain(t);
    }
    expect(tables.length).toBeGreaterThanOrEqual(25);
  });

  for (const table of tables) {
    it(table, async () => {
      const store = memoryStoreFromDir(join(CONFORMANCE, table));
      let served = 0;
      for (const c of cases.filter((x) => x.table === table)) {
        const want = expected.get(c.arg) as Oracle;
        const label = `${table} [${c.start}, ${c.end ?? "latest"}]`;
        expect(want.error, `oracle error for ${label}`).toBeUndefined();
        const got = await feed(store, c.start, c.end);
        if (want.refusal !== undefined) {
          expect(got.error, `${label} should be refused (${want.refusal})`).toBeDefined();
          const err = got.error as Error;
          if (want.refusal === "unsupportedFeature") expect(err).toBeInstanceOf(UnsupportedFeatureError);
          else {
            expect(err, `${label}: ${err.message}`).toBeInstanceOf(ChangeFeedError);
            expect((err as ChangeFeedError).refusal, label).toBe(want.refusal);
          }
          expect((err as ChangeFeedError).version, label).toBe(want.version);
          expect(err.message).toContain(`version ${String(want.version)}`);
        } else {
          if (got.error) throw new Error(`${label}: ${got.error.message}`);
          expect(rowMultiset(got.rows), label).toEqual(rowMultiset(want.rows as unknown[]));
          served++;
        }
      }
      // Every table with the feed on somewhere serves some range (the others only refuse).
      if (!["golden/deltalog-getChanges/delta", "delta-rs/simple_table_features", "delta-rs/table_with_partitioning_mapping", "golden-noexpected/commit-info-containing-arbitrary-operationParams-types"].includes(table)) {
        expect(served).toBeGreaterThan(0);
      }
    });
  }
});

async function feed(store: ReturnType<typeof memoryStoreFromDir>, start: number, end: number | undefined): Promise<{ rows: unknown[]; error?: Error }> {
  try {
    const plan = await planChanges({ store, startingVersion: start, endingVersion: end });
    const rows: unknown[] = [];
    for await (const r of readChangeRows({ store, startingVersion: start, endingVersion: end })) rows.push(formatRowJson(r, plan.outputFields ?? []));
    return { rows };
  } catch (error) {
    return { rows: [], error: error as Error };
  }
}
