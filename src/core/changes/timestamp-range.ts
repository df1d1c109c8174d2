/**
 * Change feed bounds given as times, resolved to versions the way Delta's change data feed does:
 * a starting timestamp selects the first commit at or after it, an ending timestamp the last
 * commit at or before it (an end after the latest commit is the latest version). Commit times
 * are those of timestamp time travel (table/time-travel.ts: in-commit timestamps where present,
 * else file times made monotonic).
 */
import { NotFoundError } from "../errors.js";
import { listLogFiles, probeLogFiles } from "../log/listing.js";
import type { ObjectStore } from "../storage/object-store.js";
import { versionAtTimestamp } from "../table/time-travel.js";
import { ChangeFeedError } from "./errors.js";

/** The first version committed at or after `timestamp` (ms); may be latest + 1 (nothing yet). */
export async function firstVersionAtOrAfter(store: ObjectStore, timestamp: number): Promise<number> {
  try {
    // Times are whole milliseconds: the newest commit strictly before `timestamp`, plus one.
    return (await versionAtTimestamp(store, timestamp - 1)) + 1;
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    // Every commit is at or after the timestamp (or there is none: then this rethrows).
    return earliestCommit(store, err);
  }
}

/** The last version committed at or before `timestamp` (ms). */
export async function lastVersionAtOrBefore(store: ObjectStore, timestamp: number): Promise<number> {
  try {
    return await versionAtTimestamp(store, timestamp);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    await earliestCommit(store, err);
    throw new ChangeFeedError("endBeforeStart", `no commit at or before the ending timestamp ${new Date(timestamp).toISOString()}`, { path: store.root, cause: err });
  }
}

async function earliestCommit(store: ObjectStore, notFound: NotFoundError): Promise<number> {
  const files = store.listable ? await listLogFiles(store, 0) : await probeLogFiles(store, { hint: undefined });
  const versions = files.filter((f) => f.info.kind === "commit").map((f) => f.info.version);
  if (versions.length === 0) throw notFound;
  return Math.min(...versions);
}
