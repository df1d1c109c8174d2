/**
 * Decompressors handed to hyparquet for every Parquet codec. The default set is pure
 * JavaScript so it also runs where compiling WebAssembly from bytes is forbidden (Cloudflare
 * Workers): hyparquet's built-in Snappy, plus gzip, Brotli, LZ4 and LZ4_RAW from
 * hyparquet-compressors' individual modules and ZSTD from fzstd. (hyparquet-compressors' own
 * `compressors` export instantiates a Snappy wasm module at import time, so it is not imported
 * here; Node and browser callers may pass it to the reader for faster Snappy.)
 */
import type { Compressors } from "hyparquet";
import { decompress as zstd } from "fzstd";
import { decompressBrotli } from "hyparquet-compressors/src/brotli.js";
import { gunzip } from "hyparquet-compressors/src/gzip.js";
import { decompressLz4, decompressLz4Raw } from "hyparquet-compressors/src/lz4.js";

/** Pure-JS decompressors for GZIP, BROTLI, LZ4, LZ4_RAW and ZSTD (Snappy is built into hyparquet). */
export const defaultCompressors: Compressors = {
  GZIP: (input, outputLength) => gunzip(input, new Uint8Array(outputLength)),
  BROTLI: (input, outputLength) => decompressBrotli(input, outputLength),
  LZ4: (input, outputLength) => decompressLz4(input, outputLength),
  LZ4_RAW: (input, outputLength) => decompressLz4Raw(input, outputLength),
  ZSTD: (input) => zstd(input),
};
