/**
 * Files written by pyarrow at test time (codecs, page versions, encodings, every primitive type,
 * INT96, deep nesting, legacy nested layouts, many row groups, field ids), read with each Parquet
 * reader (all columns, target = the file's own schema) and compared with pyarrow's reading. One
 * suite, run for each reader (describe.each); the parquet-wasm reader must also have decoded
 * every file itself (no fallback to the JS decoder, except the INT96-only file, which is the JS
 * decoder's: wasm-mixed.ts). pyarrow's "LZ4" is LZ4_RAW, which both readers decode.
 */
import type { Decimal } from "apache-arrow";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ParquetReader } from "../../src/core/parquet/reader.js";
import { expectSameColumns } from "./helpers/compare.js";
import { generateFiles, generated, type GeneratedFiles } from "./helpers/generated.js";
import { hasPyarrow, pyarrowColumns, type OracleResult } from "../helpers/oracle.js";
import { reader as jsReader, readWith } from "./helpers/read.js";
import { fileSource } from "./helpers/sources.js";
import { expectWasmSameAsPyarrow, wasmReader } from "./wasm-helpers.js";

const NAMES = [
  "codec-none.parquet", "codec-snappy.parquet", "codec-gzip.parquet", "codec-brotli.parquet", "codec-lz4.parquet",
  "codec-zstd.parquet", "page-v2.parquet", "page-v2-uncompressed.parquet", "plain-v1-small-pages.parquet",
  "encodings.parquet", "dictionary-fallback.parquet", "types.parquet", "types-decimal-as-int.parquet",
  "types-legacy-converted.parquet", "int96.parquet", "nested.parquet", "nested-noncompliant-names.parquet",
  "multi-row-groups.parquet", "field-ids.parquet", "empty.parquet", "nested-v2-small-pages.parquet",
];
const LEGACY_WRITER = fileURLToPath(new URL("./helpers/legacy_writer.py", import.meta.url));

interface ReaderCase {
  name: string;
  reader: ParquetReader;
  /** Reads `file` (all columns) and expects exactly pyarrow's reading. */
  expectFile: (file: string, oracle: OracleResult | undefined) => Promise<void>;
  /** Files this reader is known not to read yet (`it.fails`, with the reason). */
  knownFailures: Record<string, string>;
}

const READERS: ReaderCase[] = [
  {
    name: "hyparquet (JS)",
    reader: jsReader,
    expectFile: async (file, oracle) => {
      const { batches } = await readWith(jsReader, fileSource(file), { batchSize: 1000 });
      expectSameColumns(file, batches, oracle);
    },
    // Known limit (hyparquet 1.33.0 with Arrow C++ writers): for nested columns Arrow C++ writes a
    // DataPageV2 num_nulls that counts only nulls below the innermost list, while hyparquet takes
    // num_values - num_nulls as the number of encoded values (as the spec says) and runs off the
    // page. pyarrow counts definition levels instead. This flips to passing when either is fixed.
    knownFailures: { "nested-v2-small-pages.parquet": "Arrow C++ DataPageV2 num_nulls, see comment" },
  },
  {
    name: "parquet-wasm",
    reader: wasmReader,
    expectFile: (file, oracle) => expectWasmSameAsPyarrow(file, oracle, file.endsWith("/int96.parquet")),
    knownFailures: {},
  },
];

describe.skipIf(!hasPyarrow)("pyarrow-written files match pyarrow", () => {
  let gen: GeneratedFiles | undefined;
  let legacy: GeneratedFiles | undefined;
  let oracle = new Map<string, OracleResult>();
  beforeAll(() => {
    gen = generateFiles();
    legacy = generateFiles(LEGACY_WRITER);
    oracle = pyarrowColumns([...NAMES.map((n) => generated(gen, n)), generated(legacy, "legacy-nested.parquet")]);
  });
  afterAll(() => {
    gen?.cleanup();
    legacy?.cleanup();
  });

  describe.each(READERS)("$name reader", (c) => {
    for (const name of NAMES) {
      const why = c.knownFailures[name];
      (why === undefined ? it : it.fails)(why === undefined ? name : `${name} (${why})`, async () => {
        const file = generated(gen, name);
        await c.expectFile(file, oracle.get(file));
      });
    }

    it("legacy nested layouts", async () => {
      const file = generated(legacy, "legacy-nested.parquet");
      await c.expectFile(file, oracle.get(file));
    });

    it("derives pyarrow's types for every primitive", async () => {
      const { metadata } = await readWith(c.reader, fileSource(generated(gen, "types.parquet")));
      const types = Object.fromEntries(metadata.schema.fields.map((f) => [f.name, String(f.type)]));
      expect(types).toMatchObject({
        i8: "Int8", u64: "Uint64", f16: "Float16", fsb: "FixedSizeBinary[3]", date: "Date32<DAY>", ts_ms: "Timestamp<MILLISECOND, UTC>", ts_us_ntz: "Timestamp<MICROSECOND>",
        ts_ns: "Timestamp<NANOSECOND, UTC>", t_ms: "Time32<MILLISECOND>", t_us: "Time64<MICROSECOND>",
      });
      const dec = metadata.schema.fields.find((f) => f.name === "dec38_10")!.type as Decimal;
      expect([dec.precision, dec.scale, dec.bitWidth]).toEqual([38, 10, 128]);
    });
  });
});
