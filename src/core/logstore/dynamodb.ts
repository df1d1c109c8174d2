/**
 * DynamoDbLogStore: commits through a DynamoDB lock table, for S3 endpoints without create-only
 * writes (AWS_S3_LOCKING_PROVIDER=dynamodb), compatible with delta-rs's S3DynamoDbLogStore and
 * Spark's S3DynamoDBLogStore (same table, keys and conditions; see dynamodb-lock.ts). A commit:
 * 1. write the body to a temp file `_delta_log/_commit_<uuid>.json.tmp`;
 * 2. PutItem {tablePath, fileName: N.json, tempPath, complete: "false"} if no entry exists
 *    (ConditionalCheckFailed: another writer owns version N -> CommitExistsError);
 * 3. copy the temp file to `N.json`;
 * 4. UpdateItem complete = "true", expireTime = now + 86400 (only if still incomplete);
 * then the temp file is deleted. The PutItem is the commit point: anyone who finds an incomplete
 * entry (the writer died between 2 and 4) finishes it by steps 3-4 — `repair()` does that for the
 * newest entry (readers call it before loading a snapshot), `readCommit` for the version it reads.
 * Before step 2 the writer checks that `N.json` does not exist, so a writer whose snapshot is older
 * than the entries' one-day TTL, or a table also written without the lock, is never overwritten.
 */
import { NotFoundError, ProtocolError, StorageError } from "../errors.js";
import { commitKey } from "../log/path.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { CommitEntry, DynamoLockTable } from "./dynamodb-lock.js";
import { CommitExistsError, type LogStore, type ReadCommitOptions, type RepairResult, type WriteCommitOptions } from "./log-store.js";
import { copyObject, deleteQuietly, exists, newTempCommitName, tempCommitKey } from "./temp-commit.js";

/** Options of {@link DynamoDbLogStore}. */
export interface DynamoDbLogStoreOptions {
  store: ObjectStore;
  /** The lock table, bound to this Delta table's `tablePath`. */
  lockTable: DynamoLockTable;
  /** Clock in ms since the epoch (default Date.now), for expireTime. */
  now?: (() => number) | undefined;
  /** Copy attempts when finishing an entry (default 4, as delta-rs: 1 + 3 retries). */
  repairAttempts?: number | undefined;
}

/** Commits through a DynamoDB lock table (delta-rs / Spark compatible). */
export class DynamoDbLogStore implements LogStore {
  readonly store: ObjectStore;
  readonly name = "dynamodb";
  readonly lockTable: DynamoLockTable;
  private readonly now: () => number;
  private readonly repairAttempts: number;

  constructor(options: DynamoDbLogStoreOptions) {
    this.store = options.store;
    this.lockTable = options.lockTable;
    this.now = options.now ?? Date.now;
    this.repairAttempts = Math.max(1, options.repairAttempts ?? 4);
  }

  async writeCommit({ version, body }: WriteCommitOptions): Promise<void> {
    const path = this.store.root;
    const target = commitKey(version);
    if (await exists(this.store, target)) {
      throw new CommitExistsError(`version ${version} was committed by another writer`, { path, version });
    }
    const tempPath = newTempCommitName();
    const tempKey = tempCommitKey(tempPath);
    await this.store.put(tempKey, body);
    const entry: CommitEntry = { version, tempPath, complete: false };
    let mine: boolean;
    try {
      // ConditionalCheckFailed can also answer a repeat of our own PutItem: the entry then names our file.
      mine = (await this.lockTable.putEntry(entry)) === "created" || (await this.lockTable.getEntry(version))?.tempPath === tempPath;
    } catch (err) {
      // Unknown outcome: the entry may exist (or still appear) naming our temp file, so the file stays.
      const seen = await this.lockTable.getEntry(version).catch((readError: unknown) => {
        throw new StorageError("commit outcome unknown: PutItem failed and reading the lock entry failed too", {
          path,
          version,
          cause: new AggregateError([err, readError]),
        });
      });
      if (seen === undefined) throw new StorageError("writing the lock table entry failed", { path, version, cause: err });
      mine = seen.tempPath === tempPath;
    }
    if (!mine) {
      await deleteQuietly(this.store, tempKey);
      throw new CommitExistsError(`version ${version} is locked by another writer (DynamoDB entry exists)`, { path, version });
    }
    // The version is ours from here on: finish it (any reader would finish it too).
    try {
      await this.finish(entry, { checkTarget: false });
    } catch (err) {
      throw new StorageError(
        `version ${version} is reserved in lock table "${this.lockTable.tableName}" but could not be finished; ` +
          `the next reader or writer completes it from ${tempKey}`,
        { path, version, cause: err },
      );
    }
  }

  async readCommit({ version }: ReadCommitOptions): Promise<Uint8Array> {
    const key = commitKey(version);
    try {
      return await this.store.get(key);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      const entry = await this.lockTable.getEntry(version);
      if (entry === undefined || entry.complete) throw err;
      await this.finish(entry, { checkTarget: true });
      return this.store.get(key);
    }
  }

  async latestVersionHint(): Promise<number | undefined> {
    return (await this.repair())?.version;
  }

  /** Finishes the newest entry when it is incomplete; undefined when the lock table has no entry for the table. */
  async repair(): Promise<RepairResult | undefined> {
    const entry = await this.lockTable.latestEntry();
    if (entry === undefined) return undefined;
    if (entry.complete) return { version: entry.version, repaired: false };
    await this.finish(entry, { checkTarget: true });
    return { version: entry.version, repaired: true };
  }

  /**
   * Steps 3-4 for an entry: copy its temp file to N.json (unless `checkTarget` finds N.json there
   * already), mark it complete, delete the temp file. Safe to run concurrently from many clients:
   * every copy writes the same bytes, and a vanished temp file means someone else copied it.
   */
  private async finish(entry: CommitEntry, { checkTarget }: { checkTarget: boolean }): Promise<void> {
    const path = this.store.root;
    const target = commitKey(entry.version);
    const temp = tempCommitKey(entry.tempPath);
    for (let attempt = 1; ; attempt++) {
      try {
        if (!(checkTarget && (await exists(this.store, target)))) await copyObject(this.store, temp, target);
        break;
      } catch (err) {
        if (err instanceof NotFoundError) {
          if (await exists(this.store, target)) break; // moved by another client
          throw new ProtocolError(`lock table entry for version ${entry.version} is incomplete, but neither ${temp} nor ${target} exists`, {
            path,
            version: entry.version,
            cause: err,
          });
        }
        if (attempt >= this.repairAttempts) throw err;
      }
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await this.lockTable.completeEntry(entry.version, Math.floor(this.now() / 1000));
        break;
      } catch (err) {
        if (attempt >= this.repairAttempts) throw err;
      }
    }
    await deleteQuietly(this.store, temp);
  }
}
