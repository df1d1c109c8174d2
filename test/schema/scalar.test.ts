// Scalar helpers: the total order per type (NaN, decimals across scales, strings by code point,
// binary unsigned), equality, the CLI JSON value encoding, and order properties with fast-check.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/core/errors.js";
import { compare, compareScalars, compareStrings, formatScalarJson, scalarsEqual, toBase64 } from "../../src/core/schema/scalar.js";
import type { DataType, Scalar } from "../../src/core/schema/types.js";

const t = (name: string, extra: object = {}): DataType => ({ kind: "primitive", name, ...extra }) as DataType;
const dec = t("decimal", { precision: 10, scale: 3 });

describe("compareScalars", () => {
  it("orders nulls first and numbers with NaN above everything", () => {
    expect(compare(null, 1, t("integer"))).toBe(-1);
    expect(compare(null, null, t("integer"))).toBe(0);
    expect(compare(NaN, Infinity, t("double"))).toBe(1);
    expect(compare(-Infinity, NaN, t("double"))).toBe(-1);
    expect(compare(NaN, NaN, t("double"))).toBe(0);
    expect(compare(-0, 0, t("double"))).toBe(0);
    expect(compare(2n ** 62n, 2n ** 62n + 1n, t("long"))).toBe(-1);
  });

  it("compares decimals of different scales exactly", () => {
    expect(compare({ unscaled: 1230n, scale: 3 }, { unscaled: 123n, scale: 2 }, dec)).toBe(0);
    expect(scalarsEqual({ unscaled: 1230n, scale: 3 }, { unscaled: 123n, scale: 2 }, dec)).toBe(true);
    expect(compare({ unscaled: -1n, scale: 30 }, { unscaled: 0n, scale: 0 }, dec)).toBe(-1);
    expect(compare({ unscaled: 10n ** 37n + 1n, scale: 37 }, { unscaled: 1n, scale: 0 }, dec)).toBe(1);
  });

  it("orders strings by code point (UTF-8 bytes) and binary as unsigned bytes", () => {
    expect(compare("\uffff", "😈", t("string"))).toBe(-1); // U+FFFF < U+1F608, though 0xFFFF > 0xD83D
    expect(compare("a", "ab", t("string"))).toBe(-1);
    expect(compare("b", "ab", t("string"))).toBe(1);
    expect(compare(new Uint8Array([0x80]), new Uint8Array([0x7f]), t("binary"))).toBe(1);
    expect(compare(new Uint8Array([1]), new Uint8Array([1, 0]), t("binary"))).toBe(-1);
    expect(compare(false, true, t("boolean"))).toBe(-1);
  });

  it("agrees with UTF-8 byte order for any strings (property)", () => {
    const enc = new TextEncoder();
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.string({ unit: "grapheme" }), (a, b) => {
        expect(Math.sign(compareStrings(a, b))).toBe(Math.sign(compareScalars(enc.encode(a), enc.encode(b), t("binary"))));
      }),
      { numRuns: 1000 },
    );
  });

  it("is a total order: sorting is consistent and antisymmetric (property)", () => {
    const arb = fc.array(fc.oneof(fc.constant(null), fc.double()), { maxLength: 30 });
    fc.assert(
      fc.property(arb, (values) => {
        const sorted = [...values].sort((a, b) => compareScalars(a, b, t("double")));
        for (let i = 1; i < sorted.length; i++) expect(compareScalars(sorted[i - 1] as Scalar, sorted[i] as Scalar, t("double"))).toBeLessThanOrEqual(0);
        for (const a of values) for (const b of values) expect(compareScalars(a, b, t("double"))).toBe(-compareScalars(b, a, t("double")) || 0);
      }),
      { numRuns: 300 },
    );
  });

  it("decimal comparison matches comparing the rational values (property)", () => {
    const arbDec = fc.record({ unscaled: fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), scale: fc.integer({ min: 0, max: 20 }) });
    fc.assert(
      fc.property(arbDec, arbDec, (a, b) => {
        // a/10^sa vs b/10^sb  <=>  a*10^sb vs b*10^sa
        const x = a.unscaled * 10n ** BigInt(b.scale);
        const y = b.unscaled * 10n ** BigInt(a.scale);
        expect(compareScalars(a, b, dec)).toBe(x < y ? -1 : x > y ? 1 : 0);
      }),
      { numRuns: 1000 },
    );
  });

  it("refuses values not in canonical form", () => {
    expect(() => compare(1, "1", t("integer"))).toThrow(InvalidInputError);
    expect(() => compare(1.5, 2, t("long"))).toThrow(/canonical long/);
  });
});

describe("formatScalarJson", () => {
  it("encodes values as DESIGN.md's value encoding says", () => {
    expect(formatScalarJson(null, t("string"))).toBeNull();
    expect(formatScalarJson(5, t("integer"))).toBe(5);
    expect(formatScalarJson(2n ** 53n - 1n, t("long"))).toBe(9007199254740991);
    expect(formatScalarJson(2n ** 53n, t("long"))).toBe("9007199254740992");
    expect(formatScalarJson(-(2n ** 63n), t("long"))).toBe("-9223372036854775808");
    expect(formatScalarJson(NaN, t("double"))).toBe("NaN");
    expect(formatScalarJson(-Infinity, t("float"))).toBe("-Infinity");
    expect(formatScalarJson(Math.fround(0.1), t("float"))).toBe(0.1);
    expect(formatScalarJson(0.1, t("double"))).toBe(0.1);
    expect(formatScalarJson({ unscaled: 1234n, scale: 2 }, dec)).toBe("12.340");
    expect(formatScalarJson({ unscaled: -5n, scale: 3 }, dec)).toBe("-0.005");
    expect(formatScalarJson(new Uint8Array([0, 255, 1]), t("binary"))).toBe("AP8B");
    expect(formatScalarJson(-1, t("date"))).toBe("1969-12-31");
    expect(formatScalarJson(1_500_000n, t("timestamp"))).toBe("1970-01-01T00:00:01.500000Z");
    expect(formatScalarJson(-1n, t("timestamp_ntz"))).toBe("1969-12-31T23:59:59.999999");
    expect(formatScalarJson(true, t("boolean"))).toBe(true);
    expect(formatScalarJson("x", t("string"))).toBe("x");
  });

  it("encodes base64 like the platform for any bytes (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString("base64"));
      }),
    );
  });
});
