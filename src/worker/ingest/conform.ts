/**
 * Rows on their way into the ingest buffer and out of it. On the way in, every batch is checked
 * and converted against the table's schema exactly as the writer will do it at flush time
 * (validateDataSchema: names, types, nullability), and the table must be one delta-edge can append
 * to (its writer features), so a row that cannot be written is refused with 400 when it is
 * acknowledged, not discovered in a flush. Conformed rows are stored as Arrow IPC streams, in
 * pieces small enough for a SQLite value (1 MiB). On the way out, pieces conformed to the same
 * schema share one Arrow Schema object, so the writer builds one conformer for all of them.
 */
import { RecordBatch, Table, tableFromIPC, tableToIPC, type Schema } from "apache-arrow";
import { InvalidInputError } from "../../core/errors.js";
import { deltaSchemaToArrow } from "../../core/schema/arrow-schema.js";
import { parseSchema } from "../../core/schema/schema-json.js";
import type { StructType } from "../../core/schema/types.js";
import type { Snapshot } from "../../core/table/snapshot.js";
import { validateDataSchema, type DataConformer } from "../../core/write/data-validate.js";
import { checkWritable } from "../../core/write/protocol-writer.js";
import { HttpError } from "../http.js";
import type { NewPiece, Piece } from "./buffer.js";

/** Largest stored piece (Durable Object SQLite values are limited to 2 MB). */
export const MAX_PIECE_BYTES = 1024 * 1024;

/** What rows are checked against: the table's schema at a version. */
export interface TableTarget {
  schema: StructType;
  /** Fingerprint of the schema (pieces conformed to the same schema share it). */
  schemaId: string;
  version: number;
}

/**
 * The target of a snapshot; throws (UnsupportedFeatureError) when delta-edge cannot append rows
 * to this table at all, so such rows are refused before they are acknowledged.
 */
export async function tableTarget(snapshot: Snapshot, path: string): Promise<TableTarget> {
  checkWritable({
    protocol: snapshot.protocol,
    metadata: snapshot.metadata,
    commit: { addsRows: true, rewritesRows: false, hasCdc: false, changesColumnTypes: false },
    path,
    version: snapshot.version,
  });
  const schemaString = snapshot.metadata.schemaString;
  return { schema: parseSchema(schemaString), schemaId: await fingerprint(schemaString), version: snapshot.version };
}

/**
 * Converts batches to the canonical layout of `schema`, all sharing one Arrow schema.
 * @throws InvalidInputError naming the column (and row) that does not fit.
 */
export async function conformBatches(batches: AsyncIterable<RecordBatch> | Iterable<RecordBatch>, schema: StructType): Promise<RecordBatch[]> {
  const conformers = new Map<Schema, DataConformer>();
  const shared = deltaSchemaToArrow(schema);
  const out: RecordBatch[] = [];
  for await (const batch of batches) {
    if (batch.numRows === 0) continue;
    let conformer = conformers.get(batch.schema);
    if (conformer === undefined) {
      conformer = validateDataSchema({ arrowSchema: batch.schema, schema });
      conformers.set(batch.schema, conformer);
    }
    out.push(new RecordBatch(shared, conformer.conform(batch).data));
  }
  return out;
}

/** Encodes conformed batches as pieces of at most {@link MAX_PIECE_BYTES} (413 for a larger single row). */
export function encodePieces(batches: readonly RecordBatch[], schemaId: string, at: number): NewPiece[] {
  if (batches.length === 0) return [];
  const pieces: NewPiece[] = [];
  const encode = (table: Table): void => {
    const ipc = tableToIPC(table, "stream");
    if (ipc.byteLength <= MAX_PIECE_BYTES) {
      pieces.push({ rows: table.numRows, bytes: ipc.byteLength, schemaId, at, ipc });
      return;
    }
    if (table.numRows <= 1) throw new HttpError(413, "ROW_TOO_LARGE", `a single row takes ${ipc.byteLength} bytes; the ingest buffer stores at most ${MAX_PIECE_BYTES} bytes per row`);
    const half = Math.ceil(table.numRows / 2);
    encode(table.slice(0, half));
    encode(table.slice(half));
  };
  encode(new Table((batches[0] as RecordBatch).schema, batches as RecordBatch[]));
  return pieces;
}

/** Stored pieces decoded, grouped by the schema they were conformed to (one Schema object per group). */
export interface DecodedGroup {
  schemaId: string;
  schema: Schema;
  seqs: number[];
  /** Per piece, its batches (same order as seqs). */
  batches: RecordBatch[][];
}

/** Decodes stored pieces into groups by schema fingerprint, in piece order within a group. */
export function decodePieces(pieces: readonly Piece[]): DecodedGroup[] {
  const groups = new Map<string, DecodedGroup>();
  for (const p of pieces) {
    let table: Table;
    try {
      table = tableFromIPC(p.ipc);
    } catch (error) {
      throw new InvalidInputError(`ingest buffer piece ${p.seq} is not a readable Arrow IPC stream: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    let group = groups.get(p.schemaId);
    if (group === undefined) {
      group = { schemaId: p.schemaId, schema: table.schema, seqs: [], batches: [] };
      groups.set(p.schemaId, group);
    }
    const schema = group.schema;
    group.seqs.push(p.seq);
    group.batches.push(table.batches.map((b) => new RecordBatch(schema, b.data)));
  }
  return [...groups.values()];
}

/** A short hex SHA-256 (16 of its 32 bytes) of a text. */
export function fingerprint(text: string): Promise<string> {
  return sha256Hex(new TextEncoder().encode(text), 16);
}

/** The hex SHA-256 of bytes, its first `length` bytes (default all 32). */
export async function sha256Hex(data: Uint8Array<ArrayBuffer>, length = 32): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return Array.from(digest.subarray(0, length), (b) => b.toString(16).padStart(2, "0")).join("");
}
