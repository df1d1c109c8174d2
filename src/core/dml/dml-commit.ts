/**
 * Committing a DML operation: one transaction with the removes of the changed (and wholly
 * deleted) files, the adds of the new files and of the files re-added with new deletion vectors,
 * the cdc actions, and Spark's commitInfo (operation, parameters, metrics as strings). What the
 * operation read is declared for conflict checks (a predicate over files, or the whole table),
 * under WriteSerializable isolation by default, as Spark's DML; the commit loop then retries past
 * commits that do not conflict and fails with CommitConflictError naming the winner otherwise.
 * Also the file-level metrics every DML result reports.
 */
import type { AddFile } from "../log/actions.js";
import { Transaction, type CommitResult } from "../write/transaction.js";
import type { DmlContext, DmlOptions } from "./dml-context.js";
import type { AppliedRowChanges } from "./row-changes.js";

/** File-level metrics of a DML operation (delta-rs's and Spark's names). */
export interface DmlFileMetrics {
  /** New data files written. */
  numAddedFiles: number;
  /** Data files that left the table (rewritten, or every row deleted). */
  numRemovedFiles: number;
  /** Change data files written. */
  numAddedChangeFiles: number;
  /** Files that got a deletion vector for the first time. */
  numDeletionVectorsAdded: number;
  /** Files whose deletion vector was replaced by a larger one. */
  numDeletionVectorsUpdated: number;
  /** Deletion vectors that left the table with their file. */
  numDeletionVectorsRemoved: number;
  /** Deletion vector files written (0 or 1). */
  numDeletionVectorFiles: number;
  /** Bytes of the data, change data and DV files written. */
  numAddedBytes: number;
  /** Bytes of the data files that left the table. */
  numRemovedBytes: number;
  /** Data files read. */
  numFilesScanned: number;
  /** Live files not read: pruned by partition values or stats. */
  numFilesSkipped: number;
  /** Unchanged rows copied into new files (copy-on-write). */
  numCopiedRows: number;
  executionTimeMs: number;
  scanTimeMs: number;
  rewriteTimeMs: number;
}

/** What a DML operation returns. */
export interface DmlResult<M> {
  /** "unchanged" when no row changed: nothing was committed. */
  status: "committed" | "unchanged";
  /** The version written, or the version read when unchanged. */
  version: number;
  metrics: M;
  commit?: CommitResult | undefined;
}

/** Options of {@link commitRowChanges}. */
export interface CommitRowChangesOptions<M> {
  ctx: DmlContext;
  options: DmlOptions;
  operation: string;
  operationParameters: Record<string, unknown>;
  changes: AppliedRowChanges;
  /** Files removed whole without being read (partition predicates). */
  wholeFiles?: readonly AddFile[] | undefined;
  /** Files the operation's result depends on; undefined = the whole table. */
  readPredicate: ((add: AddFile) => boolean) | undefined;
  /** Live files not read. */
  skippedFiles: number;
  started: number;
  /** Builds the operation's metrics from the file metrics. */
  metrics: (files: DmlFileMetrics) => M;
}

/** File metrics of applied changes. */
export function fileMetrics(changes: AppliedRowChanges, wholeFiles: readonly AddFile[], skipped: number, started: number): DmlFileMetrics {
  const c = changes.counts;
  const reAdded = new Set(changes.dvAdds.map((a) => a.path));
  const leaving = [...changes.removes.filter((r) => !reAdded.has(r.path)), ...wholeFiles];
  const bytes = (files: readonly { size: number }[]) => files.reduce((n, f) => n + Number(f.size), 0);
  return {
    numAddedFiles: changes.adds.length,
    numRemovedFiles: leaving.length,
    numAddedChangeFiles: changes.cdc.length,
    numDeletionVectorsAdded: c.deletionVectorsAdded,
    numDeletionVectorsUpdated: c.deletionVectorsUpdated,
    numDeletionVectorsRemoved: c.deletionVectorsRemoved + wholeFiles.filter((f) => f.deletionVector).length,
    numDeletionVectorFiles: c.deletionVectorFiles,
    numAddedBytes: bytes(changes.adds) + bytes(changes.cdc) + c.deletionVectorBytes,
    numRemovedBytes: bytes(leaving),
    numFilesScanned: c.filesScanned,
    numFilesSkipped: skipped,
    numCopiedRows: c.copiedRows,
    executionTimeMs: Date.now() - started,
    scanTimeMs: c.scanTimeMs,
    rewriteTimeMs: c.rewriteTimeMs,
  };
}

/** Commits the changes (or nothing, when no row changed). */
export async function commitRowChanges<M>(o: CommitRowChangesOptions<M>): Promise<DmlResult<M>> {
  const { ctx, options, changes } = o;
  const wholeFiles = o.wholeFiles ?? [];
  const unchanged = changes.removes.length === 0 && wholeFiles.length === 0 && changes.adds.length === 0;
  const files = fileMetrics(changes, wholeFiles, o.skippedFiles, o.started);
  if (unchanged) return { status: "unchanged", version: ctx.snapshot.version, metrics: o.metrics(files) };
  const metrics = o.metrics(files);
  const txn = new Transaction({
    store: ctx.store,
    snapshot: ctx.snapshot,
    logStore: ctx.logStore,
    operation: o.operation,
    operationParameters: o.operationParameters,
    operationMetrics: metrics as Record<string, unknown>,
    userMetadata: options.userMetadata,
    isolationLevel: options.isolationLevel ?? "WriteSerializable",
    maxAttempts: options.maxAttempts,
    now: options.now,
    // Copies and re-added files rewrite rows; removing whole files (a metadata-only delete) does not.
    rewritesRows: changes.adds.length > 0 || changes.dvAdds.length > 0,
    validated: ctx.validated,
  });
  if (o.readPredicate) txn.readWhere(o.readPredicate);
  else txn.readWholeTable();
  for (const f of [...wholeFiles, ...changes.removes]) txn.removeFile(f);
  txn.addFiles(changes.dvAdds);
  txn.addFiles(changes.adds);
  txn.addCdcFiles(changes.cdc);
  const commit = await txn.commit();
  return { status: "committed", version: commit.version, metrics, commit };
}
