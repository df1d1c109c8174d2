/**
 * The portable 64-bit Roaring codec: byte vectors assembled by hand from RoaringFormatSpec
 * (bitmap containers, run containers with and without the offset section, several buckets),
 * property round trips through the encoder (arrays, bitmaps, runs, 64-bit values), and strict
 * rejection of malformed input. The real DV files (arrays, single-container runs) are covered
 * by fixtures.test.ts.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProtocolError } from "../../src/core/errors.js";
import { decodeRoaring64, encodeRoaring64 } from "../../src/core/log/roaring.js";
import { toList } from "./conformance.js";

const u16 = (...v: number[]): number[] => v.flatMap((x) => [x & 0xff, (x >>> 8) & 0xff]);
const u32 = (...v: number[]): number[] => v.flatMap((x) => [...u16(x & 0xffff), ...u16(x >>> 16)]);
const u64 = (v: number): number[] => [...u32(v), ...u32(0)];
const bytes = (...parts: number[][]): Uint8Array => Uint8Array.from(parts.flat());

/** One bucket (key 0) with one array container holding `values` (cookie 12346, offsets). */
const simpleArray = (values: number[]): number[][] => [
  u64(1),
  u32(0),
  u32(12346, 1),
  u16(0, values.length - 1),
  u32(16),
  u16(...values),
];

describe("decodeRoaring64 on hand-assembled vectors", () => {
  it("decodes an array container", () => {
    expect(toList(decodeRoaring64(bytes(...simpleArray([3, 4, 7, 11]))))).toEqual([3, 4, 7, 11]);
  });

  it("decodes an empty bitmap (no buckets)", () => {
    const out = decodeRoaring64(bytes(u64(0)));
    expect(out).toBeInstanceOf(Uint32Array);
    expect(out).toHaveLength(0);
    expect(encodeRoaring64([])).toEqual(bytes(u64(0)));
  });

  it("decodes a bitmap container (cardinality above 4096) and the encoder writes the same bytes", () => {
    const bitmap = new Array<number>(8192).fill(0).map((_, j) => (j < 1024 ? 0x55 : j === 1024 ? 0x01 : 0));
    const input = bytes(u64(1), u32(0), u32(12346, 1), u16(0, 4096), u32(16), bitmap);
    const expected = Array.from({ length: 4097 }, (_, i) => i * 2);
    expect(toList(decodeRoaring64(input))).toEqual(expected);
    expect(encodeRoaring64(expected)).toEqual(input);
  });

  it("decodes run containers with the offset section (4+ containers) and the encoder agrees", () => {
    const header = [u32(12347 | (4 << 16)), [0b01101], u16(0, 9, 1, 1, 2, 65535, 3, 101, 5, 0)];
    const offsets = u32(45, 51, 55, 61, 71);
    const data = [u16(1, 10, 9), u16(1, 3), u16(1, 0, 65535), u16(2, 100, 1, 200, 99), u16(7)];
    const input = bytes(u64(1), u32(0), ...header, offsets, ...data);
    const expected = [
      ...range(10, 20),
      65536 + 1,
      65536 + 3,
      ...range(2 * 65536, 3 * 65536),
      3 * 65536 + 100,
      3 * 65536 + 101,
      ...range(3 * 65536 + 200, 3 * 65536 + 300),
      5 * 65536 + 7,
    ];
    expect(toList(decodeRoaring64(input))).toEqual(expected);
    expect(encodeRoaring64(expected, { runs: true })).toEqual(input);
  });

  it("decodes run containers without the offset section (fewer than 4 containers)", () => {
    const input = bytes(u64(1), u32(0), u32(12347 | (1 << 16)), [0b10], u16(0, 0, 1, 3), u16(9), u16(1, 5, 3));
    expect(toList(decodeRoaring64(input))).toEqual([9, 65536 + 5, 65536 + 6, 65536 + 7, 65536 + 8]);
    expect(encodeRoaring64([9, 65541, 65542, 65543, 65544], { runs: true })).toEqual(input);
  });

  it("decodes several buckets into a BigUint64Array", () => {
    const bucket = (key: number, v: number): number[][] => [u32(key), u32(12346, 1), u16(0, 0), u32(16), u16(v)];
    const input = bytes(u64(2), ...bucket(0, 5), ...bucket(1, 7));
    const out = decodeRoaring64(input);
    expect(out).toBeInstanceOf(BigUint64Array);
    expect(toList(out)).toEqual([5n, 2n ** 32n + 7n]);
    expect(encodeRoaring64([2n ** 32n + 7n, 5])).toEqual(input);
  });
});

describe("decodeRoaring64 rejects malformed input", () => {
  const valid = bytes(...simpleArray([3, 4, 7, 11]));

  it("rejects every truncation and trailing bytes", () => {
    for (let n = 0; n < valid.length; n++) expect(() => decodeRoaring64(valid.subarray(0, n))).toThrow(ProtocolError);
    expect(() => decodeRoaring64(bytes([...valid], [0]))).toThrow(/trailing/);
  });

  it.each([
    ["an unknown cookie", bytes(u64(1), u32(0), u32(12345, 1), u16(0, 0), u32(16), u16(1)), /cookie/],
    ["a bucket count beyond the data", bytes(u64(1000), u32(0)), /bucket count/],
    ["an offset that does not point at the container", bytes(u64(1), u32(0), u32(12346, 1), u16(0, 0), u32(17), u16(1)), /offset/],
    ["unsorted array values", bytes(...simpleArray([4, 3])), /ascending/],
    ["duplicate array values", bytes(...simpleArray([4, 4])), /ascending/],
    [
      "descending bucket keys",
      bytes(u64(2), u32(1), u32(12346, 0), u32(0), u32(12346, 0)),
      /bucket keys/,
    ],
    ["a bucket key with its top bit set", bytes(u64(1), u32(0x80000000), u32(12346, 0)), /most significant/],
    [
      "descending container keys",
      bytes(u64(1), u32(0), u32(12346, 2), u16(1, 0, 0, 0), u32(24, 26), u16(1), u16(1)),
      /container keys/,
    ],
    [
      "runs holding more values than the header cardinality",
      bytes(u64(1), u32(0), u32(12347), [1], u16(0, 2), u16(1, 5, 3)),
      /cardinality/,
    ],
    [
      "runs holding fewer values than the header cardinality",
      bytes(u64(1), u32(0), u32(12347), [1], u16(0, 5), u16(1, 5, 3)),
      /fewer/,
    ],
    [
      "a run past the end of its container",
      bytes(u64(1), u32(0), u32(12347), [1], u16(0, 65535), u16(1, 1, 65535)),
      /run past/,
    ],
    [
      "a bitmap container whose bits disagree with its cardinality",
      bytes(u64(1), u32(0), u32(12346, 1), u16(0, 4096), u32(16), new Array<number>(8192).fill(0)),
      /fewer/,
    ],
  ])("rejects %s", (_what, input, message) => {
    expect(() => decodeRoaring64(input)).toThrow(ProtocolError);
    expect(() => decodeRoaring64(input)).toThrow(message);
  });
});

describe("decodeRoaring64 with an expected cardinality", () => {
  it("checks the total from the headers before materializing the values", () => {
    // 65536 full run containers: 2^32 values in ~650 KB; must fail fast, not allocate 16 GB.
    const size = 65536;
    const headerBytes = 4 + size / 8 + size * 8;
    const input = new Uint8Array(12 + headerBytes + size * 6);
    const view = new DataView(input.buffer);
    view.setUint32(0, 1, true); // one bucket (u64 LE), key 0
    let at = 12;
    view.setUint32(at, 12347 | ((size - 1) << 16), true);
    input.fill(0xff, at + 4, at + 4 + size / 8); // every container is a run container
    at += 4 + size / 8;
    for (let k = 0; k < size; k++, at += 4) view.setUint32(at, k | (65535 << 16), true);
    for (let k = 0; k < size; k++, at += 4) view.setUint32(at, headerBytes + k * 6, true);
    for (let k = 0; k < size; k++, at += 6) {
      view.setUint16(at, 1, true);
      view.setUint16(at + 4, 65535, true);
    }
    expect(at).toBe(input.length);
    expect(() => decodeRoaring64(input, { cardinality: 2 ** 32 - 1 })).toThrow(/holds 4294967296/);
    expect(() => decodeRoaring64(input, { cardinality: 3 })).toThrow(/cardinality mismatch: expected 3, the bitmap holds 4294967296/);
  });

  it("accepts the right cardinality", () => {
    expect(toList(decodeRoaring64(bytes(...simpleArray([1, 2])), { cardinality: 2 }))).toEqual([1, 2]);
  });

  // Exactness only: how fast decoding is belongs to a benchmark, not to a wall-clock assertion.
  it("decodes a million-row DV exactly", () => {
    const values = Array.from({ length: 1_000_000 }, (_, i) => i * 3 + (i % 7 === 0 ? 1 : 0));
    const encoded = encodeRoaring64(values, { runs: true });
    const out = toList(decodeRoaring64(encoded, { cardinality: values.length }));
    expect(out).toHaveLength(values.length);
    expect(out.every((v, i) => v === values[i])).toBe(true);
  });
});

describe("encodeRoaring64 / decodeRoaring64 round trips", () => {
  const sortedDistinct = <T extends number | bigint>(values: T[]): T[] =>
    [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  /** Sets made of random runs: dense enough for bitmap and run containers. */
  const clustered = fc
    .array(fc.tuple(fc.integer({ min: 0, max: 1 << 20 }), fc.integer({ min: 1, max: 6000 }), fc.integer({ min: 1, max: 3 })), {
      maxLength: 6,
    })
    .map((runs) => runs.flatMap(([start, length, step]) => range(start, start + length, step)));

  it.each([false, true])("round-trips sparse and clustered 32-bit sets (runs: %s)", (runs) => {
    fc.assert(
      fc.property(fc.oneof(fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 300 }), clustered), (values) => {
        const out = decodeRoaring64(encodeRoaring64(values, { runs }));
        expect(out).toBeInstanceOf(Uint32Array);
        expect(toList(out)).toEqual(sortedDistinct(values));
      }),
      { numRuns: 150 },
    );
  });

  it.each([false, true])("round-trips 64-bit sets (runs: %s)", (runs) => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: (1n << 63n) - 1n }), { minLength: 1, maxLength: 100 }), (values) => {
        const withWide = [...values, 1n << 40n];
        const out = decodeRoaring64(encodeRoaring64(withWide, { runs }));
        expect(out).toBeInstanceOf(BigUint64Array);
        expect(toList(out)).toEqual(sortedDistinct(withWide));
      }),
      { numRuns: 150 },
    );
  });

  it("uses arrays up to 4096 values and bitmaps above", () => {
    expect(encodeRoaring64(range(0, 4096))).toHaveLength(8 + 4 + 16 + 4096 * 2);
    expect(encodeRoaring64(range(0, 4097))).toHaveLength(8 + 4 + 16 + 8192);
    expect(encodeRoaring64(range(0, 4097), { runs: true })).toHaveLength(8 + 4 + 4 + 1 + 4 + 6);
  });

  it("refuses values that are not row indexes", () => {
    expect(() => encodeRoaring64([-1])).toThrow(RangeError);
    expect(() => encodeRoaring64([1.5])).toThrow(RangeError);
    expect(() => encodeRoaring64([1n << 63n])).toThrow(RangeError);
  });
});

function range(start: number, end: number, step = 1): number[] {
  const out: number[] = [];
  for (let v = start; v < end; v += step) out.push(v);
  return out;
}
