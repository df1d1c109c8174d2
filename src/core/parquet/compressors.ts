/**
 * Decompressors handed to hyparquet for every Parquet codec. The default set is pure
 * JavaScript so it also runs where compiling WebAssembly from bytes is forbidden (Cloudflare
 * Workers): hyparquet's built-in Snappy, plus gzip, Brotli, LZ4 and LZ4_RAW from
 * hyparquet-compressors' individual modules and ZSTD from fzstd. (hyparquet-compressors' own
 * `compressors` export instantiates a Snappy wasm module at import time, so it is not imported
 * here; Node and browser callers may pass it to the reader for faster Snappy.)
 *
 * Every codec but Snappy (Spark's and delta-rs's default, built into hyparquet) is imported on
 * demand, each on its own: a page reading Snappy tables never downloads them (Brotli's decoder
 * alone carries a 120 KB dictionary, about 65 KB gzipped; ZSTD, gzip and LZ4 together are about
 * 8 KB gzipped). hyparquet calls decompressors synchronously, so readers call
 * {@link loadCompressors} with the footer (or the decode view) before decoding; it imports the
 * decoders the column chunks use that are not loaded yet.
 */
import type { Compressors, FileMetaData } from "hyparquet";

type Decompress = (input: Uint8Array, outputLength: number) => Uint8Array;

/** How each on-demand codec's decoder is imported. */
const LOADERS: Record<string, () => Promise<Decompress>> = {
  GZIP: async () => {
    const { gunzip } = await import("hyparquet-compressors/src/gzip.js");
    return (input, outputLength) => gunzip(input, new Uint8Array(outputLength));
  },
  BROTLI: async () => (await import("hyparquet-compressors/src/brotli.js")).decompressBrotli,
  LZ4: async () => (await import("hyparquet-compressors/src/lz4.js")).decompressLz4,
  LZ4_RAW: async () => (await import("hyparquet-compressors/src/lz4.js")).decompressLz4Raw,
  ZSTD: async () => {
    const { decompress } = await import("fzstd");
    return (input) => decompress(input);
  },
};

const loaded = new Map<string, Decompress>();

/** Pure-JS decompressors for GZIP, BROTLI, LZ4, LZ4_RAW and ZSTD, usable after {@link loadCompressors} (Snappy is built into hyparquet). */
export const defaultCompressors: Compressors = Object.fromEntries(
  Object.keys(LOADERS).map((codec): [string, Decompress] => [
    codec,
    (input, outputLength) => {
      const decompress = loaded.get(codec);
      if (decompress === undefined) throw new Error(`the ${codec} decompressor is loaded on demand: call loadCompressors(metadata) before decoding`);
      return decompress(input, outputLength);
    },
  ]),
);

/** Imports the on-demand decompressors that the column chunks of `metadata` need and are not loaded yet. */
export async function loadCompressors(metadata: FileMetaData): Promise<void> {
  const codecs = new Set<string>();
  for (const rg of metadata.row_groups) for (const c of rg.columns) if (c.meta_data !== undefined) codecs.add(c.meta_data.codec);
  await Promise.all(
    [...codecs]
      .filter((codec) => LOADERS[codec] !== undefined && !loaded.has(codec))
      .map(async (codec) => {
        loaded.set(codec, await LOADERS[codec]!());
      }),
  );
}
