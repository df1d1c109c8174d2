/**
 * The actions of one commit: checking them against the protocol's "one action per reconcile key"
 * rule and the table (partition values keyed by the partition columns' physical names, removes of
 * files with deletion vectors carrying that DV, no new DVs unless enabled, no user writes to
 * system `delta.*` domains), and serializing them as a commit file: commitInfo first (required for
 * in-commit timestamps), then protocol, metaData, txn, domainMetadata, remove, add, cdc, one JSON
 * object per line with Spark's field order and without internal or null fields.
 */
import { InvalidInputError } from "../errors.js";
import type { AddFile, CdcFile, CommitInfo, DeletionVectorDescriptor, DomainMetadata, Metadata, Protocol, RemoveFile, SetTransaction } from "../log/actions.js";
import { fileKey } from "../log/replay.js";
import { columnMappingMode, physicalName } from "../schema/column-mapping.js";
import { parseSchema } from "../schema/schema-json.js";
import type { StructType } from "../schema/types.js";

/** The actions a transaction has staged. */
export interface StagedActions {
  protocol: Protocol | undefined;
  metadata: Metadata | undefined;
  txns: SetTransaction[];
  domains: DomainMetadata[];
  removes: RemoveFile[];
  adds: AddFile[];
  cdc: CdcFile[];
}

/** An empty set of staged actions. */
export function emptyActions(): StagedActions {
  return { protocol: undefined, metadata: undefined, txns: [], domains: [], removes: [], adds: [], cdc: [] };
}

/** What validation needs to know about the table. */
export interface ValidationContext {
  path: string;
  /** The metadata the table will have after the commit. */
  metadata: Metadata;
  /** Whether the table allows new deletion vectors (feature supported and delta.enableDeletionVectors=true). */
  deletionVectorsEnabled: boolean;
  /** Live files of the read snapshot by replay key, to check removes against (optional). */
  liveFiles?: ReadonlyMap<string, AddFile> | undefined;
  /** Live files of the read snapshot by canonical path (for the DV check). */
  liveByPath?: ReadonlyMap<string, AddFile[]> | undefined;
}

/**
 * Validates staged actions.
 * @throws InvalidInputError naming the offending action.
 */
export function validateActions(actions: StagedActions, ctx: ValidationContext): void {
  const bad = (message: string) => new InvalidInputError(message, { path: ctx.path });
  const schema = validateMetadata(ctx.metadata, ctx.path);
  const partitionKeys = partitionValueKeys(schema, ctx.metadata);
  const keys = new Set<string>();
  for (const add of actions.adds) {
    if (typeof add.path !== "string" || add.path === "") throw bad("add action without a path");
    if (!Number.isSafeInteger(add.size) || add.size < 0) throw bad(`add ${add.path}: size must be a non-negative integer`);
    if (typeof add.modificationTime !== "number") throw bad(`add ${add.path}: modificationTime is required`);
    if (typeof add.dataChange !== "boolean") throw bad(`add ${add.path}: dataChange must be a boolean`);
    checkPartitionValues(add.path, add.partitionValues, partitionKeys, bad);
    if (add.deletionVector && !ctx.deletionVectorsEnabled) {
      throw bad(`add ${add.path} carries a deletion vector but the table does not enable delta.enableDeletionVectors`);
    }
    const key = fileKey(add.path, add.deletionVector);
    if (keys.has(key)) throw bad(`file ${add.path} appears twice in one commit`);
    keys.add(key);
  }
  for (const remove of actions.removes) {
    if (typeof remove.path !== "string" || remove.path === "") throw bad("remove action without a path");
    if (typeof remove.dataChange !== "boolean") throw bad(`remove ${remove.path}: dataChange must be a boolean`);
    const key = fileKey(remove.path, remove.deletionVector);
    if (keys.has(key)) throw bad(`file ${remove.path} is added or removed twice in one commit`);
    keys.add(key);
    checkRemoveAgainstSnapshot(remove, key, ctx, bad);
  }
  const appIds = new Set<string>();
  for (const txn of actions.txns) {
    if (typeof txn.appId !== "string" || txn.appId === "") throw bad("txn action without an appId");
    if (!Number.isSafeInteger(txn.version)) throw bad(`txn ${txn.appId}: version must be an integer`);
    if (appIds.has(txn.appId)) throw bad(`txn appId ${txn.appId} appears twice in one commit`);
    appIds.add(txn.appId);
  }
  const domains = new Set<string>();
  for (const d of actions.domains) {
    if (typeof d.domain !== "string" || d.domain === "") throw bad("domainMetadata action without a domain");
    if (d.domain.startsWith("delta.")) throw bad(`domain ${d.domain} is system-controlled and cannot be written by users`);
    if (domains.has(d.domain)) throw bad(`domain ${d.domain} appears twice in one commit`);
    domains.add(d.domain);
  }
}

/** Checks metaData: parseable schema, partition columns among the top-level columns, string configuration. */
export function validateMetadata(metadata: Metadata, path: string): StructType {
  const bad = (message: string) => new InvalidInputError(`invalid metaData: ${message}`, { path });
  if (typeof metadata.id !== "string" || metadata.id === "") throw bad("id is required");
  if (metadata.format?.provider !== "parquet") throw bad(`format.provider must be "parquet"`);
  const schema = parseSchema(metadata.schemaString);
  const names = new Set(schema.fields.map((f) => f.name));
  for (const c of metadata.partitionColumns) {
    if (!names.has(c)) throw bad(`partition column ${c} is not a top-level column of the schema`);
  }
  if (new Set(metadata.partitionColumns).size !== metadata.partitionColumns.length) throw bad("partition columns repeat");
  for (const [k, v] of Object.entries(metadata.configuration ?? {})) {
    if (typeof v !== "string") throw bad(`configuration value of ${k} must be a string`);
  }
  return schema;
}

/** The keys add.partitionValues must have: the partition columns' physical names. */
function partitionValueKeys(schema: StructType, metadata: Metadata): string[] {
  const mode = columnMappingMode(metadata.configuration);
  return metadata.partitionColumns.map((c) => {
    const field = schema.fields.find((f) => f.name === c);
    return field ? physicalName(field, mode) : c;
  });
}

function checkPartitionValues(
  path: string,
  values: Record<string, string | null> | undefined,
  expected: string[],
  bad: (m: string) => InvalidInputError,
): void {
  if (typeof values !== "object" || values === null) throw bad(`add ${path}: partitionValues is required`);
  const got = Object.keys(values);
  const missing = expected.filter((k) => !(k in values));
  const extra = got.filter((k) => !expected.includes(k));
  if (missing.length > 0 || extra.length > 0) {
    throw bad(
      `add ${path}: partitionValues must have exactly the keys [${expected.join(", ")}]` +
        (missing.length ? `; missing ${missing.join(", ")}` : "") +
        (extra.length ? `; unexpected ${extra.join(", ")}` : ""),
    );
  }
  for (const [k, v] of Object.entries(values)) {
    if (v !== null && typeof v !== "string") throw bad(`add ${path}: partition value of ${k} must be a string or null`);
  }
}

/** A remove must name the live file's exact key: a DV file removed without its DV stays alive. */
function checkRemoveAgainstSnapshot(remove: RemoveFile, key: string, ctx: ValidationContext, bad: (m: string) => InvalidInputError): void {
  if (!ctx.liveFiles || !ctx.liveByPath || ctx.liveFiles.has(key)) return;
  const samePath = ctx.liveByPath.get(fileKey(remove.path, undefined)) ?? [];
  const withDv = samePath.find((f) => f.deletionVector);
  if (withDv) {
    throw bad(`remove ${remove.path} must carry the file's deletion vector (${describeDv(withDv.deletionVector)}); use removeFor(add)`);
  }
}

function describeDv(dv: DeletionVectorDescriptor | null | undefined): string {
  return dv ? `${dv.storageType}${dv.pathOrInlineDv}${dv.offset === null || dv.offset === undefined ? "" : `@${dv.offset}`}` : "none";
}

/** Options of {@link removeFor}. */
export interface RemoveForOptions {
  /** When the file was removed (ms since the epoch). */
  deletionTimestamp: number;
  /** False for rearrangements such as compaction (default true). */
  dataChange?: boolean;
}

/**
 * The remove action for a live file: same path and deletion vector (so it reconciles with the
 * add), extended file metadata (partition values, size, tags, stats) and row-tracking fields.
 */
export function removeFor(add: AddFile, options: RemoveForOptions): RemoveFile {
  const remove: RemoveFile = {
    path: add.path,
    deletionTimestamp: options.deletionTimestamp,
    dataChange: options.dataChange ?? true,
    extendedFileMetadata: true,
    partitionValues: add.partitionValues,
    size: add.size,
  };
  if (typeof add.stats === "string") remove.stats = add.stats;
  if (add.tags) remove.tags = add.tags;
  if (add.deletionVector) remove.deletionVector = add.deletionVector;
  if (add.baseRowId !== null && add.baseRowId !== undefined) remove.baseRowId = add.baseRowId;
  if (add.defaultRowCommitVersion !== null && add.defaultRowCommitVersion !== undefined) {
    remove.defaultRowCommitVersion = add.defaultRowCommitVersion;
  }
  return remove;
}

/** Serializes a commit: commitInfo first, then the other actions, newline-separated. */
export function serializeCommit(commitInfo: CommitInfo, actions: StagedActions): string {
  const lines: string[] = [line("commitInfo", commitInfo)];
  if (actions.protocol) line2(lines, "protocol", pick(actions.protocol, PROTOCOL_KEYS));
  if (actions.metadata) line2(lines, "metaData", pick(actions.metadata, METADATA_KEYS));
  for (const t of actions.txns) line2(lines, "txn", pick(t, TXN_KEYS));
  for (const d of actions.domains) line2(lines, "domainMetadata", pick(d, DOMAIN_KEYS));
  for (const r of actions.removes) line2(lines, "remove", pick(r, REMOVE_KEYS));
  for (const a of actions.adds) line2(lines, "add", pick(a, ADD_KEYS));
  for (const c of actions.cdc) line2(lines, "cdc", pick(c, CDC_KEYS));
  return lines.join("\n");
}

const PROTOCOL_KEYS = ["minReaderVersion", "minWriterVersion", "readerFeatures", "writerFeatures"];
const METADATA_KEYS = ["id", "name", "description", "format", "schemaString", "partitionColumns", "configuration", "createdTime"];
const TXN_KEYS = ["appId", "version", "lastUpdated"];
const DOMAIN_KEYS = ["domain", "configuration", "removed"];
const ADD_KEYS = [
  "path",
  "partitionValues",
  "size",
  "modificationTime",
  "dataChange",
  "stats",
  "tags",
  "deletionVector",
  "baseRowId",
  "defaultRowCommitVersion",
  "clusteringProvider",
];
const REMOVE_KEYS = [
  "path",
  "deletionTimestamp",
  "dataChange",
  "extendedFileMetadata",
  "partitionValues",
  "size",
  "stats",
  "tags",
  "deletionVector",
  "baseRowId",
  "defaultRowCommitVersion",
];
const CDC_KEYS = ["path", "partitionValues", "size", "dataChange", "tags"];

/** Copies the listed keys in order, dropping undefined and null (internal fields never leak). */
function pick(obj: object, keys: readonly string[]): Record<string, unknown> {
  const src = obj as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = src[k];
    if (v === undefined || v === null) continue;
    out[k] = v;
  }
  return out;
}

function line(kind: string, body: unknown): string {
  return JSON.stringify({ [kind]: body }, bigintReplacer);
}

function line2(lines: string[], kind: string, body: unknown): void {
  lines.push(line(kind, body));
}

function bigintReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new InvalidInputError(`integer ${value} does not fit a JSON number delta-edge can write exactly`);
    }
    return Number(value);
  }
  return value;
}
