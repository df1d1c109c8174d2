/**
 * Every Spark-written expected output of the golden tables (golden/<table>/expected/*.parquet),
 * read with the hyparquet adapter (all columns, target = the file's own schema), must equal
 * pyarrow's reading row for row.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONFORMANCE, goldenTablesWithExpected, parquetFilesUnder } from "./helpers/conformance.js";
import { expectSameAsPyarrow } from "./helpers/compare.js";
import { hasPyarrow, pyarrowRows } from "./helpers/oracle.js";

describe.skipIf(!hasPyarrow)("golden expected outputs match pyarrow", () => {
  const tables = goldenTablesWithExpected();
  it("finds the golden tables", () => expect(tables.length).toBeGreaterThan(30));
  for (const table of tables) {
    it(table, async () => {
      const files = parquetFilesUnder(join(CONFORMANCE, "golden", table, "expected"));
      const oracle = pyarrowRows(files);
      for (const file of files) await expectSameAsPyarrow(file, oracle.get(file));
    });
  }
});
