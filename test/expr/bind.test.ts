// Binding: column resolution and exact literal coercion per column type, with the error cases.
import { describe, expect, it } from "vitest";
import { boundColumns, parsePredicate, type BoundExpr } from "../../src/core/expr/index.js";
import { InvalidInputError } from "../../src/core/errors.js";
import { cols, idx } from "./fixtures.js";

const bind = (text: string): BoundExpr => parsePredicate(text, { columns: cols });

/** A compact view of a bound leaf: [op or kind, path, value]. */
function view(e: BoundExpr): unknown {
  switch (e.kind) {
    case "compare":
      return [e.op, e.column.path.join("."), e.value];
    case "whenNotNull":
      return ["whenNotNull", e.column.path.join("."), e.value];
    case "const":
      return ["const", e.value];
    case "in":
      return [e.negated ? "NOT IN" : "IN", e.column.path.join("."), e.values, e.hasNull];
    case "isNull":
      return [e.negated ? "IS NOT NULL" : "IS NULL", e.column.path.join(".")];
    case "compareColumns":
      return [e.op, e.left.path.join("."), e.right.path.join(".")];
    default:
      return e;
  }
}

const MICROS_2021 = 1609459200000000n; // 2021-01-01T00:00:00Z
const DAYS_2021 = 18628;

describe("bind: coercion per type", () => {
  const cases: Array<[string, unknown]> = [
    // integers: long is bigint, the rest numbers; exact rewrites for fractions and out-of-range
    ["l = 1", ["=", "l", 1n]],
    ["l = 1.0", ["=", "l", 1n]],
    ["l = 1e3", ["=", "l", 1000n]],
    ["l = 9223372036854775807", ["=", "l", 9223372036854775807n]],
    ["l = 9223372036854775808", ["whenNotNull", "l", false]],
    ["l < 9223372036854775808", ["whenNotNull", "l", true]],
    ["l = '42'", ["=", "l", 42n]],
    ["i = 1", ["=", "i", 1]],
    ["i = 1.5", ["whenNotNull", "i", false]],
    ["i != 1.5", ["whenNotNull", "i", true]],
    ["i < 1.5", ["<=", "i", 1]],
    ["i <= 1.5", ["<=", "i", 1]],
    ["i > 1.5", [">=", "i", 2]],
    ["i >= 1.5", [">=", "i", 2]],
    ["i < -1.5", ["<=", "i", -2]],
    ["i > -1.5", [">=", "i", -1]],
    ["i < 2", ["<", "i", 2]],
    ["i > 2", [">", "i", 2]],
    ["b < 1000", ["whenNotNull", "b", true]],
    ["b > 1000", ["whenNotNull", "b", false]],
    ["b >= 127", [">=", "b", 127]],
    ["b > 127", ["whenNotNull", "b", false]],
    ["b <= -128", ["<=", "b", -128]],
    ["b < -128", ["whenNotNull", "b", false]],
    ["b >= -128", ["whenNotNull", "b", true]],
    ["b <= 127", ["whenNotNull", "b", true]],
    ["sh = 32768", ["whenNotNull", "sh", false]],
    ["5 < i", [">", "i", 5]],
    ["5.5 <= i", [">=", "i", 6]],
    // decimals: unscaled at the column's scale
    ["dec = 1", ["=", "dec", { unscaled: 100n, scale: 2 }]],
    ["dec = 1.23", ["=", "dec", { unscaled: 123n, scale: 2 }]],
    ["dec = 1.230", ["=", "dec", { unscaled: 123n, scale: 2 }]],
    ["dec = 1.234", ["whenNotNull", "dec", false]],
    ["dec < 1.234", ["<=", "dec", { unscaled: 123n, scale: 2 }]],
    ["dec > 1.234", [">=", "dec", { unscaled: 124n, scale: 2 }]],
    ["dec = 12.5e-1", ["=", "dec", { unscaled: 125n, scale: 2 }]],
    ["dec < 100000000", ["whenNotNull", "dec", true]],
    ["dec <= 99999999.99", ["whenNotNull", "dec", true]],
    ["dec < 99999999.99", ["<", "dec", { unscaled: 9999999999n, scale: 2 }]],
    ["dec = '-0.5'", ["=", "dec", { unscaled: -50n, scale: 2 }]],
    // floats: nearest double / float32
    ["d = 0.1", ["=", "d", 0.1]],
    ["d > 1e400", [">", "d", Infinity]],
    ["d = 'NaN'", ["=", "d", NaN]],
    ["d = '-Infinity'", ["=", "d", -Infinity]],
    ["f = 0.1", ["=", "f", Math.fround(0.1)]],
    ["f = 3", ["=", "f", 3]],
    // strings, booleans, binary
    ["str = 'abc'", ["=", "str", "abc"]],
    ["str >= ''", [">=", "str", ""]],
    ["bool = TRUE", ["=", "bool", true]],
    ["bool != 'False'", ["!=", "bool", false]],
    ["bool", ["=", "bool", true]],
    ["bin = 'hé'", ["=", "bin", new Uint8Array([0x68, 0xc3, 0xa9])]],
    // dates
    ["dt = DATE '2021-01-01'", ["=", "dt", DAYS_2021]],
    ["dt = '2021-01-01'", ["=", "dt", DAYS_2021]],
    ["dt = '1969-12-31'", ["=", "dt", -1]],
    ["dt = TIMESTAMP '2021-01-01 00:00:00'", ["=", "dt", DAYS_2021]],
    ["dt = TIMESTAMP '2021-01-01 12:00:00'", ["whenNotNull", "dt", false]],
    ["dt < TIMESTAMP '2021-01-01 12:00:00'", ["<=", "dt", DAYS_2021]],
    ["dt >= TIMESTAMP '2021-01-01 12:00:00'", [">=", "dt", DAYS_2021 + 1]],
    ["dt > TIMESTAMP '2021-01-01 01:00:00+02:00'", [">=", "dt", DAYS_2021]],
    // timestamps: microseconds, UTC unless a zone is given
    ["ts = TIMESTAMP '2021-01-01 00:00:00'", ["=", "ts", MICROS_2021]],
    ["ts = TIMESTAMP '2021-01-01T00:00:00Z'", ["=", "ts", MICROS_2021]],
    ["ts = TIMESTAMP '2021-01-01 02:00:00+02:00'", ["=", "ts", MICROS_2021]],
    ["ts = TIMESTAMP '2020-12-31 19:00:00-0500'", ["=", "ts", MICROS_2021]],
    ["ts = TIMESTAMP '2021-01-01 00:00:00.000001'", ["=", "ts", MICROS_2021 + 1n]],
    ["ts = TIMESTAMP '2021-01-01 00:00:00.5'", ["=", "ts", MICROS_2021 + 500000n]],
    ["ts >= DATE '2021-01-01'", [">=", "ts", MICROS_2021]],
    ["ts < '2021-01-01'", ["<", "ts", MICROS_2021]],
    ["ts < '2021-01-01 00:00:01'", ["<", "ts", MICROS_2021 + 1000000n]],
    ["ts = TIMESTAMP_NTZ '2021-01-01 00:00:00'", ["=", "ts", MICROS_2021]],
    ["ntz = TIMESTAMP_NTZ '2021-01-01 00:00:00'", ["=", "ntz", MICROS_2021]],
    ["ntz = TIMESTAMP '2021-01-01 01:00:00+01:00'", ["=", "ntz", MICROS_2021]],
    ["ts = TIMESTAMP '1969-12-31 23:59:59.999999'", ["=", "ts", -1n]],
    // NULL literals, IS NULL, IN
    ["i = NULL", ["const", null]],
    ["NULL != i", ["const", null]],
    ["i IS NULL", ["IS NULL", "i"]],
    ["st IS NOT NULL", ["IS NOT NULL", "st"]],
    ["arr IS NULL", ["IS NULL", "arr"]],
    ["i IN (1, 2.5, 3, 1, NULL, 1e10)", ["IN", "i", [1, 3], true]],
    ["i NOT IN (1.5)", ["whenNotNull", "i", true]],
    ["i IN (1.5)", ["whenNotNull", "i", false]],
    ["i IN (NULL)", ["const", null]],
    ["dec IN (1, 1.00, 2.5)", ["IN", "dec", [{ unscaled: 100n, scale: 2 }, { unscaled: 250n, scale: 2 }], false]],
    ["str NOT IN ('a', 'b')", ["NOT IN", "str", ["a", "b"], false]],
    // columns vs columns, void, nested, case-insensitive
    ["i < l", ["<", "i", "l"]],
    ["dec = d", ["=", "dec", "d"]],
    ["ts > ntz", [">", "ts", "ntz"]],
    ["v = 1", ["const", null]],
    ["v IS NULL", ["IS NULL", "v"]],
    ["v", ["const", null]],
    ["st.x = 1", ["=", "st.x", 1]],
    ["st.`y.z` = 'q'", ["=", "st.y.z", "q"]],
    ["ST.X = 1", ["=", "st.x", 1]],
    ["mixed = 1", ["=", "Mixed", 1]],
    // literal-only comparisons fold
    ["1 = 1", ["const", true]],
    ["1 = 1.0", ["const", true]],
    ["1 < 0.5", ["const", false]],
    ["'a' < 'b'", ["const", true]],
    ["DATE '2021-01-01' = TIMESTAMP '2021-01-01 00:00:00'", ["const", true]],
    ["DATE '2021-01-01' < '2021-01-02'", ["const", true]],
    ["TRUE = 'true'", ["const", true]],
    ["1 IN (2, NULL)", ["const", null]],
    ["1 NOT IN (2, 3)", ["const", true]],
    ["NULL IS NULL", ["const", true]],
    ["1 IS NULL", ["const", false]],
    ["FALSE", ["const", false]],
  ];
  it.each(cases)("%s", (text, expected) => {
    expect(view(bind(text))).toEqual(expected);
  });

  it("keeps the tree and resolves indexes", () => {
    const e = bind("NOT (i = 1 OR st.x > 2) AND l IS NULL");
    expect(e.kind).toBe("and");
    expect(boundColumns(e).map((c) => [c.path.join("."), c.index])).toEqual([
      ["i", idx("i")],
      ["st.x", idx("st", "x")],
      ["l", idx("l")],
    ]);
  });

  it("prefers an exact match, else a unique case-insensitive one, else reports ambiguity", () => {
    const columns = [
      { path: ["a"], type: { kind: "primitive", name: "integer" } as const },
      { path: ["A"], type: { kind: "primitive", name: "long" } as const },
    ];
    expect(parsePredicate("A = 1", { columns })).toMatchObject({ column: { path: ["A"], index: 1 }, value: 1n });
    expect(parsePredicate("a = 1", { columns })).toMatchObject({ column: { path: ["a"], index: 0 }, value: 1 });
    const three = [...columns, { path: ["b"], type: { kind: "primitive", name: "long" } as const }];
    expect(() => parsePredicate("B = 1", { columns: three })).not.toThrow();
    const clash = [
      { path: ["Ab"], type: { kind: "primitive", name: "long" } as const },
      { path: ["aB"], type: { kind: "primitive", name: "long" } as const },
    ];
    expect(() => parsePredicate("ab = 1", { columns: clash })).toThrow("ambiguous column ab: matches Ab, aB at position 1 in: ab = 1");
  });
});

describe("bind: errors", () => {
  const cases: Array<[string, string]> = [
    ["nope = 1", "unknown column nope (available: l, i, sh, b, dec, f, d, str, bool, bin, dt, ts, ntz, st, st.x, st.`y.z`, arr, v, Mixed) at position 1 in: nope = 1"],
    ["st.nope IS NULL", "unknown column st.nope"],
    ["i = 'abc'", "cannot compare column i of type integer with 'abc': not a number at position 5 in: i = 'abc'"],
    ["i = TRUE", "cannot compare column i of type integer with TRUE at position 5"],
    ["i = DATE '2021-01-01'", "cannot compare column i of type integer with DATE '2021-01-01'"],
    ["str = 1", "cannot compare column str of type string with 1: quote it as a string at position 7"],
    ["bool = 1", "cannot compare column bool of type boolean with 1"],
    ["bool = 'yes'", "cannot compare column bool of type boolean with 'yes'"],
    ["d = 'abc'", "cannot compare column d of type double with 'abc': not a number"],
    ["dt = '2021-13-01'", "cannot compare column dt of type date with '2021-13-01': expected YYYY-MM-DD"],
    ["dt = '2021-01-01 10:00:00'", "expected YYYY-MM-DD (or use a TIMESTAMP literal)"],
    ["dt = 5", "cannot compare column dt of type date with 5"],
    ["ts = 'yesterday'", "cannot compare column ts of type timestamp with 'yesterday': expected YYYY-MM-DD[ HH:MM:SS[.ffffff]]"],
    ["bin = 1", "cannot compare column bin of type binary with 1"],
    ["st = 1", "cannot compare column st of type struct; only IS [NOT] NULL applies to it at position 1"],
    ["arr IN (1)", "cannot compare column arr of type array"],
    ["i = str", "cannot compare column i of type integer with column str of type string at position 1"],
    ["dt < ts", "cannot compare column dt of type date with column ts of type timestamp"],
    ["i", "column i of type integer is not a boolean predicate at position 1"],
    ["i = 1 AND 5", "an integer literal is not a predicate"],
    ["'x'", "a string literal is not a predicate"],
    ["1 = 'x'", "cannot compare 1 with 'x' at position 1 in: 1 = 'x'"],
    ["TRUE < 1", "cannot compare TRUE with 1"],
    ["DATE '2021-01-01' = 1", "cannot compare DATE '2021-01-01' with 1"],
  ];
  it.each(cases)("%s", (text, message) => {
    let error: unknown;
    try {
      bind(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toContain(message);
  });

  it("lists at most 40 columns", () => {
    const columns = Array.from({ length: 50 }, (_, i) => ({ path: [`c${i}`], type: { kind: "primitive", name: "long" } as const }));
    expect(() => parsePredicate("x = 1", { columns })).toThrow(/c39, \.\.\. \(50 in all\)/);
  });
});
