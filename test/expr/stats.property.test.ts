// Soundness of data skipping: for random small files (ints, strings, timestamps, doubles with NaN)
// and random predicates, stats computed the way writers do (string bounds truncated to a prefix,
// timestamps truncated to milliseconds, NaN left out of or included in float bounds, loose bounds
// over rows later deleted) never make statsMayMatch say "no" when a row of the file matches.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  compareValues,
  parsePredicate,
  partitionMayMatch,
  rowMatches,
  statsMayMatch,
  type ColumnStats,
} from "../../src/core/expr/index.js";
import type { Scalar } from "../../src/core/schema/types.js";
import { formatTimestamp } from "../../src/core/expr/temporal.js";
import { cols } from "./fixtures.js";

type Row = { i: number | null; sh: number | null; str: string | null; ts: bigint | null; d: number | null };

const STRINGS = ["", "a", "ab", "abc", "abd", "b", "ba", "\uffff", "\u{1F600}", "\u{1F600}a", "z"];
const value = {
  i: fc.option(fc.integer({ min: -5, max: 5 }), { freq: 4 }),
  sh: fc.option(fc.integer({ min: -5, max: 5 }), { freq: 4 }),
  str: fc.option(fc.constantFrom(...STRINGS), { freq: 4 }),
  ts: fc.option(fc.bigInt({ min: -4000n, max: 4000n }), { freq: 4 }),
  d: fc.option(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(NaN), fc.constant(-0)), { freq: 4 }),
};
const row: fc.Arbitrary<Row> = fc.record(value);

const intLit = fc.oneof(fc.integer({ min: -7, max: 7 }).map(String), fc.integer({ min: -70, max: 70 }).map((t) => (t / 10).toFixed(1)));
const strLit = fc.constantFrom(...STRINGS, "aa", "abcd", "abz", "\u{1F600}b").map((s) => `'${s}'`);
const tsLit = fc.bigInt({ min: -5000n, max: 5000n }).map((m) => `TIMESTAMP '${formatTimestamp(m)}'`);
const dLit = fc.oneof(fc.integer({ min: -4, max: 4 }).map(String), fc.constantFrom("'NaN'", "'Infinity'", "0.5"));
const op = fc.constantFrom("=", "!=", "<", "<=", ">", ">=");
const colLit = fc.oneof(
  fc.tuple(fc.constant("i"), intLit),
  fc.tuple(fc.constant("str"), strLit),
  fc.tuple(fc.constant("ts"), tsLit),
  fc.tuple(fc.constant("d"), dLit),
);
const leaf: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(colLit, op).map(([[c, l], o]) => `${c} ${o} ${l}`),
  fc.tuple(colLit, op).map(([[c, l], o]) => `${l} ${o} ${c}`),
  fc.tuple(fc.constantFrom("i", "str", "ts", "d"), fc.boolean()).map(([c, n]) => `${c} IS ${n ? "NOT " : ""}NULL`),
  fc
    .tuple(fc.constantFrom("i", "str", "ts", "d"), fc.boolean(), fc.boolean())
    .chain(([c, neg, withNull]) =>
      fc
        .array(c === "i" ? intLit : c === "str" ? strLit : c === "ts" ? tsLit : dLit, { minLength: 1, maxLength: 3 })
        .map((items) => `${c} ${neg ? "NOT " : ""}IN (${[...items, ...(withNull ? ["NULL"] : [])].join(", ")})`),
    ),
  fc.tuple(op).map(([o]) => `i ${o} sh`),
);
const { pred } = fc.letrec<{ pred: string }>((tie) => ({
  pred: fc.oneof(
    { depthSize: "small" },
    leaf,
    tie("pred").map((p) => `NOT (${p})`),
    fc.tuple(tie("pred"), fc.constantFrom("AND", "OR"), tie("pred")).map(([a, j, b]) => `(${a}) ${j} (${b})`),
  ),
}));

/** How a writer may have produced the stats. */
const writer = fc.record({
  strPrefix: fc.integer({ min: 0, max: 3 }), // 0: not truncated
  tsTowardZero: fc.boolean(), // truncation to ms toward zero instead of floor
  nanInBounds: fc.boolean(), // Spark-style (NaN is the max) vs parquet-style (NaN left out)
  deleted: fc.array(row, { maxLength: 3 }), // rows still in the file but deleted by a DV (loose bounds)
  withCounts: fc.boolean(),
});

function truncMs(v: bigint, towardZero: boolean): bigint {
  const r = v % 1000n;
  if (r === 0n) return v;
  return towardZero || v > 0n ? v - r : v - r - 1000n;
}

interface Writer {
  strPrefix: number;
  tsTowardZero: boolean;
  nanInBounds: boolean;
  withCounts: boolean;
}

function columnStats(values: Scalar[], numRecords: number, w: Writer, kind: keyof Row): ColumnStats {
  const nonNull = values.filter((v) => v !== null);
  const forBounds = kind === "d" && !w.nanInBounds ? nonNull.filter((v) => !Number.isNaN(v)) : nonNull;
  const stats: ColumnStats = {};
  if (w.withCounts) {
    stats.nullCount = values.length - nonNull.length;
    stats.numRecords = numRecords;
  }
  if (forBounds.length > 0) {
    let min = forBounds.reduce((a, b) => ((compareValues(a, b) ?? 0) <= 0 ? a : b));
    let max = forBounds.reduce((a, b) => ((compareValues(a, b) ?? 0) >= 0 ? a : b));
    if (kind === "str" && w.strPrefix > 0) {
      min = [...(min as string)].slice(0, w.strPrefix).join("");
      max = [...(max as string)].slice(0, w.strPrefix).join("");
    }
    if (kind === "ts") {
      min = truncMs(min as bigint, w.tsTowardZero);
      max = truncMs(max as bigint, w.tsTowardZero);
    }
    stats.min = min;
    stats.max = max;
  }
  return stats;
}

const show = (r: Row): string => JSON.stringify(r, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));

describe("statsMayMatch soundness", () => {
  it("never rules out a file that holds a matching row", () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 0, maxLength: 6 }), pred, writer, (rows, text, w) => {
        const expr = parsePredicate(text, { columns: cols });
        // Stats describe live rows plus deleted ones (loose bounds when some were deleted).
        const physical = [...rows, ...w.deleted];
        const tightBounds = w.deleted.length === 0;
        const stats = new Map<string, ColumnStats>();
        for (const kind of ["i", "sh", "str", "ts", "d"] as const) {
          const s = columnStats(physical.map((r) => r[kind]), physical.length, w, kind);
          stats.set(kind, { ...s, tightBounds });
        }
        const may = statsMayMatch(expr, (path) => stats.get(path.join(".")));
        const matching = rows.find((r) => rowMatches(expr, (path) => r[path.join(".") as keyof Row]));
        if (matching !== undefined) expect(may, `a row matches: ${show(matching)}`).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });

  it("skips often enough to be useful on simple ranges", () => {
    const expr = parsePredicate("i > 3", { columns: cols });
    expect(statsMayMatch(expr, () => ({ min: -5, max: 3, nullCount: 0, numRecords: 4 }))).toBe(false);
  });

  it("partition pruning with every column known agrees with row evaluation", () => {
    fc.assert(
      fc.property(row, pred, (r, text) => {
        const expr = parsePredicate(text, { columns: cols });
        const matches = rowMatches(expr, (path) => r[path.join(".") as keyof Row]);
        const may = partitionMayMatch(expr, (path) => r[path.join(".") as keyof Row]);
        expect(may).toBe(matches);
      }),
      { numRuns: 5000 },
    );
  });
});
