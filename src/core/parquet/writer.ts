/**
 * Arrow -> Parquet bytes through parquet-wasm (arrow-rs's writer): the codecs the writer offers,
 * their file-name suffixes, and `encodeParquet`, which writes an Arrow table as it is (names,
 * types and `PARQUET:field_id` metadata already physical: write/parquet-writer.ts relabels Delta
 * data to that). Must not import Delta concepts (log, table, write).
 */
import { tableToIPC, type Table } from "apache-arrow";
import { InvalidInputError } from "../errors.js";
import { loadParquetWasm, ParquetWasmError } from "./wasm-loader.js";

/** Compression codecs the writer offers. */
export type ParquetCompression = "snappy" | "zstd" | "gzip" | "brotli" | "lz4_raw" | "uncompressed";

/** Every codec, in the order of {@link ParquetCompression}. */
export const PARQUET_COMPRESSIONS: readonly ParquetCompression[] = ["snappy", "zstd", "gzip", "brotli", "lz4_raw", "uncompressed"];

/** File-name suffixes per codec, as parquet-mr/Spark name files (`part-...-c000.snappy.parquet`). */
const SUFFIX: Record<ParquetCompression, string> = {
  snappy: ".snappy.parquet",
  zstd: ".zstd.parquet",
  gzip: ".gz.parquet",
  brotli: ".br.parquet",
  lz4_raw: ".lz4raw.parquet",
  uncompressed: ".parquet",
};

/** The file-name suffix of a codec (".snappy.parquet", ".parquet" when uncompressed...). */
export function parquetFileSuffix(compression: ParquetCompression): string {
  return SUFFIX[compression];
}

/** Default rows per row group (arrow-rs's default). */
export const DEFAULT_MAX_ROW_GROUP_SIZE = 1024 * 1024;

/** Writer settings of {@link encodeParquet}. */
export interface ParquetWriteSettings {
  /** Codec; default "snappy". */
  compression?: ParquetCompression | undefined;
  /** Maximum rows per row group; default 1,048,576. */
  maxRowGroupSize?: number | undefined;
  /** Dictionary encoding; default true. */
  dictionary?: boolean | undefined;
  /** Parquet column statistics: false, "chunk" or "page" (= true, the default). */
  statistics?: boolean | "chunk" | "page" | undefined;
  /** The file's `created_by`; default "delta-edge (parquet-wasm)". */
  createdBy?: string | undefined;
}

/** Options of {@link encodeParquet}. */
export interface EncodeParquetOptions extends ParquetWriteSettings {
  /** The rows, in the file's own (physical) schema. */
  table: Table;
}

/**
 * Encodes an Arrow table as one Parquet file.
 * @throws InvalidInputError for an unknown codec or a bad row-group size;
 *   ParquetWasmError when parquet-wasm cannot be loaded or fails.
 */
export async function encodeParquet(options: EncodeParquetOptions): Promise<Uint8Array> {
  const wasm = await loadParquetWasm();
  const codec = options.compression ?? "snappy";
  const stats = options.statistics ?? true;
  const C = wasm.Compression;
  const compression = { snappy: C.SNAPPY, zstd: C.ZSTD, gzip: C.GZIP, brotli: C.BROTLI, lz4_raw: C.LZ4_RAW, uncompressed: C.UNCOMPRESSED }[codec];
  if (compression === undefined) throw new InvalidInputError(`unknown parquet compression ${JSON.stringify(codec)} (one of ${PARQUET_COMPRESSIONS.join(", ")})`);
  const maxRows = options.maxRowGroupSize ?? DEFAULT_MAX_ROW_GROUP_SIZE;
  if (!Number.isSafeInteger(maxRows) || maxRows < 1) throw new InvalidInputError(`maxRowGroupSize must be a positive integer, got ${maxRows}`);
  const statistics = stats === false ? wasm.EnabledStatistics.None : stats === "chunk" ? wasm.EnabledStatistics.Chunk : wasm.EnabledStatistics.Page;
  try {
    const props = new wasm.WriterPropertiesBuilder()
      .setCompression(compression)
      .setMaxRowGroupSize(maxRows)
      .setDictionaryEnabled(options.dictionary ?? true)
      .setStatisticsEnabled(statistics)
      .setCreatedBy(options.createdBy ?? "delta-edge (parquet-wasm)")
      .build();
    const wasmTable = wasm.Table.fromIPCStream(tableToIPC(options.table, "stream"));
    return wasm.writeParquet(wasmTable, props);
  } catch (e) {
    throw new ParquetWasmError(`parquet-wasm failed to write the file: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}
