/**
 * The reader must load where compiling WebAssembly from bytes is forbidden (Cloudflare Workers):
 * importing it and decoding Snappy, ZSTD, GZIP, Brotli and LZ4 files never compiles a wasm module.
 */
import { describe, expect, it, vi } from "vitest";
import { generatedForSuite } from "./helpers/generated.js";
import { hasPyarrow } from "../helpers/oracle.js";
import { fileSource } from "./helpers/sources.js";

describe.skipIf(!hasPyarrow)("worker safety", () => {
  const file = generatedForSuite();

  it("imports and decodes every codec without compiling WebAssembly", async () => {
    const compile = vi.spyOn(WebAssembly, "Module");
    const instantiate = vi.spyOn(WebAssembly, "instantiate");
    const { createHyparquetReader } = await import("../../src/core/parquet/index.js");
    const reader = createHyparquetReader();
    for (const codec of ["snappy", "zstd", "gzip", "brotli", "lz4", "none"]) {
      const source = fileSource(file(`codec-${codec}.parquet`));
      const metadata = await reader.readMetadata(source);
      let rows = 0;
      for await (const batch of reader.read({ source, metadata, targetSchema: metadata.schema })) rows += batch.numRows;
      expect(rows).toBe(300);
    }
    expect(compile).not.toHaveBeenCalled();
    expect(instantiate).not.toHaveBeenCalled();
  });
});
