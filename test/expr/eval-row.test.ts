// Row evaluation: SQL three-valued logic, NaN and string ordering, and equivalence of rewrites.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { evalRow, parsePredicate, rowMatches, toNegationNormalForm, type BoundExpr } from "../../src/core/expr/index.js";
import type { Scalar } from "../../src/core/schema/types.js";
import { InvalidInputError } from "../../src/core/errors.js";
import { cols } from "./fixtures.js";

const bind = (text: string): BoundExpr => parsePredicate(text, { columns: cols });
const rowOf =
  (values: Record<string, Scalar>) =>
  (path: readonly string[]): Scalar | undefined =>
    values[path.join(".")];

describe("evalRow: three-valued logic", () => {
  const N = null;
  // [predicate, row, expected]
  const cases: Array<[string, Record<string, Scalar>, boolean | null]> = [
    ["i = 1", { i: 1 }, true],
    ["i = 1", { i: 2 }, false],
    ["i = 1", { i: N }, null],
    ["i = 1", {}, null],
    ["i != 1", { i: N }, null],
    ["NOT i = 1", { i: N }, null],
    ["i = 1 AND l = 2", { i: 1, l: N }, null],
    ["i = 1 AND l = 2", { i: 0, l: N }, false],
    ["l = 2 AND i = 1", { i: 0, l: N }, false],
    ["i = 1 OR l = 2", { i: 1, l: N }, true],
    ["l = 2 OR i = 1", { i: 1, l: N }, true],
    ["i = 1 OR l = 2", { i: 0, l: N }, null],
    ["NOT (i = 1 OR l = 2)", { i: 0, l: N }, null],
    ["NOT (i = 1 OR l = 2)", { i: 0, l: 3n }, true],
    ["i IS NULL", { i: N }, true],
    ["i IS NOT NULL", { i: N }, false],
    ["NOT i IS NULL", { i: 5 }, true],
    ["i IN (1, 2)", { i: 2 }, true],
    ["i IN (1, 2)", { i: 3 }, false],
    ["i IN (1, 2)", { i: N }, null],
    ["i IN (1, NULL)", { i: 1 }, true],
    ["i IN (1, NULL)", { i: 3 }, null],
    ["i NOT IN (1, NULL)", { i: 3 }, null],
    ["i NOT IN (1, NULL)", { i: 1 }, false],
    ["i NOT IN (1, 2)", { i: 3 }, true],
    ["i = 1.5", { i: 1 }, false],
    ["i = 1.5", { i: N }, null],
    ["NOT i = 1.5", { i: N }, null],
    ["NOT i = 1.5", { i: 7 }, true],
    ["i < 1.5", { i: 1 }, true],
    ["i < 1.5", { i: 2 }, false],
    ["b < 1000", { b: 127 }, true],
    ["b < 1000", { b: N }, null],
    ["i = NULL", { i: 1 }, null],
    ["TRUE OR i = NULL", {}, true],
    ["FALSE AND i = 1", {}, false],
    ["bool", { bool: true }, true],
    ["NOT bool", { bool: false }, true],
    ["NOT bool", { bool: N }, null],
    ["i < l", { i: 1, l: 2n }, true],
    ["i < l", { i: 1, l: N }, null],
    ["dec = d", { dec: { unscaled: 150n, scale: 2 }, d: 1.5 }, true],
    ["dec < d", { dec: { unscaled: 10n, scale: 1 }, d: 1.0000001 }, true],
    ["dec > 0.5", { dec: { unscaled: 51n, scale: 2 } }, true],
    ["dec > 0.5", { dec: { unscaled: 5n, scale: 1 } }, false],
    ["l > 9007199254740992", { l: 9007199254740993n }, true],
    ["d > 'NaN'", { d: NaN }, false],
    ["d = 'NaN'", { d: NaN }, true],
    ["d > 1e308", { d: NaN }, true],
    ["d < 'Infinity'", { d: NaN }, false],
    ["d = 0", { d: -0 }, true],
    ["str < 'b'", { str: "a" }, true],
    ["str < '\uffff'", { str: "\u{1F600}" }, false],
    ["str > '\uffff'", { str: "\u{1F600}" }, true],
    ["bin = 'ab'", { bin: new Uint8Array([97, 98]) }, true],
    ["bin < 'ab'", { bin: new Uint8Array([97]) }, true],
    ["bin > 'a'", { bin: new Uint8Array([0xff]) }, true],
    ["dt >= '2021-01-01'", { dt: 18628 }, true],
    ["ts > TIMESTAMP '2021-01-01 00:00:00'", { ts: 1609459200000001n }, true],
    ["v IS NULL", {}, true],
    ["v = 1", { v: N }, null],
  ];
  it.each(cases)("%s on %o is %s", (text, row, expected) => {
    const e = bind(text);
    expect(evalRow(e, rowOf(row))).toBe(expected);
    expect(rowMatches(e, rowOf(row))).toBe(expected === true);
    expect(evalRow(toNegationNormalForm(e), rowOf(row))).toBe(expected);
  });

  it("rejects values that are not canonical scalars of the column", () => {
    expect(() => evalRow(bind("str = 'a'"), rowOf({ str: 5 }))).toThrow(InvalidInputError);
  });
});

describe("evalRow: rewrites agree with exact arithmetic", () => {
  it("integer comparisons with fractional and out-of-range literals", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -130, max: 130 }),
        fc.integer({ min: -1400, max: 1400 }),
        fc.constantFrom("=", "!=", "<", "<=", ">", ">="),
        fc.boolean(),
        (value, tenths, op, negate) => {
          const literal = (tenths / 10).toFixed(1);
          const e = bind(`${negate ? "NOT " : ""}b ${op} ${literal}`);
          // The byte column holds the clamped value; compare in tenths, exactly.
          const byte = Math.max(-128, Math.min(127, value));
          const x = byte * 10;
          const t = tenths;
          const expected = { "=": x === t, "!=": x !== t, "<": x < t, "<=": x <= t, ">": x > t, ">=": x >= t }[op] as boolean;
          const row = rowOf({ b: byte });
          expect(evalRow(e, row)).toBe(negate ? !expected : expected);
          expect(evalRow(e, rowOf({ b: null }))).toBe(null);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("NNF is equivalent to the original on random rows", () => {
    const texts = [
      "NOT (i = 1 OR (l > 2 AND NOT str IN ('a', NULL)))",
      "NOT (i IS NULL AND NOT (b < 1000 OR dec != 1.5))",
      "NOT NOT (i < l OR bool) AND NOT str NOT IN ('b')",
    ];
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { freq: 3 });
    fc.assert(
      fc.property(
        fc.constantFrom(...texts),
        maybe(fc.integer({ min: 0, max: 3 })),
        maybe(fc.bigInt({ min: 0n, max: 3n })),
        maybe(fc.constantFrom("a", "b", "c")),
        maybe(fc.integer({ min: -128, max: 127 })),
        maybe(fc.constantFrom(150n, 100n)),
        maybe(fc.boolean()),
        (text, i, l, str, b, decUnscaled, bool) => {
          const e = bind(text);
          const row = rowOf({ i, l, str, b, dec: decUnscaled === null ? null : { unscaled: decUnscaled, scale: 2 }, bool });
          expect(evalRow(toNegationNormalForm(e), row)).toBe(evalRow(e, row));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
