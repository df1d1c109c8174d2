/**
 * Value expressions of the one grammar (UPDATE SET, MERGE values, computed comparisons): parsing
 * with precedence, typing as Spark types them, evaluation with ANSI errors, CAST, CASE, COALESCE,
 * `||`, and predicates comparing computed values. Expected values are written out by hand.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bind, bindValue } from "../../src/core/expr/bind.js";
import type { ColumnDef } from "../../src/core/expr/bound.js";
import { evalRow } from "../../src/core/expr/eval-row.js";
import { evalValue } from "../../src/core/expr/eval-value.js";
import { parse, parseValue } from "../../src/core/expr/parse.js";
import { print } from "../../src/core/expr/print.js";
import { typeName } from "../../src/core/expr/coerce.js";
import type { Scalar } from "../../src/core/schema/types.js";

const COLUMNS: ColumnDef[] = [
  { path: ["i"], type: { kind: "primitive", name: "integer" } },
  { path: ["l"], type: { kind: "primitive", name: "long" } },
  { path: ["d"], type: { kind: "primitive", name: "double" } },
  { path: ["m"], type: { kind: "primitive", name: "decimal", precision: 10, scale: 2 } },
  { path: ["s"], type: { kind: "primitive", name: "string" } },
  { path: ["n"], type: { kind: "primitive", name: "integer" } },
  { path: ["dt"], type: { kind: "primitive", name: "date" } },
  { path: ["b"], type: { kind: "primitive", name: "boolean" } },
];
const ROW: Record<string, Scalar> = { i: 7, l: 10n, d: 1.5, m: { unscaled: 1234n, scale: 2 }, s: "ab", n: null, dt: 18628, b: true };

function value(text: string): { type: string; value: Scalar } {
  const v = bindValue(parseValue(text), { columns: COLUMNS });
  return { type: typeName(v.type), value: evalValue(v, (c) => ROW[c.path[0] as string] ?? null) };
}

function predicate(text: string): boolean | null {
  return evalRow(bind(parse(text), { columns: COLUMNS }), (path) => (ROW[path[0] as string] ?? null) as never);
}

describe("value expressions", () => {
  it("arithmetic with Spark's precedence and types", () => {
    expect(value("1 + 2 * 3")).toEqual({ type: "integer", value: 7 });
    expect(value("(1 + 2) * 3")).toEqual({ type: "integer", value: 9 });
    expect(value("-i * 2 - -1")).toEqual({ type: "integer", value: -13 });
    expect(value("i + l")).toEqual({ type: "long", value: 17n });
    expect(value("i / 2")).toEqual({ type: "double", value: 3.5 });
    expect(value("d * i")).toEqual({ type: "double", value: 10.5 });
    expect(value("m + 1")).toEqual({ type: "decimal(13,2)", value: { unscaled: 1334n, scale: 2 } });
    expect(value("m * 0.5")).toEqual({ type: "decimal(12,3)", value: { unscaled: 6170n, scale: 3 } });
    expect(value("m / 3")).toMatchObject({ type: "decimal(21,13)" });
    expect(value("i + n")).toEqual({ type: "integer", value: null });
  });

  it("strings, CASE, COALESCE, CAST and NULL", () => {
    expect(value("s || '-' || i")).toEqual({ type: "string", value: "ab-7" });
    expect(value("CASE WHEN i > 5 THEN 'big' WHEN i > 2 THEN 'mid' ELSE 'small' END")).toEqual({ type: "string", value: "big" });
    expect(value("CASE WHEN n IS NULL THEN l END")).toEqual({ type: "long", value: 10n });
    expect(value("CASE WHEN b THEN 1 ELSE 2.5 END")).toEqual({ type: "decimal(11,1)", value: { unscaled: 10n, scale: 1 } });
    expect(value("COALESCE(n, i, 0)")).toEqual({ type: "integer", value: 7 });
    expect(value("COALESCE(n, d)")).toEqual({ type: "double", value: 1.5 });
    expect(value("CAST(d AS int)")).toEqual({ type: "integer", value: 1 });
    expect(value("CAST('42' AS bigint)")).toEqual({ type: "long", value: 42n });
    expect(value("CAST(m AS string)")).toEqual({ type: "string", value: "12.34" });
    expect(value("CAST(dt AS timestamp)")).toEqual({ type: "timestamp", value: 18628n * 86_400_000_000n });
    expect(value("CAST(CAST(dt AS timestamp) AS string)")).toEqual({ type: "string", value: "2021-01-01 00:00:00" });
    expect(value("CAST(TIMESTAMP '2021-01-01 10:00:00.120' AS string)")).toEqual({ type: "string", value: "2021-01-01 10:00:00.12" });
    expect(value("CAST('2021-01-01T10:00:00Z' AS timestamp)")).toEqual({ type: "timestamp", value: 18628n * 86_400_000_000n + 36_000_000_000n });
    expect(value("CAST(' TRUE ' AS boolean)")).toEqual({ type: "boolean", value: true });
    expect(value("CAST(2.5 AS double) * 2")).toEqual({ type: "double", value: 5 });
    expect(value("CAST(1.005 AS decimal(4, 2))")).toEqual({ type: "decimal(4,2)", value: { unscaled: 101n, scale: 2 } });
    expect(value("NULL")).toEqual({ type: "void", value: null });
    expect(value("i > 3")).toEqual({ type: "boolean", value: true });
  });

  it("errors: overflow, division by zero, bad casts, type mismatches, unknown columns", () => {
    expect(() => value("2147483647 + i")).toThrow(/arithmetic overflow/);
    expect(() => value("l * 9223372036854775807")).toThrow(/arithmetic overflow/);
    expect(() => value("i / 0")).toThrow(/division by zero/);
    expect(() => value("CAST('x' AS int)")).toThrow(/cannot convert "x" of type string to integer/);
    expect(() => value("CAST(300 AS tinyint)")).toThrow(/out of the range of byte/);
    expect(() => value("CAST('yes' AS boolean)")).toThrow(/"yes" is not true or false/);
    expect(() => value("CAST('1.5' AS int)")).toThrow(/"1.5" is not an integer/);
    expect(() => value("s + 1")).toThrow(/cannot apply \+ to string and integer/);
    expect(() => value("CASE WHEN b THEN 1 ELSE 'x' END")).toThrow(/no common type/);
    expect(() => value("CAST(dt AS boolean)")).toThrow(/cannot CAST a value of type date to boolean/);
    expect(() => value("nope * 2")).toThrow(/unknown column nope/);
    expect(() => value(`1${"0".repeat(100_000)} + 1`)).toThrow(/has more than 38 digits/);
    expect(() => value("CAST(i AS whatever)")).toThrow(/unknown type whatever/);
  });

  it("predicates compare computed values", () => {
    expect(predicate("i * 2 > 10")).toBe(true);
    expect(predicate("i + n > 1")).toBe(null);
    expect(predicate("s || 'c' = 'abc' AND NOT d * 2 < 3")).toBe(true);
    expect(predicate("CASE WHEN b THEN i ELSE 0 END IN (7, 8)")).toBe(true);
    expect(predicate("COALESCE(n, 0) IS NOT NULL")).toBe(true);
  });

  it("prints and parses back", () => {
    for (const text of ["a + b * c", "(a + b) * c", "-a", "a || 'x'", "CASE WHEN a > 1 THEN 'x' ELSE NULL END", "COALESCE(a, b, 1)", "CAST(a AS decimal(10,2))", "a * 2 > b - 1"]) {
      const e = parse(text);
      expect(parse(print(e))).toEqual(e);
    }
  });

  it("bounds nesting: deep values are refused with an error, not a stack overflow", () => {
    expect(() => value(`${"(".repeat(300)}1${")".repeat(300)}`)).toThrow(/nests deeper/);
    expect(() => value(Array.from({ length: 5000 }, () => "i").join(" + "))).toThrow(/nests deeper/);
    expect(value(Array.from({ length: 100 }, () => "i").join(" + "))).toEqual({ type: "integer", value: 700 });
  });
});

describe("value expressions: property", () => {
  it("integer arithmetic equals exact BigInt arithmetic, or is refused as an overflow when it leaves long", () => {
    type Tree = { op: "+" | "-" | "*"; l: Tree; r: Tree } | { leaf: bigint };
    const tree: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
      t: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }).map((leaf) => ({ leaf })),
        fc.record({ op: fc.constantFrom("+" as const, "-" as const, "*" as const), l: tie("t"), r: tie("t") }),
      ),
    })).t;
    const text = (t: Tree): string => ("leaf" in t ? `CAST(${t.leaf} AS bigint)` : `(${text(t.l)} ${t.op} ${text(t.r)})`);
    const LIMIT = 2n ** 63n;
    const exact = (t: Tree): bigint | "overflow" => {
      if ("leaf" in t) return t.leaf;
      const l = exact(t.l);
      const r = exact(t.r);
      if (l === "overflow" || r === "overflow") return "overflow";
      const v = t.op === "+" ? l + r : t.op === "-" ? l - r : l * r;
      return v >= LIMIT || v < -LIMIT ? "overflow" : v;
    };
    fc.assert(
      fc.property(tree, (t) => {
        const want = exact(t);
        const run = () => evalValue(bindValue(parseValue(text(t)), { columns: COLUMNS }), () => null);
        if (want === "overflow") expect(run).toThrow(/arithmetic overflow/);
        else expect(run()).toBe(want);
      }),
      { numRuns: 300 },
    );
  });
});
