/**
 * The Parquet -> Arrow adapter contract used by scans. A `ParquetReader` reads a file's footer
 * with ranged reads (`readMetadata`), then decodes only the column chunks a scan asks for into
 * apache-arrow RecordBatches of an exact target schema (`read`). Bytes come from a
 * `ParquetSource`, so any ObjectStore plugs in; the caller passes the size (from the Delta add
 * action), so no HEAD request is needed (source.ts makes sources of stores and of bytes).
 * Readers: hyparquet-reader.ts (pure JS), wasm-reader.ts (parquet-wasm), reader-choice.ts
 * (which one a scan uses).
 */
import type { RecordBatch, Schema } from "apache-arrow";
import type { FileMetaData } from "hyparquet";

/** Metadata key on an Arrow field holding the Parquet field_id to match by (column mapping id mode). */
export { PARQUET_FIELD_ID_KEY } from "../arrow/field-id.js";

/** A random-access byte source of known size: one Parquet file. */
export interface ParquetSource {
  /** Total size of the file in bytes. */
  readonly byteLength: number;
  /** Reads bytes [start, end) (end exclusive). */
  read(start: number, end: number): Promise<ArrayBuffer | Uint8Array>;
  /** The file's key or URL, used in error messages. */
  readonly path?: string;
}

/** One row group as the footer describes it. */
export interface ParquetRowGroupInfo {
  /** Number of rows in the row group. */
  numRows: number;
  /** Index of the first row of this group in the file. */
  firstRow: number;
  /** Sum of the compressed sizes of the group's column chunks. */
  compressedBytes: number;
}

/** One column chunk's location, for planners and range accounting. */
export interface ParquetColumnChunkInfo {
  /** Path of the leaf column in the Parquet schema (physical names). */
  path: readonly string[];
  /** First byte of the chunk (dictionary page or first data page). */
  start: number;
  /** End of the chunk (exclusive). */
  end: number;
}

/**
 * A parsed footer. `native` is the Thrift footer as hyparquet parses it; both readers take it
 * (the wasm reader plans with the JS footer parse), so `read` needs no cast.
 */
export interface ParquetMetadata {
  /** Total number of rows. */
  numRows: number;
  /** Row groups in file order. */
  rowGroups: readonly ParquetRowGroupInfo[];
  /** Column chunks per row group, in schema leaf order. */
  columnChunks: readonly (readonly ParquetColumnChunkInfo[])[];
  /** Size of the Thrift footer (without the trailing 8 bytes). */
  footerLength: number;
  /** The writer (`created_by`), when recorded. */
  createdBy: string | undefined;
  /** Key-value metadata of the file. */
  keyValueMetadata: ReadonlyMap<string, string>;
  /** The file's own schema as Arrow (physical names; field ids in `PARQUET:field_id`). */
  schema: Schema;
  /** The parsed Thrift footer (hyparquet's form). */
  readonly native: FileMetaData;
}

/**
 * Path of a column to read: a string names a top-level column (never split on dots); an array
 * is a path into nested structs, e.g. `["add", "stats_parsed"]`.
 */
export type ColumnPath = string | readonly string[];

/** Options of `ParquetReader.read`. */
export interface ParquetReadOptions {
  source: ParquetSource;
  /** The footer from `readMetadata` on the same source. */
  metadata: ParquetMetadata;
  /**
   * Physical column paths, one per field of `targetSchema`, in the same order. When absent,
   * field i of the target schema is the top-level column of the same name (or field id).
   */
  columns?: readonly ColumnPath[];
  /**
   * The output schema. Fields carry physical names; a field (at any depth) with
   * `PARQUET:field_id` metadata is matched by Parquet field_id instead of by name. Columns absent
   * from the file come back as all-null vectors of the target type; narrower file types are
   * widened (int8/16 -> int32 -> int64, float -> double, int -> double or decimal, date ->
   * timestamp, decimal scale/precision increase; timestamps of any unit and INT96 -> the target
   * unit). Top-level names must be unique (Arrow JS merges fields of the same name); to read one
   * file column twice, give distinct target names and use `columns`.
   */
  targetSchema: Schema;
  /** Row group indexes to read (file order is kept); all when absent. */
  rowGroups?: readonly number[];
  /** Maximum rows per batch; one batch per row group when absent. */
  batchSize?: number;
  signal?: AbortSignal;
}

/** Reads Parquet footers and decodes column chunks into Arrow. */
export interface ParquetReader {
  /** Reads and parses the footer only (ranged reads from the end of the file). */
  readMetadata(source: ParquetSource, options?: { signal?: AbortSignal }): Promise<ParquetMetadata>;
  /** Decodes the requested columns into batches of exactly `targetSchema`. */
  read(options: ParquetReadOptions): AsyncIterable<RecordBatch>;
}
