// Builders: literalOf(v, type) printed and re-parsed binds back to exactly v, for every type.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { and, cmp, col, isIn, literalOf, not, or, parse, parsePredicate, print, type Expr } from "../../src/core/expr/index.js";
import { compareValues } from "../../src/core/expr/compare.js";
import type { DataType, Scalar } from "../../src/core/schema/types.js";
import { InvalidInputError } from "../../src/core/errors.js";
import { cols, decimal, prim } from "./fixtures.js";

const utf8 = new TextEncoder();
const typed: Array<[string, DataType, fc.Arbitrary<Scalar>]> = [
  ["b", prim("byte"), fc.integer({ min: -128, max: 127 })],
  ["i", prim("integer"), fc.integer()],
  ["l", prim("long"), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })],
  ["dec", decimal(10, 2), fc.bigInt({ min: -(10n ** 10n) + 1n, max: 10n ** 10n - 1n }).map((unscaled) => ({ unscaled, scale: 2 }))],
  ["f", prim("float"), fc.float()],
  ["d", prim("double"), fc.double()],
  ["str", prim("string"), fc.string({ unit: "binary" })],
  ["bool", prim("boolean"), fc.boolean()],
  ["bin", prim("binary"), fc.string().map((s) => utf8.encode(s))],
  ["dt", prim("date"), fc.integer({ min: -719162, max: 2932896 })],
  ["ts", prim("timestamp"), fc.bigInt({ min: -62135596800000000n, max: 253402300799999999n })],
  ["ntz", prim("timestamp_ntz"), fc.bigInt({ min: -62135596800000000n, max: 253402300799999999n })],
];

describe("literalOf", () => {
  it.each(typed)("round-trips %s values exactly", (name, type, values) => {
    fc.assert(
      fc.property(values, (v) => {
        const text = print(cmp(col(name), "=", literalOf(v, type)));
        const bound = parsePredicate(text, { columns: cols });
        expect(bound.kind).toBe("compare");
        if (bound.kind === "compare") expect(compareValues(bound.value, v)).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it("prints readable literals", () => {
    expect(print(cmp(col("dec"), "=", literalOf({ unscaled: -5n, scale: 2 }, decimal(10, 2))))).toBe("dec = -0.05");
    expect(print(cmp(col("d"), "=", literalOf(NaN, prim("double"))))).toBe("d = 'NaN'");
    expect(print(cmp(col("ts"), ">=", literalOf(0n, prim("timestamp"))))).toBe("ts >= TIMESTAMP '1970-01-01 00:00:00.000000Z'");
    expect(print(cmp(col("ntz"), ">=", literalOf(-1n, prim("timestamp_ntz"))))).toBe("ntz >= TIMESTAMP_NTZ '1969-12-31 23:59:59.999999'");
    expect(print(cmp(col("dt"), "<", literalOf(18628, prim("date"))))).toBe("dt < DATE '2021-01-01'");
  });

  it("rejects values without a literal form", () => {
    expect(() => literalOf(new Uint8Array([0xff]), prim("binary"))).toThrow(InvalidInputError);
    expect(() => literalOf(-800000, prim("date"))).toThrow("only years 0001-9999");
    expect(() => literalOf("x", prim("long"))).toThrow(InvalidInputError);
    expect(() => literalOf(1.5, prim("integer"))).toThrow(InvalidInputError);
    expect(() => literalOf(1, { kind: "array", elementType: prim("long"), containsNull: true })).toThrow(InvalidInputError);
  });
});

describe("builders", () => {
  it("build left-associative trees that print and parse back", () => {
    const e: Expr = and(
      cmp(col("dt"), ">=", literalOf(18628, prim("date"))),
      cmp(col("dt"), "<", literalOf(18659, prim("date"))),
      not(or(isIn(col("my col"), [literalOf("a", prim("string"))]), cmp(col("st", "x"), "=", literalOf(1, prim("integer"))))),
    );
    const text = print(e);
    expect(text).toBe("dt >= DATE '2021-01-01' AND dt < DATE '2021-02-01' AND NOT (`my col` IN ('a') OR st.x = 1)");
    expect(parse(text)).toEqual(e);
    expect(print(and())).toBe("TRUE");
    expect(print(or())).toBe("FALSE");
    expect(() => col()).toThrow(InvalidInputError);
    expect(() => isIn(col("a"), [])).toThrow(InvalidInputError);
  });
});
