/**
 * Footer reading and failure modes: files that are not Parquet, truncated or encrypted footers,
 * short reads, corrupt column chunks. Every failure is a DeltaError naming the file.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DeltaError, UnsupportedFeatureError } from "../../src/core/errors.js";
import { ParquetFormatError } from "../../src/core/parquet/errors.js";
import { readFooterBytes } from "../../src/core/parquet/footer.js";
import { generatedForSuite } from "./helpers/generated.js";
import { hasPyarrow } from "../helpers/oracle.js";
import { readRows, reader } from "./helpers/read.js";
import { bytesSource } from "./helpers/sources.js";

const te = new TextEncoder();

describe("footer errors (no pyarrow needed)", () => {
  it("rejects files that are not Parquet, naming the file", async () => {
    await expect(reader.readMetadata(bytesSource(te.encode("hello, this is not parquet"), "x/y.parquet"))).rejects.toThrow(
      /not a Parquet file.*path x\/y\.parquet/,
    );
    await expect(reader.readMetadata(bytesSource(new Uint8Array(5)))).rejects.toBeInstanceOf(ParquetFormatError);
  });

  it("rejects encrypted footers as an unsupported feature", async () => {
    const bytes = te.encode("PAR1....................PARE");
    await expect(reader.readMetadata(bytesSource(bytes))).rejects.toBeInstanceOf(UnsupportedFeatureError);
  });

  it("rejects a footer length beyond the file and an unparsable footer", async () => {
    const big = new Uint8Array(32);
    big.set(te.encode("PAR1"), 0);
    new DataView(big.buffer).setUint32(24, 1000, true);
    big.set(te.encode("PAR1"), 28);
    await expect(reader.readMetadata(bytesSource(big))).rejects.toThrow(/exceeds the file size/);
    const junk = new Uint8Array(40).fill(0xff);
    junk.set(te.encode("PAR1"), 0);
    new DataView(junk.buffer).setUint32(32, 20, true);
    junk.set(te.encode("PAR1"), 36);
    await expect(reader.readMetadata(bytesSource(junk))).rejects.toBeInstanceOf(ParquetFormatError);
  });

  it("rejects short reads from the source", async () => {
    const source = { byteLength: 100, path: "short.parquet", read: async () => new Uint8Array(3) };
    await expect(readFooterBytes(source)).rejects.toThrow(/short read/);
  });
});

describe.skipIf(!hasPyarrow)("footer and data with real files", () => {
  const file = generatedForSuite();

  it("reads a whole small file's footer in one request and describes it", async () => {
    const bytes = new Uint8Array(readFileSync(file("codec-snappy.parquet")));
    const footer = await readFooterBytes(bytesSource(bytes));
    expect(footer.byteLength).toBeLessThan(bytes.byteLength);
    const metadata = await reader.readMetadata(bytesSource(bytes));
    expect(metadata.numRows).toBe(300);
    expect(metadata.rowGroups).toEqual([{ numRows: 300, firstRow: 0, compressedBytes: expect.any(Number) }]);
    expect(metadata.columnChunks[0]!.map((c) => c.path.join("."))).toEqual(["i", "l", "s", "d", "b"]);
    expect(metadata.createdBy).toMatch(/parquet-cpp-arrow/);
    expect(metadata.keyValueMetadata.has("ARROW:schema")).toBe(true);
  });

  it("reports corrupt column chunks as ParquetFormatError naming the file", async () => {
    const bytes = new Uint8Array(readFileSync(file("codec-snappy.parquet")));
    const metadata = await reader.readMetadata(bytesSource(bytes));
    const chunk = metadata.columnChunks[0]![2]!;
    bytes.fill(0, chunk.start, chunk.end);
    const error = await readRows(bytesSource(bytes, "corrupt.parquet"), { metadata }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParquetFormatError);
    expect(error).toBeInstanceOf(DeltaError);
    expect(String(error)).toMatch(/corrupt\.parquet/);
  });

  it("yields no batch for a file without rows", async () => {
    const { batches, metadata } = await readRows(bytesSource(new Uint8Array(readFileSync(file("empty.parquet")))));
    expect(metadata.numRows).toBe(0);
    expect(batches).toEqual([]);
  });
});
