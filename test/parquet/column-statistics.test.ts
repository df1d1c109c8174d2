/**
 * fileColumnStatistics on files arrow-rs (parquet-wasm) writes: physical bounds per row group and
 * leaf (INT32 numbers, INT64 bigints, BYTE_ARRAY bytes), null counts, the writer's exactness
 * flags (byte arrays over 64 bytes are truncated), nested leaves by path; and a clear error for
 * bytes that are not a Parquet file.
 */
import { describe, expect, it } from "vitest";
import { Field, Int32, Int64, Int8, Struct, Table, Utf8, makeData, makeVector, vectorFromArray } from "apache-arrow";
import "./wasm-helpers.js";
import { encodeParquet } from "../../src/core/parquet/writer.js";
import { fileColumnStatistics } from "../../src/core/parquet/column-statistics.js";
import { ParquetFormatError } from "../../src/core/parquet/errors.js";

const text = (b: unknown) => new TextDecoder().decode(b as Uint8Array);

describe("fileColumnStatistics", () => {
  it("reads physical bounds, null counts and exactness per row group and leaf", async () => {
    const long = "a" + "x".repeat(100);
    const table = new Table({
      i: vectorFromArray([3, null, -5, 7], new Int32()),
      b: vectorFromArray([3, null, -5, 7], new Int8()),
      l: vectorFromArray([3n, null, -(2n ** 63n), 7n], new Int64()),
      s: vectorFromArray(["b", null, long, "zz"], new Utf8()),
      st: makeVector(
        makeData({
          type: new Struct([new Field("x", new Int64(), true)]),
          length: 4,
          nullCount: 1,
          nullBitmap: Uint8Array.from([0b1101]),
          children: [makeData({ type: new Int64(), length: 4, data: BigInt64Array.from([1n, 2n, 3n, 4n]) })],
        }),
      ),
    });
    const file = await encodeParquet({ table, maxRowGroupSize: 2 });
    const groups = fileColumnStatistics(file);
    expect(groups).toHaveLength(2);
    const [first, second] = groups.map((g) => Object.fromEntries(g.map((c) => [c.path.join("."), c])));
    expect(first!["i"]).toMatchObject({ numValues: 2, nullCount: 1, min: 3, max: 3, minExact: true, maxExact: true });
    expect(second!["b"]).toMatchObject({ numValues: 2, nullCount: 0, min: -5, max: 7 });
    expect(second!["l"]).toMatchObject({ min: -(2n ** 63n), max: 7n });
    expect(text(first!["s"]!.min)).toBe("b");
    // the 101-byte string is the min of the second group: truncated to 64 bytes, flagged inexact
    expect(text(second!["s"]!.min)).toBe(long.slice(0, 64));
    expect(second!["s"]!.minExact).toBe(false);
    expect(text(second!["s"]!.max)).toBe("zz");
    expect(second!["s"]!.maxExact).toBe(true);
    // a null struct row (row 1) counts as a null of its leaf
    expect(first!["st.x"]).toMatchObject({ numValues: 2, nullCount: 1, min: 1n, max: 1n });
    expect(second!["st.x"]).toMatchObject({ numValues: 2, nullCount: 0, min: 3n, max: 4n });
  });

  it("refuses bytes that do not end in a Parquet footer, naming the path", () => {
    expect(() => fileColumnStatistics(new Uint8Array(10), "f.parquet")).toThrow(ParquetFormatError);
    const bogus = new Uint8Array(20);
    new DataView(bogus.buffer).setUint32(12, 1000, true);
    bogus.set([0x50, 0x41, 0x52, 0x31], 16);
    expect(() => fileColumnStatistics(bogus, "f.parquet")).toThrow(/f\.parquet/);
  });
});
