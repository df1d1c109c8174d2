/**
 * Folder table/ (kernel): snapshots (loading, time travel, history, protocol gate, properties,
 * summaries). Built on log/ and schema/ with the ObjectStore contract; must not import a storage
 * backend, scan/, write/ or the parquet libraries.
 *
 * Opening a table: the one entry point for "give me the snapshot at latest / version N /
 * timestamp T". Version and timestamp are exclusive; a timestamp is resolved to a version first.
 * Also the one test for "there is no table here" (a NotFoundError without a version: no log at
 * all, as opposed to a missing version of an existing table) and `openTableIfExists` on it.
 */
import { InvalidInputError, NotFoundError } from "../errors.js";
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

/**
 * Whether an error says there is no table at the location (no `_delta_log` to read), as opposed to
 * a missing version or file of an existing table (those NotFoundErrors carry a version).
 */
export function isNoTableError(err: unknown): err is NotFoundError {
  return err instanceof NotFoundError && err.version === undefined;
}

/** Opens a table (see {@link openTable}), or undefined when there is no table there yet. */
export async function openTableIfExists(options: OpenTableOptions): Promise<Snapshot | undefined> {
  try {
    return await openTable(options);
  } catch (err) {
    if (isNoTableError(err)) return undefined;
    throw err;
  }
}
