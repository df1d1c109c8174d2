/**
 * Footer handling for the hyparquet reader: parses footer bytes with hyparquet into the adapter's
 * `ParquetMetadata`, and derives the "decode view" of a footer that the reader hands to
 * hyparquet: leaf annotations stripped (so hyparquet returns physical values - exact decimals,
 * integer timestamps, raw bytes - and leaf-convert.ts applies the annotations) and row groups
 * pruned to the column chunks that a read needs (so only those chunks are fetched).
 */
import { parquetMetadata, parquetSchema, type FileMetaData, type SchemaTree } from "hyparquet";
import type { ParquetMetadata } from "./reader.js";
import { ParquetFormatError } from "./errors.js";
import { leafKey } from "./parquet-shape.js";
import { arrowSchemaOfParquet } from "./parquet-schema.js";

/** Parses `footer | length | PAR1` bytes into the adapter's metadata. */
export function parseFooter(bytes: Uint8Array, path: string | undefined): ParquetMetadata {
  let native: FileMetaData;
  try {
    native = parquetMetadata(bytes, { geoparquet: false });
  } catch (cause) {
    throw new ParquetFormatError(`cannot parse the Parquet footer: ${String((cause as Error)?.message ?? cause)}`, { path, cause });
  }
  let firstRow = 0;
  const rowGroups = native.row_groups.map((rg) => {
    const info = {
      numRows: Number(rg.num_rows),
      firstRow,
      compressedBytes: rg.columns.reduce((sum, c) => sum + Number(c.meta_data?.total_compressed_size ?? 0n), 0),
    };
    firstRow += info.numRows;
    return info;
  });
  const columnChunks = native.row_groups.map((rg) =>
    rg.columns.flatMap((c) => {
      const m = c.meta_data;
      if (m === undefined) return [];
      const start = Number(m.dictionary_page_offset || m.data_page_offset);
      return [{ path: m.path_in_schema, start, end: start + Number(m.total_compressed_size) }];
    }),
  );
  const keyValueMetadata = new Map<string, string>();
  for (const kv of native.key_value_metadata ?? []) keyValueMetadata.set(kv.key, kv.value ?? "");
  let schema;
  try {
    schema = arrowSchemaOfParquet(schemaTreeOf(native));
  } catch (cause) {
    throw new ParquetFormatError(`unreadable Parquet schema: ${String((cause as Error)?.message ?? cause)}`, { path, cause });
  }
  return {
    numRows: Number(native.num_rows),
    rowGroups,
    columnChunks,
    footerLength: native.metadata_length,
    createdBy: native.created_by,
    keyValueMetadata,
    schema,
    native,
  };
}

const trees = new WeakMap<FileMetaData, SchemaTree>();

/** The schema tree of a footer (cached per footer object). */
export function schemaTreeOf(native: FileMetaData): SchemaTree {
  let tree = trees.get(native);
  if (tree === undefined) {
    tree = parquetSchema(native);
    trees.set(native, tree);
  }
  return tree;
}

/**
 * The footer as hyparquet should see it for a read of `leaves`: leaf elements without
 * converted/logical types, and each row group's column chunks limited to those leaves.
 */
export function decodeView(native: FileMetaData, leaves: ReadonlySet<string>): FileMetaData {
  const schema = native.schema.map((el) => {
    if (el.num_children !== undefined) return el;
    const { converted_type: _ct, logical_type: _lt, ...plain } = el;
    return plain;
  });
  const row_groups = native.row_groups.map((rg) => ({
    ...rg,
    columns: rg.columns.filter((c) => c.meta_data !== undefined && leaves.has(leafKey(c.meta_data.path_in_schema))),
  }));
  return { ...native, schema, row_groups };
}
