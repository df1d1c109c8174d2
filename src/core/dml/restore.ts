/**
 * RESTORE (`restoreTable`): one commit that makes the live files those of an older version
 * (chosen by number or by timestamp), as Spark's RESTORE does: files live now but not then are
 * removed and files live then but not now are added again, both with dataChange=true and operation
 * RESTORE; the old metadata comes back (same table id) and the protocol is only ever upgraded.
 * Files are compared by their replay key (path and deletion vector). Before committing, every
 * file to add back (data files and DV files) is checked to still exist, one HEAD each, so a
 * restore to a version whose files were vacuumed is refused with nothing committed.
 */
import { DeltaError, InvalidInputError, NotFoundError } from "../errors.js";
import type { AddFile, DeletionVectorDescriptor } from "../log/actions.js";
import { deletionVectorLocation } from "../log/deletion-vector.js";
import { fileKey } from "../log/replay.js";
import { selectLogStore } from "../logstore/select.js";
import { dataFileKey } from "../scan/data-path.js";
import { loadSnapshot } from "../table/snapshot-load.js";
import { parseTimestamp, versionAtTimestamp } from "../table/time-travel.js";
import { mapLimit } from "../util/pool.js";
import { statsFromParsed } from "../write/checkpoint-write.js";
import { unionProtocol } from "../write/protocol-upgrade.js";
import { Transaction } from "../write/transaction.js";
import type { DmlResult } from "./dml-commit.js";
import type { DmlOptions } from "./dml-context.js";

/** Options of {@link restoreTable}. */
export interface RestoreOptions extends Pick<DmlOptions, "store" | "logStore" | "maxAttempts" | "userMetadata" | "now"> {
  /** The version to restore (exclusive with timestamp). */
  version?: number | undefined;
  /** Restore the newest version committed at or before this time (ISO 8601, Date or epoch ms). */
  timestamp?: string | number | Date | undefined;
  /** HEAD requests in flight while checking that the files to restore exist (default 16). */
  concurrency?: number | undefined;
}

/** Metrics of a RESTORE (Spark's names). */
export interface RestoreMetrics {
  tableSizeAfterRestore: number;
  numOfFilesAfterRestore: number;
  numRemovedFiles: number;
  numRestoredFiles: number;
  removedFilesSize: number;
  restoredFilesSize: number;
  executionTimeMs: number;
}

/**
 * Restores the table to an older version.
 * @throws InvalidInputError for a bad or future version; NotFoundError when the version is no
 *   longer in the log or its files were removed (vacuumed); CommitConflictError on a conflict.
 */
export async function restoreTable(options: RestoreOptions): Promise<DmlResult<RestoreMetrics>> {
  const started = Date.now();
  const { store } = options;
  const path = store.root;
  if (!store.writable) throw new InvalidInputError("the store is read-only", { path });
  if ((options.version === undefined) === (options.timestamp === undefined)) {
    throw new InvalidInputError("restore needs exactly one of version and timestamp", { path });
  }
  const logStore = options.logStore ?? selectLogStore({ store });
  await logStore.repair?.();
  logStore.checkCanCommit?.();
  const current = await loadSnapshot({ store });
  const target = options.version ?? (await versionAtTimestamp(store, parseTimestamp(options.timestamp as string | number | Date)));
  if (!Number.isInteger(target) || target < 0) throw new InvalidInputError(`version must be a non-negative integer, got ${String(target)}`, { path });
  if (target > current.version) {
    throw new InvalidInputError(`cannot restore to version ${target}: the latest version is ${current.version}`, { path, version: current.version });
  }
  const old = await loadVersion(store, target);
  const now = new Map(current.files().map((f) => [fileKey(f.path, f.deletionVector), f]));
  const then = new Map(old.files().map((f) => [fileKey(f.path, f.deletionVector), f]));
  const toRemove = [...now].filter(([k]) => !then.has(k)).map(([, f]) => f);
  const toAdd = [...then].filter(([k]) => !now.has(k)).map(([, f]) => f);
  await requireFiles(store, toAdd, target, options.concurrency ?? 16);
  const size = (files: readonly AddFile[]) => files.reduce((n, f) => n + Number(f.size), 0);
  const metrics: RestoreMetrics = {
    tableSizeAfterRestore: size([...then.values()]),
    numOfFilesAfterRestore: then.size,
    numRemovedFiles: toRemove.length,
    numRestoredFiles: toAdd.length,
    removedFilesSize: size(toRemove),
    restoredFilesSize: size(toAdd),
    executionTimeMs: 0,
  };
  const metadataChanged = JSON.stringify(old.metadata) !== JSON.stringify(current.metadata);
  const protocol = unionProtocol(current.protocol, old.protocol);
  if (toAdd.length === 0 && toRemove.length === 0 && !metadataChanged && protocol === current.protocol) {
    return { status: "unchanged", version: current.version, metrics: { ...metrics, executionTimeMs: Date.now() - started } };
  }
  metrics.executionTimeMs = Date.now() - started;
  const txn = new Transaction({
    store,
    snapshot: current,
    logStore,
    operation: "RESTORE",
    operationParameters: { version: target, timestamp: options.timestamp === undefined ? undefined : String(options.timestamp) },
    operationMetrics: metrics as unknown as Record<string, unknown>,
    userMetadata: options.userMetadata,
    maxAttempts: options.maxAttempts,
    now: options.now,
    rewritesRows: false,
  });
  txn.readWholeTable();
  if (metadataChanged) txn.setMetadata({ ...old.metadata, id: current.metadata.id });
  if (protocol !== current.protocol) txn.setProtocol(protocol);
  for (const f of toRemove) txn.removeFile(f);
  txn.addFiles(toAdd.map(restoredAdd));
  const commit = await txn.commit();
  return { status: "committed", version: commit.version, metrics, commit };
}

async function loadVersion(store: DmlOptions["store"], version: number) {
  try {
    return await loadSnapshot({ store, version });
  } catch (err) {
    if (err instanceof DeltaError && (err instanceof NotFoundError || err.code === "PROTOCOL_ERROR")) {
      throw new NotFoundError(`cannot restore to version ${version}: it can no longer be read from the log (${err.message})`, { path: store.root, version, cause: err });
    }
    throw err;
  }
}

/** The add of a file to restore: as it was, with dataChange=true and JSON stats. */
function restoredAdd(f: AddFile): AddFile {
  const { statsParsed: _s, partitionValuesParsed: _p, ...rest } = f;
  const stats = typeof f.stats === "string" ? f.stats : statsFromParsed(f.statsParsed);
  return { ...rest, dataChange: true, ...(stats ? { stats } : {}) };
}

/** Checks that the data files and DV files of `files` exist (HEAD each, DV files once). */
async function requireFiles(store: DmlOptions["store"], files: readonly AddFile[], version: number, concurrency: number): Promise<void> {
  const context = { path: store.root, version };
  const keys = new Set<string>();
  for (const f of files) {
    keys.add(dataFileKey(f.path, store.root, context));
    const dv = f.deletionVector;
    if (dv) {
      const loc = deletionVectorLocation(dv as DeletionVectorDescriptor);
      if (loc) keys.add(loc.kind === "relative" ? loc.key : dataFileKey(loc.uri, store.root, context));
    }
  }
  const missing: string[] = [];
  await mapLimit([...keys], concurrency, async (key) => {
    try {
      await store.head(key);
    } catch (err) {
      if (err instanceof NotFoundError) missing.push(key);
      else throw err;
    }
  });
  if (missing.length > 0) {
    missing.sort();
    throw new NotFoundError(
      `cannot restore to version ${version}: ${missing.length} of its files no longer exist (removed by VACUUM?), e.g. ${missing.slice(0, 3).join(", ")}; nothing was committed`,
      context,
    );
  }
}
