/**
 * Row objects -> Parquet bytes with hyparquet-writer (pure JS, no wasm to load): for small files
 * of a fixed, hand-written Parquet schema, such as checkpoints. Data files go through writer.ts.
 * Must not import Delta concepts (log, table, write).
 */
import type { SchemaElement } from "hyparquet-writer";
import { parquetWriteBuffer } from "hyparquet-writer/src/write.js";

/** A Parquet schema element, as hyparquet-writer takes it (the root first, then the tree in order). */
export type ParquetSchemaElement = SchemaElement;

/** Options of {@link encodeParquetRows}. */
export interface EncodeParquetRowsOptions {
  /** The full Parquet schema (root element first). */
  schema: ParquetSchemaElement[];
  /** One entry per top-level column: its name and one value per row (objects for groups, null when absent). */
  columns: { name: string; data: unknown[] }[];
  /** The file's `created_by`. */
  createdBy: string;
}

/** Encodes top-level columns of plain JS values as one Parquet file. */
export function encodeParquetRows(options: EncodeParquetRowsOptions): Uint8Array {
  const buffer = parquetWriteBuffer({ schema: options.schema, columnData: options.columns, createdBy: options.createdBy });
  return new Uint8Array(buffer);
}
