/**
 * The change files of one commit (PROTOCOL.md "Add CDC File", delta-kernel-rs table changes log
 * replay): when the commit has `cdc` actions, its change data files and nothing else; otherwise
 * every `add` with dataChange=true (its live rows are inserts) and every `remove` with
 * dataChange=true (its live rows are deletes), except that an add and a remove of the same path
 * are one logical file whose deletion vector changed: only the rows whose deletion state changed
 * are changes (see dv-diff.ts). Actions with dataChange=false (OPTIMIZE, stats updates) change no
 * rows. Also picks up the commit's metaData, protocol and commitInfo, which the feed checks.
 */
import { ProtocolError } from "../errors.js";
import type { Action, AddFile, CdcFile, CommitInfo, Metadata, Protocol, RemoveFile } from "../log/actions.js";
import { canonicalPath } from "../log/replay.js";

/** One source of change rows in a commit. */
export type ChangeFile =
  /** A change data file: its rows carry their own `_change_type`. */
  | { kind: "cdc"; cdc: CdcFile }
  /** An added file: its live rows are inserts. */
  | { kind: "insert"; add: AddFile }
  /** A removed file: its live rows (under the remove's deletion vector) are deletes. */
  | { kind: "delete"; remove: RemoveFile }
  /** A file whose deletion vector went from the remove's to the add's. */
  | { kind: "dvUpdate"; add: AddFile; remove: RemoveFile };

/** What one commit contributes to the feed. */
export interface CommitChanges {
  version: number;
  /** Whether the commit has change data files (then `files` holds only those). */
  hasCdc: boolean;
  files: ChangeFile[];
  metadata: Metadata | undefined;
  protocol: Protocol | undefined;
  commitInfo: CommitInfo | undefined;
}

/** Sorts a commit's actions into change files. */
export function commitChanges(actions: readonly Action[], context: { path: string; version: number }): CommitChanges {
  const cdc: ChangeFile[] = [];
  const adds: AddFile[] = [];
  const removes = new Map<string, RemoveFile>();
  let metadata: Metadata | undefined;
  let protocol: Protocol | undefined;
  let commitInfo: CommitInfo | undefined;
  for (const a of actions) {
    if (a.cdc) cdc.push({ kind: "cdc", cdc: a.cdc });
    else if (a.add) {
      if (a.add.dataChange !== false) adds.push(a.add);
    } else if (a.remove) {
      if (a.remove.dataChange === false) continue;
      const key = canonicalPath(a.remove.path);
      if (removes.has(key)) throw duplicate("remove", a.remove.path, context);
      removes.set(key, a.remove);
    } else if (a.metaData) metadata = a.metaData;
    else if (a.protocol) protocol = a.protocol;
    else if (a.commitInfo) commitInfo = a.commitInfo;
  }
  const base = { version: context.version, metadata, protocol, commitInfo };
  if (cdc.length > 0) return { ...base, hasCdc: true, files: cdc };
  const files: ChangeFile[] = [];
  const seen = new Set<string>();
  const paired = new Set<string>();
  for (const add of adds) {
    const key = canonicalPath(add.path);
    if (seen.has(key)) throw duplicate("add", add.path, context);
    seen.add(key);
    const remove = removes.get(key);
    if (remove === undefined) files.push({ kind: "insert", add });
    else {
      paired.add(key);
      files.push({ kind: "dvUpdate", add, remove });
    }
  }
  for (const [key, remove] of removes) if (!paired.has(key)) files.push({ kind: "delete", remove });
  return { ...base, hasCdc: false, files };
}

function duplicate(kind: string, path: string, context: { path: string; version: number }): ProtocolError {
  return new ProtocolError(`the commit has two ${kind} actions for file ${path} (at most one is allowed)`, context);
}
