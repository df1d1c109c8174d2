/**
 * Opening a table: the one entry point for "give me the snapshot at latest / version N /
 * timestamp T". Version and timestamp are exclusive; a timestamp is resolved to a version first.
 */
import { InvalidInputError } from "../errors.js";
import type { ObjectStore } from "../storage/object-store.js";
import { loadSnapshot } from "./snapshot-load.js";
import type { Snapshot } from "./snapshot.js";
import { parseTimestamp, versionAtTimestamp } from "./time-travel.js";

/** Options of {@link openTable}. */
export interface OpenTableOptions {
  store: ObjectStore;
  /** Load this version (time travel by version). */
  version?: number | undefined;
  /** Load the newest version committed at or before this time (ISO 8601, Date or epoch ms). */
  timestamp?: string | number | Date | undefined;
  /** Parallel log-file fetches (default 8). */
  concurrency?: number;
}

/** Opens a table at its latest version, a version, or a timestamp. */
export async function openTable(options: OpenTableOptions): Promise<Snapshot> {
  const { store, timestamp } = options;
  let version = options.version;
  if (version !== undefined && timestamp !== undefined) {
    throw new InvalidInputError("give either a version or a timestamp, not both", { path: store.root });
  }
  if (version !== undefined && (!Number.isSafeInteger(version) || version < 0)) {
    throw new InvalidInputError(`version must be an integer from 0 to 2^53-1 (${Number.MAX_SAFE_INTEGER}), got ${String(version)}`, { path: store.root });
  }
  if (timestamp !== undefined) version = await versionAtTimestamp(store, parseTimestamp(timestamp));
  return loadSnapshot({ store, version, ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }) });
}
