/**
 * loadDeletionVector and its helpers over in-memory DV files: locations (`u` with and without a
 * prefix, `p`), the one ranged read, the default offset, several DVs in one file, both inline
 * Z85 paddings, and the failure modes (flipped bytes fail the CRC, wrong and native magic, size
 * and cardinality mismatches, missing and truncated files) — plus CRC-32, uniqueId and keepMask.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NotFoundError, ProtocolError, StorageError, UnsupportedFeatureError } from "../../src/core/errors.js";
import type { DeletionVectorDescriptor } from "../../src/core/log/actions.js";
import {
  crc32,
  type DvByteReader,
  type DvLocation,
  dvUniqueId,
  encodeDeletionVectorBitmap,
  frameDeletionVector,
  keepMask,
  loadDeletionVector,
} from "../../src/core/log/deletion-vector.js";
import { z85Encode } from "../../src/core/log/z85.js";
import { toList } from "./conformance.js";

const ROOT = "s3://bucket/table";
const UUID_Z85 = "vBn[lx{q8@P<9BNH/isA";
const UUID_KEY = "deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin";

/** A DV file: version byte 1, then each framed bitmap. Returns the bytes and each DV's offset. */
function dvFile(...bitmaps: Uint8Array[]): { file: Uint8Array; offsets: number[] } {
  const frames = bitmaps.map(frameDeletionVector);
  const file = new Uint8Array(1 + frames.reduce((s, f) => s + f.length, 0));
  file[0] = 1;
  const offsets: number[] = [];
  let at = 1;
  for (const frame of frames) {
    offsets.push(at);
    file.set(frame, at);
    at += frame.length;
  }
  return { file, offsets };
}

/** An in-memory reader keyed by "relative:<key>" / "absolute:<uri>", recording its calls. */
function memoryReader(files: Record<string, Uint8Array>): { read: DvByteReader; calls: unknown[] } {
  const calls: unknown[] = [];
  const read: DvByteReader = async (location: DvLocation, range) => {
    calls.push({ location, range });
    const id = location.kind === "relative" ? `relative:${location.key}` : `absolute:${location.uri}`;
    const file = files[id];
    if (file === undefined) throw new NotFoundError(`missing ${id}`);
    return file.slice(range.offset, range.offset + range.length);
  };
  return { read, calls };
}

const rowsA = [0, 9, 70000, 123456];
const bitmapA = encodeDeletionVectorBitmap(rowsA);
const rowsB = Array.from({ length: 5000 }, (_, i) => i * 3);
const bitmapB = encodeDeletionVectorBitmap(rowsB, { runs: true });

function fileDescriptor(extra: Partial<DeletionVectorDescriptor> = {}): DeletionVectorDescriptor {
  return { storageType: "u", pathOrInlineDv: UUID_Z85, offset: 1, sizeInBytes: bitmapA.length, cardinality: rowsA.length, ...extra };
}

describe("loadDeletionVector: file DVs", () => {
  it("reads a `u` DV with one ranged read relative to the table root", async () => {
    const { file } = dvFile(bitmapA);
    const { read, calls } = memoryReader({ [`relative:${UUID_KEY}`]: file });
    const rows = await loadDeletionVector({ descriptor: fileDescriptor(), tableRoot: ROOT, read });
    expect(toList(rows)).toEqual(rowsA);
    expect(calls).toEqual([{ location: { kind: "relative", key: UUID_KEY }, range: { offset: 1, length: 4 + bitmapA.length + 4 } }]);
  });

  it("resolves a random prefix to a folder (PROTOCOL.md example 1)", async () => {
    const key = "ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin";
    const { read } = memoryReader({ [`relative:${key}`]: dvFile(bitmapA).file });
    const descriptor = fileDescriptor({ pathOrInlineDv: "ab^-aqEH.-t@S}K{vb[*k^" });
    expect(toList(await loadDeletionVector({ descriptor, tableRoot: ROOT, read }))).toEqual(rowsA);
  });

  it("reads several DVs from one file at their offsets, and a `p` DV by its absolute URI", async () => {
    const { file, offsets } = dvFile(bitmapA, bitmapB);
    const uri = "s3://other/dvs/deletion_vector_x.bin";
    const { read, calls } = memoryReader({ [`absolute:${uri}`]: file });
    const second: DeletionVectorDescriptor = {
      storageType: "p",
      pathOrInlineDv: uri,
      offset: offsets[1] ?? -1,
      sizeInBytes: bitmapB.length,
      cardinality: rowsB.length,
    };
    expect(toList(await loadDeletionVector({ descriptor: second, tableRoot: ROOT, read }))).toEqual(rowsB);
    const first = { ...second, offset: offsets[0] ?? -1, sizeInBytes: bitmapA.length, cardinality: rowsA.length };
    expect(toList(await loadDeletionVector({ descriptor: first, tableRoot: ROOT, read }))).toEqual(rowsA);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toEqual({ location: { kind: "absolute", uri }, range: { offset: offsets[1], length: bitmapB.length + 8 } });
  });

  it("reads from offset 1 (just after the version byte) when the offset is absent", async () => {
    const { read, calls } = memoryReader({ [`relative:${UUID_KEY}`]: dvFile(bitmapA).file });
    const { offset: _omit, ...descriptor } = fileDescriptor();
    expect(toList(await loadDeletionVector({ descriptor, tableRoot: ROOT, read }))).toEqual(rowsA);
    expect(calls).toEqual([{ location: { kind: "relative", key: UUID_KEY }, range: { offset: 1, length: bitmapA.length + 8 } }]);
  });

  it("fails the CRC check when any bitmap byte is flipped", async () => {
    const { file } = dvFile(bitmapA);
    for (let at = 5; at < 5 + bitmapA.length; at++) {
      const corrupt = file.slice();
      corrupt[at] = (corrupt[at] ?? 0) ^ 0x10;
      const { read } = memoryReader({ [`relative:${UUID_KEY}`]: corrupt });
      const load = loadDeletionVector({ descriptor: fileDescriptor(), tableRoot: ROOT, read });
      await expect(load).rejects.toThrow(ProtocolError);
      await expect(load).rejects.toThrow(new RegExp(`CRC-32 mismatch.*${ROOT}`));
    }
  });

  it("fails when the stored checksum or size is wrong", async () => {
    const { file } = dvFile(bitmapA);
    const badCrc = file.slice();
    badCrc[file.length - 1] = (badCrc[file.length - 1] ?? 0) ^ 1;
    const badSize = file.slice();
    badSize[4] = (badSize[4] ?? 0) + 1;
    for (const [bytes, message] of [
      [badCrc, /CRC-32 mismatch/],
      [badSize, /size mismatch/],
    ] as const) {
      const { read } = memoryReader({ [`relative:${UUID_KEY}`]: bytes });
      await expect(loadDeletionVector({ descriptor: fileDescriptor(), tableRoot: ROOT, read })).rejects.toThrow(message);
    }
  });

  it("names the DV file in its errors", async () => {
    const { read } = memoryReader({ [`relative:${UUID_KEY}`]: dvFile(bitmapA).file });
    const load = loadDeletionVector({ descriptor: fileDescriptor({ cardinality: 3 }), tableRoot: ROOT, read });
    await expect(load).rejects.toThrow(ProtocolError);
    await expect(load).rejects.toThrow(`corrupt deletion vector file ${ROOT}/${UUID_KEY}: cardinality mismatch`);
  });

  it("refuses a bitmap with the wrong magic even when its CRC is right", async () => {
    const wrong = bitmapA.slice();
    wrong[0] = (wrong[0] ?? 0) ^ 0xff;
    const { read } = memoryReader({ [`relative:${UUID_KEY}`]: dvFile(wrong).file });
    await expect(loadDeletionVector({ descriptor: fileDescriptor(), tableRoot: ROOT, read })).rejects.toThrow(/bad magic/);
  });

  it("reports a missing DV file as NotFoundError naming the file", async () => {
    const { read } = memoryReader({});
    const load = loadDeletionVector({ descriptor: fileDescriptor(), tableRoot: ROOT, read });
    await expect(load).rejects.toThrow(NotFoundError);
    await expect(load).rejects.toThrow(`${ROOT}/${UUID_KEY}`);
  });

  it("reports a truncated file and reader failures", async () => {
    const { file } = dvFile(bitmapA);
    const { read } = memoryReader({ [`relative:${UUID_KEY}`]: file.subarray(0, file.length - 2) });
    await expect(loadDeletionVector({ descriptor: fileDescriptor(), tableRoot: ROOT, read })).rejects.toThrow(/truncated/);
    const failing: DvByteReader = async () => {
      throw new Error("connection reset");
    };
    const load = loadDeletionVector({ descriptor: fileDescriptor(), tableRoot: ROOT, read: failing });
    await expect(load).rejects.toThrow(StorageError);
    await expect(load).rejects.toThrow(/connection reset/);
  });

  it("refuses unknown storage types and bad descriptors", async () => {
    const { read } = memoryReader({});
    for (const bad of [{ storageType: "x" }, { sizeInBytes: -1 }, { offset: -3 }, { pathOrInlineDv: "short" }]) {
      await expect(loadDeletionVector({ descriptor: fileDescriptor(bad), tableRoot: ROOT, read })).rejects.toThrow(ProtocolError);
    }
  });
});

describe("loadDeletionVector: inline DVs", () => {
  const inline = (text: string, sizeInBytes: number, cardinality: number): DeletionVectorDescriptor => ({
    storageType: "i",
    pathOrInlineDv: text,
    sizeInBytes,
    cardinality,
  });
  const noRead: DvByteReader = async () => {
    throw new Error("inline DVs must not read files");
  };

  it("decodes both Z85 paddings of a 34-byte bitmap to the same rows", async () => {
    const bitmap = encodeDeletionVectorBitmap([3]);
    expect(bitmap).toHaveLength(34);
    const rust = z85Encode(bitmap, { padding: "tail" });
    expect(rust).toBe("^Bg9^0rr910000000000iXQKl0rr91000005c8Xg##093");
    const spark = z85Encode(bitmap, { padding: "zero" });
    for (const text of [rust, spark]) {
      expect(toList(await loadDeletionVector({ descriptor: inline(text, 34, 1), tableRoot: ROOT, read: noRead }))).toEqual([3]);
    }
  });

  it("refuses PROTOCOL.md's JSON Example 3 (native format, magic 1681511376) with a clear error", async () => {
    const example = inline("wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L", 40, 6);
    const load = loadDeletionVector({ descriptor: example, tableRoot: ROOT, read: noRead });
    await expect(load).rejects.toThrow(UnsupportedFeatureError);
    await expect(load).rejects.toThrow(/native RoaringBitmapArray format \(magic 1681511376\) is not supported/);
  });

  it("refuses a wrong magic, a wrong size and an offset", async () => {
    const bitmap = encodeDeletionVectorBitmap([1, 2]);
    const wrong = bitmap.slice();
    wrong[3] = 0;
    const text = z85Encode(bitmap);
    for (const d of [
      inline(z85Encode(wrong), wrong.length, 2),
      inline(text, bitmap.length + 4, 2),
      { ...inline(text, bitmap.length, 2), offset: 1 },
    ]) {
      await expect(loadDeletionVector({ descriptor: d, tableRoot: ROOT, read: noRead })).rejects.toThrow(ProtocolError);
    }
  });

  it("returns 64-bit row indexes as a BigUint64Array", async () => {
    const bitmap = encodeDeletionVectorBitmap([1n, 1n << 33n]);
    const rows = await loadDeletionVector({ descriptor: inline(z85Encode(bitmap), bitmap.length, 2), tableRoot: ROOT, read: noRead });
    expect(rows).toBeInstanceOf(BigUint64Array);
    expect(toList(rows)).toEqual([1n, 1n << 33n]);
  });
});

describe("DV helpers", () => {
  it("computes CRC-32 (IEEE)", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it("builds the replay unique id", () => {
    expect(dvUniqueId(fileDescriptor({ offset: 43 }))).toBe(`u${UUID_Z85}@43`);
    expect(dvUniqueId(fileDescriptor({ offset: null }))).toBe(`u${UUID_Z85}`);
    const { offset: _omit, ...noOffset } = fileDescriptor();
    expect(dvUniqueId(noOffset)).toBe(`u${UUID_Z85}`);
    expect(dvUniqueId({ storageType: "i", pathOrInlineDv: "abcde", sizeInBytes: 4, cardinality: 0 })).toBe("iabcde");
  });

  it("builds keep-masks for row ranges", () => {
    const deleted = Uint32Array.from([0, 3, 4, 10]);
    expect(Array.from(keepMask(deleted, 0, 6))).toEqual([0, 1, 1, 0, 0, 1]);
    expect(Array.from(keepMask(deleted, 4, 11))).toEqual([0, 1, 1, 1, 1, 1, 0]);
    expect(Array.from(keepMask(deleted, 11, 14))).toEqual([1, 1, 1]);
    expect(keepMask(deleted, 5, 5)).toHaveLength(0);
    const wide = BigUint64Array.from([2n, 1n << 40n]);
    expect(Array.from(keepMask(wide, 1, 4))).toEqual([1, 0, 1]);
  });

  it("keep-masks agree with set membership", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 500 })),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 100 }),
        fc.boolean(),
        (rows, start, length, wide) => {
          const set = new Set(rows);
          const sorted = [...set].sort((a, b) => a - b);
          const deleted = wide ? BigUint64Array.from(sorted, BigInt) : Uint32Array.from(sorted);
          const mask = keepMask(deleted, start, start + length);
          expect(Array.from(mask)).toEqual(Array.from({ length }, (_, i) => (set.has(start + i) ? 0 : 1)));
        },
      ),
    );
  });
});
