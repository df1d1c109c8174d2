/**
 * The parquet-wasm reader on the conformance data: Spark's golden expected outputs and the data
 * files that the tables' commits add (Spark, Databricks/Photon, delta-rs and parquet-cpp writers:
 * INT96 and INT64 timestamps, decimals as INT32/INT64/FLBA, legacy list/map layouts, nested
 * structs, dictionary and delta encodings, Snappy and ZSTD), plus checkpoint files, each compared
 * with pyarrow row by row. To keep the runtime modest this is a subset: every table whose name
 * says it is about types or nesting, and every fourth of the others (the JS reader's tests read
 * them all; the wasm reader shares its planning, so the subset exercises the decoding). Two
 * tables whose pyarrow JSON dump alone takes ~20 s each are compared with the JS reader's reading
 * instead (itself checked against pyarrow in conformance-data.test.ts).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { addedDataFiles, CONFORMANCE, goldenTablesWithExpected, parquetFilesUnder } from "./helpers/conformance.js";
import { hasPyarrow, pyarrowRows, type OracleResult } from "./helpers/oracle.js";
import { expectWasmSameAsJs, expectWasmSameAsPyarrow } from "./wasm-helpers.js";

function tableRoots(dir: string, depth = 0): string[] {
  if (!existsSync(dir)) return [];
  if (existsSync(join(dir, "_delta_log"))) return [dir];
  if (depth > 3) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => tableRoots(join(dir, d.name), depth + 1));
}

const COLLECTIONS = ["golden", "golden-noexpected", "delta-rs", "delta-rs-err-logs", "kernel", "dat"];
const HEAVY = new Set(["delta-rs/COVID-19_NYT", "golden/parquet-decimal-dictionaries/delta"]);
const TYPE_TABLE = /type|decimal|timestamp|date|primitive|nested|struct|array|map|variant|null|geo|edge|mapping|partition_cm|collation|widening/i;

/** The type tables and every fourth other one. */
function subset<T>(items: readonly T[], name: (t: T) => string): T[] {
  let other = 0;
  return items.filter((t) => TYPE_TABLE.test(name(t)) || other++ % 4 === 0);
}

describe.skipIf(!hasPyarrow)("wasm reader: conformance data files match pyarrow", () => {
  const all = COLLECTIONS.flatMap((c) => tableRoots(join(CONFORMANCE, c)))
    .map((root) => ({ root, files: addedDataFiles(root) }))
    .filter((t) => t.files.length > 0);
  const tables = subset(all, (t) => t.root.slice(CONFORMANCE.length + 1)).filter((t) => !HEAVY.has(t.root.slice(CONFORMANCE.length + 1)));
  const heavy = all.filter((t) => HEAVY.has(t.root.slice(CONFORMANCE.length + 1)));
  let oracle = new Map<string, OracleResult>();
  beforeAll(() => {
    oracle = pyarrowRows(tables.flatMap((t) => t.files));
  });
  it("finds the tables", () => expect(tables.length).toBeGreaterThan(50));
  for (const { root, files } of tables) {
    it(root.slice(CONFORMANCE.length + 1), async () => {
      for (const file of files) await expectWasmSameAsPyarrow(file, oracle.get(file));
    });
  }
  for (const { root, files } of heavy) {
    it(`${root.slice(CONFORMANCE.length + 1)} (same as the JS reader)`, async () => {
      for (const file of files) await expectWasmSameAsJs(file);
    });
  }
});

describe.skipIf(!hasPyarrow)("wasm reader: golden expected outputs match pyarrow", () => {
  const tables = subset(goldenTablesWithExpected(), (t) => t).map((t) => ({
    table: t,
    // the two multi-megabyte decimal outputs are left out: their data files are read above
    files: parquetFilesUnder(join(CONFORMANCE, "golden", t, "expected")).filter((f) => statSync(f).size < 1 << 20),
  }));
  let oracle = new Map<string, OracleResult>();
  beforeAll(() => {
    oracle = pyarrowRows(tables.flatMap((t) => t.files));
  });
  for (const { table, files } of tables) {
    it(table, async () => {
      for (const file of files) await expectWasmSameAsPyarrow(file, oracle.get(file));
    });
  }
});

describe.skipIf(!hasPyarrow)("wasm reader: checkpoint files match pyarrow", () => {
  const files = COLLECTIONS.flatMap((c) => parquetFilesUnder(join(CONFORMANCE, c)).filter((f) => f.includes("_delta_log")));
  it(`${files.length} checkpoint files`, async () => {
    const oracle = pyarrowRows(files);
    for (const file of files) await expectWasmSameAsPyarrow(file, oracle.get(file));
  });
});
