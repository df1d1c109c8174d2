/**
 * UnsafeRenameLogStore (AWS_S3_ALLOW_UNSAFE_RENAME=true, delta-rs's opt-out): for stores with no
 * atomic create at all. It checks that `N.json` does not exist, then writes it with a plain PUT.
 * UNSAFE WITH CONCURRENT WRITERS: two writers can both see N.json missing and both write it; the
 * later PUT silently replaces the earlier commit, whose writer believes it succeeded — its data
 * files are orphaned, its rows lost, and readers that saw the first version see history change.
 * test/logstore/unsafe-rename.test.ts shows the race with 8 writers. Use it only when exactly one
 * process writes the table; it cannot be constructed without `allowUnsafeRename: true`.
 */
import { InvalidInputError, NotFoundError } from "../errors.js";
import { commitKey } from "../log/path.js";
import type { ObjectStore } from "../storage/object-store.js";
import { CommitExistsError, type LogStore, type ReadCommitOptions, type WriteCommitOptions } from "./log-store.js";

/** Options of {@link UnsafeRenameLogStore}. */
export interface UnsafeRenameLogStoreOptions {
  store: ObjectStore;
  /** Must be true: the caller accepts that concurrent writers can overwrite each other's commits. */
  allowUnsafeRename: boolean;
}

/** Check-then-write commits: correct for a single writer only. */
export class UnsafeRenameLogStore implements LogStore {
  readonly store: ObjectStore;
  readonly name = "unsafe-rename";

  constructor(options: UnsafeRenameLogStoreOptions) {
    if (options.allowUnsafeRename !== true) {
      throw new InvalidInputError(
        "the unsafe-rename commit strategy can lose commits when several writers race; it needs allowUnsafeRename: true (AWS_S3_ALLOW_UNSAFE_RENAME=true)",
        { path: options.store.root },
      );
    }
    this.store = options.store;
  }

  async writeCommit({ version, body }: WriteCommitOptions): Promise<void> {
    const key = commitKey(version);
    let winner: Uint8Array | undefined;
    try {
      winner = await this.store.get(key);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
    if (winner !== undefined) {
      throw new CommitExistsError(`version ${version} was committed by another writer`, { path: this.store.root, version, winner });
    }
    // The race window: another writer may write N.json between the check above and this PUT.
    await this.store.put(key, body);
  }

  async readCommit({ version }: ReadCommitOptions): Promise<Uint8Array> {
    return this.store.get(commitKey(version));
  }
}
