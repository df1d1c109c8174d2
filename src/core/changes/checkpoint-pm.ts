/**
 * The protocol and metaData actions of a checkpoint, without reading its file actions: a
 * Parquet checkpoint (classic, multi-part or V2) is read through the scan's Parquet reader with
 * ranged reads of its footer and the `protocol` and `metaData` column chunks only, so a
 * checkpoint of a million files costs a few small requests; a JSON V2 checkpoint is read whole;
 * a V2 checkpoint whose actions `_last_checkpoint` embeds is not read at all. Sidecars hold file
 * actions only and are never read here.
 */
import type { Data } from "apache-arrow";
import { DeltaError, ProtocolError } from "../errors.js";
import type { Action, Metadata, Protocol } from "../log/actions.js";
import { readActionFile } from "../log/checkpoint-read.js";
import type { LastCheckpointHint } from "../log/last-checkpoint.js";
import type { CheckpointRef } from "../log/segment.js";
import { deltaSchemaToArrow } from "../schema/arrow-schema.js";
import type { DataType, StructField, StructType } from "../schema/types.js";
import type { ObjectStore } from "../storage/object-store.js";
import { valueReader } from "../scan/arrow-values.js";
import { createHyparquetReader } from "../scan/parquet/hyparquet-reader.js";

/** What a checkpoint says about the table (either may be missing in a broken log). */
export interface ProtocolAndMetadata {
  protocol: Protocol | undefined;
  metadata: Metadata | undefined;
}

/** Options of {@link checkpointProtocolMetadata}. */
export interface CheckpointProtocolMetadataOptions {
  store: ObjectStore;
  checkpoint: CheckpointRef;
  /** The `_last_checkpoint` hint (a V2 hint may embed the checkpoint's non-file actions). */
  hint: LastCheckpointHint | undefined;
  /** Table root, for messages. */
  path: string;
}

/** Reads the protocol and metaData of a checkpoint (see the header for the cost). */
export async function checkpointProtocolMetadata(options: CheckpointProtocolMetadataOptions): Promise<ProtocolAndMetadata> {
  const { store, checkpoint, hint, path } = options;
  const version = checkpoint.version;
  const embedded = hint?.version === version && checkpoint.kind === "v2" ? hint.v2Checkpoint : undefined;
  if (embedded?.nonFileActions !== undefined && checkpoint.files[0]?.key.endsWith(embedded.path)) {
    return fromActions(embedded.nonFileActions);
  }
  const parts = await Promise.all(
    checkpoint.files.map(async (f) =>
      f.key.endsWith(".json") ? fromActions(await readActionFile(store, f.key, { path, version })) : readParquetPart(store, f.key, f.size, { path, version }),
    ),
  );
  return { protocol: parts.find((p) => p.protocol)?.protocol, metadata: parts.find((p) => p.metadata)?.metadata };
}

function fromActions(actions: readonly Action[]): ProtocolAndMetadata {
  let protocol: Protocol | undefined;
  let metadata: Metadata | undefined;
  for (const a of actions) {
    if (a.protocol) protocol = a.protocol;
    if (a.metaData) metadata = a.metaData;
  }
  return { protocol, metadata };
}

const STRING: DataType = { kind: "primitive", name: "string" };
const STRINGS: DataType = { kind: "array", elementType: STRING, containsNull: true };
const STRING_MAP: DataType = { kind: "map", keyType: STRING, valueType: STRING, valueContainsNull: true };
const field = (name: string, type: DataType): StructField => ({ name, type, nullable: true, metadata: {} });
const struct = (...fields: StructField[]): StructType => ({ kind: "struct", fields });

/** The checkpoint columns read, typed as the protocol's checkpoint schema. */
const COLUMNS: readonly StructField[] = [
  field(
    "protocol",
    struct(
      field("minReaderVersion", { kind: "primitive", name: "integer" }),
      field("minWriterVersion", { kind: "primitive", name: "integer" }),
      field("readerFeatures", STRINGS),
      field("writerFeatures", STRINGS),
    ),
  ),
  field(
    "metaData",
    struct(
      field("id", STRING),
      field("name", STRING),
      field("description", STRING),
      field("format", struct(field("provider", STRING), field("options", STRING_MAP))),
      field("schemaString", STRING),
      field("partitionColumns", STRINGS),
      field("configuration", STRING_MAP),
      field("createdTime", { kind: "primitive", name: "long" }),
    ),
  ),
];

/**
 * First suffix read of a checkpoint's footer: smaller than a scan's, since only two column chunks
 * follow (a bigger footer costs one more request, never a wrong result).
 */
const FOOTER_FETCH = 16 * 1024;

async function readParquetPart(store: ObjectStore, key: string, knownSize: number, context: { path: string; version: number }): Promise<ProtocolAndMetadata> {
  const reader = createHyparquetReader({ footerFetchSize: FOOTER_FETCH });
  try {
    const byteLength = knownSize >= 0 ? knownSize : (await store.head(key)).size;
    const source = { byteLength, path: `${context.path}/${key}`, read: (start: number, end: number) => store.get(key, { range: { offset: start, length: end - start } }) };
    const metadata = await reader.readMetadata(source);
    const present = new Set(metadata.schema.fields.map((f) => f.name));
    const fields = COLUMNS.filter((f) => present.has(f.name));
    const out: ProtocolAndMetadata = { protocol: undefined, metadata: undefined };
    if (fields.length === 0) return out;
    const targetSchema = deltaSchemaToArrow({ kind: "struct", fields });
    for await (const batch of reader.read({ source, metadata, targetSchema })) {
      fields.forEach((f, j) => {
        const read = valueReader(batch.data.children[j] as Data, f.type);
        for (let i = 0; i < batch.numRows; i++) {
          const value = read(i) as Record<string, unknown> | null;
          if (value === null) continue;
          if (f.name === "protocol") out.protocol = toProtocol(value);
          else out.metadata = toMetadata(value);
        }
      });
    }
    return out;
  } catch (cause) {
    if (cause instanceof DeltaError) throw cause;
    throw new ProtocolError(`cannot read protocol and metaData from checkpoint ${key}`, { ...context, cause });
  }
}

function toProtocol(v: Record<string, unknown>): Protocol {
  const p: Protocol = { minReaderVersion: v.minReaderVersion as number, minWriterVersion: v.minWriterVersion as number };
  if (Array.isArray(v.readerFeatures)) p.readerFeatures = v.readerFeatures as string[];
  if (Array.isArray(v.writerFeatures)) p.writerFeatures = v.writerFeatures as string[];
  return p;
}

function toMetadata(v: Record<string, unknown>): Metadata {
  const format = (v.format ?? {}) as Record<string, unknown>;
  const created = v.createdTime;
  return {
    id: v.id as string,
    name: (v.name as string | null) ?? null,
    description: (v.description as string | null) ?? null,
    format: { provider: (format.provider as string | null) ?? "parquet", options: record(format.options) },
    schemaString: v.schemaString as string,
    partitionColumns: (v.partitionColumns as string[] | null) ?? [],
    configuration: record(v.configuration),
    createdTime: typeof created === "bigint" ? Number(created) : ((created as number | null) ?? null),
  };
}

/** A map read as [key, value] pairs, as a record (null values kept out of the way as absent). */
function record(pairs: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(pairs)) for (const [k, val] of pairs as [string, string | null][]) if (val !== null) out[k] = val;
  return out;
}
