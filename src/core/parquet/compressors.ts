/**
 * Decompressors handed to hyparquet for every Parquet codec. The default set is pure
 * JavaScript so it also runs where compiling WebAssembly from bytes is forbidden (Cloudflare
 * Workers): hyparquet's built-in Snappy, plus gzip, Brotli, LZ4 and LZ4_RAW from
 * hyparquet-compressors' individual modules and ZSTD from fzstd. (hyparquet-compressors' own
 * `compressors` export instantiates a Snappy wasm module at import time, so it is not imported
 * here; Node and browser callers may pass it to the reader for faster Snappy.)
 *
 * Brotli is imported on demand: its decoder carries a 120 KB dictionary (about 65 KB gzipped,
 * more than half of a browser bundle that reads tables), and Brotli-compressed Parquet is rare.
 * hyparquet calls decompressors synchronously, so readers call {@link loadCompressors} with the
 * footer (or the decode view) before decoding; it imports the decoder only when a chunk uses it.
 */
import type { Compressors, FileMetaData } from "hyparquet";
import { decompress as zstd } from "fzstd";
import { gunzip } from "hyparquet-compressors/src/gzip.js";
import { decompressLz4, decompressLz4Raw } from "hyparquet-compressors/src/lz4.js";

type Decompress = (input: Uint8Array, outputLength: number) => Uint8Array;

let brotli: Decompress | undefined;

/** Pure-JS decompressors for GZIP, BROTLI (after {@link loadCompressors}), LZ4, LZ4_RAW and ZSTD (Snappy is built into hyparquet). */
export const defaultCompressors: Compressors = {
  GZIP: (input, outputLength) => gunzip(input, new Uint8Array(outputLength)),
  BROTLI: (input, outputLength) => {
    if (brotli === undefined) throw new Error("the Brotli decompressor is loaded on demand: call loadCompressors(metadata) before decoding");
    return brotli(input, outputLength);
  },
  LZ4: (input, outputLength) => decompressLz4(input, outputLength),
  LZ4_RAW: (input, outputLength) => decompressLz4Raw(input, outputLength),
  ZSTD: (input) => zstd(input),
};

/** Imports the on-demand decompressors (Brotli) that the column chunks of `metadata` need. */
export async function loadCompressors(metadata: FileMetaData): Promise<void> {
  if (brotli !== undefined) return;
  const needed = metadata.row_groups.some((rg) => rg.columns.some((c) => c.meta_data?.codec === "BROTLI"));
  if (needed) brotli = (await import("hyparquet-compressors/src/brotli.js")).decompressBrotli;
}
