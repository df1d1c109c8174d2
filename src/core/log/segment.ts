/**
 * The log segment of a snapshot: the newest complete checkpoint at or below the target version,
 * plus a gap-free run of commits after it up to the target (PROTOCOL.md "Checkpoints", "Log
 * Compaction Files"). Multi-part checkpoints with a missing part are skipped; among several
 * complete checkpoints of one version, a V2 (UUID-named) one or the classic one is taken in that
 * order. Compaction files may stand in for runs of commits (fewer requests); the commit at the
 * target version is always read itself, since its commitInfo dates the snapshot.
 */
import { NotFoundError, ProtocolError } from "../errors.js";
import type { LogFile } from "./listing.js";

/** A chosen checkpoint: one file (classic, V2) or all parts of a multi-part checkpoint. */
export interface CheckpointRef {
  version: number;
  kind: "classic" | "multipart" | "v2";
  files: LogFile[];
}

/** What a snapshot at `version` is built from. */
export interface LogSegment {
  version: number;
  checkpoint: CheckpointRef | undefined;
  /** Files to replay after the checkpoint, oldest first: commits and compaction files. */
  deltas: LogFile[];
  /** The commit file of `version` itself (undefined when the segment is only a checkpoint). */
  lastCommit: LogFile | undefined;
}

/** Options of {@link buildLogSegment}. */
export interface SegmentOptions {
  /** Table root, for error messages. */
  path: string;
  /** Target version; the latest when undefined. */
  version?: number | undefined;
  /** Use `x.y.compacted.json` files where they fit (default true). */
  useCompaction?: boolean;
}

/** Builds the segment from a sorted listing; throws on gaps and missing versions. */
export function buildLogSegment(files: LogFile[], options: SegmentOptions): LogSegment {
  const { path } = options;
  const commits = new Map<number, LogFile>();
  const compactions: LogFile[] = [];
  const checkpoints = new Map<number, LogFile[]>();
  for (const f of files) {
    const { info } = f;
    if (info.kind === "commit") commits.set(info.version, f);
    else if (info.kind === "compacted") compactions.push(f);
    else if (info.kind === "checkpoint") {
      const list = checkpoints.get(info.version) ?? [];
      list.push(f);
      checkpoints.set(info.version, list);
    }
  }
  // Loops, not Math.max(...keys): a spread of 100k+ versions overflows the stack.
  let maxCommit = -1;
  let earliest = Infinity;
  for (const v of commits.keys()) {
    if (v > maxCommit) maxCommit = v;
    if (v < earliest) earliest = v;
  }
  const completeCheckpoints = [...checkpoints.entries()]
    .map(([v, list]) => pickCheckpoint(v, list))
    .filter((c): c is CheckpointRef => c !== undefined)
    .sort((a, b) => b.version - a.version);
  const maxCheckpoint = completeCheckpoints[0]?.version ?? -1;
  const latest = Math.max(maxCommit, maxCheckpoint);
  if (latest < 0) throw new NotFoundError("no Delta table: _delta_log has no commits or checkpoints", { path });
  const version = options.version ?? latest;
  if (version > latest) {
    throw new NotFoundError(`version ${version} does not exist; the latest version is ${latest}`, { path, version });
  }
  if (version < 0 || !Number.isInteger(version)) {
    throw new NotFoundError(`version ${version} is not a valid version`, { path, version });
  }
  const checkpoint = completeCheckpoints.find((c) => c.version <= version);
  const start = checkpoint ? checkpoint.version + 1 : 0;
  if (!checkpoint && !commits.has(0)) {
    throw new NotFoundError(
      `version ${version} cannot be reconstructed: no checkpoint at or below it and the log starts at version ${earliest}`,
      { path, version },
    );
  }
  const deltas = chooseDeltas(start, version, commits, options.useCompaction === false ? [] : compactions, path);
  return { version, checkpoint, deltas, lastCommit: commits.get(version) };
}

function chooseDeltas(
  start: number,
  end: number,
  commits: Map<number, LogFile>,
  compactions: LogFile[],
  path: string,
): LogFile[] {
  const out: LogFile[] = [];
  let v = start;
  while (v <= end) {
    // The longest compaction starting here that ends before the target version.
    let best: LogFile | undefined;
    for (const c of compactions) {
      if (c.info.kind !== "compacted" || c.info.version !== v || c.info.endVersion >= end) continue;
      if (best === undefined || (best.info.kind === "compacted" && c.info.endVersion > best.info.endVersion)) best = c;
    }
    if (best && best.info.kind === "compacted") {
      out.push(best);
      v = best.info.endVersion + 1;
      continue;
    }
    const commit = commits.get(v);
    if (!commit) {
      throw new ProtocolError(`the log has a gap: commit ${v} is missing between versions ${start} and ${end}`, {
        path,
        version: v,
      });
    }
    out.push(commit);
    v++;
  }
  return out;
}

/** The usable checkpoint among the files of one version, if any is complete. */
function pickCheckpoint(version: number, files: LogFile[]): CheckpointRef | undefined {
  const v2 = files.filter((f) => f.info.kind === "checkpoint" && f.info.uuid !== undefined);
  if (v2.length > 0) {
    // Prefer parquet (one ranged read of needed columns); any V2 checkpoint of a version is complete.
    const sorted = [...v2].sort((a, b) => (a.key < b.key ? -1 : 1));
    return { version, kind: "v2", files: [sorted[0] as LogFile] };
  }
  const classic = files.find((f) => f.info.kind === "checkpoint" && f.info.parts === undefined && f.info.uuid === undefined);
  if (classic) return { version, kind: "classic", files: [classic] };
  // Multi-part: group by part count; complete when parts 1..n are all present.
  const byCount = new Map<number, Map<number, LogFile>>();
  for (const f of files) {
    if (f.info.kind !== "checkpoint" || f.info.parts === undefined) continue;
    const m = byCount.get(f.info.parts) ?? new Map<number, LogFile>();
    m.set(f.info.part, f);
    byCount.set(f.info.parts, m);
  }
  for (const [parts, m] of [...byCount.entries()].sort((a, b) => b[0] - a[0])) {
    if (m.size === parts) {
      const list = [...m.entries()].sort((a, b) => a[0] - b[0]).map(([, f]) => f);
      return { version, kind: "multipart", files: list };
    }
  }
  return undefined;
}
