/**
 * The default Parquet reader of a scan, per runtime and query (measured with bench/scan.js):
 * parquet-wasm decodes whole column chunks several times faster than the JS decoder, but costs a
 * one-off load (a 5 MB module to compile, ~0.1 s in Node; a 1.6 MB download in browsers) and a
 * fixed cost per file. So:
 *
 * - a query with a limit reads a few rows of one file: the JS decoder (hyparquet), nothing to load;
 * - Cloudflare Workers may not compile wasm at runtime: the JS decoder, unless parquet-wasm is
 *   already loaded (a registered module, e.g. for writes) - then as below;
 * - a small scan (its files total less than WASM_LOAD_BYTES) while parquet-wasm is not loaded yet:
 *   the JS decoder, since compiling the module would cost more than it saves;
 * - otherwise (Node, Deno, Bun, browsers): an adaptive reader that sends each file read needing at
 *   least MIN_WASM_BYTES of column chunks to parquet-wasm and smaller ones to the JS decoder. The
 *   wasm reader falls back to the JS decoder by itself where wasm cannot be loaded or cannot
 *   decode a file, so the choice never changes results.
 *
 * Both decoders fetch only the footer and the needed column chunks, so the economy of ranged
 * reads is the same whichever is chosen.
 */
import type { ParquetReader } from "./reader.js";
import { createHyparquetReader } from "./hyparquet-reader.js";
import { neededChunks, planFileRead } from "./read-plan.js";
import { parquetWasmReady } from "./wasm-loader.js";

/** Where the code runs, as far as the reader choice is concerned. */
export type Runtime = "node" | "workers" | "browser" | "other";

/** Detects the runtime from globals (no Node APIs involved). */
export function detectRuntime(): Runtime {
  const g = globalThis as { navigator?: { userAgent?: string }; process?: { versions?: { node?: string } }; document?: unknown };
  if (g.navigator?.userAgent === "Cloudflare-Workers") return "workers";
  if (typeof g.process?.versions?.node === "string") return "node";
  if (g.document !== undefined) return "browser";
  return "other";
}

/** Options of `adaptiveReader`. */
export interface AdaptiveReaderOptions {
  /** The JS decoder (default: a hyparquet reader). */
  js?: ParquetReader;
  /** The wasm decoder; it must accept the JS decoder's metadata (default: a parquet-wasm reader). */
  wasm?: ParquetReader;
  /** File reads needing fewer column-chunk bytes than this go to the JS decoder (default MIN_WASM_BYTES). */
  minWasmBytes?: number;
}

/**
 * Below this many compressed bytes a file read is as fast or faster in JS (measured: 1000 rows
 * of 3 columns, ~15 KB, 2.1 ms JS vs 5.5 ms wasm; 5000 rows, ~80 KB, 2.0 vs 1.7 ms).
 */
export const MIN_WASM_BYTES = 64 * 1024;
/**
 * Scans over files of fewer bytes than this do not load parquet-wasm (a ~0.1 s compile in Node)
 * when it is not loaded already; JS decodes ~20-30 ms per MB slower than wasm.
 */
export const WASM_LOAD_BYTES = 4 * 1024 * 1024;

/** A reader that picks the decoder per file read by the compressed bytes the read needs. */
export function adaptiveReader(options: AdaptiveReaderOptions = {}): ParquetReader {
  const js = options.js ?? createHyparquetReader();
  const wasm = options.wasm ?? lazyWasmReader(js);
  const min = options.minWasmBytes ?? MIN_WASM_BYTES;
  return {
    readMetadata: (source, opts) => js.readMetadata(source, opts),
    read(readOptions) {
      const { metadata } = readOptions;
      const groups = readOptions.rowGroups ?? metadata.rowGroups.map((_, i) => i);
      let bytes = 0;
      for (const chunks of neededChunks(metadata.native, planFileRead(readOptions).leaves, groups)) {
        for (const c of chunks) bytes += Number(c.meta_data?.total_compressed_size ?? 0n);
      }
      return (bytes >= min ? wasm : js).read(readOptions);
    },
  };
}

/**
 * The parquet-wasm reader, its code (the compact-file builder with hyparquet-writer's Thrift
 * writer, the C Data import, the conversions) imported on the first read it gets: a page whose
 * scans stay small never downloads it. Footers are the JS reader's either way.
 */
function lazyWasmReader(js: ParquetReader): ParquetReader {
  let wasm: Promise<ParquetReader> | undefined;
  return {
    readMetadata: (source, opts) => js.readMetadata(source, opts),
    async *read(readOptions) {
      wasm ??= import("./wasm-reader.js").then((m) => m.createWasmReader());
      yield* (await wasm).read(readOptions);
    },
  };
}

/** Options of `defaultReader`. */
export interface ReaderChoiceOptions {
  /** The scan's row limit, when it has one. */
  limit?: number | undefined;
  /** Total size of the scan's files (an upper bound of the bytes it reads), when known. */
  scanBytes?: number | undefined;
  /** The runtime (default: detected). */
  runtime?: Runtime;
}

let js: ParquetReader | undefined;

/**
 * The reader a scan uses when the caller gives none. The JS reader is shared (it is stateless);
 * the adaptive one is new per scan, so a parquet-wasm load that failed (nothing registered yet)
 * is tried again by the next scan, not by every file of this one.
 */
export function defaultReader(options: ReaderChoiceOptions = {}): ParquetReader {
  const runtime = options.runtime ?? detectRuntime();
  js ??= createHyparquetReader();
  if (options.limit !== undefined) return js;
  if (!parquetWasmReady() && (runtime === "workers" || (options.scanBytes ?? Infinity) < WASM_LOAD_BYTES)) return js;
  return adaptiveReader({ js });
}
