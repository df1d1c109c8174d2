/**
 * Property tests of the stats invariants on random data: numRecords and nullCount are exact
 * (a null struct makes its leaves null), integer/decimal/date bounds are exact, float bounds are
 * exact or absent (NaN drops max, infinities drop the bound), timestamp bounds are the values
 * floored to milliseconds, and string bounds bound every value in code-point order after
 * truncation to 32 code points (the max rule is checked on its own on adversarial strings too).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { compareStrings } from "../../src/core/schema/scalar.js";
import { parseDateTimeString, parseDateString } from "../../src/core/schema/datetime.js";
import { parseDecimalLiteral, compareDecimals } from "../../src/core/schema/decimal.js";
import type { DataType, DecimalValue, StructType } from "../../src/core/schema/types.js";
import { computeStats } from "../../src/core/write/stats.js";
import { writeDataFiles } from "../../src/core/write/data-files.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { useNodeParquetWasm } from "./helpers/oracle.js";
import { codePointPrefix, truncateMaxString, truncateMinString } from "../../src/core/write/stats-format.js";
import { buildBatch } from "./helpers/arrow-build.js";
import { parseRawJson, type RawJson, type RawNumber } from "./helpers/stats-json.js";
import { dec, field, p, struct } from "./fixtures.js";

const SCHEMA: StructType = struct(
  field("b", p("byte")),
  field("i", p("integer")),
  field("l", p("long")),
  field("f", p("float")),
  field("d", p("double")),
  field("date", p("date")),
  field("ts", p("timestamp")),
  field("ntz", p("timestamp_ntz")),
  field("dec9", dec(9, 3)),
  field("dec38", dec(38, 5)),
  field("str", p("string")),
  field("flag", p("boolean")),
  field("bin", p("binary")),
  field("st", struct(field("x", p("long")), field("inner", struct(field("s", p("string")), field("d", p("double")))))),
  field("arr", { kind: "array", elementType: p("integer"), containsNull: true }),
);

const TRICKY_CHARS = ["a", "z", "\u007f", "\u0080", "é", "\uffff", "\u{10000}", "😀", "\u{10ffff}", "\u0000", " "];
const trickyString = fc.array(fc.constantFrom(...TRICKY_CHARS), { maxLength: 80, size: "max" }).map((cs) => cs.join(""));
const anyString = fc.oneof(fc.string({ unit: "binary", maxLength: 70, size: "max" }), trickyString, fc.string({ maxLength: 40 }));
const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 4 });
const decimal = (precision: number, scale: number) => fc.bigInt({ min: -(10n ** BigInt(precision) - 1n), max: 10n ** BigInt(precision) - 1n }).map((unscaled) => ({ unscaled, scale }));
const micros = fc.bigInt({ min: -62135596800000000n, max: 253402300799999999n });

const row = fc.record({
  b: nullable(fc.integer({ min: -128, max: 127 })),
  i: nullable(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
  l: nullable(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })),
  f: nullable(fc.float()),
  d: nullable(fc.double()),
  date: nullable(fc.integer({ min: -719162, max: 2932896 })),
  ts: nullable(micros),
  ntz: nullable(micros),
  dec9: nullable(decimal(9, 3)),
  dec38: nullable(decimal(38, 5)),
  str: nullable(anyString),
  flag: nullable(fc.boolean()),
  bin: nullable(fc.uint8Array({ maxLength: 4 })),
  st: nullable(fc.record({ x: nullable(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })), inner: nullable(fc.record({ s: nullable(anyString), d: nullable(fc.double()) })) })),
  arr: nullable(fc.array(nullable(fc.integer()), { maxLength: 3 })),
});

type Leaf = { path: string[]; type: DataType };
function leaves(s: StructType, prefix: string[] = []): Leaf[] {
  return s.fields.flatMap((f) => (f.type.kind === "struct" ? leaves(f.type, [...prefix, f.name]) : [{ path: [...prefix, f.name], type: f.type }]));
}
const at = (obj: RawJson | undefined, path: string[]): RawJson | undefined =>
  path.reduce<RawJson | undefined>((o, k) => (o !== null && typeof o === "object" && !Array.isArray(o) && !("num" in o) ? (o as Record<string, RawJson>)[k] : undefined), obj);
const valueAt = (r: Record<string, unknown>, path: string[]): unknown => path.reduce<unknown>((o, k) => (o === null || o === undefined ? null : (o as Record<string, unknown>)[k]), r);

function num(x: RawJson | undefined): string {
  if (x === null || typeof x !== "object" || !("num" in x)) throw new Error(`expected a number, got ${JSON.stringify(x)}`);
  return (x as RawNumber).num;
}

function checkLeaf(leaf: Leaf, values: unknown[], minJ: RawJson | undefined, maxJ: RawJson | undefined): void {
  const t = leaf.type;
  if (t.kind !== "primitive") return void expect(minJ ?? maxJ).toBeUndefined();
  const present = values.filter((v) => v !== null && v !== undefined);
  switch (t.name) {
    case "boolean":
    case "binary":
      expect(minJ ?? maxJ).toBeUndefined();
      return;
    case "byte":
    case "integer":
    case "date": {
      const nums = present.map(Number);
      if (nums.length === 0) return void expect(minJ ?? maxJ).toBeUndefined();
      const read = (j: RawJson | undefined) => (t.name === "date" ? parseDateString(j as string) : Number(num(j)));
      expect(read(minJ)).toBe(Math.min(...nums));
      expect(read(maxJ)).toBe(Math.max(...nums));
      return;
    }
    case "long": {
      if (present.length === 0) return void expect(minJ ?? maxJ).toBeUndefined();
      const bigs = present as bigint[];
      expect(BigInt(num(minJ))).toBe(bigs.reduce((a, b) => (b < a ? b : a)));
      expect(BigInt(num(maxJ))).toBe(bigs.reduce((a, b) => (b > a ? b : a)));
      return;
    }
    case "float":
    case "double": {
      const conv = (x: unknown) => (t.name === "float" ? Math.fround(x as number) : (x as number));
      const finite = present.map(conv).filter((x) => !Number.isNaN(x));
      const hasNaN = finite.length !== present.length;
      const lo = finite.length === 0 ? undefined : Math.min(...finite);
      const hi = finite.length === 0 ? undefined : Math.max(...finite);
      if (lo === undefined || !Number.isFinite(lo)) expect(minJ).toBeUndefined();
      else expect(conv(Number(num(minJ))) === lo).toBe(true);
      if (hasNaN || hi === undefined || !Number.isFinite(hi)) expect(maxJ).toBeUndefined();
      else expect(conv(Number(num(maxJ))) === hi).toBe(true);
      return;
    }
    case "timestamp":
    case "timestamp_ntz": {
      if (present.length === 0) return void expect(minJ ?? maxJ).toBeUndefined();
      const read = (j: RawJson | undefined) => {
        const text = j as string;
        expect(text.endsWith("Z")).toBe(t.name === "timestamp");
        expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z?$/);
        return parseDateTimeString(text)!.localMicros;
      };
      const bigs = present as bigint[];
      const floorMs = (v: bigint) => v - (((v % 1000n) + 1000n) % 1000n);
      expect(read(minJ)).toBe(floorMs(bigs.reduce((a, b) => (b < a ? b : a))));
      const max = read(maxJ);
      expect(max).toBe(floorMs(bigs.reduce((a, b) => (b > a ? b : a))));
      for (const v of bigs) expect(v < max + 1000n && v >= read(minJ)).toBe(true);
      return;
    }
    case "decimal": {
      if (present.length === 0) return void expect(minJ ?? maxJ).toBeUndefined();
      const read = (j: RawJson | undefined) => {
        const text = num(j);
        expect(text.split(".")[1]?.length ?? 0).toBe(t.scale);
        return parseDecimalLiteral(text)!;
      };
      const ds = present as DecimalValue[];
      expect(compareDecimals(read(minJ), ds.reduce((a, b) => (compareDecimals(b, a) < 0 ? b : a)))).toBe(0);
      expect(compareDecimals(read(maxJ), ds.reduce((a, b) => (compareDecimals(b, a) > 0 ? b : a)))).toBe(0);
      return;
    }
    case "string": {
      if (present.length === 0) return void expect(minJ ?? maxJ).toBeUndefined();
      const strs = present as string[];
      const min = minJ as string;
      expect(Array.from(min).length).toBeLessThanOrEqual(32);
      for (const v of strs) expect(compareStrings(min, v)).toBeLessThanOrEqual(0);
      if (maxJ !== undefined) for (const v of strs) expect(compareStrings(v, maxJ as string)).toBeLessThanOrEqual(0);
      else expect(strs.some((v) => Array.from(v).length > 64)).toBe(true);
      return;
    }
  }
}

describe("stats bound the data (property)", () => {
  it("numRecords, nullCount exact; min <= value <= max for every leaf", () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 40 }), (rows) => {
        const stats = parseRawJson(computeStats({ batches: [buildBatch(SCHEMA, rows)], schema: SCHEMA })) as Record<string, RawJson>;
        expect(num(stats["numRecords"])).toBe(String(rows.length));
        for (const leaf of leaves(SCHEMA)) {
          const values = rows.map((r) => valueAt(r, leaf.path));
          expect(Number(num(at(stats["nullCount"], leaf.path)))).toBe(values.filter((v) => v === null || v === undefined).length);
          checkLeaf(leaf, values, at(stats["minValues"], leaf.path), at(stats["maxValues"], leaf.path));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("bounds from the file's statistics (property)", () => {
  // The data-file writer takes integer, date, timestamp and string bounds from the column-chunk
  // statistics arrow-rs wrote (falling back to the rows where they are truncated); computeStats
  // computes everything from the rows. Random rows, several batches and row groups: same JSON.
  useNodeParquetWasm();
  it("writeDataFiles' stats equal the stats computed from the rows", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(row, { minLength: 1, maxLength: 25 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 12 }), async (parts, maxRowGroupSize) => {
        const batches = parts.map((rows) => buildBatch(SCHEMA, rows));
        const adds = await writeDataFiles({ store: new MemoryStore(), data: batches, schema: SCHEMA, maxRowGroupSize });
        expect(adds).toHaveLength(1);
        expect(adds[0]!.stats).toBe(computeStats({ batches, schema: SCHEMA }));
      }),
      { numRuns: 150 },
    );
  });
});

describe("string truncation (property)", () => {
  const strings = fc.oneof(anyString, fc.array(fc.constantFrom("\u{10ffff}", "b"), { minLength: 30, maxLength: 80 }).map((c) => c.join("")));

  it("min is a code-point prefix of at most 32 code points, never splitting a surrogate pair", () => {
    fc.assert(
      fc.property(strings, (s) => {
        const min = truncateMinString(s);
        expect(s.startsWith(min)).toBe(true);
        expect(Array.from(min).length).toBe(Math.min(32, Array.from(s).length));
        expect(min).toBe(codePointPrefix(s, 32));
        expect(/[\ud800-\udbff]$/.test(min)).toBe(false);
        expect(compareStrings(min, s)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 3000 },
    );
  });

  it("max is the string itself when short, else an upper bound of every string sharing the prefix", () => {
    fc.assert(
      fc.property(strings, fc.array(fc.constantFrom(...TRICKY_CHARS), { maxLength: 6 }), (s, tail) => {
        const max = truncateMaxString(s);
        const n = Array.from(s).length;
        if (n <= 32) return void expect(max).toBe(s);
        if (max === undefined) {
          expect(Array.from(s).slice(32, 65).every((c) => c === "\u{10ffff}")).toBe(true);
          return;
        }
        expect(compareStrings(s, max)).toBeLessThanOrEqual(0);
        // anything below s, e.g. s cut anywhere or s with a smaller tail, is below max as well
        const cut = Array.from(s).slice(0, 33).join("") + tail.join("");
        if (compareStrings(cut, s) <= 0) expect(compareStrings(cut, max)).toBeLessThanOrEqual(0);
        expect(Array.from(max).length).toBeLessThanOrEqual(65);
      }),
      { numRuns: 3000 },
    );
  });

  it("follows Spark's tie-breakers", () => {
    const prefix = "x".repeat(32);
    expect(truncateMaxString(prefix + "abc")).toBe(prefix + "\u007f");
    expect(truncateMaxString(prefix + "é")).toBe(prefix + "\u{10ffff}");
    expect(truncateMaxString(prefix + "\u{10ffff}a")).toBe(prefix + "\u{10ffff}\u007f");
    expect(truncateMaxString(prefix + "\u{10ffff}")).toBe(prefix + "\u{10ffff}");
    expect(truncateMaxString(prefix + "\u{10ffff}".repeat(40))).toBeUndefined();
    expect(truncateMaxString("😀".repeat(33))).toBe("😀".repeat(32) + "\u{10ffff}");
  });
});
