/**
 * Folder write/: Arrow/rows/text input -> validated canonical data -> Parquet data files (through
 * parquet/writer.ts) -> commits (transaction, conflict checks, protocol upgrades), plus
 * checkpoints, optimize, vacuum and log cleanup. Must not import the parquet libraries or a
 * storage backend.
 *
 * The write API (modes as in delta-rs): `error` (default: refuse if the table exists), `append`,
 * `overwrite` (optionally only the rows matching `replaceWhere`) and `ignore`. Creates the table
 * when it does not exist, with the lowest protocol it needs; evolves the schema with
 * `schemaMode: "merge"` (adds columns) or `"overwrite"` (replaces it, with mode overwrite). Data
 * files are written first, then one commit makes them visible; if anything fails before the
 * commit, the log is unchanged (unreferenced files are left for vacuum).
 */
import type { RecordBatch } from "apache-arrow";
import { InvalidInputError, NotFoundError } from "../errors.js";
import type { AddFile, CdcFile, Metadata } from "../log/actions.js";
import type { LogStore } from "../logstore/log-store.js";
import { selectLogStore } from "../logstore/select.js";
import type { ObjectStore } from "../storage/object-store.js";
import { storeOfLocation, type TableLocation } from "../storage/table-location.js";
import { arrowSchemaToDelta } from "../schema/arrow-schema.js";
import { columnMappingMode } from "../schema/column-mapping.js";
import { parseSchema, serializeSchema } from "../schema/schema-json.js";
import type { StructType } from "../schema/types.js";
import { bindPredicate, planScan } from "../scan/plan.js";
import { scanBatches } from "../scan/execute.js";
import { loadSnapshot } from "../table/snapshot-load.js";
import type { Snapshot } from "../table/snapshot.js";
import { numRecords } from "../table/summary.js";
import { writeDataFiles, type WriteDataFilesOptions } from "./data-files.js";
import type { ParquetCompression } from "../parquet/writer.js";
import { mergeSchemas } from "./schema-merge.js";
import { planReplaceWhere, requireRowsMatch, rowsNotMatching } from "./replace-where.js";
import { chooseProtocol, newTableMetadata } from "./table-create.js";
import { unionProtocol } from "./protocol-upgrade.js";
import { Transaction, type CommitResult } from "./transaction.js";
import { ReplaceWhereChanges } from "../dml/replace-where-changes.js";
import { normalizeData, type WriteData } from "./write-input.js";

/** How a write treats an existing table. */
export type WriteMode = "error" | "append" | "overwrite" | "ignore";

/**
 * Options of {@link writeTable}. The table is given by `store`, or by `url` (with
 * `storageOptions`, delta-rs names) which {@link storeFromUrl} turns into a store.
 */
export interface WriteTableOptions extends TableLocation {
  /** Arrow Table, RecordBatch (async) iterable, or row objects (see {@link WriteData}). */
  data: WriteData;
  /** Default "error", as in delta-rs. */
  mode?: WriteMode | undefined;
  /** Partition columns for a new table (must match an existing table's, unless its schema is overwritten). */
  partitionBy?: readonly string[] | undefined;
  /** With mode overwrite: replace only the rows matching this predicate. */
  replaceWhere?: string | undefined;
  /** "merge" adds new columns; "overwrite" replaces the schema (mode overwrite only). */
  schemaMode?: "merge" | "overwrite" | undefined;
  /** Schema for row-object data when the table does not exist yet (else inferred). */
  schema?: StructType | undefined;
  /** Table name, description and properties, for a new table (properties also on schema overwrite). */
  /** Table name (metaData.name) of a new table. */
  name?: string | undefined;
  /** Table description (metaData.description) of a new table. */
  description?: string | undefined;
  configuration?: Readonly<Record<string, string>> | undefined;
  /** Parquet compression of the data files (default snappy). */
  compression?: ParquetCompression | undefined;
  /** Bytes after which a data file is closed and the next one started. */
  targetFileSize?: number | undefined;
  /** Rows per Parquet row group. */
  maxRowGroupSize?: number | undefined;
  /**
   * The table's latest snapshot when the caller has just loaded it (saves replaying the log
   * again), or `null` when the caller has just found that the table does not exist. The commit
   * still detects versions written after it. Omitted: loaded here (absent table: created).
   */
  snapshot?: Snapshot | null | undefined;
  /** Idempotent write: skipped if the table already committed this (appId, version) or later. */
  appTransaction?: { appId: string; version: number } | undefined;
  /** Free-form commitInfo.userMetadata. */
  userMetadata?: string | undefined;
  /** How commits become visible (default: `selectLogStore({ store })`). */
  logStore?: LogStore | undefined;
  /** Commit attempts before a lost race becomes a CommitConflictError. */
  maxAttempts?: number | undefined;
  /** Session zone for zone-less timestamp partition values in replaceWhere. */
  timeZone?: string | undefined;
  /** Clock (epoch ms) for modification times and the commit timestamp; for tests. */
  now?: (() => number) | undefined;
}

/** What a write did. */
export interface WriteTableResult {
  /** "ignored": mode ignore on an existing table; "skipped": the idempotent txn was already there. */
  status: "committed" | "skipped" | "ignored";
  version: number;
  /** Data files added. */
  files: AddFile[];
  /** Files removed (overwrite, replaceWhere). */
  removedFiles: number;
  /** Rows written (new data plus rows rewritten by replaceWhere). */
  rows: number;
  /** Bytes of the files added. */
  bytes: number;
  commit?: CommitResult | undefined;
}

/** Writes data to a Delta table (creating it when needed). */
export async function writeTable(options: WriteTableOptions): Promise<WriteTableResult> {
  const store = storeOfLocation(options, "writeTable");
  const mode = options.mode ?? "error";
  if (!["error", "append", "overwrite", "ignore"].includes(mode)) throw new InvalidInputError(`unknown write mode '${mode}' (error, append, overwrite, ignore)`);
  if (options.replaceWhere !== undefined && mode !== "overwrite") throw new InvalidInputError("replaceWhere needs mode overwrite", { path: store.root });
  if (options.schemaMode === "overwrite" && (mode !== "overwrite" || options.replaceWhere !== undefined)) {
    throw new InvalidInputError('schemaMode "overwrite" needs mode overwrite without replaceWhere', { path: store.root });
  }
  const logStore = options.logStore ?? selectLogStore({ store });
  await logStore.repair?.(); // a commit left half done by a lock-table writer becomes visible first
  const snapshot = options.snapshot === null ? undefined : (options.snapshot ?? (await loadExisting(store)));
  if (snapshot && mode === "error") {
    throw new InvalidInputError('the table already exists; use mode "append", "overwrite" or "ignore"', { path: store.root, version: snapshot.version });
  }
  if (snapshot && mode === "ignore") return { status: "ignored", version: snapshot.version, files: [], removedFiles: 0, rows: 0, bytes: 0 };

  logStore.checkCanCommit?.(); // refuse before writing data files when commits cannot be safe
  const tableSchema = snapshot ? parseSchema(snapshot.metadata.schemaString) : undefined;
  const input = await normalizeData(options.data, options.schemaMode === "overwrite" ? undefined : (tableSchema ?? options.schema));
  const dataSchema = input.arrowSchema ? arrowSchemaToDelta(input.arrowSchema) : options.schema;
  const target = targetMetadata(options, store.root, snapshot, tableSchema, dataSchema);
  const schema = parseSchema(target.metadata.schemaString);
  const predicate = options.replaceWhere === undefined ? undefined : bindPredicate(options.replaceWhere, schema, { path: store.root, version: snapshot?.version ?? 0 });

  const fileOptions: Omit<WriteDataFilesOptions, "data"> = {
    store,
    schema,
    partitionColumns: target.metadata.partitionColumns,
    properties: target.metadata.configuration,
    ...(options.compression ? { compression: options.compression } : {}),
    ...(options.targetFileSize ? { targetFileSize: options.targetFileSize } : {}),
    ...(options.maxRowGroupSize ? { maxRowGroupSize: options.maxRowGroupSize } : {}),
    ...(options.now ? { now: options.now } : {}),
  };
  // What an overwrite removes and rewrites, decided before any file is written.
  let removes: AddFile[] = [];
  let readPredicate: ((add: AddFile) => boolean) | "all" | undefined;
  const plan =
    snapshot && mode === "overwrite" && predicate
      ? planReplaceWhere({ snapshot, predicate, schema: tableSchema as StructType, columnMapping: columnMappingMode(snapshot.properties), timeZone: options.timeZone })
      : undefined;
  if (snapshot && mode === "overwrite") {
    readPredicate = plan ? plan.mayMatch : "all";
    removes = plan ? [...plan.remove, ...plan.rewrite] : [...snapshot.files()];
  }
  // On change-data-feed tables, rewriting straddled files needs change data for every change.
  const changes = snapshot && plan ? ReplaceWhereChanges.start(snapshot, plan.rewrite.length > 0, fileOptions) : undefined;
  const check = predicate ? requireRowsMatch(schema, predicate, options.replaceWhere as string) : undefined;
  let adds: AddFile[];
  const rewritten: AddFile[] = [];
  let cdc: CdcFile[] = [];
  try {
    adds = await writeDataFiles({
      ...fileOptions,
      data: input.batches,
      ...(check || changes
        ? {
            onBatch: async (batch: RecordBatch) => {
              check?.(batch);
              await changes?.inserted(batch);
            },
          }
        : {}),
    });
    if (plan && predicate && plan.rewrite.length > 0) rewritten.push(...(await rewriteKeeping(snapshot as Snapshot, plan.rewrite, predicate, fileOptions, changes)));
    if (plan && changes) {
      await changes.removedWhole(plan.remove);
      cdc = await changes.finish();
    }
  } catch (err) {
    await changes?.abort(err);
    throw err;
  }
  const allAdds = [...adds, ...rewritten];
  const metrics = writeMetrics(allAdds, mode === "overwrite" ? removes : undefined, plan ? { rewritten, cdc } : undefined);
  const txn = new Transaction({
    store,
    snapshot,
    operation: "WRITE",
    operationMetrics: metrics,
    operationParameters: {
      mode: { error: "ErrorIfExists", append: "Append", overwrite: "Overwrite", ignore: "Ignore" }[mode],
      partitionBy: JSON.stringify(target.metadata.partitionColumns),
      ...(options.replaceWhere !== undefined ? { predicate: JSON.stringify([options.replaceWhere]) } : {}),
    },
    userMetadata: options.userMetadata,
    logStore,
    maxAttempts: options.maxAttempts,
    now: options.now,
    // Rows copied out of straddling files are rewritten rows (on CDF tables, with cdc files).
    rewritesRows: rewritten.length > 0,
  });
  if (target.protocol) txn.setProtocol(target.protocol);
  if (target.changed) txn.setMetadata(target.metadata);
  if (readPredicate === "all") txn.readWholeTable();
  else if (readPredicate) txn.readWhere(readPredicate);
  for (const f of removes) txn.removeFile(f);
  const removed = removes.length;
  txn.addFiles(allAdds);
  txn.addCdcFiles(cdc);
  if (options.appTransaction) txn.setAppTransaction(options.appTransaction);
  const commit = await txn.commit();
  return {
    status: commit.status,
    version: commit.version,
    files: allAdds,
    removedFiles: commit.status === "committed" ? removed : 0,
    rows: metrics.numOutputRows as number,
    bytes: metrics.numOutputBytes as number,
    commit,
  };
}

async function loadExisting(store: ObjectStore): Promise<Snapshot | undefined> {
  try {
    return await loadSnapshot({ store });
  } catch (err) {
    if (err instanceof NotFoundError && !(err.version !== undefined)) return undefined;
    throw err;
  }
}

/** The metadata (and protocol, when it must change) the commit will leave the table with. */
function targetMetadata(
  options: WriteTableOptions,
  path: string,
  snapshot: Snapshot | undefined,
  tableSchema: StructType | undefined,
  dataSchema: StructType | undefined,
): { metadata: Metadata; protocol: ReturnType<typeof chooseProtocol> | undefined; changed: boolean } {
  if (!snapshot || !tableSchema) {
    if (!dataSchema) throw new InvalidInputError("cannot create a table from empty data without a schema", { path });
    checkPartitionColumns(dataSchema, options.partitionBy ?? [], path);
    const metadata = newTableMetadata({
      schema: dataSchema,
      partitionColumns: options.partitionBy,
      configuration: options.configuration,
      name: options.name,
      description: options.description,
      createdTime: options.now?.(),
    });
    return { metadata, protocol: chooseProtocol({ metadata }), changed: true };
  }
  const current = snapshot.metadata;
  const partitionBy = options.partitionBy;
  const samePartitions = partitionBy === undefined || JSON.stringify([...partitionBy]) === JSON.stringify(current.partitionColumns);
  if (!samePartitions && options.schemaMode !== "overwrite") {
    throw new InvalidInputError(
      `partitionBy [${partitionBy?.join(", ")}] differs from the table's [${current.partitionColumns.join(", ")}]; overwrite with schemaMode "overwrite" to change it`,
      { path, version: snapshot.version },
    );
  }
  const mapped = columnMappingMode(current.configuration) !== "none";
  const maxColumnId = Number(current.configuration?.["delta.columnMapping.maxColumnId"] ?? 0);
  let schema = tableSchema;
  let configuration = { ...(current.configuration ?? {}) };
  let changed = false;
  if (options.schemaMode === "overwrite" && dataSchema) {
    const fresh = mergeSchemas({ table: { kind: "struct", fields: [] }, incoming: dataSchema, columnMapping: mapped, maxColumnId });
    schema = fresh.schema;
    if (fresh.maxColumnId !== undefined) configuration["delta.columnMapping.maxColumnId"] = String(fresh.maxColumnId);
    configuration = { ...configuration, ...(options.configuration ?? {}) };
    changed = true;
  } else if (options.schemaMode === "merge" && dataSchema) {
    const merged = mergeSchemas({ table: tableSchema, incoming: dataSchema, columnMapping: mapped, maxColumnId });
    if (merged.changed) {
      schema = merged.schema;
      if (merged.maxColumnId !== undefined) configuration["delta.columnMapping.maxColumnId"] = String(merged.maxColumnId);
      changed = true;
    }
  }
  if (!changed) return { metadata: current, protocol: undefined, changed: false };
  const partitionColumns = [...(partitionBy ?? current.partitionColumns)];
  checkPartitionColumns(schema, partitionColumns, path);
  const metadata: Metadata = { ...current, schemaString: serializeSchema(schema), partitionColumns, configuration };
  const protocol = unionProtocol(snapshot.protocol, chooseProtocol({ metadata }));
  return { metadata, protocol: protocol === snapshot.protocol ? undefined : protocol, changed: true };
}

function checkPartitionColumns(schema: StructType, partitionBy: readonly string[], path: string): void {
  for (const c of partitionBy) {
    const f = schema.fields.find((x) => x.name === c);
    if (!f) throw new InvalidInputError(`partition column ${c} is not in the schema (${schema.fields.map((x) => x.name).join(", ")})`, { path });
    if (f.type.kind !== "primitive") throw new InvalidInputError(`partition column ${c} must have a primitive type`, { path });
  }
  if (partitionBy.length > 0 && partitionBy.length >= schema.fields.length) {
    throw new InvalidInputError("a table cannot be partitioned by all of its columns", { path });
  }
}

/** Rewrites files a replaceWhere straddles: their rows that do not match, into new files (the others to the change feed). */
async function rewriteKeeping(
  snapshot: Snapshot,
  files: AddFile[],
  predicate: ReturnType<typeof bindPredicate>,
  fileOptions: Omit<WriteDataFilesOptions, "data">,
  changes: ReplaceWhereChanges | undefined,
): Promise<AddFile[]> {
  const base = planScan(snapshot, {});
  const wanted = new Set(files);
  const plan = { ...base, files: base.files.filter((f) => wanted.has(f.add)) };
  const schema = base.schema;
  async function* kept(): AsyncGenerator<RecordBatch> {
    for await (const batch of scanBatches(plan, { store: fileOptions.store })) {
      yield* changes ? await changes.kept(batch, schema, predicate) : rowsNotMatching(batch, schema, predicate);
    }
  }
  return writeDataFiles({ ...fileOptions, data: kept() });
}

/**
 * Spark's WRITE metrics: files, rows and bytes written; an overwrite adds the files and bytes it
 * removed, a replaceWhere the change files, the rows copied out of straddled files and (when the
 * removed files have row counts) the rows it replaced.
 */
function writeMetrics(
  adds: readonly AddFile[],
  removes: readonly AddFile[] | undefined,
  replaced: { rewritten: readonly AddFile[]; cdc: readonly CdcFile[] } | undefined,
): Record<string, number> {
  const bytes = (files: readonly { size: number }[]) => files.reduce((n, f) => n + Number(f.size), 0);
  const rows = (files: readonly AddFile[]) => files.reduce((n, f) => n + (numRecords(f) ?? 0), 0);
  const out: Record<string, number> = { numFiles: adds.length, numOutputRows: rows(adds), numOutputBytes: bytes(adds) };
  if (!removes) return out;
  out.numRemovedFiles = removes.length;
  out.numRemovedBytes = bytes(removes);
  if (!replaced) return out;
  out.numAddedChangeFiles = replaced.cdc.length;
  out.numCopiedRows = rows(replaced.rewritten);
  const counted = removes.every((f) => numRecords(f) !== null);
  if (counted) out.numDeletedRows = removes.reduce((n, f) => n + (numRecords(f) ?? 0) - Number(f.deletionVector?.cardinality ?? 0), 0) - out.numCopiedRows;
  return out;
}

