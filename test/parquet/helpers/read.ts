/**
 * Reads a whole Parquet file with a reader (the hyparquet reader unless one is given): all
 * columns by default (target schema = the file's own Arrow schema), returning the batches, the
 * rows in the JSON encoding and the footer. The one whole-file read of the Parquet tests.
 */
import type { RecordBatch, Schema } from "apache-arrow";
import type { ColumnPath, ParquetMetadata, ParquetReader, ParquetSource } from "../../../src/core/parquet/reader.js";
import { createHyparquetReader } from "../../../src/core/parquet/hyparquet-reader.js";
import { batchRows } from "./arrow-json.js";

/** The JS (hyparquet) reader. */
export const reader: ParquetReader = createHyparquetReader();

/** Options of `readRows` and `readWith`. */
export interface ReadRowsOptions {
  targetSchema?: Schema;
  columns?: readonly ColumnPath[];
  rowGroups?: readonly number[];
  batchSize?: number;
  metadata?: ParquetMetadata;
}

/** Reads a source fully with `with_` and returns its batches, rows and footer. */
export async function readWith(with_: ParquetReader, source: ParquetSource, options: ReadRowsOptions = {}) {
  const metadata = options.metadata ?? (await with_.readMetadata(source));
  const batches: RecordBatch[] = [];
  for await (const batch of with_.read({
    source,
    metadata,
    targetSchema: options.targetSchema ?? metadata.schema,
    ...(options.columns === undefined ? {} : { columns: options.columns }),
    ...(options.rowGroups === undefined ? {} : { rowGroups: options.rowGroups }),
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
  })) {
    batches.push(batch);
  }
  return {
    metadata,
    batches,
    /** The rows in the JSON encoding (computed when asked for). */
    get rows() {
      return batches.flatMap(batchRows);
    },
  };
}

/** Reads a source fully with the JS reader. */
export function readRows(source: ParquetSource, options: ReadRowsOptions = {}) {
  return readWith(reader, source, options);
}
