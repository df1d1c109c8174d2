/**
 * Metadata cleanup (PROTOCOL.md "Metadata Cleanup"), step by step: the cut-off time is midnight
 * UTC of (now - `delta.logRetentionDuration`, default 30 days); the cut-off commit is the newest
 * commit not newer than it (file times, made strictly increasing by version as Spark does); the
 * cut-off checkpoint is the newest complete checkpoint at or below that commit. Everything before
 * the cut-off checkpoint goes (commits, checkpoints, .crc files, oldest first), plus compaction
 * files starting at or before it and staged commits at or before it; the checkpoint and the commit
 * file at its version stay, so every version from it on remains reconstructable. Sidecars no
 * remaining checkpoint references and older than a day are deleted. Without a cut-off checkpoint
 * nothing is deleted. With `checkpointProtection`, nothing below
 * `delta.requireCheckpointProtectionBeforeVersion` is deleted unless all of it goes at once.
 */
import { InvalidInputError } from "../errors.js";
import { readActionFile } from "../log/checkpoint-read.js";
import { listLogFiles, type LogFile } from "../log/listing.js";
import { LOG_DIR, SIDECAR_DIR } from "../log/path.js";
import { buildLogSegment, type CheckpointRef } from "../log/segment.js";
import type { ObjectStore } from "../storage/object-store.js";
import { DAYS, intervalProperty } from "../table/properties.js";
import { loadSnapshot } from "../table/snapshot-load.js";
import type { Snapshot } from "../table/snapshot.js";
import { writerFeaturesOf } from "./protocol-writer.js";

/** Options of {@link cleanupLog}. */
export interface CleanupLogOptions {
  store: ObjectStore;
  /** The latest snapshot (its properties give the retention); loaded when absent. */
  snapshot?: Snapshot | undefined;
  /** Override `delta.logRetentionDuration` (ms). */
  retentionMs?: number | undefined;
  /** Clock (default Date.now). */
  now?: (() => number) | undefined;
  /** List what would be deleted without deleting. */
  dryRun?: boolean | undefined;
}

/** What cleanup did. */
export interface CleanupLogResult {
  /** The version of the cut-off checkpoint, when there was one. */
  cutOffCheckpoint: number | undefined;
  /** Keys deleted (or, for a dry run, to delete), in deletion order. */
  deleted: string[];
}

const STAGED_DIR = `${LOG_DIR}_staged_commits/`;
const STAGED = /^(\d{20})\.[0-9a-fA-F-]{36}\.json$/;

/** Deletes expired log files; safe to run at any time, concurrently with writers. */
export async function cleanupLog(options: CleanupLogOptions): Promise<CleanupLogResult> {
  const { store } = options;
  if (!store.listable || !store.writable) throw new InvalidInputError("log cleanup needs a listable, writable store", { path: store.root });
  const snapshot = options.snapshot ?? (await loadSnapshot({ store }));
  const now = (options.now ?? Date.now)();
  const retention = options.retentionMs ?? intervalProperty(snapshot.properties, "delta.logRetentionDuration", 30 * DAYS);
  const cutOffTime = truncateDay(now - retention);
  const files = await listLogFiles(store, 0);
  const cutOffCommit = newestCommitNotAfter(files, cutOffTime);
  const none: CleanupLogResult = { cutOffCheckpoint: undefined, deleted: [] };
  if (cutOffCommit === undefined) return none;
  let checkpoint: CheckpointRef | undefined;
  try {
    checkpoint = buildLogSegment(files, { path: store.root, version: cutOffCommit, useCompaction: false }).checkpoint;
  } catch {
    return none; // a log we cannot reconstruct at the cut-off is not ours to prune
  }
  if (checkpoint === undefined) return none;
  const cut = checkpoint.version;
  const protectedBefore = Number(snapshot.properties["delta.requireCheckpointProtectionBeforeVersion"]);
  if (writerFeaturesOf(snapshot.protocol).has("checkpointProtection") && Number.isInteger(protectedBefore) && cut < protectedBefore) {
    return { cutOffCheckpoint: cut, deleted: [] };
  }
  const doomed = files
    .filter((f) => (f.info.kind === "compacted" ? f.info.version <= cut : f.info.version < cut))
    .sort((a, b) => a.info.version - b.info.version || (a.key < b.key ? -1 : 1))
    .map((f) => f.key);
  for await (const meta of store.list(STAGED_DIR)) {
    const m = STAGED.exec(meta.key.slice(STAGED_DIR.length));
    if (m && Number(m[1]) <= cut) doomed.push(meta.key);
  }
  const remaining = files.filter((f) => f.info.kind === "checkpoint" && f.info.version >= cut);
  doomed.push(...(await orphanedSidecars(store, remaining, truncateDay(now - DAYS))));
  if (!options.dryRun) for (const key of doomed) await store.delete(key);
  return { cutOffCheckpoint: cut, deleted: doomed };
}

/** Midnight UTC of the day containing `ms`. */
export function truncateDay(ms: number): number {
  return Math.floor(ms / DAYS) * DAYS;
}

/** The newest commit whose (monotonized) file time is not after `cutOff`. */
function newestCommitNotAfter(files: LogFile[], cutOff: number): number | undefined {
  const commits = files.filter((f) => f.info.kind === "commit").sort((a, b) => a.info.version - b.info.version);
  let previous = -Infinity;
  let found: number | undefined;
  for (const c of commits) {
    const time = Math.max(c.lastModified, previous + 1);
    previous = time;
    if (time > cutOff) break;
    found = c.info.version;
  }
  return found;
}

/** Sidecar files no remaining checkpoint references and not modified since `keepAfter`. */
async function orphanedSidecars(store: ObjectStore, checkpoints: LogFile[], keepAfter: number): Promise<string[]> {
  const sidecars = [];
  for await (const meta of store.list(SIDECAR_DIR)) sidecars.push(meta);
  if (sidecars.length === 0) return [];
  const referenced = new Set<string>();
  for (const f of checkpoints) {
    const actions = await readActionFile(store, f.key, { path: store.root, version: f.info.version });
    for (const a of actions) if (a.sidecar) referenced.add(sidecarName(a.sidecar.path));
  }
  return sidecars
    .filter((m) => !referenced.has(sidecarName(m.key)) && m.lastModified < keepAfter && m.lastModified > 0)
    .map((m) => m.key);
}

function sidecarName(path: string): string {
  let p = path;
  try {
    p = decodeURIComponent(p);
  } catch {
    // keep the raw text
  }
  return p.slice(p.lastIndexOf("/") + 1);
}
