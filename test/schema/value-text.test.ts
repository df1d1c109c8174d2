/**
 * The write side's text conversions (schema/value-text.ts) and ranges (schema/value-range.ts):
 * each Delta primitive type accepts exactly the texts it can store and names why it refuses the
 * others; the partition value codec and the predicate literals use the same ranges and read the
 * signed ISO years that are written for dates and timestamps beyond 9999.
 */
import { describe, expect, it } from "vitest";
import { parse } from "../../src/core/expr/parse.js";
import { JsonNumberText, parseJsonLossless, stringifyJsonLossless } from "../../src/core/schema/json-lossless.js";
import { parsePartitionValue, serializePartitionValue } from "../../src/core/schema/partition-values.js";
import type { PrimitiveType, Scalar } from "../../src/core/schema/types.js";
import { FLOAT32_MAX } from "../../src/core/schema/value-range.js";
import { integerFromText, scalarFromText } from "../../src/core/schema/value-text.js";

const t = (name: string): PrimitiveType => (name.startsWith("decimal") ? { kind: "primitive", name: "decimal", precision: Number(/\((\d+)/.exec(name)![1]), scale: Number(/,(\d+)/.exec(name)![1]) } : ({ kind: "primitive", name } as PrimitiveType));
const read = (text: string, type: string): Scalar | string => {
  try {
    return scalarFromText(text, t(type), (why) => {
      throw new Error(why);
    });
  } catch (e) {
    return `refused: ${(e as Error).message}`;
  }
};

describe("scalarFromText", () => {
  it("integers: exact integral literals within the type's range", () => {
    expect([read("127", "byte"), read("+12", "short"), read("1.0", "integer"), read("1e3", "integer"), read("-9223372036854775808", "long")]).toEqual([127, 12, 1, 1000, -(2n ** 63n)]);
    expect(read("128", "byte")).toBe('refused: "128" is out of the range of byte [-128, 127]');
    expect(read("1.5", "integer")).toBe('refused: "1.5" is not an integer');
    expect(read("0x10", "integer")).toBe('refused: "0x10" is not an integer');
    expect(read("", "long")).toBe('refused: "" is not an integer');
    expect(read("1e30", "long")).toMatch(/^refused: "1e30" is out of the range of long/);
    expect(integerFromText("12.000")).toBe(12n);
    expect(integerFromText("12.5")).toBeUndefined();
  });

  it("floats: nearest value; NaN and infinities only when spelled out; overflow refused", () => {
    expect([read("0.1", "double"), read("NaN", "double"), read("-Infinity", "float"), read("1e-400", "double")]).toEqual([0.1, NaN, -Infinity, 0]);
    expect(read("3.4028234e38", "float")).toBe(FLOAT32_MAX);
    expect(read("0.1", "float")).toBe(Math.fround(0.1));
    expect(read("3.5e38", "float")).toMatch(/^refused: "3.5e38" is out of the range of float/);
    expect(read("1e309", "double")).toBe('refused: "1e309" is out of the range of double');
    expect(read("inf", "double")).toBe('refused: "inf" is not a number');
  });

  it("decimals: exact, no rounding, no overflow", () => {
    expect(read("-1.5", "decimal(5,2)")).toEqual({ unscaled: -150n, scale: 2 });
    expect(read("1.50000", "decimal(5,2)")).toEqual({ unscaled: 150n, scale: 2 });
    expect(read("9.99e2", "decimal(5,2)")).toEqual({ unscaled: 99900n, scale: 2 });
    expect(read("1.005", "decimal(5,2)")).toBe('refused: "1.005" has more than 2 fraction digits (decimal(5,2) would round it)');
    expect(read("1000", "decimal(5,2)")).toBe('refused: "1000" is out of the range of decimal(5,2) (at most 3 integer digits)');
  });

  it("dates and timestamps: ISO years with a sign beyond 9999, the int64 microsecond range, no nanoseconds", () => {
    expect([read("+10000-01-01", "date"), read("-0001-12-31", "date"), read("0000-01-01", "date")]).toEqual([2932897, -719529, -719528]);
    expect(read("+294247-01-10T04:00:54.775807Z", "timestamp")).toBe(2n ** 63n - 1n);
    expect(read("+294247-01-10T04:00:54.775808Z", "timestamp")).toMatch(/^refused: .* is out of the range of timestamp \(int64 microseconds: -290308-12-21T19:59:05.224192 to \+294247-01-10T04:00:54.775807\)/);
    expect(read("2024-01-01T00:00:00.123456789Z", "timestamp")).toBe('refused: "2024-01-01T00:00:00.123456789Z" has digits beyond the microsecond (Delta stores microseconds)');
    expect(read("2024-01-01 00:00:00.123456000", "timestamp_ntz")).toBe(1704067200123456n);
  });

  it("booleans, strings, binary, void; long values are quoted shortened", () => {
    expect([read("TRUE", "boolean"), read("False", "boolean"), read("é", "string")]).toEqual([true, false, "é"]);
    expect(read("abc", "binary")).toEqual(new Uint8Array([97, 98, 99]));
    expect(read("1", "void")).toBe('refused: "1" is not null (a void column holds only nulls)');
    expect(read("9".repeat(300), "long")).toBe(`refused: "${"9".repeat(100)}"... (300 characters) is out of the range of long [-9223372036854775808, 9223372036854775807]`);
  });
});

describe("json-lossless numbers as text", () => {
  it("keeps every number but safe integers as its literal text, and writes it back as it was", () => {
    const v = parseJsonLossless('{"a": 1, "b": 9007199254740993, "c": 0.10, "d": [1e400]}', { numbers: "text" }) as Record<string, unknown>;
    expect(v.a).toBe(1);
    expect(v.b).toEqual(new JsonNumberText("9007199254740993"));
    expect(v.c).toEqual(new JsonNumberText("0.10"));
    expect(stringifyJsonLossless(v)).toBe('{"a":1,"b":9007199254740993,"c":0.10,"d":[1e400]}');
    expect(parseJsonLossless('{"b": 9007199254740993}')).toEqual({ b: 9007199254740993n });
  });

  it("refuses nesting deeper than the stack with a SyntaxError", () => {
    expect(() => parseJsonLossless("[".repeat(200_000) + "]".repeat(200_000))).toThrow(/JSON: nested too deeply/);
  });
});

describe("ranges shared by partition values and predicates", () => {
  const ts = t("timestamp");
  it("partition values outside int64 microseconds or int32 days are refused both ways", () => {
    expect(() => parsePartitionValue({ column: "t", type: ts, value: "+294248-01-01 00:00:00" })).toThrow(/out of the int64 microsecond range/);
    expect(() => parsePartitionValue({ column: "t", type: t("timestamp_ntz"), value: "-290309-01-01 00:00:00" })).toThrow(/out of the int64 microsecond range/);
    expect(() => serializePartitionValue({ column: "t", type: ts, value: 2n ** 63n })).toThrow(/out of the int64 microsecond range/);
    expect(() => serializePartitionValue({ column: "d", type: t("date"), value: 2 ** 31 })).toThrow(/out of the int32 day range/);
    expect(serializePartitionValue({ column: "d", type: t("date"), value: 2932897 })).toBe("+10000-01-01");
    expect(parsePartitionValue({ column: "d", type: t("date"), value: "+10000-01-01" })).toBe(2932897);
  });

  it("predicate literals read the signed years written for values beyond 9999", () => {
    expect(parse("d = DATE '+10000-01-01'")).toMatchObject({ right: { kind: "literal", type: "date" } });
    expect(parse("t < TIMESTAMP '-0001-12-31 23:59:59Z'")).toMatchObject({ right: { kind: "literal", type: "timestamp" } });
  });
});
