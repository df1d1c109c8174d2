/**
 * The `_commit_timestamp` of a commit (PROTOCOL.md "In-Commit Timestamps"): its commitInfo's
 * `inCommitTimestamp` where in-commit timestamps are on at that version, else the commit file's
 * modification time (from the listing, or a HEAD request on stores that cannot list), else, when
 * the store cannot tell the time either, the commitInfo's `timestamp`.
 */
import type { CommitInfo } from "../log/actions.js";
import type { LogFile } from "../log/listing.js";
import type { ObjectStore } from "../storage/object-store.js";

/** Options of {@link commitTimestamp}. */
export interface CommitTimestampOptions {
  store: ObjectStore;
  file: LogFile;
  commitInfo: CommitInfo | undefined;
  /** In-commit timestamps are on at this version (after the commit's own metaData). */
  inCommitTimestamps: boolean;
}

/** The commit's time in ms since the epoch. */
export async function commitTimestamp(options: CommitTimestampOptions): Promise<number> {
  const { store, file, commitInfo } = options;
  if (options.inCommitTimestamps && typeof commitInfo?.inCommitTimestamp === "number") return commitInfo.inCommitTimestamp;
  if (file.lastModified > 0) return file.lastModified;
  const headed = (await store.head(file.key)).lastModified;
  if (headed > 0) return headed;
  return typeof commitInfo?.timestamp === "number" ? commitInfo.timestamp : 0;
}
