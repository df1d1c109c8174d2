// Gathering rows (arrow/take.ts) keeps every value: random rows of every primitive type and
// of structs, arrays and maps (nulls at every level), gathered at random indexes, from whole and
// from sliced batches (Arrow JS offsets), read back equal to the source rows at those indexes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Data } from "apache-arrow";
import { maskIndexes, takeRows } from "../../src/core/arrow/take.js";
import { batchRows } from "../../src/core/scan/rows.js";
import type { StructType } from "../../src/core/schema/types.js";
import { rowsToRecordBatch } from "../../src/core/write/rows-to-arrow.js";
import { RecordBatch, Struct, makeData } from "apache-arrow";
import { decimal, prim } from "../expr/fixtures.js";

const field = (name: string, type: StructType["fields"][number]["type"]) => ({ name, type, nullable: true, metadata: {} });
const schema: StructType = {
  kind: "struct",
  fields: [
    field("l", prim("long")),
    field("i", prim("integer")),
    field("d", prim("double")),
    field("s", prim("string")),
    field("b", prim("boolean")),
    field("bin", prim("binary")),
    field("dec", decimal(20, 3)),
    field("ts", prim("timestamp")),
    field("st", { kind: "struct", fields: [field("x", prim("integer")), field("y", prim("string"))] }),
    field("arr", { kind: "array", elementType: prim("string"), containsNull: true }),
    field("m", { kind: "map", keyType: prim("string"), valueType: { kind: "array", elementType: prim("long"), containsNull: true }, valueContainsNull: true }),
  ],
};
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { freq: 4 });
const row = fc.record({
  l: opt(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })),
  i: opt(fc.integer()),
  d: opt(fc.double()),
  s: opt(fc.string({ unit: "grapheme", maxLength: 20 })),
  b: opt(fc.boolean()),
  bin: opt(fc.uint8Array({ maxLength: 5 })),
  dec: opt(fc.bigInt({ min: -(10n ** 19n), max: 10n ** 19n }).map((unscaled) => ({ unscaled, scale: 3 }))),
  ts: opt(fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n })),
  st: opt(fc.record({ x: opt(fc.integer()), y: opt(fc.string({ maxLength: 3 })) })),
  arr: opt(fc.array(opt(fc.string({ maxLength: 3 })), { maxLength: 4 })),
  m: opt(fc.uniqueArray(fc.tuple(fc.string({ maxLength: 2 }), opt(fc.array(opt(fc.bigInt({ min: -9n, max: 9n })), { maxLength: 3 }))), { maxLength: 3, selector: ([k]) => k })),
});

const show = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? `${x}n` : x instanceof Uint8Array ? [...x] : x));

describe("takeRows", () => {
  it("gathers exactly the rows at the indexes, from whole and sliced batches", () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 20 }), fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }), fc.nat(5), (rows, keep, cut) => {
        const whole = rowsToRecordBatch(rows, schema);
        const start = Math.min(cut, rows.length - 1);
        const batch = start === 0 ? whole : whole.slice(start, rows.length);
        const source = [...batchRows(batch, schema.fields)];
        const mask = new Uint8Array(keep.slice(0, batch.numRows).map(Number));
        const idx = maskIndexes(mask, batch.numRows);
        const children = (batch.data.children as Data[]).map((c) => takeRows(c, idx));
        const taken = new RecordBatch(batch.schema, makeData({ type: new Struct(batch.schema.fields), length: idx.length, nullCount: 0, children }));
        expect(show([...batchRows(taken, schema.fields)])).toBe(show([...idx].map((k) => source[k])));
      }),
      { numRuns: 300 },
    );
  });
});
