/**
 * Finding the log files of a table. Listable stores list `_delta_log/` starting at a version (so a
 * checkpointed table never lists its old commits). Stores without listing (plain static hosting,
 * a CDN) are probed instead: from the `_last_checkpoint` hint, look for later commits with HEAD
 * requests, growing the step exponentially and then binary-searching the boundary, so a table with
 * n commits after its checkpoint costs about 2*log2(n) requests.
 */
import { NotFoundError, ProtocolError } from "../errors.js";
import { objectExists, type ObjectStore } from "../storage/object-store.js";
import type { LastCheckpointHint } from "./last-checkpoint.js";
import { LOG_DIR, commitKey, checkpointKey, multipartCheckpointKey, padVersion, parseLogFileName, type LogFileName } from "./path.js";

/** One file of the log. Size and time are -1 / 0 when the source could not tell (probing). */
export interface LogFile {
  key: string;
  info: LogFileName;
  size: number;
  lastModified: number;
}

/** Lists log files with version >= fromVersion, sorted by key (so by version, then kind). */
export async function listLogFiles(store: ObjectStore, fromVersion = 0): Promise<LogFile[]> {
  const files: LogFile[] = [];
  const startAfter = fromVersion > 0 ? `${LOG_DIR}${padVersion(fromVersion - 1)}.zzzz` : undefined;
  const options = startAfter === undefined ? {} : { startAfter };
  for await (const meta of store.list(LOG_DIR, options)) {
    const name = meta.key.slice(LOG_DIR.length);
    // Log file names start with digits; "_last_checkpoint", "_sidecars/", "_commits/" sort after them.
    if (name.startsWith("_")) break;
    const info = parseLogFileName(name, store.root);
    if (info === undefined || info.version < fromVersion) continue;
    files.push({ key: meta.key, info, size: meta.size, lastModified: meta.lastModified });
  }
  return files;
}

/** Options of {@link probeLogFiles}. */
export interface ProbeOptions {
  /** The `_last_checkpoint` hint, if any. */
  hint: LastCheckpointHint | undefined;
  /** When set, the caller wants this version: probe no further than it. */
  targetVersion?: number | undefined;
}

/**
 * Synthesizes the log listing of a store that cannot list: the hinted checkpoint (when usable for
 * the target) plus every commit after it up to the latest (or target) version.
 */
export async function probeLogFiles(store: ObjectStore, { hint, targetVersion }: ProbeOptions): Promise<LogFile[]> {
  const useHint = hint !== undefined && (targetVersion === undefined || hint.version <= targetVersion);
  const base = useHint ? hint.version : 0;
  const files: LogFile[] = useHint ? checkpointFilesFromHint(hint, store.root) : [];
  let latest: number;
  if (targetVersion !== undefined) {
    latest = targetVersion;
    if (!(await objectExists(store, commitKey(targetVersion)))) {
      if (!(useHint && hint.version === targetVersion)) {
        throw new NotFoundError(`version ${targetVersion} does not exist`, { path: store.root, version: targetVersion });
      }
    }
  } else {
    if (!useHint && !(await objectExists(store, commitKey(0)))) {
      throw new NotFoundError("no Delta table: neither _delta_log/_last_checkpoint nor the first commit exists", {
        path: store.root,
      });
    }
    latest = await findLatestCommit(store, base);
  }
  const firstCommit = useHint ? base + 1 : 0;
  for (let v = firstCommit; v <= latest; v++) {
    files.push({ key: commitKey(v), info: { kind: "commit", version: v }, size: -1, lastModified: 0 });
  }
  return files;
}

/** The checkpoint file(s) a hint names. */
function checkpointFilesFromHint(hint: LastCheckpointHint, root: string): LogFile[] {
  const v = hint.version;
  if (hint.v2Checkpoint) {
    const key = `${LOG_DIR}${hint.v2Checkpoint.path}`;
    const info = parseLogFileName(hint.v2Checkpoint.path, root);
    if (info?.kind === "checkpoint") return [{ key, info, size: hint.v2Checkpoint.sizeInBytes ?? -1, lastModified: 0 }];
  }
  if (hint.parts !== undefined && hint.parts > 1) {
    const out: LogFile[] = [];
    for (let p = 1; p <= hint.parts; p++) {
      out.push({
        key: multipartCheckpointKey(v, p, hint.parts),
        info: { kind: "checkpoint", version: v, format: "parquet", part: p, parts: hint.parts },
        size: -1,
        lastModified: 0,
      });
    }
    return out;
  }
  return [{ key: checkpointKey(v), info: { kind: "checkpoint", version: v, format: "parquet" }, size: hint.sizeInBytes ?? -1, lastModified: 0 }];
}

/** Largest version >= base whose commit exists, assuming commits after base are contiguous. */
async function findLatestCommit(store: ObjectStore, base: number): Promise<number> {
  let lo = base; // known to exist (or to be the checkpoint version)
  let step = 1;
  let hi: number;
  for (;;) {
    const probe = lo + step;
    if (probe > Number.MAX_SAFE_INTEGER) {
      // Only a store that answers for files that do not exist gets here (2^53 commits).
      throw new ProtocolError(
        `every probed commit exists, up to version ${lo}; the next probe would be beyond 2^53-1, where no version is exact (does the server answer for files that do not exist?)`,
        { path: store.root },
      );
    }
    if (await objectExists(store, commitKey(probe))) {
      lo = probe;
      step *= 2;
    } else {
      hi = probe;
      break;
    }
  }
  // Invariant: lo exists, hi does not.
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (await objectExists(store, commitKey(mid))) lo = mid;
    else hi = mid;
  }
  return lo;
}
