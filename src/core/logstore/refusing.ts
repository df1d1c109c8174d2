/**
 * RefusingLogStore: what {@link selectLogStore} returns when a store has no safe way to create
 * `N.json` atomically under its configuration (e.g. S3 with AWS_CONDITIONAL_PUT=disabled and
 * neither a copy header, nor a DynamoDB lock, nor the unsafe-rename opt-out). Reading commits
 * works; every write fails before anything is written, with an error that names the settings
 * that would make it safe.
 */
import { InvalidInputError } from "../errors.js";
import { commitKey } from "../log/path.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { LogStore, ReadCommitOptions, WriteCommitOptions } from "./log-store.js";

/** How to make S3 commits safe (part of the refusal message). */
export const SAFE_S3_COMMIT_HELP =
  'configure one of: AWS_CONDITIONAL_PUT=etag (S3, R2, MinIO and others with If-None-Match on PutObject), ' +
  'AWS_COPY_IF_NOT_EXISTS="header: cf-copy-destination-if-none-match: *" (R2), ' +
  "AWS_S3_LOCKING_PROVIDER=dynamodb with a lock table (DELTA_DYNAMO_TABLE_NAME, default delta_log); " +
  "or, only if a single process ever writes this table, AWS_S3_ALLOW_UNSAFE_RENAME=true";

/** Options of {@link RefusingLogStore}. */
export interface RefusingLogStoreOptions {
  store: ObjectStore;
  /** Why this store cannot commit safely, and how to fix it. */
  reason: string;
}

/** A LogStore that reads but refuses to commit. */
export class RefusingLogStore implements LogStore {
  readonly store: ObjectStore;
  readonly name = "refused";
  readonly reason: string;

  constructor(options: RefusingLogStoreOptions) {
    this.store = options.store;
    this.reason = options.reason;
  }

  checkCanCommit(): void {
    throw new InvalidInputError(`refusing to write: ${this.reason}`, { path: this.store.root });
  }

  async writeCommit({ version }: WriteCommitOptions): Promise<void> {
    throw new InvalidInputError(`refusing to commit: ${this.reason}`, { path: this.store.root, version });
  }

  async readCommit({ version }: ReadCommitOptions): Promise<Uint8Array> {
    return this.store.get(commitKey(version));
  }
}
