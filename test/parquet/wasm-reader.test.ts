/**
 * The parquet-wasm reader's own behaviour: the same results as the JS reader for target schemas
 * (widening, units, field ids, nested paths, absent columns, mismatches before any fetch), Arrow
 * dictionary and large-offset columns, INT96 without an Arrow hint decoded exactly (JS decoder
 * zipped in), fetch economy no worse than the JS reader's, row-group selection and batch sizes,
 * aborts, and every fallback to the JS reader (wasm not loadable, file too large, decode error,
 * corrupt file) with the same rows or the JS reader's error.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DateDay, Decimal, Field, Float64, Int16, Int32, Int64, List, Schema, Struct, TimeUnit, Timestamp, Utf8 } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PARQUET_FIELD_ID_KEY, type ParquetReader } from "../../src/core/parquet/reader.js";
import { ParquetFormatError, ParquetSchemaMismatchError } from "../../src/core/parquet/errors.js";
import { createWasmReader } from "../../src/core/parquet/wasm-reader.js";
import { loadParquetWasm, type ParquetWasm } from "../../src/core/parquet/wasm-loader.js";
import { columnValues, expectSameColumns } from "./helpers/compare.js";
import { generateFiles, generated, type GeneratedFiles } from "./helpers/generated.js";
import { hasPyarrow, pyarrowColumns } from "../helpers/oracle.js";
import { bytesSource, countingSource, fileSource } from "./helpers/sources.js";
import { fallbacks, wasmReader } from "./wasm-helpers.js";
import { reader as jsReader, readWith, type ReadRowsOptions } from "./helpers/read.js";
import { readFileSync } from "node:fs";

const f = (name: string, type: any, id?: number) =>
  new Field(name, type, true, id === undefined ? null : new Map([[PARQUET_FIELD_ID_KEY, String(id)]]));

const EXTRA_FILES = `
import sys, datetime as dt, decimal, pyarrow as pa, pyarrow.parquet as pq
out = sys.argv[1]
n = 2500
ts = [dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31, 23, 59, 59, 999999), None, dt.datetime(1969, 12, 31, 23, 59, 59, 999999)]
pq.write_table(pa.table({
    "id": pa.array(range(n), pa.int64()),
    "t": pa.array([ts[i % 4] for i in range(n)], pa.timestamp("us")),
    "s": pa.array([None if i % 7 == 0 else f"v{i % 13}" for i in range(n)]),
}), f"{out}/int96-spark-style.parquet", use_deprecated_int96_timestamps=True, store_schema=False, row_group_size=1000)
words = pa.array([None if i % 5 == 0 else ["red", "green", "blue"][i % 3] for i in range(n)])
pq.write_table(pa.table({
    "ds": words.dictionary_encode(),
    "di": pa.array([i % 4 for i in range(n)], pa.int32()).dictionary_encode(),
    "db": pa.array([None if i % 3 == 0 else bytes([i % 2]) for i in range(n)], pa.binary()).dictionary_encode(),
    "lb": pa.array([None if i % 4 == 0 else bytes([i % 5]) * (i % 3) for i in range(n)], pa.large_binary()),
}), f"{out}/arrow-typed.parquet", row_group_size=700)
`;

/** Batches hold at most `max` rows and never span row groups (arrow-rs may cut mid-group). */
function expectGroupBatches(sizes: number[], groups: number[], max: number): void {
  for (const n of sizes) expect(n).toBeLessThanOrEqual(max);
  let k = 0;
  for (const g of groups) {
    let sum = 0;
    while (sum < g) sum += sizes[k++] ?? Infinity;
    expect(sum, "a batch spans row groups").toBe(g);
  }
  expect(k).toBe(sizes.length);
}

describe.skipIf(!hasPyarrow)("wasm reader", () => {
  let gen: GeneratedFiles | undefined;
  let extra = "";
  beforeAll(() => {
    gen = generateFiles();
    extra = mkdtempSync(join(tmpdir(), "delta-edge-wasm-"));
    execFileSync(process.env.PYTHON ?? "python3", ["-c", EXTRA_FILES, extra]);
  });
  afterAll(() => {
    gen?.cleanup();
    rmSync(extra, { recursive: true, force: true });
  });

  /** Reads with both readers and expects the same values and schema; returns the wasm batches. */
  async function same(file: string, options: ReadRowsOptions = {}, reader: ParquetReader = wasmReader) {
    const before = fallbacks.length;
    const wasm = await readWith(reader, fileSource(file), options);
    const js = await readWith(jsReader, fileSource(file), options);
    const width = (options.targetSchema ?? js.metadata.schema).fields.length;
    for (let c = 0; c < width; c++) expect(columnValues(wasm.batches, c), `column ${c}`).toEqual(columnValues(js.batches, c));
    const want = (options.targetSchema ?? wasm.metadata.schema).fields.map((x) => `${x.name}: ${String(x.type)}`);
    for (const b of wasm.batches) expect(b.schema.fields.map((x) => `${x.name}: ${String(x.type)}`)).toEqual(want);
    return { batches: wasm.batches, fell: fallbacks.slice(before) };
  }

  it("reads into target schemas as the JS reader does (widening, units, ids, paths, absent columns)", async () => {
    const types = generated(gen, "types.parquet");
    const cases: [string, Field[], (string | string[])[] | undefined][] = [
      [types, [f("ts_ms", new Timestamp(TimeUnit.MICROSECOND, "UTC")), f("ts_ns", new Timestamp(TimeUnit.MICROSECOND, "UTC")), f("ts_us", new Timestamp(TimeUnit.MILLISECOND, "UTC"))], undefined],
      [types, [f("a", new Int16()), f("b", new Int64()), f("c", new Int32()), f("d", new Int64()), f("e", new Timestamp(TimeUnit.MICROSECOND)), f("g", new Decimal(4, 10, 128)), f("h", new Decimal(2, 12, 128)), f("i", new Utf8()), f("j", new Float64()), f("k", new Int64())], ["i8", "i8", "i16", "u8", "date", "dec5_2", "i16", "lstr", "f16", "u32"]],
      [generated(gen, "int96.parquet"), [f("t", new Timestamp(TimeUnit.MICROSECOND, "UTC"))], undefined],
      [generated(gen, "field-ids.parquet"), [f("renamed-a", new Int64(), 1), f("renamed-b", new Struct([f("d-new", new Int64(), 4), f("c-new", new Utf8(), 3), f("x", new Utf8(), 99)]), 2), f("col-a", new Int32(), 42), f("f", new Float64(), 6), f("n", new Int64(), 5), f("d", new Timestamp(TimeUnit.MICROSECOND), 7)], undefined],
      [generated(gen, "field-ids.parquet"), [f("COL-A", new Int32()), f("c", new Utf8()), f("z", new Utf8()), f("gone", new Int64())], ["COL-A", ["col-b", "col-c"], ["col-b", "nope"], "gone"]],
      [generated(gen, "nested.parquet"), [f("lst", new List(f("element", new Struct([f("b", new List(f("element", new Int64()))), f("extra", new Utf8())])))), f("st", new Struct([f("w", new Float64()), f("q", new DateDay())])), f("st2", new Struct([f("nope", new Int32())]))], ["lst", "st", "st"]],
    ];
    for (const [file, fields, columns] of cases) {
      const { fell } = await same(file, { targetSchema: new Schema(fields), batchSize: 128, ...(columns ? { columns } : {}) });
      expect(fell.filter((e) => !e.reason.startsWith("only INT96"))).toEqual([]);
    }
  });

  it("rejects type mismatches before fetching any column chunk", async () => {
    const source = countingSource(fileSource(generated(gen, "types.parquet")));
    const metadata = await wasmReader.readMetadata(source);
    const before = source.requests.length;
    const read = wasmReader.read({ source, metadata, targetSchema: new Schema([f("date", new Utf8())]) });
    await expect(read[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(ParquetSchemaMismatchError);
    expect(source.requests.length).toBe(before);
  });

  it("materializes Arrow dictionary columns and narrows 64-bit offsets", async () => {
    const file = join(extra, "arrow-typed.parquet");
    const { batches, fell } = await same(file, { batchSize: 300 });
    expect(fell).toEqual([]);
    expectSameColumns(file, batches, pyarrowColumns([file]).get(file));
    await same(file, { targetSchema: new Schema([f("lb", new (await import("apache-arrow")).Binary())]) });
  });

  it("decodes INT96 exactly (year 1 and 9999) with the JS decoder, zipped with wasm-decoded columns", async () => {
    const file = join(extra, "int96-spark-style.parquet");
    const target = new Schema([f("s", new Utf8()), f("t", new Timestamp(TimeUnit.MICROSECOND)), f("id", new Int64())]);
    const { batches, fell } = await same(file, { targetSchema: target, batchSize: 300 });
    expect(fell).toEqual([]);
    expectGroupBatches(batches.map((b) => b.numRows), [1000, 1000, 500], 300);
    expect(columnValues(batches, 1).slice(0, 4)).toEqual(["-62135596800000000", "253402300799999999", null, "-1"]);
    const only = await same(file, { targetSchema: new Schema([f("t", new Timestamp(TimeUnit.MICROSECOND))]) });
    expect(only.fell.map((e) => e.reason)).toEqual([expect.stringMatching(/only INT96/)]);
  });

  it("fetches no more than the JS reader: footer once, needed chunks only, coalesced", async () => {
    const file = generated(gen, "wide.parquet");
    const counts = [];
    for (const reader of [wasmReader, jsReader]) {
      const source = countingSource(fileSource(file));
      const metadata = await reader.readMetadata(source);
      const target = new Schema(["c05", "c31"].map((n) => metadata.schema.fields.find((x) => x.name === n)!));
      for await (const _ of reader.read({ source, metadata, targetSchema: target })) void _;
      counts.push({ bytes: source.bytes(), requests: source.requests.length });
    }
    const [wasm, js] = counts as [{ bytes: number; requests: number }, { bytes: number; requests: number }];
    expect(wasm.bytes).toBeLessThanOrEqual(js.bytes);
    expect(wasm.requests).toBeLessThanOrEqual(js.requests);
  });

  it("keeps row-group selection, batch sizes and row-group boundaries", async () => {
    const file = generated(gen, "multi-row-groups.parquet");
    const { batches } = await same(file, { rowGroups: [1, 3], batchSize: 3000 });
    expectGroupBatches(batches.map((b) => b.numRows), [7000, 7000], 3000);
    const whole = await same(file, {});
    expect(whole.batches.map((b) => b.numRows)).toEqual([7000, 7000, 7000, 7000, 7000, 7000, 7000, 1000]);
  });

  it("stops when the signal aborts", async () => {
    const source = fileSource(generated(gen, "multi-row-groups.parquet"));
    const metadata = await wasmReader.readMetadata(source);
    const controller = new AbortController();
    const iterator = wasmReader.read({ source, metadata, targetSchema: metadata.schema, signal: controller.signal })[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.numRows).toBe(7000);
    controller.abort();
    await expect(iterator.next()).rejects.toMatchObject({ name: "AbortError" });
  });

  it("falls back to the JS reader when parquet-wasm cannot be loaded, trying the load once", async () => {
    let loads = 0;
    const events: string[] = [];
    const reader = createWasmReader({
      load: () => {
        loads++;
        return Promise.reject(new Error("no wasm here"));
      },
      onFallback: (e) => events.push(e.reason),
    });
    await same(generated(gen, "nested.parquet"), {}, reader);
    await same(generated(gen, "types.parquet"), {}, reader);
    expect(loads).toBe(1);
    expect(events).toEqual([expect.stringMatching(/unavailable: no wasm here/), expect.stringMatching(/unavailable/)]);
  });

  it("falls back for files over the size limit and when parquet-wasm fails, from the bytes already fetched", async () => {
    const events: string[] = [];
    const small = createWasmReader({ maxGroupBytes: 1000, onFallback: (e) => events.push(e.reason) });
    await same(generated(gen, "codec-snappy.parquet"), {}, small);
    const real = await loadParquetWasm();
    const broken = { ...real, readParquet: () => { throw new Error("boom"); } } as unknown as ParquetWasm;
    const failing = createWasmReader({ load: () => Promise.resolve(broken), onFallback: (e) => events.push(e.reason) });
    const source = countingSource(fileSource(generated(gen, "codec-snappy.parquet")));
    const metadata = await failing.readMetadata(source);
    const afterFooter = source.requests.length;
    let rows = 0;
    for await (const b of failing.read({ source, metadata, targetSchema: metadata.schema })) rows += b.numRows;
    expect(rows).toBe(300);
    expect(source.requests.length - afterFooter).toBe(1); // the chunks, once, coalesced; the fallback reads the image
    expect(events).toEqual([expect.stringMatching(/over the wasm limit/), expect.stringMatching(/could not read it: boom/)]);
  });

  it("fails on a corrupt file with the JS reader's error", async () => {
    const bytes = new Uint8Array(readFileSync(generated(gen, "codec-snappy.parquet")));
    const source = bytesSource(bytes, "corrupt.parquet");
    const metadata = await wasmReader.readMetadata(source);
    const chunk = metadata.columnChunks[0]![0]!;
    bytes.fill(0x7f, chunk.start, chunk.end);
    const read = async () => {
      for await (const _ of wasmReader.read({ source, metadata, targetSchema: metadata.schema })) void _;
    };
    await expect(read()).rejects.toBeInstanceOf(ParquetFormatError);
    await expect(read()).rejects.toThrow(/corrupt\.parquet/);
  });
});
