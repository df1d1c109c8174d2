// Parser: a table of accepted inputs with their canonical printed form and tree, and of rejected
// inputs with the error text (message, 1-based position and the whole input).
import { describe, expect, it } from "vitest";
import { columns, parse, print, sourceSpan, type Expr } from "../../src/core/expr/index.js";
import { InvalidInputError } from "../../src/core/errors.js";

const col = (...path: string[]): Expr => ({ kind: "column", path });
const int = (text: string): Expr => ({ kind: "literal", type: "integer", text });

describe("parse: accepted inputs print canonically", () => {
  const cases: Array<[string, string]> = [
    ["a = 1", "a = 1"],
    ["a == 1", "a = 1"],
    ["a <> 1", "a != 1"],
    ["a != 1", "a != 1"],
    ["a<1", "a < 1"],
    ["a<=1 and b>=2", "a <= 1 AND b >= 2"],
    ["a > -1.50", "a > -1.50"],
    ["a > - 3", "a > -3"],
    ["x = 2.5e-3", "x = 2.5e-3"],
    ["x = 1E5", "x = 1E5"],
    ["x = 1.", "x = 1."],
    ["s = 'it''s'", "s = 'it''s'"],
    ["s = ''", "s = ''"],
    ["s = 'ünïcødé 😀'", "s = 'ünïcødé 😀'"],
    ["d = date '2021-01-31'", "d = DATE '2021-01-31'"],
    ["t >= Timestamp '2021-01-01 10:00:00'", "t >= TIMESTAMP '2021-01-01 10:00:00'"],
    ["t >= TIMESTAMP '2021-01-01T10:00:00.123456Z'", "t >= TIMESTAMP '2021-01-01T10:00:00.123456Z'"],
    ["t >= TIMESTAMP '2021-01-01 10:00:00+02:00'", "t >= TIMESTAMP '2021-01-01 10:00:00+02:00'"],
    ["t < timestamp_ntz '2021-01-01 10:00'", "t < TIMESTAMP_NTZ '2021-01-01 10:00'"],
    ["date = DATE '2021-01-01'", "date = DATE '2021-01-01'"],
    ["timestamp IS NULL", "timestamp IS NULL"],
    ["a.b.c = 1", "a.b.c = 1"],
    ["`a.b`.c = 1", "`a.b`.c = 1"],
    ["`my col` = 1", "`my col` = 1"],
    ["`we``ird` = 1", "`we``ird` = 1"],
    ["`and` = 1", "`and` = 1"],
    ["`Null`.x IS NULL", "`Null`.x IS NULL"],
    ["`plain` = 1", "plain = 1"],
    ["1 < a", "1 < a"],
    ["a = b", "a = b"],
    ["a in (1, 2, 3)", "a IN (1, 2, 3)"],
    ["a NOT IN ('x', NULL)", "a NOT IN ('x', NULL)"],
    ["a is null", "a IS NULL"],
    ["a IS NOT NULL", "a IS NOT NULL"],
    ["not a = 1", "NOT a = 1"],
    ["NOT NOT flag", "NOT NOT flag"],
    ["flag", "flag"],
    ["TRUE", "TRUE"],
    ["null", "NULL"],
    ["(a = 1)", "a = 1"],
    ["((a)) = 1", "a = 1"],
    ["(a = 1 OR b = 2) AND c = 3", "(a = 1 OR b = 2) AND c = 3"],
    ["a = 1 OR b = 2 AND c = 3", "a = 1 OR b = 2 AND c = 3"],
    ["a = 1 AND (b = 2 AND c = 3)", "a = 1 AND (b = 2 AND c = 3)"],
    ["(a = 1 AND b = 2) AND c = 3", "a = 1 AND b = 2 AND c = 3"],
    ["NOT (a = 1 AND b = 2)", "NOT (a = 1 AND b = 2)"],
    ["NOT a = 1 AND b = 2", "NOT a = 1 AND b = 2"],
    ["  a\t=\n1  ", "a = 1"],
    ["größe = 1", "größe = 1"],
    ["_x1 = 1", "_x1 = 1"],
  ];
  it.each(cases)("%s", (input, canonical) => {
    const e = parse(input);
    expect(print(e)).toBe(canonical);
    expect(parse(print(e))).toEqual(e);
  });
});

describe("parse: tree shape and precedence", () => {
  it("NOT > AND > OR, left-associative", () => {
    expect(parse("a OR b AND NOT c")).toEqual({
      kind: "or",
      left: col("a"),
      right: { kind: "and", left: col("b"), right: { kind: "not", arg: col("c") } },
    });
    expect(parse("a AND b AND c")).toEqual({
      kind: "and",
      left: { kind: "and", left: col("a"), right: col("b") },
      right: col("c"),
    });
  });
  it("NOT applies to a whole comparison, IN and IS NULL", () => {
    expect(parse("NOT x = 1")).toEqual({ kind: "not", arg: { kind: "compare", op: "=", left: col("x"), right: int("1") } });
    expect(parse("NOT x IS NULL")).toEqual({ kind: "not", arg: { kind: "isNull", value: col("x"), negated: false } });
  });
  it("number kinds keep their text", () => {
    const lit = (s: string): unknown => (parse(`x = ${s}`) as { right: unknown }).right;
    expect(lit("10")).toEqual({ kind: "literal", type: "integer", text: "10" });
    expect(lit("-10.50")).toEqual({ kind: "literal", type: "decimal", text: "-10.50" });
    expect(lit("1e-3")).toEqual({ kind: "literal", type: "float", text: "1e-3" });
  });
  it("backticks hold dots, spaces and escaped backticks", () => {
    expect(parse("`a.b c`.`d``e` = 1")).toMatchObject({ left: { path: ["a.b c", "d`e"] } });
  });
  it("records source spans", () => {
    const e = parse("x = 1 AND  yy > 2") as { right: { left: object } };
    expect(sourceSpan(e.right.left)).toEqual({ source: "x = 1 AND  yy > 2", start: 11, end: 13 });
    expect(sourceSpan(e)).toMatchObject({ start: 0, end: 17 });
  });
  it("columns() lists distinct referenced paths in order", () => {
    expect(columns(parse("b.c = 1 OR a IN (1) OR b.c IS NULL OR NOT a = d AND 1 = 1"))).toEqual([["b", "c"], ["a"], ["d"]]);
  });
});

describe("parse: errors", () => {
  const cases: Array<[string, string]> = [
    ["", "empty predicate at position 1 in: "],
    ["a = ", "unexpected end of input at position 5 (expected a column or a literal) in: a = "],
    ["a = )", "unexpected token ')' at position 5 (expected a column or a literal) in: a = )"],
    ["(a = 1", "unexpected end of input at position 7 (expected ')') in: (a = 1"],
    ["a = 1)", "unexpected token ')' at position 6 (unbalanced parenthesis) in: a = 1)"],
    ["a = 1 b = 2", "unexpected token 'b' at position 7 (expected AND, OR or the end) in: a = 1 b = 2"],
    ["a = 'open", "unterminated string 'open at position 5 in: a = 'open"],
    ["`open = 1", "unterminated quoted identifier `open = 1 at position 1 in: `open = 1"],
    ["`` = 1", "empty quoted identifier at position 1 in: `` = 1"],
    ['a = "x"', "unexpected '\"' (use 'single quotes' for strings and `backticks` for column names) at position 5"],
    ["a = 1 & b", "unexpected character '&' at position 7 in: a = 1 & b"],
    ["a = 12abc", "unexpected token '12a' at position 5 in: a = 12abc"],
    ["and = 1", "unexpected token 'and' at position 1 (expected a column, a literal, NOT or '('; quote a column named and as `and`)"],
    ["a.null = 1", "unexpected token 'null' at position 3 (expected a field name after '.')"],
    ["a. = 1", "unexpected token '=' at position 4 (expected a field name after '.')"],
    ["a IN ()", "unexpected token ')' at position 7 (expected a literal in the IN list)"],
    ["a IN (1, b)", "unexpected token 'b' at position 10 (IN lists hold literals only)"],
    ["a IN (1 2)", "unexpected token '2' at position 9 (expected ',' or ')')"],
    ["a IN 1", "unexpected token '1' at position 6 (expected '(' after IN)"],
    ["a IS 1", "unexpected token '1' at position 6 (expected NULL or NOT NULL)"],
    ["a IS NOT x", "unexpected token 'x' at position 10 (expected NULL)"],
    ["a = 1 = 2", "unexpected token '=' at position 7"],
    ["a = * 1", "unexpected token '*' at position 5 (expected a column or a literal)"],
    ["a = 1 +", "unexpected end of input at position 8 (expected a value)"],
    ["a = CAST(b AS nope)", "unknown type nope at position 15"],
    ["a = CASE WHEN b THEN 1", "unexpected end of input at position 23 (expected WHEN, ELSE or END)"],
    ["d = DATE '2021-02-30'", "invalid DATE literal '2021-02-30' at position 10 (expected YYYY-MM-DD)"],
    ["d = DATE '2021-1-1'", "invalid DATE literal '2021-1-1'"],
    ["t = TIMESTAMP '2021-01-01 25:00:00'", "invalid TIMESTAMP literal '2021-01-01 25:00:00' at position 15"],
    ["t = TIMESTAMP '2021-01-01 10:00:00.1234567'", "invalid TIMESTAMP literal"],
    ["t = TIMESTAMP_NTZ '2021-01-01 10:00:00Z'", "invalid TIMESTAMP_NTZ literal '2021-01-01 10:00:00Z' at position 19 (expected YYYY-MM-DD[ HH:MM[:SS[.ffffff]]] without a zone)"],
    ["a AND", "unexpected end of input at position 6"],
    ["NOT", "unexpected end of input at position 4"],
    ["a NOT b", "unexpected token 'NOT' at position 3"],
  ];
  it.each(cases)("%s", (input, message) => {
    let error: unknown;
    try {
      parse(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).code).toBe("INVALID_INPUT");
    expect((error as Error).message).toContain(message);
  });
});
