/**
 * Table history (newest first): one entry per commit still in the log, with its version, time,
 * operation and parameters and the rest of its commitInfo. Only the commits asked for are read,
 * and only their commitInfo lines (see log/commit-info.ts).
 */
import type { CommitInfo } from "../log/actions.js";
import { readCommitInfo } from "../log/commit-info.js";
import { readLastCheckpoint } from "../log/last-checkpoint.js";
import { listLogFiles, probeLogFiles, type LogFile } from "../log/listing.js";
import { prepareReads, type ObjectStore } from "../storage/object-store.js";
import { mapLimit } from "../util/pool.js";

/** One entry of the history. */
export interface HistoryEntry {
  version: number;
  /** Commit time in ms since the epoch: in-commit timestamp, else commitInfo.timestamp, else file time. */
  timestamp: number;
  operation: string | undefined;
  operationParameters: Record<string, unknown> | undefined;
  /** The whole commitInfo as written (engine info, metrics, user metadata...). */
  commitInfo: CommitInfo | undefined;
}

/** Options of {@link readHistory}. */
export interface HistoryOptions {
  store: ObjectStore;
  /** At most this many entries (newest first). */
  limit?: number | undefined;
}

/** Reads the history of a table, newest first. */
export async function readHistory({ store, limit }: HistoryOptions): Promise<HistoryEntry[]> {
  const commits = await listCommits(store, limit);
  const chosen = limit === undefined ? commits : commits.slice(0, limit);
  await prepareReads(store, chosen.map((f) => f.key));
  return mapLimit(chosen, 8, async (f) => {
    const info = await readCommitInfo(store, f.info.version);
    const timestamp =
      typeof info?.inCommitTimestamp === "number"
        ? info.inCommitTimestamp
        : typeof info?.timestamp === "number"
          ? info.timestamp
          : f.lastModified;
    return {
      version: f.info.version,
      timestamp,
      operation: info?.operation,
      operationParameters: info?.operationParameters,
      commitInfo: info,
    };
  });
}

/** Commit files newest first; with a limit, lists only as far back as needed. */
async function listCommits(store: ObjectStore, limit: number | undefined): Promise<LogFile[]> {
  const hint = await readLastCheckpoint(store);
  let files: LogFile[];
  if (!store.listable) {
    files = await probeLogFiles(store, { hint: undefined });
  } else {
    files = await listLogFiles(store, hint?.version ?? 0);
    const commitsAfter = files.filter((f) => f.info.kind === "commit").length;
    if (hint !== undefined && hint.version > 0 && (limit === undefined || commitsAfter < limit)) {
      files = await listLogFiles(store, limit === undefined ? 0 : Math.max(0, hint.version - (limit - commitsAfter)));
    }
  }
  return files.filter((f) => f.info.kind === "commit").sort((a, b) => b.info.version - a.info.version);
}
