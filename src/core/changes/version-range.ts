/**
 * Which commits a change feed reads: the version range [start, end] checked against the log, the
 * commit files of the range, and the log segment that tells the table's state at the start. The
 * range must start at or before the latest version (with `emptyWhenCaughtUp`, a start just past
 * it is an empty feed: the resumable poll), must not end before it starts, and its commits must
 * still be in the log; an end after the latest version is the latest.
 *
 * Cost: one listing from the version before the start (stores without listing: HEAD probes),
 * which is all an empty poll costs. Only when the start needs an older checkpoint than that
 * listing shows are `_last_checkpoint` and a listing from its checkpoint read too (or, for a start
 * below that checkpoint, a listing from 100 versions before the start; the whole log only when
 * that holds no checkpoint either).
 */
import { NotFoundError, ProtocolError } from "../errors.js";
import { readLastCheckpoint, type LastCheckpointHint } from "../log/last-checkpoint.js";
import { listLogFiles, probeLogFiles, type LogFile } from "../log/listing.js";
import { commitKey } from "../log/path.js";
import { buildLogSegment, type LogSegment } from "../log/segment.js";
import { objectExists, type ObjectStore } from "../storage/object-store.js";
import { planSegment } from "../table/snapshot-load.js";
import { ChangeFeedError } from "./errors.js";

/** A resolved range. Empty (caught up) when `end === start - 1`. */
export interface ChangeRange {
  start: number;
  end: number;
  /** The commit files of versions start..end, in order. */
  commits: LogFile[];
  /** The segment of the start version (undefined for an empty range). */
  segment: LogSegment | undefined;
  hint: LastCheckpointHint | undefined;
}

/** Options of {@link resolveVersionRange}. */
export interface VersionRangeOptions {
  store: ObjectStore;
  start: number;
  /** Inclusive end; the latest version when undefined (or when after it). */
  end?: number | undefined;
  /** A start of latest + 1 gives an empty range instead of a ChangeFeedError. */
  emptyWhenCaughtUp?: boolean | undefined;
}

/** Resolves and checks a version range against the log. */
export async function resolveVersionRange(options: VersionRangeOptions): Promise<ChangeRange> {
  const { store, start } = options;
  const path = store.root;
  if (!Number.isSafeInteger(start) || start < 0) throw new ChangeFeedError("endBeforeStart", `start version must be a non-negative integer, got ${String(start)}`, { path });
  if (options.end !== undefined) {
    if (!Number.isSafeInteger(options.end) || options.end < 0) throw new ChangeFeedError("endBeforeStart", `end version must be a non-negative integer, got ${String(options.end)}`, { path });
    if (options.end < start) throw new ChangeFeedError("endBeforeStart", `the range ends at version ${options.end}, before its start ${start}`, { path, version: options.end });
  }
  return store.listable ? fromListing(options) : fromProbes(options);
}

async function fromListing(options: VersionRangeOptions): Promise<ChangeRange> {
  const { store, start } = options;
  const near = await listLogFiles(store, Math.max(0, start - 1));
  const commits = commitsOf(near);
  if (!commits.has(start)) return missingStart(options, commits, undefined);
  const latest = Math.max(...commits.keys());
  const end = Math.min(options.end ?? latest, latest);
  const range = rangeCommits(commits, start, end, store.root);
  let segment: LogSegment | undefined;
  let hint: LastCheckpointHint | undefined;
  // Enough when the listing holds a checkpoint just before the start, or the log begins at 0.
  segment = segmentFrom(near, start, store.root);
  if (segment === undefined) {
    hint = await readLastCheckpoint(store);
    if (hint === undefined || hint.version > start) {
      // Reading older versions than the newest checkpoint: the checkpoint below the start is
      // usually within a checkpoint interval (Spark's default 10, delta-rs's 100) of it.
      segment = segmentFrom(await listLogFiles(store, Math.max(0, start - CHECKPOINT_REACH)), start, store.root);
    }
    segment ??= (await planSegment(store, hint, start)).segment;
  }
  return { start, end, commits: range, segment, hint };
}

/** How far below the start a listing looks for a checkpoint before listing the whole log. */
const CHECKPOINT_REACH = 100;

/** The segment of `version` from a listing, or undefined when the listing cannot rebuild it. */
function segmentFrom(files: LogFile[], version: number, path: string): LogSegment | undefined {
  try {
    return buildLogSegment(files, { path, version });
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
}

async function fromProbes(options: VersionRangeOptions): Promise<ChangeRange> {
  const { store, start } = options;
  if (!(await objectExists(store, commitKey(start)))) {
    const before = start > 0 && (await objectExists(store, commitKey(start - 1)));
    return missingStart(options, before ? new Map([[start - 1, probed(start - 1)]]) : new Map(), before ? start - 1 : undefined);
  }
  const hint = await readLastCheckpoint(store);
  const files = await probeLogFiles(store, { hint, targetVersion: start });
  const segment = buildLogSegment(files, { path: store.root, version: start });
  let end: number;
  if (options.end !== undefined && (await objectExists(store, commitKey(options.end)))) end = options.end;
  else end = Math.min(options.end ?? Infinity, await latestByProbing(store, hint));
  const commits: LogFile[] = [];
  for (let v = start; v <= end; v++) commits.push(probed(v));
  return { start, end, commits, segment, hint };
}

/** The refusal (or the empty range) for a start version that has no commit file. */
async function missingStart(options: VersionRangeOptions, near: Map<number, LogFile>, knownLatest: number | undefined): Promise<ChangeRange> {
  const { store, start } = options;
  const path = store.root;
  const later = [...near.keys()].filter((v) => v > start);
  if (later.length === 0 && (knownLatest === start - 1 || near.has(start - 1))) {
    if (options.emptyWhenCaughtUp) return { start, end: start - 1, commits: [], segment: undefined, hint: undefined };
    throw new ChangeFeedError("startAfterLatest", `the range starts at version ${start}, after the latest version ${start - 1}`, { path, version: start });
  }
  if (later.length > 0 && !near.has(start - 1)) {
    throw new ChangeFeedError("commitCleanedUp", `commit ${start} is no longer in the log (removed by log cleanup); the earliest available version is ${Math.min(...later)}`, { path, version: start });
  }
  if (later.length > 0) throw new ProtocolError(`the log has a gap: commit ${start} is missing`, { path, version: start });
  // Nothing at or after start - 1: find the latest version for the message (or no table at all).
  const latest = store.listable ? await latestByListing(store) : await latestByProbing(store, await readLastCheckpoint(store));
  if (latest >= start) {
    throw new ChangeFeedError("commitCleanedUp", `commit ${start} is no longer in the log (removed by log cleanup)`, { path, version: start });
  }
  throw new ChangeFeedError("startAfterLatest", `the range starts at version ${start}, after the latest version ${latest}`, { path, version: start });
}

async function latestByListing(store: ObjectStore): Promise<number> {
  const hint = await readLastCheckpoint(store);
  let files = hint ? await listLogFiles(store, hint.version) : [];
  if (files.length === 0) files = await listLogFiles(store, 0);
  const versions = files.filter((f) => f.info.kind === "commit" || f.info.kind === "checkpoint").map((f) => f.info.version);
  if (versions.length === 0) throw new NotFoundError("no Delta table here: _delta_log is empty or missing", { path: store.root });
  return Math.max(...versions);
}

async function latestByProbing(store: ObjectStore, hint: LastCheckpointHint | undefined): Promise<number> {
  const files = await probeLogFiles(store, { hint });
  return Math.max(...files.map((f) => f.info.version));
}

function commitsOf(files: readonly LogFile[]): Map<number, LogFile> {
  const out = new Map<number, LogFile>();
  for (const f of files) if (f.info.kind === "commit") out.set(f.info.version, f);
  return out;
}

function rangeCommits(commits: Map<number, LogFile>, start: number, end: number, path: string): LogFile[] {
  const out: LogFile[] = [];
  for (let v = start; v <= end; v++) {
    const f = commits.get(v);
    if (f === undefined) throw new ProtocolError(`the log has a gap: commit ${v} is missing between versions ${start} and ${end}`, { path, version: v });
    out.push(f);
  }
  return out;
}

/** A commit known (or assumed, between probed ends) to exist, without size or time. */
function probed(version: number): LogFile {
  return { key: commitKey(version), info: { kind: "commit", version }, size: -1, lastModified: 0 };
}
