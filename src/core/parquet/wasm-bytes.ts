/**
 * The bytes a parquet-wasm read gets. parquet-wasm 0.8's synchronous `readParquet` decodes a
 * whole in-memory file and ignores its `columns` option, so the wasm reader hands it a compact
 * Parquet file that holds exactly the read: the needed column chunks of the needed row groups,
 * fetched with ranged reads (neighbours coalesced), laid end to end after "PAR1", and a footer
 * re-encoded (hyparquet-writer's Thrift writer) with the schema pruned to the needed leaves and
 * their ancestors, the row groups to the needed ones and the chunk offsets moved to the new
 * places. Statistics, page indexes, bloom filters and key-value metadata (so also an
 * `ARROW:schema` hint, which would no longer match) are left out: decoding needs none of them.
 * Fetches are those of the JS decoder; memory and the copy into wasm are the needed bytes only.
 */
import type { ColumnChunk, FileMetaData, RowGroup, SchemaElement, SchemaTree } from "hyparquet";
import { ByteWriter } from "hyparquet-writer/src/bytewriter.js";
import { writeMetadata } from "hyparquet-writer/src/metadata.js";
import type { ParquetSource } from "./reader.js";
import { readRange } from "./footer.js";
import { chunkRange, neededChunks } from "./read-plan.js";
import { leafKey } from "./parquet-shape.js";
import { coalesceSpans, type ByteSpan, type FetchedPiece } from "./source.js";

/** Ranges closer than this are fetched in one request (the gap is read and discarded). */
export const COALESCE_GAP = 64 * 1024;

/** Options of `compactFile`. */
export interface CompactFileOptions {
  source: ParquetSource;
  native: FileMetaData;
  root: SchemaTree;
  leaves: ReadonlySet<string>;
  groups: readonly number[];
  signal?: AbortSignal | undefined;
}

const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]); // "PAR1"

/** Fetches the needed chunks and builds the compact file; also returns what was fetched. */
export async function compactFile(options: CompactFileOptions): Promise<{ file: Uint8Array; fetched: FetchedPiece[] }> {
  const { source, native, signal } = options;
  const chunks = neededChunks(native, options.leaves, options.groups);
  const fetched = await Promise.all(
    coalesceSpans(chunks.flat().map(chunkRange), COALESCE_GAP).map(async (r) => {
      signal?.throwIfAborted();
      return { start: r.start, bytes: await readRange(source, r.start, r.end) };
    }),
  );
  const bytesOf = (r: ByteSpan): Uint8Array => {
    if (r.end === r.start) return new Uint8Array(0);
    const piece = fetched.find((p) => p.start <= r.start && r.end <= p.start + p.bytes.byteLength)!;
    return piece.bytes.subarray(r.start - piece.start, r.end - piece.start);
  };
  const body: Uint8Array[] = [MAGIC];
  let at = MAGIC.byteLength;
  const rowGroups: RowGroup[] = chunks.map((list, k) => {
    const group = native.row_groups[options.groups[k]!]!;
    const groupStart = at;
    const columns = list.map((chunk) => {
      const range = chunkRange(chunk);
      body.push(bytesOf(range));
      const moved = relocate(chunk, at - range.start);
      at += range.end - range.start;
      return moved;
    });
    return { columns, total_byte_size: group.total_byte_size, num_rows: group.num_rows, file_offset: BigInt(groupStart), total_compressed_size: BigInt(at - groupStart) };
  });
  const metadata: FileMetaData = {
    version: native.version,
    schema: prunedSchema(options.root, options.leaves),
    num_rows: rowGroups.reduce((n, g) => n + g.num_rows, 0n),
    row_groups: rowGroups,
    ...(native.created_by === undefined ? {} : { created_by: native.created_by }),
    metadata_length: 0,
  };
  const footer = new ByteWriter();
  // hyparquet-writer pins an older hyparquet whose types lack the newest logical types (it skips them)
  writeMetadata(footer, metadata as unknown as Parameters<typeof writeMetadata>[1]);
  footer.appendBytes(MAGIC);
  body.push(footer.getBytes());
  const file = new Uint8Array(at + footer.offset);
  let pos = 0;
  for (const part of body) {
    file.set(part, pos);
    pos += part.byteLength;
  }
  return { file, fetched };
}

/** A chunk's metadata for decoding only, its pages moved by `shift` bytes. */
function relocate(chunk: ColumnChunk, shift: number): ColumnChunk {
  const m = chunk.meta_data!;
  const move = (offset: bigint): bigint => offset + BigInt(shift);
  const dict = m.dictionary_page_offset ? move(m.dictionary_page_offset) : undefined;
  return {
    file_offset: move(m.dictionary_page_offset || m.data_page_offset),
    meta_data: {
      type: m.type,
      encodings: m.encodings,
      path_in_schema: m.path_in_schema,
      codec: m.codec,
      num_values: m.num_values,
      total_uncompressed_size: m.total_uncompressed_size,
      total_compressed_size: m.total_compressed_size,
      data_page_offset: move(m.data_page_offset),
      ...(dict === undefined ? {} : { dictionary_page_offset: dict }),
    },
  };
}

/** The schema elements (depth-first) of the nodes that hold a needed leaf. */
function prunedSchema(root: SchemaTree, leaves: ReadonlySet<string>): SchemaElement[] {
  const out: SchemaElement[] = [];
  const keep = (node: SchemaTree): boolean =>
    node.children.length === 0 && node.element.num_children === undefined ? leaves.has(leafKey(node.path)) : node.children.some(keep);
  const visit = (node: SchemaTree): void => {
    const kept = node.children.filter(keep);
    out.push(node.children.length === 0 && node.element.num_children === undefined ? leafElement(node.element) : { ...node.element, num_children: kept.length });
    kept.forEach(visit);
  };
  visit(root);
  return out;
}

/**
 * A leaf element as written: an INTEGER logical type becomes the equivalent converted type,
 * because hyparquet-writer encodes the logical type's `bitWidth` as i32 where the Thrift
 * definition says i8, which arrow-rs rejects.
 */
function leafElement(element: SchemaElement): SchemaElement {
  const logical = element.logical_type;
  if (logical?.type !== "INTEGER") return element;
  const { logical_type: _drop, ...rest } = element;
  return { ...rest, converted_type: `${logical.isSigned ? "" : "U"}INT_${logical.bitWidth}` as NonNullable<SchemaElement["converted_type"]> };
}
