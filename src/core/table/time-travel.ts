/**
 * Timestamp time travel: the newest version committed at or before a point in time. Commit times
 * are in-commit timestamps (commitInfo.inCommitTimestamp) for commits that carry one, else the
 * commit files' modification times made monotonic (each at least 1 ms after the previous, as
 * Spark does). Versions are binary-searched, so an ICT table costs O(log n) small commitInfo reads.
 */
import { InvalidInputError, NotFoundError } from "../errors.js";
import { readCommitInfo } from "../log/commit-info.js";
import { readLastCheckpoint } from "../log/last-checkpoint.js";
import { listLogFiles, probeLogFiles, type LogFile } from "../log/listing.js";
import type { ObjectStore } from "../storage/object-store.js";

/** Parses a user timestamp: ISO 8601 (zone-less means UTC), a date, or epoch milliseconds. */
export function parseTimestamp(input: string | number | Date): number {
  if (input instanceof Date) return input.getTime();
  if (typeof input === "number") return input;
  const s = input.trim();
  if (/^-?\d+$/.test(s)) return Number(s);
  let iso = s.replace(" ", "T");
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) iso += "T00:00:00";
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(iso)) iso += "Z";
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new InvalidInputError(`cannot parse timestamp '${input}' (use ISO 8601, e.g. 2024-01-31T12:00:00Z)`);
  return ms;
}

/** Finds the newest version whose commit time is <= timestamp (ms). */
export async function versionAtTimestamp(store: ObjectStore, timestamp: number): Promise<number> {
  const path = store.root;
  const commits = await listAllCommits(store);
  if (commits.length === 0) throw new NotFoundError("no commits found", { path });
  const times = new Map<number, number>();
  const fileTimes = monotonicFileTimes(commits);
  // In-commit timestamps, once enabled, are on every later commit: if the newest commit has none,
  // file times decide and no commit needs to be read.
  const newest = commits[commits.length - 1] as LogFile;
  const ictPossible = typeof (await readCommitInfo(store, newest.info.version))?.inCommitTimestamp === "number";
  const timeOf = async (i: number): Promise<number> => {
    const cached = times.get(i);
    if (cached !== undefined) return cached;
    if (!ictPossible && (fileTimes[i] ?? 0) > 0) return fileTimes[i] as number;
    const f = commits[i] as LogFile;
    const info = await readCommitInfo(store, f.info.version);
    let t: number;
    if (typeof info?.inCommitTimestamp === "number") t = info.inCommitTimestamp;
    else if ((fileTimes[i] ?? 0) > 0) t = fileTimes[i] as number;
    else if (typeof info?.timestamp === "number") t = info.timestamp;
    else t = store.listable ? 0 : (await store.head(f.key)).lastModified;
    times.set(i, t);
    return t;
  };
  // Binary search: largest i with timeOf(i) <= timestamp.
  let lo = 0;
  let hi = commits.length - 1;
  if ((await timeOf(lo)) > timestamp) {
    const first = commits[0] as LogFile;
    throw new NotFoundError(
      `no version exists at ${new Date(timestamp).toISOString()}: the earliest available version ${first.info.version} was committed at ${new Date(await timeOf(0)).toISOString()}`,
      { path },
    );
  }
  while (lo < hi) {
    const mid = lo + Math.ceil((hi - lo) / 2);
    if ((await timeOf(mid)) <= timestamp) lo = mid;
    else hi = mid - 1;
  }
  return (commits[lo] as LogFile).info.version;
}

async function listAllCommits(store: ObjectStore): Promise<LogFile[]> {
  const files = store.listable
    ? await listLogFiles(store, 0)
    : await probeLogFiles(store, { hint: await readLastCheckpoint(store) });
  return files.filter((f) => f.info.kind === "commit").sort((a, b) => a.info.version - b.info.version);
}

/** File modification times adjusted to strictly increase (0 stays unknown). */
function monotonicFileTimes(commits: LogFile[]): number[] {
  const out: number[] = [];
  let prev = -Infinity;
  for (const c of commits) {
    if (c.lastModified <= 0) {
      out.push(0);
      continue;
    }
    const t = Math.max(c.lastModified, prev + 1);
    out.push(t);
    prev = t;
  }
  return out;
}
