/**
 * Transaction: the one way delta-edge changes a table. Built from the snapshot it read (none for a
 * create), it stages actions (add, remove, metaData, protocol, txn, domainMetadata, cdc) and what
 * it read (a predicate over files, or the whole table), then `commit()` checks them (writer
 * feature gate, append-only, reconcile-key rules, idempotent txns), writes the commit at
 * readVersion+1 through the LogStore, resolves races (commit-loop.ts, conflict.ts), and finally
 * runs the post-commit hooks (checkpoint every `delta.checkpointInterval` versions, log cleanup),
 * whose failures never fail the commit.
 */
import { InvalidInputError } from "../errors.js";
import type { AddFile, CdcFile, DomainMetadata, Metadata, Protocol, RemoveFile, SetTransaction } from "../log/actions.js";
import { fileKey } from "../log/replay.js";
import type { LogStore } from "../logstore/log-store.js";
import { selectLogStore } from "../logstore/select.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { Snapshot } from "../table/snapshot.js";
import { emptyActions, removeFor, serializeCommit, validateActions, type StagedActions } from "./commit-actions.js";
import { runPostCommitHooks, type PostCommitOptions, type PostCommitReport } from "./commit-hooks.js";
import { buildCommitInfo, type CommitInfoInput } from "./commit-info.js";
import { runCommitLoop } from "./commit-loop.js";
import { checkAppendOnly, checkNoDowngrade, columnTypesChanged, commitShape, effectiveState, ictState, type EffectiveState } from "./commit-rules.js";
import type { IsolationLevel, TransactionFootprint } from "./conflict.js";
import { checkWritable, validateNewProtocol } from "./protocol-writer.js";

/** Options of {@link Transaction}. */
export interface TransactionOptions extends CommitInfoInput {
  /** The table's store. */
  store: ObjectStore;
  /** How commits become visible (default: `selectLogStore({ store })`, i.e. the store's configured strategy). */
  logStore?: LogStore | undefined;
  /** The snapshot the transaction read; undefined to create the table at version 0. */
  snapshot?: Snapshot | undefined;
  /** Default "Serializable": concurrent adds matching the read predicate conflict. */
  isolationLevel?: IsolationLevel | undefined;
  /** Commit PUTs to try before giving up with CommitConflictError (default 15). */
  maxAttempts?: number | undefined;
  /** Row-constraint features (invariants, checkConstraints, ...) the caller enforced on new rows. */
  validated?: readonly string[] | undefined;
  /** The commit rewrites existing rows (DELETE/UPDATE/MERGE copying rows): needs cdc files on CDF tables. */
  rewritesRows?: boolean | undefined;
  /** Post-commit checkpoint and log cleanup (default both on); false turns both off. */
  postCommit?: Omit<PostCommitOptions, "store" | "version" | "now" | "onWarning"> | false | undefined;
  /** Clock in ms since the epoch (default Date.now). */
  now?: (() => number) | undefined;
  /** Where non-fatal problems (a failed checkpoint) are reported (default console.warn). */
  onWarning?: ((message: string, error?: unknown) => void) | undefined;
  /** commitInfo.engineInfo (default "delta-edge/<version>"). */
  engineInfo?: string | undefined;
}

/** The result of {@link Transaction.commit}. */
export interface CommitResult {
  /** "committed", or "skipped" when an idempotent txn showed the batch was already committed. */
  status: "committed" | "skipped";
  /** The version written; for a skip, the version whose txn made the batch redundant. */
  version: number;
  /** Commit PUTs made (0 for a skip decided from the snapshot). */
  attempts: number;
  /** Versions won by concurrent writers that this commit checked and moved past. */
  winners: number[];
  /** The unique id written to commitInfo.txnId. */
  txnId: string;
  /** For a skip: the appId whose txn version was already at or past ours. */
  skippedFor?: { appId: string; version: number } | undefined;
  /** Post-commit hooks (checkpoint, cleanup); absent for skips. */
  postCommit?: PostCommitReport | undefined;
}

/** A transaction on one table. Single use: stage actions, then commit once. */
export class Transaction {
  /** The unique id of this transaction (commitInfo.txnId). */
  readonly txnId: string = crypto.randomUUID();
  /** The version read, or undefined for a create. */
  readonly readVersion: number | undefined;
  private readonly options: TransactionOptions;
  private readonly staged: StagedActions = emptyActions();
  private readPredicate: ((add: AddFile) => boolean) | undefined;
  private committed = false;

  constructor(options: TransactionOptions) {
    this.options = options;
    this.readVersion = options.snapshot?.version;
  }

  /** Stages add actions (data files that become part of the table). */
  addFiles(adds: Iterable<AddFile>): this {
    for (const a of adds) this.staged.adds.push(a);
    return this;
  }

  /** Stages remove actions; removes of live DV files must carry the DV (see {@link removeFile}). */
  removeFiles(removes: Iterable<RemoveFile>): this {
    for (const r of removes) this.staged.removes.push(r);
    return this;
  }

  /** Stages the removal of a live file, carrying its deletion vector and extended metadata. */
  removeFile(add: AddFile, options: { dataChange?: boolean } = {}): this {
    const opts = options.dataChange === undefined ? { deletionTimestamp: this.now() } : { deletionTimestamp: this.now(), dataChange: options.dataChange };
    this.staged.removes.push(removeFor(add, opts));
    return this;
  }

  /** Stages change-data files (for CDF tables whose commit rewrites rows). */
  addCdcFiles(cdc: Iterable<CdcFile>): this {
    for (const c of cdc) this.staged.cdc.push(c);
    return this;
  }

  /** Stages a new metaData action (replacing any staged one). */
  setMetadata(metadata: Metadata): this {
    this.staged.metadata = metadata;
    return this;
  }

  /** Stages a new protocol action (replacing any staged one). */
  setProtocol(protocol: Protocol): this {
    this.staged.protocol = protocol;
    return this;
  }

  /** Stages an idempotent-write marker; the commit is skipped if the table already has version >= this. */
  setAppTransaction(txn: { appId: string; version: number; lastUpdated?: number }): this {
    const t: SetTransaction = { appId: txn.appId, version: txn.version, lastUpdated: txn.lastUpdated ?? this.now() };
    this.staged.txns = this.staged.txns.filter((x) => x.appId !== txn.appId).concat(t);
    return this;
  }

  /** Stages a user domain's metadata (set, or removed=true to delete it). */
  setDomainMetadata(domain: { domain: string; configuration: string; removed?: boolean }): this {
    const d: DomainMetadata = { domain: domain.domain, configuration: domain.configuration, removed: domain.removed ?? false };
    this.staged.domains = this.staged.domains.filter((x) => x.domain !== domain.domain).concat(d);
    return this;
  }

  /** Marks the result as depending on the whole table (overwrite, delete without a partition filter). */
  readWholeTable(): this {
    this.readPredicate = () => true;
    return this;
  }

  /**
   * Marks the result as depending on the files a predicate selects (e.g. the partitions a
   * replaceWhere touches). Predicates accumulate (a file matching any of them was read).
   */
  readWhere(predicate: (add: AddFile) => boolean): this {
    const prior = this.readPredicate;
    this.readPredicate = prior ? (f) => prior(f) || predicate(f) : predicate;
    return this;
  }

  /** Validates, commits and runs the post-commit hooks. */
  async commit(): Promise<CommitResult> {
    if (this.committed) throw new InvalidInputError("a transaction can be committed only once");
    this.committed = true;
    const o = this.options;
    const { store, snapshot } = o;
    if (!store.writable) throw new InvalidInputError("the store is read-only", { path: store.root });
    // Idempotent writes: nothing to do if the snapshot already has our batch.
    for (const t of this.staged.txns) {
      const seen = snapshot?.appTransactionVersion(t.appId, this.now());
      if (seen !== undefined && seen >= t.version) {
        return { status: "skipped", version: snapshot?.version ?? 0, attempts: 0, winners: [], txnId: this.txnId, skippedFor: { appId: t.appId, version: seen } };
      }
    }
    const state = this.validate();
    const footprint = this.footprint();
    const ict = ictState(snapshot, state);
    const isBlindAppend = this.readPredicate === undefined && this.staged.removes.length === 0 && this.staged.adds.every((a) => a.dataChange);
    const result = await runCommitLoop({
      logStore: o.logStore ?? selectLogStore({ store }),
      path: store.root,
      firstVersion: (snapshot?.version ?? -1) + 1,
      isCreate: snapshot === undefined,
      maxAttempts: o.maxAttempts ?? 15,
      footprint,
      ict: ict.enabled ? { now: () => this.now(), previous: ict.previous } : undefined,
      buildBody: ({ version, inCommitTimestamp }) => {
        const actions = ict.enabling && inCommitTimestamp !== undefined ? withIctEnablement(this.staged, version, inCommitTimestamp) : this.staged;
        const info = buildCommitInfo(o, {
          txnId: this.txnId,
          timestamp: this.now(),
          readVersion: snapshot?.version,
          isolationLevel: footprint.isolationLevel,
          isBlindAppend,
          inCommitTimestamp,
          engineInfo: o.engineInfo,
        });
        return serializeCommit(info, actions);
      },
    });
    const base = { version: result.version, attempts: result.attempts, winners: result.winners, txnId: this.txnId };
    if (result.kind === "skipped") return { status: "skipped", ...base, skippedFor: { appId: result.appId, version: result.winnerTxnVersion } };
    const postCommit =
      o.postCommit === false
        ? undefined
        : await runPostCommitHooks({ ...(o.postCommit ?? {}), store, version: result.version, metadata: state.metadata, now: () => this.now(), onWarning: o.onWarning });
    return { status: "committed", ...base, postCommit };
  }

  /** Runs every pre-commit check; fills in missing deletion timestamps. */
  private validate(): EffectiveState {
    const { store, snapshot, validated } = this.options;
    const path = store.root;
    const state = effectiveState(path, snapshot, this.staged);
    const version = (snapshot?.version ?? -1) + 1;
    if (this.staged.protocol) {
      validateNewProtocol(this.staged.protocol, { path, version });
      if (snapshot) checkNoDowngrade(snapshot.protocol, this.staged.protocol, { path, version });
    }
    const commit = commitShape(this.staged, this.options.rewritesRows ?? false, columnTypesChanged(snapshot?.metadata, this.staged.metadata));
    if (snapshot) checkWritable({ protocol: snapshot.protocol, metadata: snapshot.metadata, commit, validated, path, version: snapshot.version });
    checkWritable({ protocol: state.protocol, metadata: state.metadata, priorMetadata: snapshot?.metadata, commit, validated, path, version });
    checkAppendOnly(this.staged, [snapshot?.metadata, state.metadata], path);
    const live = snapshot && this.staged.removes.length > 0 ? liveFileMaps(snapshot) : undefined;
    validateActions(this.staged, {
      path,
      metadata: state.metadata,
      deletionVectorsEnabled: state.deletionVectorsEnabled,
      liveFiles: live?.byKey,
      liveByPath: live?.byPath,
    });
    const removedAt = this.now();
    this.staged.removes = this.staged.removes.map((r) =>
      r.deletionTimestamp === undefined || r.deletionTimestamp === null ? { ...r, deletionTimestamp: removedAt } : r,
    );
    return state;
  }

  /** What the conflict checker needs to know about this transaction. */
  private footprint(): TransactionFootprint {
    const snapshot = this.options.snapshot;
    let readFiles: Map<string, AddFile> | undefined;
    return {
      path: this.options.store.root,
      isolationLevel: this.options.isolationLevel ?? "Serializable",
      readPredicate: this.readPredicate,
      readFile: (key) => (readFiles ??= snapshot ? liveFileMaps(snapshot).byKey : new Map()).get(key),
      removedKeys: new Set(this.staged.removes.map((r) => fileKey(r.path, r.deletionVector))),
      appTransactions: new Map(this.staged.txns.map((t) => [t.appId, t.version])),
      domains: new Set(this.staged.domains.map((d) => d.domain)),
      changesMetadata: this.staged.metadata !== undefined,
    };
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

/** The read snapshot's live files by replay key and by canonical path. */
function liveFileMaps(snapshot: Snapshot): { byKey: Map<string, AddFile>; byPath: Map<string, AddFile[]> } {
  const byKey = new Map<string, AddFile>();
  const byPath = new Map<string, AddFile[]>();
  for (const f of snapshot.files()) {
    byKey.set(fileKey(f.path, f.deletionVector), f);
    const p = fileKey(f.path, undefined);
    const list = byPath.get(p);
    if (list) list.push(f);
    else byPath.set(p, [f]);
  }
  return { byKey, byPath };
}

/** Records the ICT enablement version and timestamp in the staged metaData (PROTOCOL.md ICT rule 4). */
function withIctEnablement(staged: StagedActions, version: number, ict: number): StagedActions {
  const metadata = staged.metadata;
  if (!metadata) return staged;
  const configuration = {
    ...metadata.configuration,
    "delta.inCommitTimestampEnablementVersion": String(version),
    "delta.inCommitTimestampEnablementTimestamp": String(ict),
  };
  return { ...staged, metadata: { ...metadata, configuration } };
}
