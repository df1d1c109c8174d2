/**
 * The data files that the conformance tables' commits add (Spark, Databricks/Photon, delta-rs /
 * parquet-rs and parquet-cpp writers: INT96 and INT64 timestamps, decimals as INT32/INT64/FLBA,
 * Spark's legacy list/map layouts, nested structs, dictionary and delta encodings, Snappy and
 * ZSTD), and every checkpoint Parquet file, read with the hyparquet adapter and compared with
 * pyarrow row by row.
 */
import { readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { addedDataFiles, CONFORMANCE, parquetFilesUnder } from "./helpers/conformance.js";
import { expectSameAsPyarrow } from "./helpers/compare.js";
import { hasPyarrow, pyarrowRows, type OracleResult } from "./helpers/oracle.js";

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

describe.skipIf(!hasPyarrow)("conformance data files match pyarrow", () => {
  const tables = COLLECTIONS.flatMap((c) => tableRoots(join(CONFORMANCE, c)))
    .map((root) => ({ root, files: addedDataFiles(root) }))
    .filter((t) => t.files.length > 0);
  // one pyarrow process for all files (a process per table costs more than the reading)
  let oracle = new Map<string, OracleResult>();
  beforeAll(() => {
    oracle = pyarrowRows(tables.flatMap((t) => t.files));
  });
  it("finds the tables", () => expect(tables.length).toBeGreaterThan(100));
  for (const { root, files } of tables) {
    it(root.slice(CONFORMANCE.length + 1), async () => {
      for (const file of files) await expectSameAsPyarrow(file, oracle.get(file));
    });
  }
});

describe.skipIf(!hasPyarrow)("checkpoint files match pyarrow", () => {
  for (const collection of COLLECTIONS) {
    const files = parquetFilesUnder(join(CONFORMANCE, collection)).filter((f) => f.includes("_delta_log"));
    if (files.length === 0) continue;
    it(`${collection} (${files.length} checkpoint files)`, async () => {
      const oracle = pyarrowRows(files);
      for (const file of files) await expectSameAsPyarrow(file, oracle.get(file));
    });
  }
});
