/**
 * PutIfAbsentLogStore, the default commit strategy: `putIfAbsent` on any ObjectStore whose backend
 * has an atomic conditional create (S3 and R2 `If-None-Match: *`, Azure, GCS, local hard links,
 * memory). A lost race surfaces as CommitExistsError carrying the winner's bytes. An uncertain PUT
 * (a transport error, or "already exists" that may be our own earlier request) is resolved by
 * reading the commit back: our bytes mean success, other bytes a lost race, and a missing file
 * allows another conditional PUT, which can never overwrite anything.
 */
import type { ObjectStore } from "../storage/object-store.js";
import type { WriteCommitOptions } from "./log-store.js";
import { SettledCommitLogStore } from "./settle.js";

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
export class PutIfAbsentLogStore extends SettledCommitLogStore<ObjectStore> {
  readonly name = "put-if-absent";

  constructor(options: PutIfAbsentLogStoreOptions) {
    super(options.store, options.uncertainRetries, { attemptName: "the commit PUT", failedMessage: "commit PUT failed" });
  }

  async writeCommit({ version, body }: WriteCommitOptions): Promise<void> {
    await this.createSettled(version, body, (key) => this.store.putIfAbsent(key, body));
  }
}
