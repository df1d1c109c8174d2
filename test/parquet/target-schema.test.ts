/**
 * Reading into a target schema other than the file's own: Delta type widening, timestamp units
 * (INT96, millis, nanos -> micros), columns absent from the file, matching by Parquet field id,
 * case-insensitive names, nested column paths, nested projection of structs inside lists, and
 * type mismatches rejected before any column chunk is fetched.
 */
import {
  DateDay, Decimal, Field, Float64, Int16, Int32, Int64, List, Schema, Struct, TimeUnit, Timestamp, Utf8,
} from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PARQUET_FIELD_ID_KEY } from "../../src/core/parquet/reader.js";
import { ParquetSchemaMismatchError } from "../../src/core/parquet/errors.js";
import { InvalidInputError } from "../../src/core/errors.js";
import { formatDecimal } from "./helpers/arrow-json.js";
import { columnValues } from "./helpers/compare.js";
import { generateFiles, generated, type GeneratedFiles } from "./helpers/generated.js";
import { hasPyarrow, pyarrowColumns, type OracleResult } from "../helpers/oracle.js";
import { readRows, reader } from "./helpers/read.js";
import { countingSource, fileSource } from "./helpers/sources.js";

const f = (name: string, type: any, id?: number) =>
  new Field(name, type, true, id === undefined ? null : new Map([[PARQUET_FIELD_ID_KEY, String(id)]]));

function floorDiv(a: bigint, b: bigint): bigint {
  return a >= 0n ? a / b : -((-a + b - 1n) / b);
}
const big = (v: unknown) => (v === null ? null : BigInt(v as string));

describe.skipIf(!hasPyarrow)("reading into a target schema", () => {
  let gen: GeneratedFiles | undefined;
  let oracle = new Map<string, OracleResult>();
  beforeAll(() => {
    gen = generateFiles();
    oracle = pyarrowColumns(["types.parquet", "int96.parquet", "field-ids.parquet", "nested.parquet"].map((n) => generated(gen, n)));
  });
  afterAll(() => gen?.cleanup());

  /** pyarrow's encoded values of one column of a generated file. */
  function expected(name: string, column: string): unknown[] {
    const o = oracle.get(generated(gen, name));
    if (o === undefined || "error" in o) throw new Error(`no oracle for ${name}`);
    const col = o.columns.find(([n]) => n === column);
    if (col === undefined) throw new Error(`no column ${column} in ${name}`);
    return col[1];
  }
  async function read(name: string, fields: Field[], columns?: (string | string[])[]) {
    const { batches } = await readRows(fileSource(generated(gen, name)), {
      targetSchema: new Schema(fields),
      ...(columns === undefined ? {} : { columns }),
      batchSize: 128,
    });
    for (const b of batches) expect(b.schema.fields.map((x) => String(x.type))).toEqual(fields.map((x) => String(x.type)));
    return fields.map((_, c) => columnValues(batches, c));
  }

  it("converts INT96, millis and nanos to microseconds (floor), micros to millis", async () => {
    const [int96] = await read("int96.parquet", [f("t", new Timestamp(TimeUnit.MICROSECOND, "UTC"))]);
    expect(int96).toEqual(expected("int96.parquet", "t").map((v) => (v === null ? null : String(floorDiv(BigInt(v as string), 1000n)))));
    const [ms, ns, us] = await read("types.parquet", [
      f("ts_ms", new Timestamp(TimeUnit.MICROSECOND, "UTC")),
      f("ts_ns", new Timestamp(TimeUnit.MICROSECOND, "UTC")),
      f("ts_us", new Timestamp(TimeUnit.MILLISECOND, "UTC")),
    ]);
    expect(ms).toEqual(expected("types.parquet", "ts_ms").map((v) => (v === null ? null : String(big(v)! * 1000n))));
    expect(ns).toEqual(expected("types.parquet", "ts_ns").map((v) => (v === null ? null : String(floorDiv(big(v)!, 1000n)))));
    expect(us).toEqual(expected("types.parquet", "ts_us").map((v) => (v === null ? null : String(floorDiv(big(v)!, 1000n)))));
  });

  it("widens ints, floats, dates and decimals", async () => {
    const [i8to16, i8to64, i16to32, u8to64, dateToTs, dec, i16toDec] = await read(
      "types.parquet",
      [
        f("a", new Int16()),
        f("b", new Int64()),
        f("c", new Int32()),
        f("d", new Int64()),
        f("e", new Timestamp(TimeUnit.MICROSECOND)),
        f("f", new Decimal(4, 10, 128)),
        f("g", new Decimal(2, 12, 128)),
      ],
      ["i8", "i8", "i16", "u8", "date", "dec5_2", "i16"],
    );
    expect(i8to16).toEqual(expected("types.parquet", "i8"));
    expect(i8to64).toEqual(expected("types.parquet", "i8"));
    expect(i16to32).toEqual(expected("types.parquet", "i16"));
    expect(u8to64).toEqual(expected("types.parquet", "u8"));
    expect(dateToTs).toEqual(expected("types.parquet", "date").map((v) => (v === null ? null : String(big(v)! * 86_400_000_000n))));
    expect(dec).toEqual(expected("types.parquet", "dec5_2").map((v) => (v === null ? null : `${v as string}00`)));
    expect(i16toDec).toEqual(expected("types.parquet", "i16").map((v) => (v === null ? null : formatDecimal(big(v)! * 100n, 2))));
    const [f32to64, intToDouble] = await read("field-ids.parquet", [f("f", new Float64()), f("col-a", new Float64())]);
    expect(f32to64).toEqual([1.5, null, -2.25]);
    expect(intToDouble).toEqual([1, null, 3]);
  });

  it("rejects narrowing and unrelated types before fetching any column chunk", async () => {
    for (const [column, type] of [["l", new Int32()], ["s", new Int64()], ["dec18_4", new Decimal(2, 18, 128)], ["date", new Utf8()]] as const) {
      const name = column === "l" || column === "s" ? "codec-none.parquet" : "types.parquet";
      const source = countingSource(fileSource(generated(gen, name)));
      const metadata = await reader.readMetadata(source);
      const before = source.requests.length;
      const it = reader.read({ source, metadata, targetSchema: new Schema([f(column, type)]) });
      await expect(it[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(ParquetSchemaMismatchError);
      expect(source.requests.length).toBe(before);
    }
  });

  it("fills columns absent from the file with nulls of the target type, fetching nothing for them", async () => {
    const source = countingSource(fileSource(generated(gen, "field-ids.parquet")));
    const metadata = await reader.readMetadata(source);
    const footerRequests = source.requests.length;
    const target = new Schema([f("gone", new Int64()), f("also_gone", new Struct([f("x", new List(f("element", new Utf8())))]))]);
    const { rows } = await readRows(source, { metadata, targetSchema: target });
    expect(rows).toEqual([{ gone: null, also_gone: null }, { gone: null, also_gone: null }, { gone: null, also_gone: null }]);
    expect(source.requests.length).toBe(footerRequests);
    const none = await readRows(source, { metadata, targetSchema: new Schema([]) });
    expect(none.batches.map((b) => b.numRows)).toEqual([3]);
  });

  it("matches by parquet field id (names ignored), nested too; unknown ids are absent", async () => {
    const [a, b, byNameOnly] = await read("field-ids.parquet", [
      f("renamed-a", new Int64(), 1),
      f("renamed-b", new Struct([f("d-new", new Int64(), 4), f("c-new", new Utf8(), 3), f("x", new Utf8(), 99)]), 2),
      f("col-a", new Int32(), 42),
    ]);
    expect(a).toEqual(["1", null, "3"]);
    expect(b).toEqual([{ "d-new": "10", "c-new": "x", x: null }, null, { "d-new": "30", "c-new": null, x: null }]);
    expect(byNameOnly).toEqual([null, null, null]);
  });

  it("matches names case-insensitively when unambiguous and reads nested column paths", async () => {
    const [upper, path, missing] = await read(
      "field-ids.parquet",
      [f("COL-A", new Int32()), f("c", new Utf8()), f("z", new Utf8())],
      ["COL-A", ["col-b", "col-c"], ["col-b", "nope"]],
    );
    expect(upper).toEqual(["1", null, "3"]);
    expect(path).toEqual(["x", null, null]);
    expect(missing).toEqual([null, null, null]);
    await expect(read("nested.parquet", [f("a", new Int32())], [["lst", "a"]])).rejects.toBeInstanceOf(InvalidInputError);
  });

  it("projects struct fields inside lists and maps, adding absent fields as nulls", async () => {
    const elem = new Struct([f("b", new List(f("element", new Int64()))), f("extra", new Utf8())]);
    const [lst, st] = await read("nested.parquet", [
      f("lst", new List(f("element", elem))),
      f("st", new Struct([f("w", new Float64()), f("q", new DateDay())])),
    ]);
    const proj = (e: any) => (e === null ? null : { b: e.b, extra: null });
    expect(lst).toEqual(expected("nested.parquet", "lst").map((l) => (l === null ? null : (l as unknown[]).map(proj))));
    expect(st).toEqual(expected("nested.parquet", "st").map((s: any) => (s === null ? null : { w: s.w, q: null })));
    // a struct none of whose requested fields exists still has the file's validity
    const [only] = await read("nested.parquet", [f("st", new Struct([f("nope", new Int32())]))]);
    expect(only).toEqual(expected("nested.parquet", "st").map((s) => (s === null ? null : { nope: null })));
  });
});
