/**
 * The parquet-wasm reader on the pyarrow-written files (codecs, page versions, encodings, every
 * primitive type, INT96, deep nesting, legacy layouts, many row groups, field ids), compared with
 * pyarrow like the JS reader's tests (pyarrow's "LZ4" is LZ4_RAW, which parquet-wasm decodes).
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, it } from "vitest";
import { generateFiles, generated, type GeneratedFiles } from "./helpers/generated.js";
import { hasPyarrow, pyarrowColumns, type OracleResult } from "../helpers/oracle.js";
import { expectWasmSameAsPyarrow } from "./wasm-helpers.js";

const NAMES = [
  "codec-none.parquet", "codec-snappy.parquet", "codec-gzip.parquet", "codec-brotli.parquet",
  "codec-zstd.parquet", "page-v2.parquet", "page-v2-uncompressed.parquet", "plain-v1-small-pages.parquet",
  "encodings.parquet", "dictionary-fallback.parquet", "types.parquet", "types-decimal-as-int.parquet",
  "types-legacy-converted.parquet", "int96.parquet", "nested.parquet", "nested-noncompliant-names.parquet",
  "multi-row-groups.parquet", "field-ids.parquet", "empty.parquet", "nested-v2-small-pages.parquet", "codec-lz4.parquet",
];
const LEGACY_WRITER = fileURLToPath(new URL("./helpers/legacy_writer.py", import.meta.url));

describe.skipIf(!hasPyarrow)("wasm reader: pyarrow-written files match pyarrow", () => {
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

  for (const name of NAMES) {
    it(name, async () => {
      const file = generated(gen, name);
      // a file of INT96 only is the JS decoder's (wasm-mixed.ts)
      await expectWasmSameAsPyarrow(file, oracle.get(file), name === "int96.parquet");
    });
  }

  it("legacy nested layouts", async () => {
    const file = generated(legacy, "legacy-nested.parquet");
    await expectWasmSameAsPyarrow(file, oracle.get(file));
  });
});
