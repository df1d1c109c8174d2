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
 * newest entry (readers call it before loading a snapshot), and a writer that loses version N
 * finishes N before handing its bytes to the commit loop. Before step 1 the writer reads `N.json`:
 * if it exists (a writer whose snapshot is older than the entries' one-day TTL, or a table also
 * written without the lock) that is a lost race, and nothing is ever overwritten.
 */
import { NotFoundError, ProtocolError, StorageError } from "../errors.js";
import { commitKey } from "../log/path.js";
import { fileNameOf, type CommitEntry, type DynamoLockTable } from "./dynamodb-lock.js";
import { CommitExistsError, type LogStore, type ReadCommitOptions, type RepairResult, type WriteCommitOptions } from "./log-store.js";
import { copyObject, deleteQuietly, newTempCommitName, tempCommitKey } from "./temp-commit.js";
import { getIfExists, objectExists, type ObjectStore } from "../storage/object-store.js";

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
    const present = await getIfExists(this.store, target);
    if (present !== undefined) {
      throw new CommitExistsError(`version ${version} was committed by another writer`, { path, version, winner: present });
    }
    const tempPath = newTempCommitName();
    const tempKey = tempCommitKey(tempPath);
    await this.store.put(tempKey, body);
    const entry: CommitEntry = { version, tempPath, complete: false };
    let other: CommitEntry | undefined;
    try {
      const put = await this.lockTable.putEntry(entry);
      // ConditionalCheckFailed also answers a repeat of our own PutItem: the entry then names our file.
      if (!put.created) other = put.existing ?? (await this.lockTable.getEntry(version));
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
      other = seen;
    }
    if (other !== undefined && other.tempPath !== tempPath) {
      await deleteQuietly(this.store, tempKey);
      // Hand the winner's bytes to the commit loop, finishing its commit first if needed.
      const winner = await this.readFinishing(version, other);
      throw new CommitExistsError(`version ${version} is locked by another writer (DynamoDB entry exists)`, { path, version, winner });
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

  /**
   * Reads `N.json` as it is. A version whose lock entry is still incomplete reads as missing until
   * someone finishes it: {@link repair} does for the newest entry, and a writer that loses version
   * N finishes N before reporting the conflict (the loser's CommitExistsError carries its bytes).
   */
  async readCommit({ version }: ReadCommitOptions): Promise<Uint8Array> {
    return this.store.get(commitKey(version));
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
   * N.json's bytes, finishing the entry first when N.json is missing and the entry incomplete
   * (undefined when a complete entry's N.json is gone: log cleanup removed it).
   */
  private async readFinishing(version: number, entry: CommitEntry | undefined): Promise<Uint8Array | undefined> {
    const present = await getIfExists(this.store, commitKey(version));
    if (present !== undefined || entry === undefined || entry.complete) return present;
    await this.finish(entry, { checkTarget: true });
    return getIfExists(this.store, commitKey(version));
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
        if (!(checkTarget && (await objectExists(this.store, target)))) await copyObject(this.store, temp, target);
        break;
      } catch (err) {
        if (err instanceof NotFoundError) {
          if (await objectExists(this.store, target)) break; // moved by another client
          throw new ProtocolError(
            `lock table "${this.lockTable.tableName}" has an incomplete entry for version ${entry.version}, but neither ${temp} nor ${target} exists; ` +
              `the commit is lost: delete the item {tablePath: "${this.lockTable.tablePath}", fileName: "${fileNameOf(entry.version)}"} to unblock writers`,
            {
              path,
              version: entry.version,
              cause: err,
            },
          );
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

