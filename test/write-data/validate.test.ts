/**
 * Validation and conversion of incoming Arrow data (data-validate.ts): lossless casts from the
 * types callers actually have (pyarrow-made inputs: unsigned ints, half floats, large/view strings,
 * dictionaries, Date64, timestamps of every unit, "item" lists, large and fixed-size lists, maps,
 * reordered struct fields, Null columns) written and read back exactly, and one InvalidInputError
 * per rule, naming the column (and both types, or the null count).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Binary, DataType as ArrowDataType, DateMillisecond, Decimal, Dictionary, Int32, Int64, LargeUtf8, Table, TimestampSecond, Uint64, Utf8, makeData, makeVector, tableFromIPC } from "apache-arrow";
import { InvalidInputError } from "../../src/core/errors.js";
import type { StructType } from "../../src/core/schema/types.js";
import { writeDataFiles } from "../../src/core/write/data-files.js";
import { validateDataSchema } from "../../src/core/write/data-validate.js";
import { buildBatch, buildTable } from "./helpers/arrow-build.js";
import { oracleValue, readWithPyarrow, tempStore, useNodeParquetWasm } from "./helpers/oracle.js";
import { dec, field, p, struct } from "./fixtures.js";

const tmp = tempStore();
beforeAll(() => useNodeParquetWasm());
afterAll(() => tmp.cleanup());

const inputs = JSON.parse(execFileSync("python3", [fileURLToPath(new URL("./helpers/make_inputs.py", import.meta.url))], { encoding: "utf8" })) as Record<string, string>;
const input = (name: string): Table => tableFromIPC(Buffer.from(inputs[name]!, "base64"));

async function roundTrip(data: Table, schema: StructType, extra: { extraColumns?: "ignore" } = {}): Promise<Record<string, unknown>[]> {
  const adds = await writeDataFiles({ store: tmp.store, data, schema, ...extra });
  expect(adds).toHaveLength(1);
  return readWithPyarrow([join(tmp.dir, adds[0]!.path)])[0]!.rows;
}

const expectRows = (schema: StructType, rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(schema.fields.map((f) => [f.name, oracleValue(f.type, r[f.name] ?? null)])));

describe("lossless casts", () => {
  it("widens integers and floats, and rescales decimals", async () => {
    const schema = struct(
      field("i8", p("integer")), field("u8", p("short")), field("u16", p("integer")), field("u32", p("long")), field("i32", p("long")),
      field("i16f", p("float")), field("i32d", p("double")), field("f32d", p("double")), field("f16", p("float")),
      field("i32dec", dec(12, 2)), field("dec", dec(10, 4)), field("dec256", dec(20, 2)),
    );
    const rows = [
      { i8: -128, u8: 0, u16: 0, u32: 0n, i32: -2147483648n, i16f: -32768, i32d: -2147483648, f32d: 1.5, f16: 1.5, i32dec: { unscaled: -214748364800n, scale: 2 }, dec: { unscaled: -9999900n, scale: 4 }, dec256: { unscaled: 12345678901234567890n, scale: 2 } },
      { i8: 127, u8: 255, u16: 65535, u32: 4294967295n, i32: 2147483647n, i16f: 32767, i32d: 2147483647, f32d: NaN, f16: -0.25, i32dec: { unscaled: 214748364700n, scale: 2 }, dec: { unscaled: 100n, scale: 4 }, dec256: { unscaled: -100n, scale: 2 } },
      { i8: null, u8: null, u16: 1, u32: null, i32: 0n, i16f: null, i32d: 5, f32d: null, f16: 65504, i32dec: null, dec: null, dec256: null },
    ];
    expect(await roundTrip(input("widen"), schema)).toEqual(expectRows(schema, rows));
  });

  it("converts large, view, fixed-size and dictionary strings and binaries", async () => {
    const schema = struct(field("large", p("string")), field("view", p("string")), field("lbin", p("binary")), field("fbin", p("binary")), field("s2b", p("binary")), field("dict", p("string")));
    const bytes = (...b: number[]) => new Uint8Array(b);
    const rows = [
      { large: "a", view: "short", lbin: bytes(0, 1), fbin: bytes(97, 98, 99), s2b: bytes(120), dict: "red" },
      { large: null, view: "a string longer than twelve bytes", lbin: null, fbin: bytes(255, 254, 253), s2b: bytes(121, 122), dict: "green" },
      { large: "日本😀", view: null, lbin: bytes(), fbin: null, s2b: null, dict: null },
    ];
    expect(await roundTrip(input("strings"), schema)).toEqual(expectRows(schema, rows));
  });

  it("converts Date64 and timestamps of every unit to days and microseconds", async () => {
    const schema = struct(field("d64", p("date")), field("ms", p("timestamp")), field("s", p("timestamp")), field("ns", p("timestamp_ntz")));
    const rows = [
      { d64: 18628, ms: 1609459200123000n, s: 1609459200000000n, ns: 1609459200123456n },
      { d64: null, ms: null, s: 0n, ns: null },
      { d64: -1, ms: -1000n, s: null, ns: -1n },
    ];
    expect(await roundTrip(input("temporal"), schema)).toEqual(expectRows(schema, rows));
  });

  it("converts lists, maps and structs by name, fills missing nullable columns, accepts Null columns", async () => {
    const schema = struct(
      field("item_list", { kind: "array", elementType: p("integer"), containsNull: true }),
      field("large_list", { kind: "array", elementType: p("string"), containsNull: true }),
      field("fixed_list", { kind: "array", elementType: p("long"), containsNull: true }),
      field("m", { kind: "map", keyType: p("string"), valueType: p("long"), valueContainsNull: true }),
      field("st", struct(field("a", p("long")), field("b", p("string")), field("c", p("string")))),
      field("nulls", p("integer")),
      field("absent", p("string")),
    );
    const conformer = validateDataSchema({ arrowSchema: input("nested").schema, schema });
    expect(conformer.missingColumns).toEqual(["st.c", "absent"]);
    const rows = [
      { item_list: [1, 2], large_list: ["a"], fixed_list: [1n, 2n], m: [["k", 1n]], st: { a: 1n, b: "x", c: null }, nulls: null, absent: null },
      { item_list: null, large_list: [], fixed_list: [3n, null], m: null, st: null, nulls: null, absent: null },
      { item_list: [null], large_list: null, fixed_list: null, m: [], st: { a: 2n, b: null, c: null }, nulls: null, absent: null },
    ];
    expect(await roundTrip(input("nested"), schema)).toEqual(expectRows(schema, rows));
  });

  it("writes variant columns as a struct of value and metadata binaries, and drops void columns", async () => {
    const variantShape = struct(field("v", struct(field("value", p("binary"), false), field("metadata", p("binary"), false))), field("gone", p("void")), field("n", p("integer")));
    const bytes = (...b: number[]) => new Uint8Array(b);
    const data = buildTable(variantShape, [{ v: { value: bytes(12, 1), metadata: bytes(1, 0, 0) }, n: 1 }, { v: null, n: 2 }]);
    const schema = struct(field("v", p("variant")), field("gone", p("void")), field("n", p("integer")));
    const adds = await writeDataFiles({ store: tmp.store, data, schema });
    const [report] = readWithPyarrow([join(tmp.dir, adds[0]!.path)]);
    expect(report!.columns).toEqual(["v", "n"]);
    expect(report!.rows).toEqual([{ v: { value: "0c01", metadata: "010000" }, n: "1" }, { v: null, n: "2" }]);
    expect(adds[0]!.stats).toBe('{"numRecords":2,"minValues":{"n":1},"maxValues":{"n":2},"nullCount":{"v":1,"gone":2,"n":0}}');
  });

  it("drops extra columns when told to", async () => {
    const schema = struct(field("large", p("string")));
    const conformer = validateDataSchema({ arrowSchema: input("strings").schema, schema, extraColumns: "ignore" });
    expect(conformer.ignoredColumns).toEqual(["view", "lbin", "fbin", "s2b", "dict"]);
    expect(await roundTrip(input("strings"), schema, { extraColumns: "ignore" })).toEqual([{ large: "a" }, { large: null }, { large: "日本😀" }]);
  });

  it("handles sliced input (non-zero offsets) of every layout", async () => {
    const table = input("nested");
    const sliced = table.batches[0]!.slice(1, 3);
    const schema = struct(
      field("item_list", { kind: "array", elementType: p("integer"), containsNull: true }),
      field("large_list", { kind: "array", elementType: p("string"), containsNull: true }),
      field("fixed_list", { kind: "array", elementType: p("long"), containsNull: true }),
      field("m", { kind: "map", keyType: p("string"), valueType: p("long"), valueContainsNull: true }),
      field("st", struct(field("a", p("long")), field("b", p("string")))),
      field("nulls", p("integer")),
    );
    const adds = await writeDataFiles({ store: tmp.store, data: sliced, schema });
    const rows = [
      { item_list: null, large_list: [], fixed_list: [3n, null], m: null, st: null, nulls: null },
      { item_list: [null], large_list: null, fixed_list: null, m: [], st: { a: 2n, b: null }, nulls: null },
    ];
    expect(readWithPyarrow([join(tmp.dir, adds[0]!.path)])[0]!.rows).toEqual(expectRows(schema, rows));
    expect(JSON.parse(adds[0]!.stats!)).toMatchObject({ numRecords: 2, nullCount: { item_list: 1, st: { a: 1, b: 2 } } });
    const full = buildBatch(struct(field("s", p("string")), field("b", p("boolean")), field("x", dec(30, 2))), [
      { s: "skip", b: true, x: { unscaled: 1n, scale: 2 } },
      { s: "kept", b: false, x: { unscaled: -(10n ** 29n), scale: 2 } },
      { s: null, b: true, x: null },
    ]);
    const s2 = struct(field("s", p("string")), field("b", p("boolean")), field("x", dec(30, 2)));
    const adds2 = await writeDataFiles({ store: tmp.store, data: full.slice(1), schema: s2 });
    expect(readWithPyarrow([join(tmp.dir, adds2[0]!.path)])[0]!.rows).toEqual(
      expectRows(s2, [{ s: "kept", b: false, x: { unscaled: -(10n ** 29n), scale: 2 } }, { s: null, b: true, x: null }]),
    );
  });
});

describe("validation errors", () => {
  const fails = (data: Table | ReturnType<typeof buildBatch>, schema: StructType, pattern: RegExp, extra: { extraColumns?: "error" | "ignore" } = {}) => {
    const t = "batches" in data ? data : { schema: data.schema, batches: [data] };
    let error: unknown;
    try {
      const conformer = validateDataSchema({ arrowSchema: t.schema, schema, ...extra });
      for (const b of t.batches) conformer.conform(b);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toMatch(pattern);
  };
  const ints = (values: (number | null)[]) => buildBatch(struct(field("a", p("integer"))), values.map((a) => ({ a })));

  it("names extra columns", () => {
    fails(buildBatch(struct(field("a", p("integer")), field("zz", p("string")), field("yy", p("string"))), [{ a: 1 }]), struct(field("a", p("integer"))), /columns zz, yy not in the table schema/);
    fails(buildBatch(struct(field("s", struct(field("a", p("integer")), field("q", p("integer"))))), [{ s: null }]), struct(field("s", struct(field("a", p("integer"))))), /column s\.q not in the table schema/);
  });

  it("matches names case-sensitively", () => {
    fails(buildBatch(struct(field("A", p("integer"))), [{ A: 1 }]), struct(field("a", p("integer"))), /column A not in the table schema/);
  });

  it("names missing non-nullable columns", () => {
    fails(ints([1]), struct(field("a", p("integer")), field("must", p("string"), false)), /column must is not nullable but the input data lacks it/);
  });

  it("names the column and both types when a cast would lose information", () => {
    const cases: [StructType, StructType, RegExp][] = [
      [struct(field("a", p("double"))), struct(field("a", p("float"))), /column a has Arrow type Float64.*Delta type float/],
      [struct(field("a", p("string"))), struct(field("a", p("integer"))), /column a has Arrow type Utf8.*Delta type integer/],
      [struct(field("a", p("binary"))), struct(field("a", p("string"))), /column a has Arrow type Binary.*Delta type string/],
      [struct(field("a", p("timestamp"))), struct(field("a", p("timestamp_ntz"))), /column a has Arrow type Timestamp<MICROSECOND, UTC>.*timestamp_ntz/],
      [struct(field("a", p("timestamp_ntz"))), struct(field("a", p("timestamp"))), /column a has Arrow type Timestamp<MICROSECOND>.*Delta type timestamp without/],
      [struct(field("a", p("long"))), struct(field("a", p("double"))), /Int64.*double/],
      [struct(field("a", p("double"))), struct(field("a", p("float"))), /Float64.*float/],
      [struct(field("a", p("string"))), struct(field("a", dec(10, 2))), /Utf8.*decimal\(10,2\)/],
      [struct(field("l", { kind: "array", elementType: p("string"), containsNull: true })), struct(field("l", { kind: "array", elementType: p("long"), containsNull: true })), /column l\.element has Arrow type Utf8.*long/],
      [struct(field("l", p("integer"))), struct(field("l", { kind: "array", elementType: p("integer"), containsNull: true })), /column l has Arrow type Int32.*array<integer>/],
    ];
    for (const [from, to, pattern] of cases) fails(buildBatch(from, [{}]), to, pattern);
  });

  it("names the column and counts nulls in non-nullable columns, at any depth", () => {
    fails(ints([1, null, null]), struct(field("a", p("integer"), false)), /column a is not nullable but has 2 null values/);
    const s = struct(field("s", struct(field("x", p("integer"), false))));
    // a null struct is fine; a null field of a present struct is not
    validateDataSchema({ arrowSchema: buildBatch(s, []).schema, schema: s }).conform(buildBatch(s, [{ s: null }, { s: { x: 1 } }]));
    fails(buildBatch(s, [{ s: null }, { s: { x: null } }]), s, /column s\.x is not nullable but has 1 null value$/);
    const arr = struct(field("l", { kind: "array", elementType: p("integer"), containsNull: false }));
    fails(buildBatch(arr, [{ l: [1, null] }, { l: null }]), arr, /column l\.element is not nullable but has 1 null value/);
    const map = struct(field("m", { kind: "map", keyType: p("string"), valueType: p("integer"), valueContainsNull: false }));
    fails(buildBatch(map, [{ m: [["k", null], ["j", null]] }]), map, /column m\.value is not nullable but has 2 null values/);
  });

  it("names the column and row of values that cannot be converted exactly", () => {
    fails(input("ns_bad"), struct(field("t", p("timestamp_ntz"))), /column t: row 0 .* is not a whole microsecond/);
    fails(input("d64_bad"), struct(field("d", p("date"))), /column d: row 0 .* is not a whole day/);
  });

  it("rejects values in void columns and duplicate input names", () => {
    fails(ints([1]), struct(field("a", p("void"))), /column a has type void/);
    const dup = buildBatch(struct(field("a", p("integer")), field("b", p("integer"))), [{ a: 1, b: 2 }]);
    const renamed = { ...dup, schema: { ...dup.schema, fields: [dup.schema.fields[0]!, dup.schema.fields[0]!] } } as unknown as Table;
    expect(() => validateDataSchema({ arrowSchema: renamed.schema, schema: struct(field("a", p("integer"))) })).toThrow(/more than one column named a/);
  });

  it("writeDataFiles rejects bad input before writing anything", async () => {
    const local = tempStore();
    try {
      const schema = struct(field("a", p("integer"), false));
      await expect(writeDataFiles({ store: local.store, data: buildTable(struct(field("a", p("integer"))), [{ a: null }]), schema })).rejects.toThrow(InvalidInputError);
      const listed = [];
      for await (const o of local.store.list("")) listed.push(o.key);
      expect(listed).toEqual([]);
    } finally {
      local.cleanup();
    }
  });
});

describe("narrowing casts are checked value by value (issue 9)", () => {
  const column = (type: ArrowDataType, values: Record<string, unknown>) => new Table({ a: makeVector(makeData({ type, ...values } as never)) });
  const conformAll = (t: Table, schema: StructType) => {
    const conformer = validateDataSchema({ arrowSchema: t.schema, schema });
    for (const b of t.batches) conformer.conform(b);
  };
  const refuses = (t: Table, schema: StructType, message: string) => {
    let error: unknown;
    try {
      conformAll(t, schema);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toBe(message);
  };
  const words = (...unscaled: bigint[]) => {
    const out = new Uint32Array(unscaled.length * 4);
    unscaled.forEach((v, i) => {
      const u = BigInt.asUintN(128, v);
      for (let w = 0; w < 4; w++) out[i * 4 + w] = Number((u >> BigInt(32 * w)) & 0xffffffffn);
    });
    return out;
  };

  it("integers into narrower integers and decimals: values in range are written exactly", async () => {
    const i64 = column(new Int64(), { length: 2, data: BigInt64Array.from([-128n, 127n]) });
    expect(await roundTrip(i64, struct(field("a", p("byte"))))).toEqual([{ a: "-128" }, { a: "127" }]);
    const u64 = column(new Uint64(), { length: 1, data: BigUint64Array.from([2n ** 63n - 1n]) });
    expect(await roundTrip(u64, struct(field("a", p("long"))))).toEqual([{ a: "9223372036854775807" }]);
    const i32 = column(new Int32(), { length: 2, data: Int32Array.from([999, -999]) });
    expect(await roundTrip(i32, struct(field("a", dec(5, 2))))).toEqual([{ a: "999.00" }, { a: "-999.00" }]);
    const d = column(new Decimal(4, 38, 128), { length: 2, data: words(9999900n, -12300n) });
    expect(await roundTrip(d, struct(field("a", dec(5, 2))))).toEqual([{ a: "999.99" }, { a: "-1.23" }]);
  });

  it("values that do not fit are refused naming the column, the row and the value", () => {
    refuses(column(new Int64(), { length: 2, data: BigInt64Array.from([1n, 128n]) }), struct(field("a", p("byte"))), "column a: row 1 of Arrow type Int64 cannot be written as Delta byte: 128 is out of the range of byte [-128, 127]");
    refuses(column(new Int32(), { length: 1, data: Int32Array.from([-40000]) }), struct(field("a", p("short"))), "column a: row 0 of Arrow type Int32 cannot be written as Delta short: -40000 is out of the range of short [-32768, 32767]");
    refuses(column(new Uint64(), { length: 1, data: BigUint64Array.from([2n ** 63n]) }), struct(field("a", p("long"))), "column a: row 0 of Arrow type Uint64 cannot be written as Delta long: 9223372036854775808 is out of the range of long [-9223372036854775808, 9223372036854775807]");
    refuses(column(new Int32(), { length: 1, data: Int32Array.from([1000]) }), struct(field("a", dec(5, 2))), "column a: row 0 of Arrow type Int32 cannot be written as Delta decimal(5,2): 1000 is out of the range of decimal(5,2) (at most 3 integer digits)");
    refuses(column(new Decimal(4, 38, 128), { length: 1, data: words(12345n) }), struct(field("a", dec(5, 2))), "column a: row 0 of Arrow type Decimal[38e+4] cannot be written as Delta decimal(5,2): 1.2345 has more than 2 fraction digits (decimal(5,2) would round it)");
    refuses(column(new Decimal(4, 38, 128), { length: 1, data: words(10000000n) }), struct(field("a", dec(5, 2))), "column a: row 0 of Arrow type Decimal[38e+4] cannot be written as Delta decimal(5,2): 1000.0000 is out of the range of decimal(5,2) (at most 3 integer digits)");
    // Arrow does not enforce a decimal's declared precision: a decimal(5,2) holding 10^10 is refused too.
    refuses(column(new Decimal(2, 5, 128), { length: 1, data: words(10n ** 10n) }), struct(field("a", dec(5, 2))), "column a: row 0 of Arrow type Decimal[5e+2] cannot be written as Delta decimal(5,2): 100000000.00 is out of the range of decimal(5,2) (at most 3 integer digits)");
    const days = 2n ** 31n;
    refuses(column(new DateMillisecond(), { length: 1, data: BigInt64Array.from([days * 86_400_000n]) }), struct(field("a", p("date"))), `column a: row 0 of Arrow type Date64<MILLISECOND> cannot be written as Delta date: ${days * 86_400_000n} ms is out of the range of date (int32 days)`);
    refuses(column(new TimestampSecond("UTC"), { length: 1, data: BigInt64Array.from([2n ** 62n]) }), struct(field("a", p("timestamp"))), `column a: row 0 of Arrow type Timestamp<SECOND, UTC> cannot be written as Delta timestamp: ${2n ** 62n} is out of the range of int64 microseconds`);
  });

  it("string data must be valid UTF-8 (Utf8, LargeUtf8, dictionaries), binary data need not", async () => {
    const bytes = Uint8Array.from([0x61, 0x62, 0xff, 0x63, 0xe2, 0x82, 0xac]); // "ab", <ff>c, "€"
    const utf8 = column(new Utf8(), { length: 3, valueOffsets: Int32Array.from([0, 2, 4, 7]), data: bytes });
    refuses(utf8, struct(field("a", p("string"))), "column a: row 1 of Arrow type Utf8 cannot be written as Delta string: not valid UTF-8");
    const large = column(new LargeUtf8(), { length: 3, valueOffsets: BigInt64Array.from([0n, 2n, 4n, 7n]), data: bytes });
    refuses(large, struct(field("a", p("string"))), "column a: row 1 of Arrow type LargeUtf8 cannot be written as Delta string: not valid UTF-8");
    // A row that starts inside another row's sequence: each row must be valid on its own.
    const cut = column(new Utf8(), { length: 2, valueOffsets: Int32Array.from([0, 5, 7]), data: bytes.subarray(2) });
    refuses(cut, struct(field("a", p("string"))), "column a: row 0 of Arrow type Utf8 cannot be written as Delta string: not valid UTF-8");
    const dictionary = new Table({ a: makeVector(makeData({ type: new Dictionary(new Utf8(), new Int32()), length: 1, data: Int32Array.from([1]), dictionary: makeVector(utf8.batches[0]!.data.children[0]!) } as never)) });
    refuses(dictionary, struct(field("a", p("string"))), "column a: row 1 of Arrow type Utf8 cannot be written as Delta string: not valid UTF-8");
    expect(await roundTrip(column(new Binary(), { length: 3, valueOffsets: Int32Array.from([0, 2, 4, 7]), data: bytes }), struct(field("a", p("binary"))))).toEqual([{ a: "6162" }, { a: "ff63" }, { a: "e282ac" }]);
    const valid = column(new Utf8(), { length: 3, valueOffsets: Int32Array.from([0, 2, 2, 5]), data: Uint8Array.from([0x61, 0x62, 0xe2, 0x82, 0xac]) });
    expect(await roundTrip(valid, struct(field("a", p("string"))))).toEqual([{ a: "ab" }, { a: "" }, { a: "€" }]);
  });

  it("UTF-8 check agrees with a strict decoder row by row, at any alignment (property)", () => {
    // Mostly ASCII (the word-at-a-time fast path), with bytes >= 0x80 dropped in anywhere; the
    // column's bytes start at any offset of their buffer. Oracle: TextDecoder(fatal) per row.
    const strict = new TextDecoder("utf-8", { fatal: true });
    const byte = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) }, { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }) });
    const rows = fc.array(fc.array(byte, { maxLength: 40 }), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(rows, fc.integer({ min: 0, max: 7 }), (values, shift) => {
        const total = values.reduce((n, r) => n + r.length, 0);
        const buffer = new Uint8Array(shift + total);
        const offsets = new Int32Array(values.length + 1);
        let at = 0;
        values.forEach((r, i) => {
          buffer.set(r, shift + at);
          at += r.length;
          offsets[i + 1] = at;
        });
        const t = column(new Utf8(), { length: values.length, valueOffsets: offsets, data: buffer.subarray(shift) });
        const bad = values.findIndex((r) => {
          try {
            strict.decode(Uint8Array.from(r));
            return false;
          } catch {
            return true;
          }
        });
        if (bad < 0) conformAll(t, struct(field("a", p("string"))));
        else refuses(t, struct(field("a", p("string"))), `column a: row ${bad} of Arrow type Utf8 cannot be written as Delta string: not valid UTF-8`);
      }),
      { numRuns: 300 },
    );
  });
});

describe("decimal precision check", () => {
  it("refuses exactly the unscaled values with more digits than the precision (property)", () => {
    const edges = [0n, 1n, 10n ** 15n - 1n, 10n ** 15n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n, 10n ** 38n - 1n, 10n ** 38n];
    const value = fc.oneof(fc.bigInt({ min: -(2n ** 127n), max: 2n ** 127n - 1n }), fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }), fc.constantFrom(...edges, ...edges.map((e) => -e)));
    fc.assert(
      fc.property(value, fc.integer({ min: 1, max: 38 }), (v, precision) => {
        const words = new Uint32Array(4);
        const u = BigInt.asUintN(128, v);
        for (let w = 0; w < 4; w++) words[w] = Number((u >> BigInt(32 * w)) & 0xffffffffn);
        const t = new Table({ a: makeVector(makeData({ type: new Decimal(0, precision, 128), length: 1, data: words })) });
        const fits = (v < 0n ? -v : v) < 10n ** BigInt(precision);
        let refused = false;
        try {
          validateDataSchema({ arrowSchema: t.schema, schema: struct(field("a", dec(precision, 0))) }).conform(t.batches[0]!);
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidInputError);
          refused = true;
        }
        expect(refused).toBe(!fits);
      }),
      { numRuns: 400 },
    );
  });
});
