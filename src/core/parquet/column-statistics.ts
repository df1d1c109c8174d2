/**
 * The column-chunk statistics of a Parquet file held in memory (typically one this process has
 * just encoded): per row group and leaf column, the value and null counts and the min/max with
 * the writer's exactness flags, as physical values: INT32 as number (dates as day numbers),
 * INT64 as bigint (timestamps in the column's unit), BYTE_ARRAY as bytes. Other physical types
 * are left out (their values are not needed by callers, and hyparquet's conversions of them
 * round: decimals to floats). Parquet only: must not import Delta concepts (log, table, write).
 */
import { parquetMetadata, type ParquetParsers } from "hyparquet";
import { ParquetFormatError } from "./errors.js";

/** A min or max as stored: INT32 as number, INT64 as bigint, BYTE_ARRAY as bytes. */
export type PhysicalBound = number | bigint | Uint8Array;

/** The statistics of one column chunk. */
export interface ChunkStatistics {
  /** Path of the leaf column in the file schema. */
  path: readonly string[];
  /** Values in the chunk, nulls included (the chunk's `num_values`). */
  numValues: number;
  /** Nulls, when the writer recorded them. */
  nullCount: number | undefined;
  /** Least value, when recorded (absent for an all-null chunk or a writer without statistics). */
  min: PhysicalBound | undefined;
  max: PhysicalBound | undefined;
  /** Whether min/max are actual values; false when the writer truncated them (long byte arrays). */
  minExact: boolean;
  maxExact: boolean;
}

/** Hands raw physical values through (hyparquet would make Dates and strings of them). */
const RAW: Partial<ParquetParsers> = {
  dateFromDays: (days) => days,
  timestampFromMilliseconds: (v) => v,
  timestampFromMicroseconds: (v) => v,
  timestampFromNanoseconds: (v) => v,
  stringFromBytes: (bytes) => bytes,
  jsonFromBytes: (bytes) => bytes,
};

/** Physical types whose bounds are returned. */
const KEPT = new Set(["INT32", "INT64", "BYTE_ARRAY"]);

/**
 * The statistics of every column chunk of `file` (a whole Parquet file), per row group.
 * @throws ParquetFormatError when the file does not end in a readable footer.
 */
export function fileColumnStatistics(file: Uint8Array, path?: string): ChunkStatistics[][] {
  const n = file.byteLength;
  const length = n >= 12 ? new DataView(file.buffer, file.byteOffset + n - 8, 4).getUint32(0, true) : -1;
  if (length < 0 || length + 12 > n) throw new ParquetFormatError(`not a Parquet file of ${n} bytes (footer length ${length})`, { path });
  let metadata;
  try {
    metadata = parquetMetadata(file.subarray(n - 8 - length), { parsers: RAW, geoparquet: false });
  } catch (cause) {
    throw new ParquetFormatError(`cannot parse the Parquet footer: ${String((cause as Error)?.message ?? cause)}`, { path, cause });
  }
  return metadata.row_groups.map((rg) =>
    rg.columns.flatMap((c) => {
      const m = c.meta_data;
      if (m === undefined) return [];
      const s = m.statistics;
      const kept = KEPT.has(m.type) && s !== undefined;
      const bound = (v: unknown): PhysicalBound | undefined =>
        kept && (typeof v === "number" || typeof v === "bigint" || v instanceof Uint8Array) ? v : undefined;
      return [
        {
          path: m.path_in_schema,
          numValues: Number(m.num_values),
          nullCount: s?.null_count === undefined ? undefined : Number(s.null_count),
          min: bound(s?.min_value),
          max: bound(s?.max_value),
          minExact: s?.is_min_value_exact !== false,
          maxExact: s?.is_max_value_exact !== false,
        },
      ];
    }),
  );
}
