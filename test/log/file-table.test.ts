/**
 * FileTable behaves exactly like a Map for what replay uses (set, setLine, delete, size, values in
 * insertion order; reserve), checked against a Map model over random operation sequences: with few keys
 * (many updates, deletes and re-adds), with many (growth and compaction), with keys given as
 * ranges of a text, and after falling back to a Map when probes run long.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { FileTable } from "../../src/core/log/file-table.js";

type Op = { kind: "set" | "line" | "delete" | "reserve"; key: string; value: number };

const op = (keys: fc.Arbitrary<string>): fc.Arbitrary<Op> =>
  fc.record({ kind: fc.constantFrom("set" as const, "line" as const, "delete" as const, "reserve" as const), key: keys, value: fc.nat(1000) });

/** Runs ops on a FileTable and a Map; values are {v} objects or `line:v` strings (from a text). */
function check(ops: readonly Op[], maxProbe?: number): void {
  const table = new FileTable<{ v: number }>(maxProbe === undefined ? {} : { maxProbe });
  const model = new Map<string, { v: number } | string>();
  for (const o of ops) {
    if (o.kind === "set") {
      table.set(o.key, { v: o.value });
      model.set(o.key, { v: o.value });
    } else if (o.kind === "line") {
      // Key and line as ranges of one text, with junk around them.
      const line = `line:${o.value}`;
      const text = `#${o.key}|${line}#`;
      table.setLine(text, 1, 1 + o.key.length, text, 2 + o.key.length, 2 + o.key.length + line.length);
      model.set(o.key, line);
    } else if (o.kind === "reserve") {
      table.reserve(o.value);
    } else {
      const padded = `<<${o.key}>>`;
      expect(table.delete(padded, 2, 2 + o.key.length)).toBe(model.delete(o.key));
    }
    expect(table.size).toBe(model.size);
  }
  expect([...table.values()]).toEqual([...model.values()]);
}

describe("FileTable", () => {
  it("matches a Map with a few keys (updates, deletes, re-adds)", () => {
    fc.assert(fc.property(fc.array(op(fc.constantFrom("a", "b", "c", "d", "a/b", "", "é")), { maxLength: 200 }), (ops) => check(ops)), {
      seed: 9,
      numRuns: 300,
    });
  });

  it("matches a Map with many keys (growth, compaction)", () => {
    fc.assert(fc.property(fc.array(op(fc.string({ maxLength: 4 })), { minLength: 200, maxLength: 2000 }), (ops) => check(ops)), {
      seed: 9,
      numRuns: 40,
    });
  });

  it("matches a Map after falling back to one on a long probe", () => {
    fc.assert(fc.property(fc.array(op(fc.string({ maxLength: 3 })), { maxLength: 300 }), (ops) => check(ops, 1)), { seed: 9, numRuns: 100 });
  });

  it("100k distinct keys, then removing every other one, keep order", () => {
    const table = new FileTable<{ v: number }>();
    for (let i = 0; i < 100_000; i++) table.set(`part=${i % 7}/file-${i}.parquet`, { v: i });
    for (let i = 0; i < 100_000; i += 2) table.delete(`part=${i % 7}/file-${i}.parquet`);
    table.set("part=0/file-0.parquet", { v: -1 });
    const values = [...table.values()].map((x) => (x as { v: number }).v);
    expect(values.length).toBe(50_001);
    expect(values.slice(0, 3)).toEqual([1, 3, 5]);
    expect(values.at(-1)).toBe(-1);
  });
});
