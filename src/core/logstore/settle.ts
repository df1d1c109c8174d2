/**
 * The conditional-create loop shared by the put-if-absent and copy-if-absent strategies: try the
 * create-only write of N.json and, when it fails, settle the uncertain outcome by reading N.json
 * back. Our bytes mean success, other bytes a lost race (CommitExistsError with the winner's
 * bytes), and a missing file allows another conditional attempt, which can never overwrite
 * anything, up to a bounded number of retries. {@link SettledCommitLogStore} is the base of the
 * two strategies: the store, the retry budget, reading commits and running the loop.
 */
import { AlreadyExistsError, DeltaError, StorageError } from "../errors.js";
import { commitKey } from "../log/path.js";
import type { ObjectStore, PutBody } from "../storage/object-store.js";
import { CommitExistsError, readBack, type LogStore, type ReadCommitOptions, type WriteCommitOptions } from "./log-store.js";

/** Options of {@link createCommitSettled}. */
export interface CreateCommitSettledOptions {
  /** The store holding the commit (read back through it; its root names the table in errors). */
  store: ObjectStore;
  /** The commit's key (`_delta_log/<version>.json`). */
  key: string;
  version: number;
  /** The bytes we meant to write, compared with what a read-back finds. */
  body: PutBody;
  /** One create-only write of `key`; throws when it fails or its outcome is unknown. */
  create: () => Promise<void>;
  /** Further attempts after one whose outcome was unknown and whose commit a read-back did not find. */
  uncertainRetries: number;
  /** What failed, in the "outcome unknown" message: "the commit PUT", "the create-only copy". */
  attemptName: string;
  /** The message when the attempts are exhausted and the failure was no DeltaError. */
  failedMessage: string;
}

/** Runs `create` until it succeeds or its outcome is settled by reading the commit back. */
export async function createCommitSettled(options: CreateCommitSettledOptions): Promise<void> {
  const { store, key, version, body, create, uncertainRetries } = options;
  const path = store.root;
  for (let attempt = 0; ; attempt++) {
    let failure: unknown;
    try {
      await create();
      return;
    } catch (err) {
      failure = err;
    }
    // Either a lost race, our own earlier request seen by a retrying client, or an unknown outcome.
    let seen;
    try {
      seen = await readBack(store, key, body);
    } catch (readError) {
      throw new StorageError(`commit outcome unknown: ${options.attemptName} failed and reading it back failed too`, {
        path,
        version,
        cause: new AggregateError([failure, readError]),
      });
    }
    if (seen.kind === "mine") return;
    if (seen.kind === "theirs") {
      throw new CommitExistsError(`version ${version} was committed by another writer`, { path, version, winner: seen.bytes, cause: failure });
    }
    // Missing: the write did not land (a lost race cannot report missing unless the log was cleaned).
    if (failure instanceof AlreadyExistsError) {
      throw new CommitExistsError(`version ${version} exists but could not be read back`, { path, version, cause: failure });
    }
    if (attempt >= uncertainRetries) {
      if (failure instanceof DeltaError) throw failure;
      throw new StorageError(options.failedMessage, { path, version, cause: failure });
    }
  }
}

/** How a strategy's create-only write is named in messages (see {@link CreateCommitSettledOptions}). */
export type CreateOnlyNames = Pick<CreateCommitSettledOptions, "attemptName" | "failedMessage">;

/**
 * Base of the strategies whose commit is one create-only write of N.json, settled by reading it
 * back when its outcome is uncertain (put-if-absent, copy-if-absent).
 */
export abstract class SettledCommitLogStore<S extends ObjectStore> implements LogStore {
  abstract readonly name: string;
  readonly store: S;
  private readonly uncertainRetries: number;

  /** @param uncertainRetries Further attempts after one whose outcome was unknown and did not land (default 2). */
  protected constructor(
    store: S,
    uncertainRetries: number | undefined,
    private readonly names: CreateOnlyNames,
  ) {
    this.store = store;
    this.uncertainRetries = uncertainRetries ?? 2;
  }

  abstract writeCommit(options: WriteCommitOptions): Promise<void>;

  async readCommit({ version }: ReadCommitOptions): Promise<Uint8Array> {
    return this.store.get(commitKey(version));
  }

  /** Creates the commit of `version` with `create(key)` (one create-only write), settled by read-back. */
  protected createSettled(version: number, body: PutBody, create: (key: string) => Promise<void>): Promise<void> {
    const key = commitKey(version);
    return createCommitSettled({ store: this.store, key, version, body, create: () => create(key), uncertainRetries: this.uncertainRetries, ...this.names });
  }
}
