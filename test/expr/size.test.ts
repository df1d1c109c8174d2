// Predicate size: thousands of AND/OR terms, 100k-item IN lists and hand-built chains go through
// every walker (parse, print, columns, bind, NNF, row/partition/stats evaluation, the column-at-a-
// time filter) without exhausting the stack and in near-linear time; nesting beyond
// MAX_PREDICATE_DEPTH (parentheses, NOT, AND/OR alternation) is an InvalidInputError naming it.
import { Int64, vectorFromArray } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/core/errors.js";
import {
  and,
  bind,
  boundColumns,
  cmp,
  col,
  columns,
  evalRow,
  isIn,
  MAX_PREDICATE_DEPTH,
  normalizeBound,
  not,
  or,
  parse,
  parsePredicate,
  partitionOutcomes,
  print,
  statsMayMatch,
  toNegationNormalForm,
  type BoundExpr,
  type Expr,
  type Literal,
} from "../../src/core/expr/index.js";
import { predicateMask } from "../../src/core/scan/row-filter.js";
import { bindPredicate } from "../../src/core/scan/plan.js";
import type { StructField } from "../../src/core/schema/types.js";
import { cols, prim, schema } from "./fixtures.js";

const int = (n: number): Literal => ({ kind: "literal", type: "integer", text: String(n) });
const rowOf = (l: bigint | null) => (path: readonly string[]) => (path[0] === "l" ? l : null);
const N = 5000;

/** `l` as one Arrow column, and the predicate mask over it (the column-at-a-time path). */
function mask(e: BoundExpr, values: bigint[]): number[] {
  const data = vectorFromArray(values, new Int64()).data[0]!;
  const field: StructField = { name: "l", type: prim("long"), nullable: true, metadata: {} };
  return [...predicateMask(e, [[field, data]], values.length)];
}

const probes = [-1n, 0n, 1n, 2500n, 4999n, 5000n, 123456n, null];

describe("long AND/OR runs", () => {
  it(`${N} OR terms: parse, print, columns, bind and every evaluator`, () => {
    const text = Array.from({ length: N }, (_, i) => `l = ${i * 2}`).join(" OR ");
    const e = parse(text);
    expect(print(e)).toBe(text);
    expect(columns(e)).toEqual([["l"]]);
    const b = bind(e, { columns: cols });
    expect(boundColumns(b).map((c) => c.path)).toEqual([["l"]]);
    const nnf = toNegationNormalForm({ kind: "not", arg: b });
    for (const v of probes) {
      const want = v === null ? null : v >= 0n && v < BigInt(2 * N) && v % 2n === 0n;
      expect(evalRow(b, rowOf(v)), String(v)).toBe(want);
      expect(evalRow(nnf, rowOf(v)), String(v)).toBe(want === null ? null : !want);
    }
    expect(mask(b, [0n, 1n, 9998n, 9999n])).toEqual([1, 0, 1, 0]);
    expect(statsMayMatch(b, () => ({ min: 10001n, max: 20000n, nullCount: 0, numRecords: 5 }))).toBe(false);
    expect(statsMayMatch(b, () => ({ min: 9000n, max: 9001n, nullCount: 0, numRecords: 5 }))).toBe(true);
    expect(partitionOutcomes(b, () => undefined)).toBe(7);
  });

  it(`${N} AND terms, and runs nested in the other connective`, () => {
    const text = Array.from({ length: N }, (_, i) => `l != ${i}`).join(" AND ");
    const b = parsePredicate(text, { columns: cols });
    expect(evalRow(b, rowOf(5000n))).toBe(true);
    expect(evalRow(b, rowOf(4999n))).toBe(false);
    expect(mask(b, [5000n, 4999n, -1n])).toEqual([1, 0, 1]);
    expect(statsMayMatch(b, () => ({ min: 7n, max: 7n, nullCount: 0, numRecords: 3 }))).toBe(false);
    // OR of ANDs: what the asset layer's partition filters build (print keeps it parseable)
    const e = or(...Array.from({ length: 2000 }, (_, i) => and(cmp(col("l"), ">=", int(i * 10)), cmp(col("i"), "=", int(i)))));
    const again = parse(print(e));
    expect(print(again)).toBe(print(e));
    const bound = bind(again, { columns: cols });
    const row = (l: bigint, i: number) => (path: readonly string[]) => (path[0] === "l" ? l : path[0] === "i" ? i : null);
    expect(evalRow(bound, row(19990n, 1999))).toBe(true);
    expect(evalRow(bound, row(19989n, 1999))).toBe(false);
  });

  it("a right-nested chain built in code binds and evaluates as a run", () => {
    let e: Expr = cmp(col("l"), "=", int(N));
    for (let i = N - 1; i >= 0; i--) e = { kind: "or", left: cmp(col("l"), "=", int(i)), right: e };
    const b = bind(e, { columns: cols });
    expect(evalRow(b, rowOf(3n))).toBe(true);
    expect(evalRow(b, rowOf(BigInt(N + 1)))).toBe(false);
    expect(print(e).length).toBeGreaterThan(N * 8); // printing is iterative too
  });

  it("hand-built bound trees: long chains are balanced, deep nesting is refused", () => {
    const leaf = (k: number): BoundExpr => ({ kind: "compare", op: "!=", column: { path: ["l"], type: prim("long"), index: 0 }, value: BigInt(k) });
    let chain: BoundExpr = leaf(0);
    for (let i = 1; i < 20000; i++) chain = { kind: "and", left: chain, right: leaf(i) };
    const balanced = normalizeBound(chain);
    expect(evalRow(balanced, rowOf(20000n))).toBe(true);
    expect(evalRow(balanced, rowOf(19999n))).toBe(false);
    expect(bindPredicate(chain, schema, { path: "t", version: 0 })).toEqual(balanced);
    let deep: BoundExpr = leaf(0);
    for (let i = 0; i < 10000; i++) deep = { kind: "not", arg: deep };
    expect(() => normalizeBound(deep)).toThrow(InvalidInputError);
    expect(() => bindPredicate(deep, schema, { path: "t", version: 3 })).toThrow(/nests deeper than 256 levels.*version 3/);
  });
});

describe("nesting bound", () => {
  const refused = (f: () => unknown) => {
    expect(f).toThrow(InvalidInputError);
    expect(f).toThrow(new RegExp(`deeper than ${MAX_PREDICATE_DEPTH} levels`));
  };

  it("10000 nested parentheses and NOT NOT ... are refused naming the bound; up to the bound they work", () => {
    expect(MAX_PREDICATE_DEPTH).toBe(256);
    refused(() => parse(`${"(".repeat(10000)}l = 1${")".repeat(10000)}`));
    refused(() => parse(`${"NOT ".repeat(10000)}l = 1`));
    refused(() => parsePredicate(`${"NOT ".repeat(MAX_PREDICATE_DEPTH)}l = 1`, { columns: cols })); // 256 NOTs + the comparison
    refused(() => bind(Array.from({ length: 10000 }).reduce<Expr>((e) => not(e), cmp(col("l"), "=", int(1))), { columns: cols }));
    const parens = parsePredicate(`${"(".repeat(MAX_PREDICATE_DEPTH)}l = 1${")".repeat(MAX_PREDICATE_DEPTH)}`, { columns: cols });
    expect(evalRow(parens, rowOf(1n))).toBe(true);
    const nots = parsePredicate(`${"NOT ".repeat(MAX_PREDICATE_DEPTH - 1)}l = 1`, { columns: cols });
    expect(evalRow(nots, rowOf(1n))).toBe(false); // 255 NOTs: odd
  });

  it("alternating AND/OR nesting: each switch is a level", () => {
    const nested = (levels: number): string => {
      let text = "l = 0";
      for (let k = 1; k < levels; k++) text = `l = ${k} ${k % 2 === 0 ? "AND" : "OR"} (${text})`;
      return text;
    };
    const ok = parsePredicate(nested(200), { columns: cols });
    expect(evalRow(ok, rowOf(199n))).toBe(true);
    expect(evalRow(ok, rowOf(1000n))).toBe(false);
    refused(() => parsePredicate(nested(400), { columns: cols }));
  });

  it("errors about huge predicates quote only the start of the text", () => {
    const text = Array.from({ length: N }, (_, i) => `l = ${i}`).join(" OR ") + " OR nope = 1";
    let message = "";
    try {
      parsePredicate(text, { columns: cols });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^unknown column nope .* at position \d+ in: l = 0 OR .*\.\.\. \(\d+ characters\)$/);
    expect(message.length).toBeLessThan(2000);
  });
});

describe("long IN lists", () => {
  it("100k items: lexed, bound (deduplicated by sorting) and binary-searched per row", { timeout: 60_000 }, () => {
    const items = Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 150_000); // distinct, unordered
    const text = `l IN (${items.join(", ")}, ${items.slice(0, 1000).join(", ")})`; // and 1000 repeats
    const b = parsePredicate(text, { columns: cols });
    expect(b.kind === "in" && b.values.length).toBe(100_000);
    expect(b.kind === "in" && b.values.slice(0, 3)).toEqual(items.slice(0, 3).map(BigInt)); // first-appearance order
    const set = new Set(items);
    const probe = Array.from({ length: 2000 }, (_, i) => BigInt((i * 37) % 160_000));
    const want = probe.map((v) => (set.has(Number(v)) ? 1 : 0));
    expect(mask(b, probe)).toEqual(want);
    expect(probe.map((v) => (evalRow(b, rowOf(v)) ? 1 : 0))).toEqual(want);
    const notIn = bind(isIn(col("str"), items.slice(0, 20000).map((i): Literal => ({ kind: "literal", type: "string", value: `s${i}` })), true), { columns: cols });
    const str = (s: string) => (path: readonly string[]) => (path[0] === "str" ? s : null);
    expect(evalRow(notIn, str(`s${items[19999]}`))).toBe(false);
    expect(evalRow(notIn, str("s-1"))).toBe(true);
  });
});
