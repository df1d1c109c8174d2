/**
 * Files written by pyarrow at test time (codecs, page versions, encodings, every primitive type,
 * deep nesting, many row groups), read with the hyparquet adapter (all columns, target = the
 * file's own schema) and compared with pyarrow's reading.
 */
import type { Decimal } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectSameColumns } from "./helpers/compare.js";
import { generateFiles, generated, type GeneratedFiles } from "./helpers/generated.js";
import { hasPyarrow, pyarrowColumns, type OracleResult } from "../helpers/oracle.js";
import { readRows } from "./helpers/read.js";
import { fileSource } from "./helpers/sources.js";

const NAMES = [
  "codec-none.parquet", "codec-snappy.parquet", "codec-gzip.parquet", "codec-brotli.parquet", "codec-lz4.parquet",
  "codec-zstd.parquet", "page-v2.parquet", "page-v2-uncompressed.parquet", "plain-v1-small-pages.parquet",
  "encodings.parquet", "dictionary-fallback.parquet", "types.parquet", "types-decimal-as-int.parquet",
  "types-legacy-converted.parquet", "int96.parquet", "nested.parquet", "nested-noncompliant-names.parquet",
  "multi-row-groups.parquet", "field-ids.parquet", "empty.parquet",
];

describe.skipIf(!hasPyarrow)("pyarrow-written files match pyarrow", () => {
  let gen: GeneratedFiles | undefined;
  let oracle = new Map<string, OracleResult>();
  beforeAll(() => {
    gen = generateFiles();
    oracle = pyarrowColumns(NAMES.map((n) => generated(gen, n)));
  });
  afterAll(() => gen?.cleanup());

  for (const name of NAMES) {
    it(name, async () => {
      const file = generated(gen, name);
      const { batches } = await readRows(fileSource(file), { batchSize: 1000 });
      expectSameColumns(file, batches, oracle.get(file));
    });
  }

  // Known limit (hyparquet 1.33.0 with Arrow C++ writers): for nested columns Arrow C++ writes a
  // DataPageV2 num_nulls that counts only nulls below the innermost list, while hyparquet takes
  // num_values - num_nulls as the number of encoded values (as the spec says) and runs off the
  // page. pyarrow counts definition levels instead. This flips to passing when either is fixed.
  it.fails("nested-v2-small-pages.parquet (Arrow C++ DataPageV2 num_nulls, see comment)", async () => {
    const file = generated(gen, "nested-v2-small-pages.parquet");
    const { batches } = await readRows(fileSource(file), { batchSize: 1000 });
    expectSameColumns(file, batches, pyarrowColumns([file]).get(file));
  });

  it("derives pyarrow's types for every primitive", async () => {
    const { metadata } = await readRows(fileSource(generated(gen, "types.parquet")), {});
    const types = Object.fromEntries(metadata.schema.fields.map((f) => [f.name, String(f.type)]));
    expect(types).toMatchObject({
      i8: "Int8", u64: "Uint64", f16: "Float16", fsb: "FixedSizeBinary[3]",       date: "Date32<DAY>", ts_ms: "Timestamp<MILLISECOND, UTC>", ts_us_ntz: "Timestamp<MICROSECOND>",
      ts_ns: "Timestamp<NANOSECOND, UTC>", t_ms: "Time32<MILLISECOND>", t_us: "Time64<MICROSECOND>",
    });
    const dec = metadata.schema.fields.find((f) => f.name === "dec38_10")!.type as Decimal;
    expect([dec.precision, dec.scale, dec.bitWidth]).toEqual([38, 10, 128]);
  });
});
