/**
 * Shared test data for the data-file writer tests: a schema with every Delta primitive type,
 * decimals of several precisions (beyond 18 digits too), both timestamp kinds, nested struct,
 * array and map columns, and rows with extreme values, nulls, NaN/-0.0/infinities, unicode and
 * strings longer than the 32-character stats prefix.
 */
import type { DataType, StructField, StructType } from "../../src/core/schema/types.js";

export const p = (name: string): DataType => ({ kind: "primitive", name }) as DataType;
export const dec = (precision: number, scale: number): DataType => ({ kind: "primitive", name: "decimal", precision, scale });
export const field = (name: string, type: DataType, nullable = true, metadata: Record<string, unknown> = {}): StructField => ({ name, type, nullable, metadata });
export const struct = (...fields: StructField[]): StructType => ({ kind: "struct", fields });

export const ALL_TYPES: StructType = struct(
  field("b", p("byte")),
  field("s", p("short")),
  field("i", p("integer")),
  field("l", p("long")),
  field("f", p("float")),
  field("d", p("double")),
  field("bool", p("boolean")),
  field("bin", p("binary")),
  field("str", p("string")),
  field("date", p("date")),
  field("ts", p("timestamp")),
  field("ntz", p("timestamp_ntz")),
  field("dec5_2", dec(5, 2)),
  field("dec18_3", dec(18, 3)),
  field("dec25_0", dec(25, 0)),
  field("dec38_10", dec(38, 10)),
  field("st", struct(field("x", p("integer")), field("y", struct(field("z", p("string")))))),
  field("arr", { kind: "array", elementType: p("long"), containsNull: true }),
  field("arr_s", { kind: "array", elementType: struct(field("a", p("string"))), containsNull: true }),
  field("m", { kind: "map", keyType: p("string"), valueType: p("double"), valueContainsNull: true }),
  field("nn", p("integer"), false),
);

const LONG_STR = "abcdefghijklmnopqrstuvwxyz0123456789-long-enough";
const EMOJI_STR = "😀".repeat(40);

export const ALL_TYPES_ROWS: Record<string, unknown>[] = [
  {
    b: -128, s: -32768, i: -2147483648, l: -(2n ** 63n), f: -3.4028234663852886e38, d: -1.7976931348623157e308, bool: false,
    bin: new Uint8Array([0, 255, 1]), str: "", date: -719162, ts: -62135596800000000n, ntz: -62135596800000000n,
    dec5_2: { unscaled: -99999n, scale: 2 }, dec18_3: { unscaled: -(10n ** 18n - 1n), scale: 3 },
    dec25_0: { unscaled: -(10n ** 25n - 1n), scale: 0 }, dec38_10: { unscaled: -(10n ** 38n - 1n), scale: 10 },
    st: { x: 1, y: { z: "nested" } }, arr: [1n, null, -5n], arr_s: [{ a: "x" }, null, { a: null }], m: [["k1", 1.5], ["k2", null]], nn: 0,
  },
  {
    b: 127, s: 32767, i: 2147483647, l: 2n ** 63n - 1n, f: 3.14, d: Math.PI, bool: true,
    bin: new Uint8Array(0), str: LONG_STR, date: 2932896, ts: 253402300799999999n, ntz: 253402300799999999n,
    dec5_2: { unscaled: 99999n, scale: 2 }, dec18_3: { unscaled: 10n ** 18n - 1n, scale: 3 },
    dec25_0: { unscaled: 10n ** 25n - 1n, scale: 0 }, dec38_10: { unscaled: 10n ** 38n - 1n, scale: 10 },
    st: { x: null, y: null }, arr: [], arr_s: [], m: [], nn: 1,
  },
  {
    b: 0, s: 0, i: 0, l: 0n, f: -0, d: -0, bool: null, bin: null, str: "héllo wörld ✓ 日本語", date: 0, ts: 0n, ntz: 1n,
    dec5_2: { unscaled: 0n, scale: 2 }, dec18_3: { unscaled: 1n, scale: 3 }, dec25_0: { unscaled: 0n, scale: 0 }, dec38_10: { unscaled: 1n, scale: 10 },
    st: null, arr: null, arr_s: null, m: null, nn: 2,
  },
  {
    b: null, s: null, i: null, l: null, f: NaN, d: NaN, bool: true, bin: new Uint8Array([7]), str: EMOJI_STR, date: null, ts: null, ntz: null,
    dec5_2: null, dec18_3: null, dec25_0: null, dec38_10: null, st: { x: 7, y: { z: null } }, arr: [null], arr_s: [{ a: "😀" }], m: [["k", NaN]], nn: 3,
  },
  {
    b: 5, s: 5, i: 5, l: 5n, f: Infinity, d: -Infinity, bool: false, bin: new Uint8Array([1, 2]), str: "tab\tquote\"backslash\\nl\n\u0001",
    date: 18628, ts: 1609459200123456n, ntz: 1609459200123456n, dec5_2: { unscaled: 12345n, scale: 2 }, dec18_3: { unscaled: -5n, scale: 3 },
    dec25_0: { unscaled: 123456789012345678901234n, scale: 0 }, dec38_10: { unscaled: -123456789n, scale: 10 },
    st: { x: -1, y: { z: "z" } }, arr: [2n ** 62n], arr_s: [{ a: LONG_STR }], m: [["ü", -0]], nn: 4,
  },
];
