/**
 * Log replay (PROTOCOL.md "Action Reconciliation"): folds checkpoint actions and then commits,
 * oldest first, into table state. A file's identity is (canonical path, deletion-vector id), so
 * an add with a new DV replaces the old add only through an explicit remove. The newest protocol
 * and metaData win; the newest txn per appId and domainMetadata per domain win (a removed domain
 * disappears). Unknown actions are ignored.
 *
 * Speed: replay is dominated by building objects the caller may never look at. Commit lines of
 * the common shape `{"add":{"path":"...",...}}` (compact, usual field order, no escapes in the
 * path, no deletion vector) are proven complete and well-formed by a regular expression
 * (file-action-line.ts), reconciled from their text and kept as strings; they are parsed on first
 * use (materialize). Every other line takes the exact path: JSON.parse, then toAction
 * (actions.ts). Either way a line that is not one complete JSON action of the right shape is a
 * ProtocolError naming the file, version and line, and is never applied.
 */
import type {
  Action,
  ActionSource,
  AddFile,
  CommitInfo,
  DeletionVectorDescriptor,
  DomainMetadata,
  Metadata,
  Protocol,
  RemoveFile,
  SetTransaction,
} from "./actions.js";
import { parseActionLine } from "./commit-file.js";
import { FileTable } from "./file-table.js";
import { ADD_PATH_OFFSET, REMOVE_PATH_OFFSET, matchFileActionLine, provenAddSize } from "./file-action-line.js";

/** A live file or tombstone: the parsed action, or its proven commit line awaiting a parse. */
export type Pending<T> = T | string;

/** The reconciled state of a table at one version. */
export class ReplayState {
  protocol: Protocol | undefined;
  metadata: Metadata | undefined;
  /** Live files by key. */
  readonly files = new FileTable<AddFile>();
  /** Tombstones (removes not followed by a re-add) by key; needed by vacuum and checkpoints. */
  readonly tombstones = new FileTable<RemoveFile>();
  readonly txns = new Map<string, SetTransaction>();
  readonly domains = new Map<string, DomainMetadata>();
  /** commitInfo of the newest replayed commit, when it had one. */
  lastCommitInfo: CommitInfo | undefined;

  /** Applies already-parsed actions of one checkpoint or commit, in file order. */
  apply(actions: readonly Action[], isCommit: boolean): void {
    let commitInfo: CommitInfo | undefined;
    for (const a of actions) {
      const info = this.applyAction(a);
      if (info) commitInfo = info;
    }
    if (isCommit) this.lastCommitInfo = commitInfo;
  }

  /**
   * Applies the NDJSON text of one commit (or compaction file). A bad line throws; the state is
   * then unusable (loading fails as a whole).
   */
  applyText(text: string, isCommit: boolean, source: ActionSource): void {
    const n = text.length;
    let commitInfo: CommitInfo | undefined;
    let start = 0;
    let lineNo = 0;
    // Position of the next '%' (one forward search per text): a path with one needs decoding.
    let nextPercent = -1;
    // Add lines are rarely shorter than ~100 characters: room for that many at once.
    this.files.reserve(Math.floor(n / 100));
    while (start < n) {
      let end = text.indexOf("\n", start);
      if (end === -1) end = n;
      lineNo++;
      if (end > start) {
        const kind = matchFileActionLine(text, start, end);
        if (kind !== 0) {
          // The key is the path's text itself unless it needs canonicalPath (a '%' or file: URI).
          let keyText = text;
          let from = start + (kind === 1 ? ADD_PATH_OFFSET : REMOVE_PATH_OFFSET);
          let to = text.indexOf('"', from);
          if (nextPercent < from) {
            nextPercent = text.indexOf("%", from);
            if (nextPercent === -1) nextPercent = n;
          }
          if (nextPercent < to || text.startsWith("file:", from)) {
            keyText = canonicalPath(text.slice(from, to));
            from = 0;
            to = keyText.length;
          }
          if (kind === 1) {
            this.files.setLine(keyText, from, to, text, start, end);
            if (this.tombstones.size > 0) this.tombstones.delete(keyText, from, to);
          } else {
            this.files.delete(keyText, from, to);
            this.tombstones.setLine(keyText, from, to, text, start, end);
          }
        } else {
          const action = parseActionLine(text.slice(start, end), `line ${lineNo}`, source);
          if (action) {
            const info = this.applyAction(action);
            if (info) commitInfo = info;
          }
        }
      }
      start = end + 1;
    }
    if (isCommit) this.lastCommitInfo = commitInfo;
  }

  private applyAction(a: Action): CommitInfo | undefined {
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
      return a.commitInfo;
    }
    return undefined;
  }
}

/** Parses a pending add (a proven commit line) into its AddFile. */
export function materializeAdd(entry: Pending<AddFile>): AddFile {
  return typeof entry === "string" ? (JSON.parse(entry) as { add: AddFile }).add : entry;
}

/** Parses a pending remove (a proven commit line) into its RemoveFile. */
export function materializeRemove(entry: Pending<RemoveFile>): RemoveFile {
  return typeof entry === "string" ? (JSON.parse(entry) as { remove: RemoveFile }).remove : entry;
}

/** The size of a pending add without parsing it. */
export function pendingSize(entry: Pending<AddFile>): number {
  return typeof entry === "string" ? provenAddSize(entry) : entry.size;
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
