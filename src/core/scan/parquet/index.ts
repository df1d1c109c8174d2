/**
 * The Parquet layer of scans: the reader contract (adapter.ts), the hyparquet implementation,
 * the parquet-wasm implementation, the Parquet -> Arrow schema derivation and the layer's errors.
 * Callers import from here.
 */
export {
  PARQUET_FIELD_ID_KEY,
  type ColumnPath,
  type ParquetColumnChunkInfo,
  type ParquetMetadata,
  type ParquetReadOptions,
  type ParquetReader,
  type ParquetRowGroupInfo,
  type ParquetSource,
} from "./adapter.js";
export { createHyparquetReader, type HyparquetReaderOptions } from "./hyparquet-reader.js";
export { createWasmReader, type WasmReaderOptions } from "./wasm-reader.js";
export { defaultCompressors } from "./compressors.js";
export { DEFAULT_FOOTER_FETCH, readFooterBytes, type FooterReadOptions } from "./footer.js";
export { ParquetFormatError, ParquetSchemaMismatchError } from "./errors.js";
export { arrowFieldOfNode, arrowSchemaOfParquet, arrowTypeOfLeaf } from "./parquet-schema.js";
