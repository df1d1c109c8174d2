/**
 * Byte-range economy and I/O behaviour of the hyparquet reader, observed through a counting
 * source: the footer costs one suffix request (two when it is longer than the first fetch),
 * reading 2 columns of a 40-column file fetches only those column chunks, row-group selection
 * fetches only those groups, batches respect `batchSize`, and an abort stops the read.
 */
import { Schema } from "apache-arrow";
import { describe, expect, it } from "vitest";
import type { ParquetMetadata } from "../../src/core/parquet/reader.js";
import { createHyparquetReader } from "../../src/core/parquet/hyparquet-reader.js";
import { generatedForSuite } from "./helpers/generated.js";
import { hasPyarrow } from "../helpers/oracle.js";
import { readRows, reader } from "./helpers/read.js";
import { countingSource, fileSource } from "./helpers/sources.js";

/** Byte ranges of the given top-level columns' chunks (all row groups). */
function chunkRanges(metadata: ParquetMetadata, names: string[], groups?: number[]) {
  return metadata.columnChunks
    .filter((_, g) => groups === undefined || groups.includes(g))
    .flatMap((chunks) => chunks.filter((c) => names.includes(c.path[0]!)));
}

describe.skipIf(!hasPyarrow)("range economy", () => {
  const file = generatedForSuite();

  it("reads the footer with one suffix request, or two when it is longer", async () => {
    const source = countingSource(fileSource(file("wide.parquet")));
    const metadata = await reader.readMetadata(source);
    expect(source.requests).toEqual([{ start: source.byteLength - 65536, end: source.byteLength }]);
    expect(metadata.numRows).toBe(20000);
    expect(metadata.schema.fields).toHaveLength(40);

    const small = countingSource(fileSource(file("wide.parquet")));
    const again = await createHyparquetReader({ footerFetchSize: 1024 }).readMetadata(small);
    const tail = metadata.footerLength + 8;
    expect(small.requests).toEqual([
      { start: small.byteLength - 1024, end: small.byteLength },
      { start: small.byteLength - tail, end: small.byteLength - 1024 },
    ]);
    expect(again.numRows).toBe(20000);
  });

  it("fetches only the chunks of the requested columns (2 of 40)", async () => {
    const source = countingSource(fileSource(file("wide.parquet")));
    const metadata = await reader.readMetadata(source);
    const footerBytes = source.bytes();
    const footerRequests = source.requests.length;
    const wanted = ["c05", "c31"];
    const target = new Schema(wanted.map((n) => metadata.schema.fields.find((f) => f.name === n)!));
    const { rows } = await readRows(source, { metadata, targetSchema: target });
    expect(rows).toHaveLength(20000);
    const chunks = chunkRanges(metadata, wanted);
    const chunkBytes = chunks.reduce((s, c) => s + (c.end - c.start), 0);
    const dataRequests = source.requests.slice(footerRequests);
    const dataBytes = source.bytes() - footerBytes;
    expect(dataBytes).toBeGreaterThanOrEqual(chunkBytes);
    expect(dataBytes).toBeLessThanOrEqual(1.25 * chunkBytes);
    expect(source.bytes()).toBeLessThanOrEqual(1.25 * chunkBytes + footerBytes);
    // every data request lies within (or between adjacent) requested chunks
    for (const r of dataRequests) {
      expect(chunks.some((c) => r.start >= c.start - 8192 && r.end <= c.end + 8192)).toBe(true);
    }
    expect(chunkBytes * 10).toBeLessThan(source.byteLength); // the file is much bigger than what we read
  });

  it("fetches only the selected row groups and yields batches of at most batchSize rows", async () => {
    const source = countingSource(fileSource(file("multi-row-groups.parquet")));
    const metadata = await reader.readMetadata(source);
    expect(metadata.rowGroups.map((g) => g.firstRow)).toEqual([0, 7000, 14000, 21000, 28000, 35000, 42000, 49000]);
    const footerRequests = source.requests.length;
    const target = new Schema(metadata.schema.fields.filter((f) => f.name === "id" || f.name === "l"));
    const { batches, rows } = await readRows(source, { metadata, targetSchema: target, rowGroups: [1, 3], batchSize: 3000 });
    expect(batches.map((b) => b.numRows)).toEqual([3000, 3000, 1000, 3000, 3000, 1000]);
    const ids = rows.map((r) => Number(r.id));
    expect(ids).toEqual([...Array(7000).keys()].map((i) => 7000 + i).concat([...Array(7000).keys()].map((i) => 21000 + i)));
    const chunks = chunkRanges(metadata, ["id", "l"], [1, 3]);
    for (const r of source.requests.slice(footerRequests)) {
      expect(chunks.some((c) => r.start >= c.start && r.end <= c.end + 8192)).toBe(true);
    }
  });

  it("stops when the signal aborts", async () => {
    const source = fileSource(file("multi-row-groups.parquet"));
    const metadata = await reader.readMetadata(source);
    const controller = new AbortController();
    const batches = reader.read({ source, metadata, targetSchema: metadata.schema, signal: controller.signal });
    const iterator = batches[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value?.numRows).toBe(7000);
    controller.abort();
    await expect(iterator.next()).rejects.toMatchObject({ name: "AbortError" });
  });
});
