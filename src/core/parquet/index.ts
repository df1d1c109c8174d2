/**
 * src/core/parquet: everything that knows the Parquet format, and the only code importing
 * hyparquet, hyparquet-compressors, hyparquet-writer and parquet-wasm (besides the Worker and Node
 * wasm loaders). It owns the reader contract (reader.ts) and byte sources (source.ts), the footer
 * fetch (footer.ts), the read plan (read-plan.ts, made once per read and shared by the reader
 * choice and the decoders), the pure-JS reader (hyparquet-*, leaf-*, assemble.ts), the
 * parquet-wasm reader (wasm-*) and its loader (wasm-loader.ts), the reader choice
 * (reader-choice.ts), the codecs (compressors.ts), the writers (writer.ts for Arrow tables through
 * parquet-wasm, rows-writer.ts for plain rows through hyparquet-writer) and the layer's errors.
 * It knows Arrow (arrow/) and the ObjectStore contract, and must not import Delta concepts
 * (log, table, scan, write, dml, changes) or any storage backend.
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
} from "./reader.js";
export { sourceFromBytes, sourceFromStore, type StoreSourceOptions } from "./source.js";
export { createHyparquetReader, type HyparquetReaderOptions } from "./hyparquet-reader.js";
export { createWasmReader, type WasmReaderOptions } from "./wasm-reader.js";
export { defaultCompressors, loadCompressors } from "./compressors.js";
export { DEFAULT_FOOTER_FETCH, readFooterBytes, type FooterReadOptions } from "./footer.js";
export { ParquetFormatError, ParquetSchemaMismatchError } from "./errors.js";
export { arrowFieldOfNode, arrowSchemaOfParquet, arrowTypeOfLeaf } from "./parquet-schema.js";
