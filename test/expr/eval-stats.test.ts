// Data skipping on [min, max, nullCount, numRecords]: a table of decisions, then the soundness
// property (stats never rule out a file that has a matching row) on random data and predicates.
import { describe, expect, it } from "vitest";
import { parsePredicate, statsMayMatch, type BoundExpr, type ColumnStats } from "../../src/core/expr/index.js";
import { cols } from "./fixtures.js";

const bind = (text: string): BoundExpr => parsePredicate(text, { columns: cols });
const may = (text: string, stats: Record<string, ColumnStats>): boolean =>
  statsMayMatch(bind(text), (path) => stats[path.join(".")]);

const T0 = 1609459200000000n; // 2021-01-01T00:00:00Z in µs

describe("statsMayMatch: decisions", () => {
  const i = (min: number, max: number, nullCount = 0, numRecords = 10): Record<string, ColumnStats> => ({
    i: { min, max, nullCount, numRecords },
  });
  const cases: Array<[string, Record<string, ColumnStats>, boolean]> = [
    ["i = 5", i(1, 10), true],
    ["i = 0", i(1, 10), false],
    ["i = 11", i(1, 10), false],
    ["i < 1", i(1, 10), false],
    ["i <= 1", i(1, 10), true],
    ["i > 10", i(1, 10), false],
    ["i >= 10", i(1, 10), true],
    ["i != 5", i(5, 5), false],
    ["i != 5", i(5, 6), true],
    ["i IN (0, 11)", i(1, 10), false],
    ["i IN (0, 10)", i(1, 10), true],
    ["i NOT IN (5, 6)", i(5, 5), false],
    ["i NOT IN (6)", i(5, 5), true],
    ["i NOT IN (1, NULL)", i(5, 5), false],
    ["NOT i = 5", i(5, 5), false],
    ["NOT i < 5", i(1, 4), false],
    ["NOT (i < 5 OR i > 7)", i(1, 4), false],
    ["NOT (i < 5 AND i > 7)", i(1, 4), true],
    ["i = 0 OR i = 5", i(1, 10), true],
    ["i = 0 AND i = 5", i(1, 10), false],
    ["i = 1.5", i(1, 10), false],
    ["i < 1.5", i(1, 10), true],
    ["i < 0.5", i(1, 10), false],
    ["i = 5", {}, true],
    ["i = 5", { i: {} }, true],
    ["i = 5", { i: { nullCount: 0, numRecords: 10 } }, true],
    ["i = 5", { i: { min: 1 } }, true],
    ["i = 0", { i: { min: 1 } }, false],
    ["i = 50", { i: { max: 10 } }, false],
    ["i = 5", { i: { min: null, max: null, nullCount: 10, numRecords: 10 } }, false],
    ["i IS NULL", i(1, 10, 0), false],
    ["i IS NULL", i(1, 10, 1), true],
    ["i IS NULL", { i: { min: 1, max: 10 } }, true],
    ["i IS NOT NULL", { i: { nullCount: 10, numRecords: 10 } }, false],
    ["i IS NOT NULL", { i: { nullCount: 9, numRecords: 10 } }, true],
    ["i IS NOT NULL", { i: { nullCount: 10n, numRecords: 10n, tightBounds: false } }, false],
    ["i IS NULL", { i: { nullCount: 0, numRecords: 10, tightBounds: false } }, false],
    ["NOT i IS NULL", { i: { nullCount: 10, numRecords: 10 } }, false],
    ["i IS NULL", { i: { numRecords: 0 } }, false],
    ["i = 5", { i: { numRecords: 0 } }, false],
    ["b > 1000", { b: { min: 1, max: 10 } }, false],
    ["b < 1000", { b: { min: 1, max: 10 } }, true],
    ["b < 1000", { b: { nullCount: 3, numRecords: 3 } }, false],
    ["i = NULL", i(1, 10), false],
    ["NOT i = NULL", i(1, 10), false],
    ["TRUE", { i: { numRecords: 0 } }, true],
    ["FALSE OR i = 3", i(1, 10), true],
    ["i < sh", { i: { nullCount: 5, numRecords: 5 } }, false],
    ["i < sh", { i: { min: 10, max: 10 }, sh: { min: 1, max: 1 } }, true],
    // long, decimal, date: exact types, stats possibly in a neighbouring numeric form
    ["l = 5", { l: { min: 6n, max: 9n } }, false],
    ["l = 5", { l: { min: 6, max: 9 } }, false],
    ["l > 9007199254740992", { l: { min: 0n, max: 9007199254740993n } }, true],
    ["l > 9007199254740993", { l: { min: 0n, max: 9007199254740993n } }, false],
    ["dec > 1.5", { dec: { min: { unscaled: 100n, scale: 2 }, max: { unscaled: 150n, scale: 2 } } }, false],
    ["dec > 1.5", { dec: { min: { unscaled: 10n, scale: 1 }, max: { unscaled: 151n, scale: 2 } } }, true],
    ["dt < '2021-01-01'", { dt: { min: 18628, max: 18700 } }, false],
    ["dt <= '2021-01-01'", { dt: { min: 18628, max: 18700 } }, true],
    // timestamps: max widened by 1 ms (stats truncated to ms), min likewise
    ["ts > TIMESTAMP '2021-01-01 00:00:00.000500'", { ts: { min: T0 - 5000n, max: T0 } }, true],
    ["ts > TIMESTAMP '2021-01-01 00:00:00.001'", { ts: { min: T0 - 5000n, max: T0 } }, false],
    ["ts >= TIMESTAMP '2021-01-01 00:00:00.001'", { ts: { min: T0 - 5000n, max: T0 } }, true],
    ["ts = TIMESTAMP '2021-01-01 00:00:00.000999'", { ts: { min: T0, max: T0 } }, true],
    ["ts != TIMESTAMP '2021-01-01 00:00:00'", { ts: { min: T0, max: T0 } }, true],
    ["ts < TIMESTAMP '2021-01-01 00:00:00'", { ts: { min: T0 + 999n, max: T0 + 5000n } }, true],
    ["ts < TIMESTAMP '2021-01-01 00:00:00'", { ts: { min: T0 + 1000n, max: T0 + 5000n } }, false],
    ["ts > TIMESTAMP '1969-12-31 23:59:59.998'", { ts: { min: -5000n, max: -1000n } }, true],
    ["ntz > TIMESTAMP_NTZ '2021-01-01 00:00:00.002'", { ntz: { min: T0, max: T0 } }, false],
    // strings: a truncated max is only an upper bound for strings that do not extend it
    ["str > 'abc'", { str: { min: "a", max: "aa" } }, false],
    ["str > 'abc'", { str: { min: "a", max: "ab" } }, true],
    ["str > 'abc'", { str: { min: "a", max: "abc" } }, true],
    ["str >= 'abd'", { str: { min: "a", max: "abc" } }, false],
    ["str > 'abcz'", { str: { min: "a", max: "abc" } }, true],
    ["str = 'abcz'", { str: { min: "a", max: "abc" } }, true],
    ["str = 'abd'", { str: { min: "a", max: "abc" } }, false],
    ["str = 'a'", { str: { min: "ab", max: "b" } }, false],
    ["str < 'ab'", { str: { min: "ab", max: "b" } }, false],
    ["str <= 'ab'", { str: { min: "ab", max: "b" } }, true],
    ["str != 'x'", { str: { min: "x", max: "x" } }, true],
    ["str IN ('zz', 'abcd')", { str: { min: "a", max: "abc" } }, true],
    ["str IN ('zz', 'b')", { str: { min: "a", max: "abc" } }, false],
    ["str > '\uffff'", { str: { min: "a", max: "\u{1F600}" } }, true],
    ["str > '\u{1F600}'", { str: { min: "a", max: "\uffff" } }, false],
    ["bin > 'abc'", { bin: { min: new Uint8Array([97]), max: new Uint8Array([97, 97]) } }, false],
    ["bin > 'abc'", { bin: { min: new Uint8Array([97]), max: new Uint8Array([97, 98]) } }, true],
    ["bin > 'abc'", { bin: { min: new Uint8Array([97]), max: new Uint8Array([97, 98, 99]) } }, true],
    // floats: NaN may hide above max when a writer left it out of the stats
    ["d > 10", { d: { min: 1, max: 5 } }, true],
    ["d < 0", { d: { min: 1, max: 5 } }, false],
    ["d = 10", { d: { min: 1, max: 5 } }, false],
    ["d = 'NaN'", { d: { min: 1, max: 5 } }, true],
    ["d != 3", { d: { min: 3, max: 3 } }, true],
    ["d IN (10, 'NaN')", { d: { min: 1, max: 5 } }, true],
    ["d IN (10, 20)", { d: { min: 1, max: 5 } }, false],
    ["d NOT IN (3)", { d: { min: 3, max: 3 } }, true],
    ["d NOT IN (3, 'NaN')", { d: { min: 3, max: 3 } }, false],
    ["d < 10", { d: { min: NaN, max: NaN } }, false],
    ["d > 10", { d: { nullCount: 4, numRecords: 4 } }, false],
    // stats of the wrong kind are ignored (may match)
    ["i = 5", { i: { min: "x", max: "y" } }, true],
    ["ts = TIMESTAMP '2021-01-01 00:00:00'", { ts: { min: "2020-01-01", max: "2020-02-01" } }, true],
  ];
  it.each(cases)("%s with %o -> %s", (text, stats, expected) => {
    expect(may(text, stats)).toBe(expected);
  });
});
