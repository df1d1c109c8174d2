/**
 * CopyIfAbsentLogStore: for S3-compatible stores whose CopyObject can be made create-only by a
 * header (AWS_COPY_IF_NOT_EXISTS, as object_store encodes it), e.g. Cloudflare R2's
 * `header: cf-copy-destination-if-none-match: *`. A commit first reads `N.json` (taken: a lost race,
 * one GET), else writes its body to a unique temp file
 * `_delta_log/_commit_<uuid>.json.tmp`, copies it to `N.json` with the create-only condition (the
 * condition's status, 412 by default, means another writer has N: CommitExistsError), then deletes
 * the temp file. Like put-if-absent, an uncertain copy is settled by reading N.json back: our bytes
 * mean success, other bytes a lost race, a missing file allows another (create-only) copy.
 */
import { commitKey } from "../log/path.js";
import type { CopyCondition } from "../storage/s3-dialect.js";
import { CommitExistsError, type WriteCommitOptions } from "./log-store.js";
import { SettledCommitLogStore } from "./settle.js";
import { deleteQuietly, newTempCommitName, tempCommitKey, type CopyIfAbsentStore } from "./temp-commit.js";
import { getIfExists } from "../storage/object-store.js";

/** Options of {@link CopyIfAbsentLogStore}. */
export interface CopyIfAbsentLogStoreOptions {
  /** A store with a create-only copy (S3Store). */
  store: CopyIfAbsentStore;
  /** The create-only condition (default: the store's own, e.g. `If-None-Match: *`). */
  condition?: CopyCondition | undefined;
  /** Further create-only copies after one whose outcome was unknown and did not land (default 2). */
  uncertainRetries?: number | undefined;
}

/** Commits by writing a temp file and copying it to N.json only if N.json does not exist. */
export class CopyIfAbsentLogStore extends SettledCommitLogStore<CopyIfAbsentStore> {
  readonly name = "copy-if-absent";
  readonly condition: CopyCondition | undefined;

  constructor(options: CopyIfAbsentLogStoreOptions) {
    super(options.store, options.uncertainRetries, { attemptName: "the create-only copy", failedMessage: "create-only copy of the commit failed" });
    this.condition = options.condition;
  }

  async writeCommit({ version, body }: WriteCommitOptions): Promise<void> {
    // A cheap look first: a version already taken costs one GET instead of put + copy + delete.
    const present = await getIfExists(this.store, commitKey(version));
    if (present !== undefined) {
      throw new CommitExistsError(`version ${version} was committed by another writer`, { path: this.store.root, version, winner: present });
    }
    const temp = tempCommitKey(newTempCommitName());
    await this.store.put(temp, body);
    try {
      const condition = this.condition;
      await this.createSettled(version, body, (key) =>
        condition === undefined ? this.store.copyIfAbsent(temp, key) : this.store.copyIfAbsent(temp, key, condition),
      );
    } finally {
      await deleteQuietly(this.store, temp);
    }
  }
}
