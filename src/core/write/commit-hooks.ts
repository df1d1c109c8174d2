/**
 * Post-commit hooks: after commit N, write a classic checkpoint when `delta.checkpointInterval`
 * divides N (Spark's rule), and after a checkpoint clean up expired log files unless
 * `delta.enableExpiredLogCleanup=false`. The commit is already visible when these run, so their
 * failures are reported (onWarning, and in the result) and never thrown.
 */
import type { Metadata } from "../log/actions.js";
import type { ObjectStore } from "../storage/object-store.js";
import { loadSnapshot } from "../table/snapshot-load.js";
import type { Snapshot } from "../table/snapshot.js";
import { createCheckpoint, shouldCheckpoint, type CheckpointInfo } from "./checkpoint-write.js";
import { cleanupLog, type CleanupLogResult } from "./log-cleanup.js";

/** Options of {@link runPostCommitHooks}. */
export interface PostCommitOptions {
  store: ObjectStore;
  /** The version just committed. */
  version: number;
  /** The table metadata at that version. */
  metadata: Metadata;
  /** Write a checkpoint when the interval says so (default true). */
  checkpoint?: boolean | undefined;
  /** Clean up expired log files after a checkpoint (default true, subject to the table property). */
  cleanup?: boolean | undefined;
  now?: (() => number) | undefined;
  onWarning?: ((message: string, error?: unknown) => void) | undefined;
}

/** What the hooks did. */
export interface PostCommitReport {
  checkpoint?: CheckpointInfo | undefined;
  checkpointError?: unknown;
  cleanup?: CleanupLogResult | undefined;
  cleanupError?: unknown;
}

/** Runs the post-commit hooks; never throws. */
export async function runPostCommitHooks(options: PostCommitOptions): Promise<PostCommitReport> {
  const { store, version, metadata } = options;
  const warn = options.onWarning ?? ((message: string, error?: unknown) => console.warn(`delta-edge: ${message}`, error));
  const report: PostCommitReport = {};
  if (options.checkpoint === false || !shouldCheckpoint(version, metadata.configuration)) return report;
  let snapshot: Snapshot;
  try {
    snapshot = await loadSnapshot({ store, version });
    report.checkpoint = await createCheckpoint({ store, snapshot, now: options.now });
  } catch (error) {
    report.checkpointError = error;
    warn(`checkpoint of version ${version} failed (the commit succeeded) at ${store.root}`, error);
    return report;
  }
  if (options.cleanup === false || metadata.configuration?.["delta.enableExpiredLogCleanup"] === "false") return report;
  try {
    report.cleanup = await cleanupLog({ store, snapshot, now: options.now });
  } catch (error) {
    report.cleanupError = error;
    warn(`log cleanup after version ${version} failed (the commit succeeded) at ${store.root}`, error);
  }
  return report;
}
