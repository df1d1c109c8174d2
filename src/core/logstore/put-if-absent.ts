/**
 * PutIfAbsentLogStore, the default commit strategy: `putIfAbsent` on any ObjectStore whose backend
 * has an atomic conditional create (S3 and R2 `If-None-Match: *`, Azure, GCS, local hard links,
 * memory). A lost race surfaces as CommitExistsError carrying the winner's bytes. An uncertain PUT
 * (a transport error, or "already exists" that may be our own earlier request) is resolved by
 * reading the commit back: our bytes mean success, other bytes a lost race, and a missing file
 * allows another conditional PUT, which can never overwrite anything.
 */
import { commitKey } from "../log/path.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { LogStore, ReadCommitOptions, WriteCommitOptions } from "./log-store.js";
import { createCommitSettled } from "./settle.js";

/** Options of {@link PutIfAbsentLogStore}. */
export interface PutIfAbsentLogStoreOptions {
  store: ObjectStore;
  /**
   * How many more conditional PUTs to try after one whose outcome was unknown and whose commit a
   * read-back did not find (default 2). Each is safe: put-if-absent never overwrites.
   */
  uncertainRetries?: number;
}

/** Commits through the store's atomic put-if-absent. */
export class PutIfAbsentLogStore implements LogStore {
  readonly store: ObjectStore;
  readonly name = "put-if-absent";
  private readonly uncertainRetries: number;

  constructor(options: PutIfAbsentLogStoreOptions) {
    this.store = options.store;
    this.uncertainRetries = options.uncertainRetries ?? 2;
  }

  async writeCommit({ version, body }: WriteCommitOptions): Promise<void> {
    const key = commitKey(version);
    await createCommitSettled({
      store: this.store,
      key,
      version,
      body,
      create: () => this.store.putIfAbsent(key, body),
      uncertainRetries: this.uncertainRetries,
      attemptName: "the commit PUT",
      failedMessage: "commit PUT failed",
    });
  }

  async readCommit({ version }: ReadCommitOptions): Promise<Uint8Array> {
    return this.store.get(commitKey(version));
  }
}
