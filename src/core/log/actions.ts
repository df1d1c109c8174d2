/**
 * Typed Delta log actions (PROTOCOL.md "Actions") and the parser that turns one commit line (or one
 * checkpoint row) into them. Unknown actions and unknown fields are ignored, as the protocol asks;
 * known actions with missing required fields are ProtocolErrors.
 */

/** `protocol`: the minimum reader/writer versions and, for v3/v7, the named table features. */
export interface Protocol {
  minReaderVersion: number;
  minWriterVersion: number;
  readerFeatures?: string[];
  writerFeatures?: string[];
}

/** `metaData`: the table's id, schema, partition columns and configuration. */
export interface Metadata {
  id: string;
  name?: string | null;
  description?: string | null;
  format: { provider: string; options?: Record<string, string> };
  schemaString: string;
  partitionColumns: string[];
  configuration: Record<string, string>;
  createdTime?: number | null;
}

/** A deletion-vector descriptor as it appears in add/remove actions. */
export interface DeletionVectorDescriptor {
  storageType: "u" | "i" | "p" | string;
  pathOrInlineDv: string;
  offset?: number | null;
  sizeInBytes: number;
  cardinality: number;
}

/** `add`: a data file that becomes part of the table. */
export interface AddFile {
  /** URI-encoded path, relative to the table root or absolute. */
  path: string;
  partitionValues: Record<string, string | null>;
  size: number;
  modificationTime: number;
  dataChange: boolean;
  /** JSON statistics string (may be absent; checkpoints may carry `statsParsed` instead). */
  stats?: string | null;
  /** Parsed statistics from a checkpoint's `stats_parsed` struct. */
  statsParsed?: Record<string, unknown> | null;
  /** Typed partition values from a checkpoint's `partitionValues_parsed` struct. */
  partitionValuesParsed?: Record<string, unknown> | null;
  tags?: Record<string, string> | null;
  deletionVector?: DeletionVectorDescriptor | null;
  baseRowId?: number | null;
  defaultRowCommitVersion?: number | null;
  clusteringProvider?: string | null;
}

/** `remove`: a data file that leaves the table (a tombstone). */
export interface RemoveFile {
  path: string;
  deletionTimestamp?: number | null;
  dataChange: boolean;
  extendedFileMetadata?: boolean | null;
  partitionValues?: Record<string, string | null> | null;
  size?: number | null;
  stats?: string | null;
  tags?: Record<string, string> | null;
  deletionVector?: DeletionVectorDescriptor | null;
  baseRowId?: number | null;
  defaultRowCommitVersion?: number | null;
}

/** `txn`: an application's last committed transaction version (idempotent writes). */
export interface SetTransaction {
  appId: string;
  version: number;
  lastUpdated?: number | null;
}

/** `domainMetadata`: named configuration owned by a system or user domain. */
export interface DomainMetadata {
  domain: string;
  configuration: string;
  removed: boolean;
}

/** `commitInfo`: free-form provenance; the fields below are the common ones. */
export interface CommitInfo {
  timestamp?: number;
  inCommitTimestamp?: number;
  operation?: string;
  operationParameters?: Record<string, unknown>;
  [key: string]: unknown;
}

/** `cdc`: a change-data file (read only by CDF readers). */
export interface CdcFile {
  path: string;
  partitionValues: Record<string, string | null>;
  size: number;
  dataChange: boolean;
}

/** `checkpointMetadata` (V2 checkpoints). */
export interface CheckpointMetadata {
  version: number;
  tags?: Record<string, string> | null;
}

/** `sidecar` (V2 checkpoints): a file in `_delta_log/_sidecars/` holding add/remove actions. */
export interface Sidecar {
  path: string;
  sizeInBytes: number;
  modificationTime: number;
  tags?: Record<string, string> | null;
}

/** One action; exactly one field is set. */
export interface Action {
  protocol?: Protocol;
  metaData?: Metadata;
  add?: AddFile;
  remove?: RemoveFile;
  txn?: SetTransaction;
  domainMetadata?: DomainMetadata;
  commitInfo?: CommitInfo;
  cdc?: CdcFile;
  checkpointMetadata?: CheckpointMetadata;
  sidecar?: Sidecar;
}
