/**
 * Log replay (PROTOCOL.md "Action Reconciliation"): folds checkpoint actions and then commits,
 * oldest first, into table state. A file's identity is (canonical path, deletion-vector id), so
 * an add with a new DV replaces the old add only through an explicit remove. The newest protocol
 * and metaData win; the newest txn per appId and domainMetadata per domain win (a removed domain
 * disappears). Unknown actions are ignored.
 *
 * Speed: replay is dominated by building objects the caller may never look at. Commit lines of
 * the common shape `{"add":{"path":"...",...}` (no escapes in the path, no deletion vector) are
 * reconciled from their text alone and kept as strings; they are parsed on first use
 * (materialize). Any other line takes the exact path: JSON.parse.
 */
import { ProtocolError } from "../errors.js";
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

/** A live file or tombstone: the parsed action, or its raw commit line awaiting a parse. */
export type Pending<T> = T | string;

const ADD_PREFIX = '{"add":{"path":"';
const REMOVE_PREFIX = '{"remove":{"path":"';
const DV_MARK = '"deletionVector":{';

/** The reconciled state of a table at one version. */
export class ReplayState {
  protocol: Protocol | undefined;
  metadata: Metadata | undefined;
  /** Live files by key. */
  readonly files = new Map<string, Pending<AddFile>>();
  /** Tombstones (removes not followed by a re-add) by key; needed by vacuum and checkpoints. */
  readonly tombstones = new Map<string, Pending<RemoveFile>>();
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

  /** Applies the NDJSON text of one commit (or compaction file). */
  applyText(text: string, isCommit: boolean, context: { path: string; version: number }): void {
    let commitInfo: CommitInfo | undefined;
    const n = text.length;
    let start = 0;
    let lineNo = 0;
    // Position of the next deletion vector object in the text (one forward scan for the whole text).
    let nextDv = -1;
    while (start < n) {
      let end = text.indexOf("\n", start);
      if (end === -1) end = n;
      lineNo++;
      if (end > start) {
        if (nextDv !== Infinity && nextDv < start) {
          const found = text.indexOf(DV_MARK, start);
          nextDv = found === -1 ? Infinity : found;
        }
        if (!(nextDv < end && nextDv >= start) && this.applyFastLine(text, start, end)) {
          start = end + 1;
          continue;
        }
        const action = parseLine(text.slice(start, end), lineNo, context);
        if (action) {
          const info = this.applyAction(action);
          if (info) commitInfo = info;
        }
      }
      start = end + 1;
    }
    if (isCommit) this.lastCommitInfo = commitInfo;
  }

  /**
   * Reconciles an add/remove line (text[start, end), no deletion vector) from its text; false when
   * the line needs a real parse.
   */
  private applyFastLine(text: string, start: number, end: number): boolean {
    const isAdd = text.startsWith(ADD_PREFIX, start);
    if (!isAdd && !text.startsWith(REMOVE_PREFIX, start)) return false;
    const from = start + (isAdd ? ADD_PREFIX.length : REMOVE_PREFIX.length);
    const close = text.indexOf('"', from);
    if (close < 0 || close >= end) return false;
    const raw = text.slice(from, close);
    if (raw.includes("\\")) return false;
    const key = canonicalPath(raw);
    const line = text.slice(start, end);
    if (isAdd) {
      this.files.set(key, line);
      if (this.tombstones.size > 0) this.tombstones.delete(key);
    } else {
      this.files.delete(key);
      this.tombstones.set(key, line);
    }
    return true;
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

function parseLine(line: string, lineNo: number, context: { path: string; version: number }): Action | undefined {
  let action: unknown;
  try {
    action = JSON.parse(line);
  } catch (cause) {
    if (line.trim() === "") return undefined;
    throw new ProtocolError(`corrupt log line ${lineNo}: not JSON`, { ...context, cause });
  }
  if (typeof action !== "object" || action === null) {
    throw new ProtocolError(`corrupt log line ${lineNo}: not an object`, context);
  }
  return action as Action;
}

/** Parses a pending add (a raw commit line) into its AddFile. */
export function materializeAdd(entry: Pending<AddFile>): AddFile {
  return typeof entry === "string" ? (JSON.parse(entry) as { add: AddFile }).add : entry;
}

/** Parses a pending remove (a raw commit line) into its RemoveFile. */
export function materializeRemove(entry: Pending<RemoveFile>): RemoveFile {
  return typeof entry === "string" ? (JSON.parse(entry) as { remove: RemoveFile }).remove : entry;
}

const SIZE = /"size":(\d+)/;

/** The size of a pending add without parsing the whole line. */
export function pendingSize(entry: Pending<AddFile>): number {
  if (typeof entry !== "string") return Number(entry.size);
  const m = SIZE.exec(entry);
  return m ? Number(m[1]) : materializeAdd(entry).size;
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
