/**
 * Logical conflict detection between a transaction and the commits that won the versions it
 * wanted (the rules of Spark's and delta-rs's ConflictChecker; the protocol leaves them to
 * writers). A winner conflicts when it changed the protocol or the metadata; added files our read
 * predicate would have matched (Serializable; WriteSerializable ignores blind appends unless we
 * change metadata); removed files we read or remove; wrote a txn for one of our appIds (with a
 * version >= ours that means our batch is already in: skip, not fail); or touched one of our
 * domains. Otherwise the transaction may retry at the next version unchanged.
 */
import { CommitConflictError } from "../errors.js";
import type { Action, AddFile, CommitInfo, RemoveFile } from "../log/actions.js";
import { fileKey } from "../log/replay.js";

/** Isolation levels (Spark's names). */
export type IsolationLevel = "Serializable" | "WriteSerializable";

/** A commit that won a version this transaction wanted. */
export interface WinningCommit {
  version: number;
  actions: readonly Action[];
}

/** What the transaction read and wrote, as the conflict rules see it. */
export interface TransactionFootprint {
  path: string;
  isolationLevel: IsolationLevel;
  /**
   * Which files the transaction's result depends on: undefined for a blind write, else a
   * predicate over AddFile (`() => true` for the whole table).
   */
  readPredicate: ((add: AddFile) => boolean) | undefined;
  /** The read snapshot's live file for a replay key (to learn whether a removed file was read). */
  readFile: (key: string) => AddFile | undefined;
  /** Replay keys of the files this transaction removes. */
  removedKeys: ReadonlySet<string>;
  /** appId -> version of the txn actions this transaction writes. */
  appTransactions: ReadonlyMap<string, number>;
  /** Domains this transaction writes. */
  domains: ReadonlySet<string>;
  /** Whether this transaction writes a metaData action. */
  changesMetadata: boolean;
}

/** Outcome of checking one winner: retry, or skip because an idempotent txn already landed. */
export type ConflictOutcome =
  | { kind: "retry"; inCommitTimestamp: number | undefined }
  | { kind: "skip"; appId: string; winnerTxnVersion: number };

/**
 * Checks one winning commit against the transaction.
 * @throws CommitConflictError naming the winner's version and the kind of conflict.
 */
export function checkWinner(tx: TransactionFootprint, winner: WinningCommit): ConflictOutcome {
  const fail = (kind: string, detail: string): CommitConflictError =>
    new CommitConflictError(`${kind}: ${detail} by the concurrent commit at version ${winner.version}`, {
      path: tx.path,
      version: winner.version,
    });
  let info: CommitInfo | undefined;
  const adds: AddFile[] = [];
  const removes: RemoveFile[] = [];
  for (const a of winner.actions) {
    if (a.protocol) throw fail("protocol changed", "the table protocol was changed");
    if (a.metaData) throw fail("metadata changed", "the table metadata (schema, partitioning or properties) was changed");
    if (a.commitInfo) info = a.commitInfo;
    if (a.add) adds.push(a.add);
    if (a.remove) removes.push(a.remove);
  }
  // Idempotent transactions first: a winner carrying our batch means we are done, not in conflict.
  for (const a of winner.actions) {
    if (!a.txn) continue;
    const ours = tx.appTransactions.get(a.txn.appId);
    if (ours === undefined) continue;
    if (a.txn.version >= ours) return { kind: "skip", appId: a.txn.appId, winnerTxnVersion: a.txn.version };
    throw fail("concurrent transaction", `app ${a.txn.appId} committed txn version ${a.txn.version}`);
  }
  if (tx.readPredicate) {
    const blind = info?.isBlindAppend === true;
    const considerBlind = tx.isolationLevel === "Serializable" || tx.changesMetadata;
    for (const add of adds) {
      if (!add.dataChange || (blind && !considerBlind)) continue;
      if (tx.readPredicate(add)) throw fail("concurrent append", `file ${add.path}, which this transaction's read would have matched, was added`);
    }
    for (const remove of removes) {
      const read = tx.readFile(fileKey(remove.path, remove.deletionVector));
      if (read && tx.readPredicate(read)) throw fail("concurrent delete-read", `file ${remove.path}, which this transaction read, was removed`);
    }
  }
  for (const remove of removes) {
    if (tx.removedKeys.has(fileKey(remove.path, remove.deletionVector))) {
      throw fail("concurrent delete-delete", `file ${remove.path}, which this transaction also removes, was removed`);
    }
  }
  for (const a of winner.actions) {
    if (a.domainMetadata && tx.domains.has(a.domainMetadata.domain)) {
      throw fail("concurrent domain update", `domain ${a.domainMetadata.domain} was written`);
    }
  }
  const ict = info?.inCommitTimestamp;
  return { kind: "retry", inCommitTimestamp: typeof ict === "number" ? ict : undefined };
}
