/**
 * Parquet -> plain JS rows (objects per top-level column, as hyparquet assembles them: structs as
 * objects, lists as arrays, maps as objects, int64 as bigint, timestamps as Date), for small files
 * of a known Parquet layout read row by row, such as checkpoints. The footer comes from the
 * readers' ranged footer fetch (footer.ts), parsed without deriving an Arrow schema, and only the requested top-level columns'
 * chunks are fetched: the first request reads `tailBytes` at the end of the file (footer and
 * the chunks just before it: a small file costs one request), the second the needed chunks in
 * front of that, coalesced (in parallel when they lie far apart). Scans read Arrow through hyparquet-reader.ts / wasm-reader.ts instead.
 */
import { parquetMetadata, parquetReadObjects, type FileMetaData } from "hyparquet";
import { defaultCompressors, loadCompressors } from "./compressors.js";
import { ParquetFormatError } from "./errors.js";
import { DEFAULT_FOOTER_FETCH, readFooterBytes } from "./footer.js";
import { schemaTreeOf } from "./hyparquet-metadata.js";
import { asyncBufferOf, wrapDecodeError } from "./hyparquet-reader.js";
import type { ParquetSource } from "./reader.js";
import { coalesceSpans, sourceWithPrefetch } from "./source.js";

/** Default first read: checkpoints up to this size cost one request. */
const DEFAULT_TAIL = 1024 * 1024;
/** Needed chunks this close together are fetched in one request (the gap is read and dropped). */
const COALESCE_GAP = 256 * 1024;

/** Options of {@link readParquetRows}. */
export interface ReadParquetRowsOptions {
  source: ParquetSource;
  /** Top-level columns to read; those absent from the file are left out of the rows. */
  columns: readonly string[];
  /** Bytes read from the end of the file in the first request (default 1 MiB). */
  tailBytes?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** Reads the requested top-level columns of every row (no rows when none of them is in the file). */
export async function readParquetRows(options: ReadParquetRowsOptions): Promise<Record<string, unknown>[]> {
  const tailBytes = Math.max(DEFAULT_FOOTER_FETCH, options.tailBytes ?? DEFAULT_TAIL);
  const size = options.source.byteLength;
  const tail = { start: Math.max(0, size - tailBytes), end: size };
  const withTail = await sourceWithPrefetch(options.source, [tail]);
  const footer = await readFooterBytes(withTail, { initialFetchSize: tailBytes, signal: options.signal });
  let native: FileMetaData;
  try {
    native = parquetMetadata(footer);
  } catch (cause) {
    throw new ParquetFormatError(`cannot parse the Parquet footer: ${cause instanceof Error ? cause.message : String(cause)}`, { path: options.source.path, cause });
  }
  const present = new Set(schemaTreeOf(native).children.map((c) => c.element.name));
  const columns = options.columns.filter((c) => present.has(c));
  if (columns.length === 0) return [];
  await loadCompressors(native);
  const wanted = new Set(columns);
  const chunks = native.row_groups.flatMap((rg) =>
    rg.columns.flatMap((c) => {
      const m = c.meta_data;
      if (m === undefined || !wanted.has(m.path_in_schema[0] ?? "")) return [];
      const start = Number(m.dictionary_page_offset || m.data_page_offset);
      return [{ start, end: start + Number(m.total_compressed_size) }];
    }),
  );
  const source = await sourceWithPrefetch(withTail, coalesceSpans(chunks, COALESCE_GAP, tail));
  const file = asyncBufferOf(source, options.signal);
  try {
    return (await parquetReadObjects({ file, metadata: native, columns, compressors: defaultCompressors })) as Record<string, unknown>[];
  } catch (cause) {
    throw wrapDecodeError(cause, source.path);
  }
}
