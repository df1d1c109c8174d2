/**
 * What every DML operation does before it reads a row: the options they share, opening the
 * table (after letting the log store finish a half-done commit), refusing up front what the
 * commit would refuse later (read-only stores, append-only tables, writer features delta-edge
 * cannot honour), and working out how rows leave their files (deletion vectors when the table
 * enables them, else copy-on-write) and whether change data files are due.
 */
import { InvalidInputError, NotFoundError } from "../errors.js";
import type { LogStore } from "../logstore/log-store.js";
import { selectLogStore } from "../logstore/select.js";
import type { ParquetReader } from "../parquet/reader.js";
import { snapshotSchema } from "../scan/plan.js";
import { columnMappingMode, type ColumnMappingMode } from "../schema/column-mapping.js";
import type { StructType } from "../schema/types.js";
import type { ObjectStore } from "../storage/object-store.js";
import { loadSnapshot } from "../table/snapshot-load.js";
import { isNoTableError } from "../table/open.js";
import type { Snapshot } from "../table/snapshot.js";
import type { IsolationLevel } from "../write/conflict.js";
import type { WriteDataFilesOptions } from "../write/data-files.js";
import type { ParquetCompression } from "../parquet/writer.js";
import { ROW_CONSTRAINT_FEATURES, checkWritable, writerFeaturesOf } from "../write/protocol-writer.js";

/** Options every DML operation takes. */
export interface DmlOptions {
  /** The table's store. */
  store: ObjectStore;
  /** The snapshot to change (default: the latest, loaded now). */
  snapshot?: Snapshot | undefined;
  /** How commits become visible (default: `selectLogStore({ store })`). */
  logStore?: LogStore | undefined;
  /** Default "WriteSerializable" (Spark's default): concurrent blind appends never conflict. */
  isolationLevel?: IsolationLevel | undefined;
  /** Commit PUTs to try before giving up with CommitConflictError (default 15). */
  maxAttempts?: number | undefined;
  /** Free-form commitInfo.userMetadata. */
  userMetadata?: string | undefined;
  /** Session zone for zone-less timestamp partition values in predicates (default UTC). */
  timeZone?: string | undefined;
  /** Codec of the files written (default snappy). */
  compression?: ParquetCompression | undefined;
  /** Arrow bytes per new file (default 32 MiB). */
  targetFileSize?: number | undefined;
  maxRowGroupSize?: number | undefined;
  /** Parquet decoder for the files read. */
  reader?: ParquetReader | undefined;
  /** Files read ahead (default 4). */
  concurrency?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Clock in ms since the epoch (default Date.now). */
  now?: (() => number) | undefined;
}

/** Scan options a DML operation passes on. */
export function scanOptions(options: DmlOptions): { reader?: ParquetReader; concurrency?: number; signal?: AbortSignal } {
  return {
    ...(options.reader ? { reader: options.reader } : {}),
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
}

/** The opened table and what the operation may do to it. */
export interface DmlContext {
  store: ObjectStore;
  logStore: LogStore;
  snapshot: Snapshot;
  schema: StructType;
  columnMapping: ColumnMappingMode;
  /** Rows leave their files through deletion vectors (else the files are rewritten). */
  deletionVectors: boolean;
  /** Change data files are written (delta.enableChangeDataFeed=true). */
  changeDataFeed: boolean;
  /** Options for the new data (and change data) files. */
  fileOptions: Omit<WriteDataFilesOptions, "data" | "store">;
  /** Row-constraint features the new files satisfy (DELETE copies only rows the table had). */
  validated: string[];
}

/** What the operation will do, for the up-front checks. */
export interface DmlIntent {
  /** The operation's name, for messages (DELETE, UPDATE, MERGE). */
  operation: string;
  /** It may remove or rewrite existing rows (false for an insert-only MERGE). */
  removesRows: boolean;
  /** It writes rows with new values (UPDATE, MERGE), not only copies of existing rows. */
  writesNewValues: boolean;
}

/** Opens the table for a DML operation and runs the checks that need no data. */
export async function openForDml(options: DmlOptions, intent: DmlIntent): Promise<DmlContext> {
  const { store } = options;
  const path = store.root;
  if (!store.writable) throw new InvalidInputError("the store is read-only", { path });
  const logStore = options.logStore ?? selectLogStore({ store });
  if (!options.snapshot) await logStore.repair?.();
  logStore.checkCanCommit?.();
  const snapshot = options.snapshot ?? (await loadTable(store));
  const version = snapshot.version;
  const props = snapshot.properties;
  if (intent.removesRows && props["delta.appendOnly"] === "true") {
    throw new InvalidInputError(`${intent.operation} is not allowed: the table is append-only (delta.appendOnly=true)`, { path, version });
  }
  const features = writerFeaturesOf(snapshot.protocol);
  const changeDataFeed = features.has("changeDataFeed") && props["delta.enableChangeDataFeed"] === "true";
  // Copies of existing rows satisfy the table's row constraints already; new values are not checked.
  const validated = intent.writesNewValues ? [] : [...ROW_CONSTRAINT_FEATURES];
  checkWritable({
    protocol: snapshot.protocol,
    metadata: snapshot.metadata,
    commit: { addsRows: true, rewritesRows: true, hasCdc: changeDataFeed, changesColumnTypes: false },
    validated,
    path,
    version,
  });
  const schema = snapshotSchema(snapshot);
  const fileOptions: DmlContext["fileOptions"] = {
    schema,
    partitionColumns: snapshot.partitionColumns,
    properties: props,
    ...(options.compression ? { compression: options.compression } : {}),
    ...(options.targetFileSize ? { targetFileSize: options.targetFileSize } : {}),
    ...(options.maxRowGroupSize ? { maxRowGroupSize: options.maxRowGroupSize } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  return {
    store,
    logStore,
    snapshot,
    schema,
    columnMapping: columnMappingMode(props),
    deletionVectors: features.has("deletionVectors") && props["delta.enableDeletionVectors"] === "true",
    changeDataFeed,
    fileOptions,
    validated,
  };
}

async function loadTable(store: ObjectStore): Promise<Snapshot> {
  try {
    return await loadSnapshot({ store });
  } catch (err) {
    if (isNoTableError(err)) {
      throw new NotFoundError("no Delta table here to change", { path: store.root, cause: err });
    }
    throw err;
  }
}
