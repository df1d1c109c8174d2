/**
 * Writing classic single-file checkpoints (PROTOCOL.md "Checkpoints", V1 spec, allowed on every
 * table including v2Checkpoint ones) and `_last_checkpoint`. A checkpoint of version N holds the
 * protocol, the metaData, every live add, the tombstones younger than
 * `delta.deletedFileRetentionDuration` (default 1 week), the unexpired txns and the live domain
 * metadata, never commitInfo or cdc; file actions are written with dataChange=false as Spark does.
 * The parquet schema is Spark's (nested optional structs, 3-level MAP/LIST groups, int64 longs),
 * so Spark, delta-rs, pyarrow and our reader read it; stats stay a JSON string (stats_parsed and
 * partitionValues_parsed, i.e. delta.checkpoint.writeStatsAsStruct, are not written).
 */
import { NotFoundError } from "../errors.js";
import { encodeParquetRows, type ParquetSchemaElement as SchemaElement } from "../parquet/rows-writer.js";
import type { AddFile, DeletionVectorDescriptor, Metadata, Protocol, RemoveFile } from "../log/actions.js";
import { readLastCheckpoint } from "../log/last-checkpoint.js";
import { LAST_CHECKPOINT_KEY, checkpointKey } from "../log/path.js";
import type { ObjectStore } from "../storage/object-store.js";
import { DAYS, intervalProperty } from "../table/properties.js";
import { loadSnapshot } from "../table/snapshot-load.js";
import type { Snapshot } from "../table/snapshot.js";
import { ENGINE_INFO } from "./commit-info.js";

/** Spark's default `delta.checkpointInterval`. */
export const DEFAULT_CHECKPOINT_INTERVAL = 10;

/** `delta.checkpointInterval` of a table (default 10; invalid values fall back to the default). */
export function checkpointInterval(configuration: Readonly<Record<string, string>> | undefined): number {
  const n = Number(configuration?.["delta.checkpointInterval"]);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_CHECKPOINT_INTERVAL;
}

/** Spark's rule: checkpoint after commit N when N > 0 and the interval divides N. */
export function shouldCheckpoint(version: number, configuration: Readonly<Record<string, string>> | undefined): boolean {
  return version > 0 && version % checkpointInterval(configuration) === 0;
}

/** What was written. */
export interface CheckpointInfo {
  version: number;
  /** Key of the checkpoint file. */
  key: string;
  /** Number of actions (rows). */
  size: number;
  sizeInBytes: number;
  numOfAddFiles: number;
  /** Whether `_last_checkpoint` was updated (false when it already named a newer checkpoint). */
  lastCheckpointUpdated: boolean;
}

/** Options of {@link createCheckpoint}. */
export interface CreateCheckpointOptions {
  store: ObjectStore;
  /** The version to checkpoint (default: latest). */
  version?: number | undefined;
  /** A snapshot already loaded at that version (skips loading). */
  snapshot?: Snapshot | undefined;
  /** Clock for tombstone and txn expiry (default Date.now). */
  now?: (() => number) | undefined;
}

/** Writes a classic checkpoint of a version (default: latest) and updates `_last_checkpoint`. */
export async function createCheckpoint(options: CreateCheckpointOptions): Promise<CheckpointInfo> {
  const { store } = options;
  const snapshot = options.snapshot ?? (await loadSnapshot({ store, version: options.version }));
  const now = (options.now ?? Date.now)();
  const rows = checkpointRows(snapshot, now);
  const bytes = encodeCheckpoint(rows);
  const key = checkpointKey(snapshot.version);
  await store.put(key, bytes);
  const numOfAddFiles = rows.filter((r) => r.add).length;
  const info = { version: snapshot.version, size: rows.length, sizeInBytes: bytes.byteLength, numOfAddFiles };
  const hint = await readLastCheckpoint(store).catch((err: unknown) => {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  });
  const update = hint === undefined || hint.version <= snapshot.version;
  if (update) await store.put(LAST_CHECKPOINT_KEY, JSON.stringify(info));
  return { ...info, key, lastCheckpointUpdated: update };
}

/** One checkpoint row: exactly one action column set. */
export type CheckpointRow = Partial<Record<"txn" | "add" | "remove" | "metaData" | "protocol" | "domainMetadata", Record<string, unknown>>>;

/** The rows of a checkpoint of a snapshot, as of `now`. */
export function checkpointRows(snapshot: Snapshot, now: number): CheckpointRow[] {
  const rows: CheckpointRow[] = [{ protocol: protocolRow(snapshot.protocol) }, { metaData: metadataRow(snapshot.metadata) }];
  for (const t of snapshot.appTransactions(now)) {
    rows.push({ txn: { appId: t.appId, version: long(t.version), lastUpdated: longOrNull(t.lastUpdated) } });
  }
  for (const d of snapshot.domainMetadata().values()) {
    rows.push({ domainMetadata: { domain: d.domain, configuration: d.configuration, removed: false } });
  }
  for (const a of snapshot.files()) rows.push({ add: addRow(a) });
  const retention = intervalProperty(snapshot.properties, "delta.deletedFileRetentionDuration", 7 * DAYS);
  const minTimestamp = now - retention;
  for (const r of snapshot.tombstones()) {
    if ((r.deletionTimestamp ?? 0) > minTimestamp) rows.push({ remove: removeRow(r) });
  }
  return rows;
}

function protocolRow(p: Protocol): Record<string, unknown> {
  return {
    minReaderVersion: p.minReaderVersion,
    minWriterVersion: p.minWriterVersion,
    readerFeatures: p.minReaderVersion >= 3 ? (p.readerFeatures ?? []) : null,
    writerFeatures: p.minWriterVersion >= 7 ? (p.writerFeatures ?? []) : null,
  };
}

function metadataRow(m: Metadata): Record<string, unknown> {
  return {
    id: m.id,
    name: m.name ?? null,
    description: m.description ?? null,
    format: { provider: m.format?.provider ?? "parquet", options: m.format?.options ?? {} },
    schemaString: m.schemaString,
    partitionColumns: m.partitionColumns,
    configuration: m.configuration ?? {},
    createdTime: longOrNull(m.createdTime),
  };
}

function addRow(a: AddFile): Record<string, unknown> {
  return {
    path: a.path,
    partitionValues: a.partitionValues ?? {},
    size: long(a.size),
    modificationTime: long(a.modificationTime),
    dataChange: false,
    tags: a.tags ?? null,
    deletionVector: dvRow(a.deletionVector),
    baseRowId: longOrNull(a.baseRowId),
    defaultRowCommitVersion: longOrNull(a.defaultRowCommitVersion),
    stats: typeof a.stats === "string" ? a.stats : statsFromParsed(a.statsParsed),
  };
}

function removeRow(r: RemoveFile): Record<string, unknown> {
  return {
    path: r.path,
    deletionTimestamp: longOrNull(r.deletionTimestamp),
    dataChange: false,
    extendedFileMetadata: r.extendedFileMetadata ?? null,
    partitionValues: r.partitionValues ?? null,
    size: longOrNull(r.size),
    deletionVector: dvRow(r.deletionVector),
    baseRowId: longOrNull(r.baseRowId),
    defaultRowCommitVersion: longOrNull(r.defaultRowCommitVersion),
  };
}

function dvRow(dv: DeletionVectorDescriptor | null | undefined): Record<string, unknown> | null {
  if (!dv) return null;
  const maxRowIndex = (dv as { maxRowIndex?: unknown }).maxRowIndex;
  return {
    storageType: dv.storageType,
    pathOrInlineDv: dv.pathOrInlineDv,
    offset: dv.offset ?? null,
    sizeInBytes: dv.sizeInBytes,
    cardinality: long(dv.cardinality),
    maxRowIndex: typeof maxRowIndex === "number" || typeof maxRowIndex === "bigint" ? long(maxRowIndex) : null,
  };
}

/**
 * JSON stats for an add that only has parsed stats (a checkpoint written with stats_parsed only):
 * numRecords, tightBounds and nullCount are kept, min/max only for leaves both sides of which are
 * plain numbers, strings or booleans (dates and timestamps have no unambiguous JSON form here).
 */
export function statsFromParsed(parsed: Record<string, unknown> | null | undefined): string | null {
  if (!parsed) return null;
  const out: Record<string, unknown> = {};
  const n = toJsonNumber(parsed.numRecords);
  if (n !== undefined) out.numRecords = n;
  if (typeof parsed.tightBounds === "boolean") out.tightBounds = parsed.tightBounds;
  const [min, max] = pairLeaves(parsed.minValues, parsed.maxValues);
  if (min) out.minValues = min;
  if (max) out.maxValues = max;
  const nulls = numericLeaves(parsed.nullCount);
  if (nulls) out.nullCount = nulls;
  return Object.keys(out).length > 0 ? JSON.stringify(out) : null;
}

function pairLeaves(a: unknown, b: unknown): [Record<string, unknown> | undefined, Record<string, unknown> | undefined] {
  if (!isRecord(a) || !isRecord(b)) return [undefined, undefined];
  const min: Record<string, unknown> = {};
  const max: Record<string, unknown> = {};
  for (const [k, va] of Object.entries(a)) {
    const vb = b[k];
    if (isRecord(va) && isRecord(vb)) {
      const [x, y] = pairLeaves(va, vb);
      if (x && y) [min[k], max[k]] = [x, y];
    } else if (isPlain(va) && isPlain(vb)) [min[k], max[k]] = [va, vb];
  }
  return Object.keys(min).length > 0 ? [min, max] : [undefined, undefined];
}

function numericLeaves(v: unknown): Record<string, unknown> | undefined {
  if (!isRecord(v)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const n = isRecord(x) ? numericLeaves(x) : toJsonNumber(x);
    if (n !== undefined) out[k] = n;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Uint8Array);
}

function isPlain(v: unknown): v is number | string | boolean {
  return (typeof v === "number" && Number.isFinite(v)) || typeof v === "string" || typeof v === "boolean";
}

function toJsonNumber(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "bigint" && v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER)) return Number(v);
  return undefined;
}

function long(v: number | bigint): bigint {
  return typeof v === "bigint" ? v : BigInt(Math.trunc(v));
}

function longOrNull(v: number | bigint | null | undefined): bigint | null {
  return v === null || v === undefined ? null : long(v);
}

/** Encodes checkpoint rows as parquet with Spark's checkpoint schema. */
export function encodeCheckpoint(rows: readonly CheckpointRow[]): Uint8Array {
  const columns = ["txn", "add", "remove", "metaData", "protocol", "domainMetadata"] as const;
  return encodeParquetRows({
    schema: CHECKPOINT_SCHEMA,
    columns: columns.map((name) => ({ name, data: rows.map((r) => r[name] ?? null) })),
    createdBy: ENGINE_INFO,
  });
}

const opt = "OPTIONAL" as const;
const str = (name: string): SchemaElement[] => [{ name, type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: { type: "STRING" }, repetition_type: opt }];
const i64 = (name: string): SchemaElement[] => [{ name, type: "INT64", repetition_type: opt }];
const i32 = (name: string): SchemaElement[] => [{ name, type: "INT32", repetition_type: opt }];
const bool = (name: string): SchemaElement[] => [{ name, type: "BOOLEAN", repetition_type: opt }];
const struct = (name: string, ...children: SchemaElement[][]): SchemaElement[] => [
  { name, repetition_type: opt, num_children: children.length },
  ...children.flat(),
];
const stringMap = (name: string): SchemaElement[] => [
  { name, repetition_type: opt, converted_type: "MAP", logical_type: { type: "MAP" }, num_children: 1 },
  { name: "key_value", repetition_type: "REPEATED", num_children: 2 },
  { name: "key", type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: { type: "STRING" }, repetition_type: "REQUIRED" },
  ...str("value"),
];
const stringList = (name: string): SchemaElement[] => [
  { name, repetition_type: opt, converted_type: "LIST", logical_type: { type: "LIST" }, num_children: 1 },
  { name: "list", repetition_type: "REPEATED", num_children: 1 },
  ...str("element"),
];
const dv = (): SchemaElement[] =>
  struct("deletionVector", str("storageType"), str("pathOrInlineDv"), i32("offset"), i32("sizeInBytes"), i64("cardinality"), i64("maxRowIndex"));

/** Spark's checkpoint schema (root first), as written by {@link encodeCheckpoint}. */
export const CHECKPOINT_SCHEMA: SchemaElement[] = [
  { name: "spark_schema", num_children: 6 },
  ...struct("txn", str("appId"), i64("version"), i64("lastUpdated")),
  ...struct(
    "add",
    str("path"),
    stringMap("partitionValues"),
    i64("size"),
    i64("modificationTime"),
    bool("dataChange"),
    stringMap("tags"),
    dv(),
    i64("baseRowId"),
    i64("defaultRowCommitVersion"),
    str("stats"),
  ),
  ...struct(
    "remove",
    str("path"),
    i64("deletionTimestamp"),
    bool("dataChange"),
    bool("extendedFileMetadata"),
    stringMap("partitionValues"),
    i64("size"),
    dv(),
    i64("baseRowId"),
    i64("defaultRowCommitVersion"),
  ),
  ...struct(
    "metaData",
    str("id"),
    str("name"),
    str("description"),
    struct("format", str("provider"), stringMap("options")),
    str("schemaString"),
    stringList("partitionColumns"),
    stringMap("configuration"),
    i64("createdTime"),
  ),
  ...struct("protocol", i32("minReaderVersion"), i32("minWriterVersion"), stringList("readerFeatures"), stringList("writerFeatures")),
  ...struct("domainMetadata", str("domain"), str("configuration"), bool("removed")),
];
