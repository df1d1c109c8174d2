/**
 * Log replay (PROTOCOL.md "Action Reconciliation"): folds checkpoint actions and then commits,
 * oldest first, into table state. A file's identity is (canonical path, deletion-vector id), so
 * an add with a new DV replaces the old add only through an explicit remove. The newest protocol
 * and metaData win; the newest txn per appId and domainMetadata per domain win (a removed domain
 * disappears). Unknown actions are ignored.
 */
import type {
  Action,
  AddFile,
  CommitInfo,
  DeletionVectorDescriptor,
  DomainMetadata,
  Metadata,
  Protocol,
  RemoveFile,
  SetTransaction,
} from "./actions.js";

/** The reconciled state of a table at one version. */
export class ReplayState {
  protocol: Protocol | undefined;
  metadata: Metadata | undefined;
  /** Live files by key. */
  readonly files = new Map<string, AddFile>();
  /** Tombstones (removes not followed by a re-add) by key; needed by vacuum and checkpoints. */
  readonly tombstones = new Map<string, RemoveFile>();
  readonly txns = new Map<string, SetTransaction>();
  readonly domains = new Map<string, DomainMetadata>();
  /** commitInfo of the newest replayed commit, when it had one. */
  lastCommitInfo: CommitInfo | undefined;

  /** Applies the actions of one checkpoint or commit, in file order. */
  apply(actions: readonly Action[], isCommit: boolean): void {
    let commitInfo: CommitInfo | undefined;
    for (const a of actions) {
      if (a.add !== undefined) {
        const key = fileKey(a.add.path, a.add.deletionVector);
        this.files.set(key, a.add);
        this.tombstones.delete(key);
      } else if (a.remove !== undefined) {
        const key = fileKey(a.remove.path, a.remove.deletionVector);
        this.files.delete(key);
        this.tombstones.set(key, a.remove);
      } else if (a.metaData !== undefined) {
        this.metadata = a.metaData;
      } else if (a.protocol !== undefined) {
        this.protocol = a.protocol;
      } else if (a.txn !== undefined) {
        this.txns.set(a.txn.appId, a.txn);
      } else if (a.domainMetadata !== undefined) {
        if (a.domainMetadata.removed) this.domains.delete(a.domainMetadata.domain);
        else this.domains.set(a.domainMetadata.domain, a.domainMetadata);
      } else if (a.commitInfo !== undefined) {
        commitInfo = a.commitInfo;
      }
    }
    if (isCommit) this.lastCommitInfo = commitInfo;
  }
}

/** The replay key of a file: canonical path plus the DV's unique id. */
export function fileKey(path: string, dv: DeletionVectorDescriptor | null | undefined): string {
  const p = canonicalPath(path);
  if (dv === null || dv === undefined) return p;
  const offset = dv.offset === null || dv.offset === undefined ? "" : `@${dv.offset}`;
  return `${p}\u0000${dv.storageType}${dv.pathOrInlineDv}${offset}`;
}

/**
 * Canonical form of a log path: percent-decoded, with `file:` URIs reduced to their path, so that
 * `file:///a%20b`, `file:/a%20b` and `/a%20b` name one file.
 */
export function canonicalPath(path: string): string {
  let p = path;
  if (p.startsWith("file:")) {
    p = p.slice(5);
    if (p.startsWith("//")) {
      // file://host/path or file:///path
      const rest = p.slice(2);
      const slash = rest.indexOf("/");
      p = slash >= 0 ? rest.slice(slash) : "/";
    }
  }
  if (p.includes("%")) {
    try {
      p = decodeURIComponent(p);
    } catch {
      // A lone '%' that is not an escape: keep the raw text.
    }
  }
  return p;
}
