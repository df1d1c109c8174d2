/**
 * Test ParquetSources: a local file read with positioned reads, and a counting wrapper that
 * records every ranged request (for the range-economy assertions).
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import type { ParquetSource } from "../../../src/core/parquet/reader.js";

/** A ParquetSource over a local file. */
export function fileSource(path: string): ParquetSource {
  const fd = openSync(path, "r");
  const size = fstatSync(fd).size;
  closeSync(fd);
  return {
    byteLength: size,
    path,
    async read(start, end) {
      const out = new Uint8Array(end - start);
      const fd2 = openSync(path, "r");
      try {
        let at = 0;
        while (at < out.byteLength) {
          const n = readSync(fd2, out, at, out.byteLength - at, start + at);
          if (n === 0) break;
          at += n;
        }
        return out.subarray(0, at);
      } finally {
        closeSync(fd2);
      }
    },
  };
}

/** A ParquetSource over bytes in memory. */
export function bytesSource(bytes: Uint8Array, path = "memory.parquet"): ParquetSource {
  return { byteLength: bytes.byteLength, path, read: async (start, end) => bytes.slice(start, end) };
}

/** A source that records every request. */
export interface CountingSource extends ParquetSource {
  readonly requests: { start: number; end: number }[];
  bytes(): number;
}

/** Wraps a source and records the ranges it serves. */
export function countingSource(inner: ParquetSource): CountingSource {
  const requests: { start: number; end: number }[] = [];
  return {
    byteLength: inner.byteLength,
    ...(inner.path === undefined ? {} : { path: inner.path }),
    requests,
    bytes: () => requests.reduce((sum, r) => sum + (r.end - r.start), 0),
    read(start, end) {
      requests.push({ start, end });
      return inner.read(start, end);
    },
  };
}
