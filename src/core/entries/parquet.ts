/**
 * The "delta-edge/parquet" entry (re-exports only): the Parquet reader contract and its two
 * implementations (hyparquet in JS, parquet-wasm), the default reader choice, parquet-wasm
 * loading for runtimes that cannot fetch its .wasm file, and the Parquet layer's errors. Pass a
 * reader to readTable/readBatches/readRows as `reader`.
 */
export {
  createHyparquetReader,
  createWasmReader,
  ParquetFormatError,
  ParquetSchemaMismatchError,
  type ParquetReader,
  type ParquetSource,
  type ParquetMetadata,
  type ParquetReadOptions,
  type ParquetRowGroupInfo,
  type ParquetColumnChunkInfo,
  type ColumnPath,
  type HyparquetReaderOptions,
  type WasmReaderOptions,
} from "../parquet/index.js";
export { defaultReader, type ReaderChoiceOptions, type Runtime } from "../parquet/reader-choice.js";
export { setParquetWasm, ParquetWasmError, type ParquetWasmSource, type ParquetWasmLoader } from "../parquet/wasm-loader.js";
export { PARQUET_COMPRESSIONS, type ParquetCompression } from "../parquet/writer.js";
export { sourceFromBytes, sourceFromStore, type StoreSourceOptions } from "../parquet/source.js";
