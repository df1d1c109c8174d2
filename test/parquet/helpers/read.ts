/**
 * Reads a whole Parquet file with the hyparquet reader: all columns by default (target schema =
 * the file's own Arrow schema), returning the batches and the rows in the JSON encoding.
 */
import type { RecordBatch, Schema } from "apache-arrow";
import type { ColumnPath, ParquetMetadata, ParquetSource } from "../../../src/core/parquet/reader.js";
import { createHyparquetReader } from "../../../src/core/parquet/hyparquet-reader.js";
import { batchRows } from "./arrow-json.js";

export const reader = createHyparquetReader();

/** Options of `readRows`. */
export interface ReadRowsOptions {
  targetSchema?: Schema;
  columns?: readonly ColumnPath[];
  rowGroups?: readonly number[];
  batchSize?: number;
  metadata?: ParquetMetadata;
}

/** Reads a source fully and returns its batches, rows and footer. */
export async function readRows(source: ParquetSource, options: ReadRowsOptions = {}) {
  const metadata = options.metadata ?? (await reader.readMetadata(source));
  const batches: RecordBatch[] = [];
  for await (const batch of reader.read({
    source,
    metadata,
    targetSchema: options.targetSchema ?? metadata.schema,
    ...(options.columns === undefined ? {} : { columns: options.columns }),
    ...(options.rowGroups === undefined ? {} : { rowGroups: options.rowGroups }),
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
  })) {
    batches.push(batch);
  }
  return { metadata, batches, rows: batches.flatMap(batchRows) };
}
