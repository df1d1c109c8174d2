// The column-at-a-time predicate evaluator (scan/row-filter-fast.ts) agrees with the row-by-row
// one (expr/eval-row.ts) on random rows and random predicates: longs beyond 2^53 and negative,
// doubles with NaN and -0, strings beyond the BMP (code point order), booleans, dates,
// timestamps, NULLs everywhere, IN lists with NULL, NOT/AND/OR; and it declines (undefined) the
// shapes it does not handle, which predicateMask then evaluates row by row.
import { Bool, DateDay, Float64, Int32, Int64, TimeUnit, Timestamp, Utf8, type Data, type DataType as ArrowType } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePredicate, rowMatches } from "../../src/core/expr/index.js";
import { formatTimestamp } from "../../src/core/expr/temporal.js";
import { byteArrayBuffers, makeLeafData } from "../../src/core/arrow/builders.js";
import { fastPredicateMask } from "../../src/core/scan/row-filter-fast.js";
import { predicateMask } from "../../src/core/scan/row-filter.js";
import type { Scalar, StructField } from "../../src/core/schema/types.js";
import { cols, prim } from "../expr/fixtures.js";

const STRINGS = ["", "a", "ab", "abc", "b", "\uffff", "\u{1F600}", "\u{1F600}a", "é", "z"];
const BIG = 2n ** 62n;
const value = {
  l: fc.option(fc.oneof(fc.bigInt({ min: -5n, max: 5n }), fc.constantFrom(BIG, -BIG, 2n ** 32n, -(2n ** 32n), 2n ** 32n + 1n)), { freq: 4 }),
  i: fc.option(fc.integer({ min: -5, max: 5 }), { freq: 4 }),
  d: fc.option(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(NaN), fc.constant(-0), fc.constant(Infinity)), { freq: 4 }),
  str: fc.option(fc.constantFrom(...STRINGS), { freq: 4 }),
  bool: fc.option(fc.boolean(), { freq: 4 }),
  dt: fc.option(fc.integer({ min: -3, max: 3 }), { freq: 4 }),
  ts: fc.option(fc.bigInt({ min: -4000n, max: 4000n }), { freq: 4 }),
};
type Row = { [K in keyof typeof value]: Scalar };
const row = fc.record(value) as fc.Arbitrary<Row>;

const lit: Record<keyof Row, fc.Arbitrary<string>> = {
  l: fc.oneof(fc.integer({ min: -6, max: 6 }).map(String), fc.constantFrom(String(BIG), String(-BIG), String(2n ** 32n), "4294967295", "-4294967297", "2.5")),
  i: fc.oneof(fc.integer({ min: -7, max: 7 }).map(String), fc.constantFrom("1.5", "100000000000")),
  d: fc.oneof(fc.integer({ min: -4, max: 4 }).map(String), fc.constantFrom("'NaN'", "'Infinity'", "0.5", "-0.0")),
  str: fc.constantFrom(...STRINGS, "aa", "\u{1F600}b").map((s) => `'${s}'`),
  bool: fc.constantFrom("TRUE", "FALSE"),
  dt: fc.integer({ min: -4, max: 4 }).map((d) => `DATE '${new Date(d * 86_400_000).toISOString().slice(0, 10)}'`),
  ts: fc.bigInt({ min: -5000n, max: 5000n }).map((m) => `TIMESTAMP '${formatTimestamp(m)}'`),
};
const names = Object.keys(value) as (keyof Row)[];
const op = fc.constantFrom("=", "!=", "<", "<=", ">", ">=");
const leaf = fc.oneof(
  fc.constantFrom(...names).chain((c) => fc.tuple(lit[c], op, fc.boolean()).map(([l, o, flip]) => (flip ? `${l} ${o} ${c}` : `${c} ${o} ${l}`))),
  fc.tuple(fc.constantFrom(...names), fc.boolean()).map(([c, n]) => `${c} IS ${n ? "NOT " : ""}NULL`),
  fc.tuple(fc.constantFrom(...names), fc.boolean(), fc.boolean()).chain(([c, neg, withNull]) =>
    fc.array(lit[c], { minLength: 1, maxLength: 9 }).map((items) => `${c} ${neg ? "NOT " : ""}IN (${[...items, ...(withNull ? ["NULL"] : [])].join(", ")})`),
  ),
  fc.constantFrom("TRUE", "FALSE", "bool"),
);
const { pred } = fc.letrec<{ pred: string }>((tie) => ({
  pred: fc.oneof(
    { depthSize: "small" },
    leaf,
    tie("pred").map((p) => `NOT (${p})`),
    fc.tuple(tie("pred"), fc.constantFrom("AND", "OR"), tie("pred")).map(([a, j, b]) => `(${a}) ${j} (${b})`),
  ),
}));

const ARROW: Record<keyof Row, ArrowType> = {
  l: new Int64(), i: new Int32(), d: new Float64(), str: new Utf8(), bool: new Bool(), dt: new DateDay(), ts: new Timestamp(TimeUnit.MICROSECOND, "UTC"),
};
const DELTA: Record<keyof Row, StructField["type"]> = {
  l: prim("long"), i: prim("integer"), d: prim("double"), str: prim("string"), bool: prim("boolean"), dt: prim("date"), ts: prim("timestamp"),
};

/** One Arrow column of the rows' values of `name`. */
function column(rows: Row[], name: keyof Row): Data {
  const n = rows.length;
  const vals = rows.map((r) => r[name]);
  const valid = new Uint8Array(vals.map((v) => (v === null ? 0 : 1)));
  const type = ARROW[name];
  if (name === "str") {
    const { offsets, data } = byteArrayBuffers(vals, valid, n, false);
    return makeLeafData(type, n, valid, data, offsets);
  }
  if (name === "bool") {
    const bits = new Uint8Array((n + 7) >> 3);
    vals.forEach((v, i) => v === true && (bits[i >> 3]! |= 1 << (i & 7)));
    return makeLeafData(type, n, valid, bits);
  }
  const Ctor = type.ArrayType as new (n: number) => { [i: number]: unknown };
  const out = new Ctor(n);
  vals.forEach((v, i) => v !== null && (out[i] = v));
  return makeLeafData(type, n, valid, out as ArrayLike<unknown>);
}

function columnsOf(rows: Row[]): [StructField, Data][] {
  return names.map((c) => [{ name: c, type: DELTA[c], nullable: true, metadata: {} }, column(rows, c)]);
}

const show = (r: unknown): string => JSON.stringify(r, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));

describe("column-at-a-time predicate evaluation", () => {
  it("matches row-by-row evaluation", () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 12 }), pred, fc.option(fc.array(fc.boolean(), { minLength: 12, maxLength: 12 })), (rows, text, within) => {
        const expr = parsePredicate(text, { columns: cols });
        const withinMask = within === null ? undefined : new Uint8Array(within.slice(0, rows.length).map(Number));
        const fast = fastPredicateMask(expr, columnsOf(rows), rows.length, withinMask);
        expect(fast, `declined ${text}`).toBeDefined();
        const want = rows.map((r, i) => (withinMask !== undefined && withinMask[i] === 0 ? 0 : rowMatches(expr, (path) => r[path[0] as keyof Row] ?? null) ? 1 : 0));
        expect([...fast!], `${text} on ${show(rows)}`).toEqual(want);
      }),
      { numRuns: 600 },
    );
  });

  it("declines other shapes, which predicateMask evaluates row by row", () => {
    const rows: Row[] = [{ l: 1n, i: 2, d: 0, str: "a", bool: true, dt: 0, ts: 0n }, { l: 3n, i: 2, d: 0, str: "b", bool: false, dt: 0, ts: 0n }];
    for (const text of ["i < l", "str = 'a' AND i < l", "dec > 1", "st.x = 1"]) {
      const expr = parsePredicate(text, { columns: cols });
      expect(fastPredicateMask(expr, columnsOf(rows), 2)).toBeUndefined();
    }
    expect([...predicateMask(parsePredicate("i < l", { columns: cols }), columnsOf(rows), 2)]).toEqual([0, 1]);
  });
});
