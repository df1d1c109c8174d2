/**
 * PutIfAbsentLogStore, the default commit strategy: `putIfAbsent` on any ObjectStore whose backend
 * has an atomic conditional create (S3 and R2 `If-None-Match: *`, Azure, GCS, local hard links,
 * memory). A lost race surfaces as CommitExistsError carrying the winner's bytes. An uncertain PUT
 * (a transport error, or "already exists" that may be our own earlier request) is resolved by
 * reading the commit back: our bytes mean success, other bytes a lost race, and a missing file
 * allows another conditional PUT, which can never overwrite anything.
 */
import { AlreadyExistsError, DeltaError, StorageError } from "../errors.js";
import { commitKey } from "../log/path.js";
import type { ObjectStore } from "../storage/object-store.js";
import { CommitExistsError, readBack, type LogStore, type ReadCommitOptions, type WriteCommitOptions } from "./log-store.js";

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
    const path = this.store.root;
    for (let attempt = 0; ; attempt++) {
      let failure: unknown;
      try {
        await this.store.putIfAbsent(key, body);
        return;
      } catch (err) {
        failure = err;
      }
      // Either a lost race, our own earlier request seen by a retrying client, or an unknown outcome.
      let seen;
      try {
        seen = await readBack(this.store, key, body);
      } catch (readError) {
        throw new StorageError("commit outcome unknown: the commit PUT failed and reading it back failed too", {
          path,
          version,
          cause: new AggregateError([failure, readError]),
        });
      }
      if (seen.kind === "mine") return;
      if (seen.kind === "theirs") {
        throw new CommitExistsError(`version ${version} was committed by another writer`, { path, version, winner: seen.bytes, cause: failure });
      }
      // Missing: the PUT did not land (a lost race cannot report missing unless the log was cleaned).
      if (failure instanceof AlreadyExistsError) {
        throw new CommitExistsError(`version ${version} exists but could not be read back`, { path, version, cause: failure });
      }
      if (attempt >= this.uncertainRetries) {
        if (failure instanceof DeltaError) throw failure;
        throw new StorageError("commit PUT failed", { path, version, cause: failure });
      }
    }
  }

  async readCommit({ version }: ReadCommitOptions): Promise<Uint8Array> {
    return this.store.get(commitKey(version));
  }
}
