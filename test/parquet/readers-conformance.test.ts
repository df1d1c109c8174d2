/**
 * Both Parquet readers on the conformance data, each compared with pyarrow row by row: the data
 * files that the tables' commits add (Spark, Databricks/Photon, delta-rs / parquet-rs and
 * parquet-cpp writers: INT96 and INT64 timestamps, decimals as INT32/INT64/FLBA, Spark's legacy
 * list/map layouts, nested structs, dictionary and delta encodings, Snappy and ZSTD), Spark's
 * golden expected outputs (golden/<table>/expected/*.parquet) and every checkpoint file.
 * One suite, run for each reader (describe.each). The JS (hyparquet) reader reads everything;
 * to keep the runtime modest the parquet-wasm reader reads a subset — every table whose name
 * says it is about types or nesting and every fourth other one (it shares the JS reader's
 * planning, so the subset exercises its decoding), expected outputs under 1 MiB — and compares
 * two tables whose pyarrow JSON dump alone takes ~20 s each with the JS reader's reading instead.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { addedDataFiles, CONFORMANCE, goldenTablesWithExpected, parquetFilesUnder } from "./helpers/conformance.js";
import { expectSameAsPyarrow } from "./helpers/compare.js";
import { hasPyarrow, pyarrowColumns, type OracleResult } from "../helpers/oracle.js";
import { expectWasmSameAsJs, expectWasmSameAsPyarrow } from "./wasm-helpers.js";

/** Table roots: folders holding a _delta_log, up to three levels below each collection. */
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
const relativeName = (root: string): string => root.slice(CONFORMANCE.length + 1);

/** The type tables and every fourth other one. */
function typesAndEveryFourth<T>(items: readonly T[], name: (t: T) => string): T[] {
  let other = 0;
  return items.filter((t) => TYPE_TABLE.test(name(t)) || other++ % 4 === 0);
}

interface ReaderCase {
  name: string;
  /** Reads `file` with this reader and expects exactly pyarrow's reading. */
  expectFile: (file: string, oracle: OracleResult | undefined) => Promise<void>;
  /** Which tables (or golden tables) this reader reads. */
  pick: <T>(items: readonly T[], name: (t: T) => string) => T[];
  /** HEAVY tables: compared with the JS reader instead of pyarrow (undefined: read like the others). */
  heavy?: (file: string) => Promise<void>;
  /** Expected outputs larger than this are left out (their data files are read above). */
  maxExpectedBytes: number;
  minTables: number;
}

const READERS: ReaderCase[] = [
  { name: "hyparquet (JS)", expectFile: expectSameAsPyarrow, pick: (items) => [...items], maxExpectedBytes: Infinity, minTables: 100 },
  { name: "parquet-wasm", expectFile: expectWasmSameAsPyarrow, pick: typesAndEveryFourth, heavy: expectWasmSameAsJs, maxExpectedBytes: 1 << 20, minTables: 50 },
];

describe.each(READERS)("$name reader", (reader) => {
  describe.skipIf(!hasPyarrow)("conformance data files match pyarrow", () => {
    const all = COLLECTIONS.flatMap((c) => tableRoots(join(CONFORMANCE, c)))
      .map((root) => ({ root, files: addedDataFiles(root) }))
      .filter((t) => t.files.length > 0);
    const heavy = reader.heavy ? all.filter((t) => HEAVY.has(relativeName(t.root))) : [];
    const tables = reader.pick(all, (t) => relativeName(t.root)).filter((t) => !heavy.includes(t));
    // one pyarrow process for all files (a process per table costs more than the reading)
    let oracle = new Map<string, OracleResult>();
    beforeAll(() => {
      oracle = pyarrowColumns(tables.flatMap((t) => t.files));
    }, 300_000);
    it("finds the tables", () => expect(tables.length).toBeGreaterThan(reader.minTables));
    for (const { root, files } of tables) {
      it(relativeName(root), async () => {
        for (const file of files) await reader.expectFile(file, oracle.get(file));
      });
    }
    for (const { root, files } of heavy) {
      it(`${relativeName(root)} (same as the JS reader)`, async () => {
        for (const file of files) await reader.heavy?.(file);
      });
    }
  });

  describe.skipIf(!hasPyarrow)("golden expected outputs match pyarrow", () => {
    const golden = goldenTablesWithExpected();
    it("finds the golden tables", () => expect(golden.length).toBeGreaterThan(30));
    const tables = reader.pick(golden, (t) => t).map((table) => ({
      table,
      files: parquetFilesUnder(join(CONFORMANCE, "golden", table, "expected")).filter((f) => statSync(f).size < reader.maxExpectedBytes),
    }));
    let oracle = new Map<string, OracleResult>();
    beforeAll(() => {
      oracle = pyarrowColumns(tables.flatMap((t) => t.files));
    }, 300_000);
    for (const { table, files } of tables) {
      it(table, async () => {
        for (const file of files) await reader.expectFile(file, oracle.get(file));
      });
    }
  });

  describe.skipIf(!hasPyarrow)("checkpoint files match pyarrow", () => {
    for (const collection of COLLECTIONS) {
      const files = parquetFilesUnder(join(CONFORMANCE, collection)).filter((f) => f.includes("_delta_log"));
      if (files.length === 0) continue;
      it(`${collection} (${files.length} checkpoint files)`, async () => {
        const oracle = pyarrowColumns(files);
        for (const file of files) await reader.expectFile(file, oracle.get(file));
      });
    }
  });
});
