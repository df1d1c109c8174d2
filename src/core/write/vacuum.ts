/**
 * VACUUM (PROTOCOL.md "Vacuum"; Spark/delta-rs semantics): delete data files (and deletion-vector
 * files) that no version within the retention period references and that are themselves older
 * than it. Referenced: live files and their DVs, plus files removed less than `retention` ago
 * (time travel to those versions still needs them). Never touched: `_delta_log/`, and hidden
 * paths (a segment starting with `_` or `.` that is not a partition directory `name=value`). The
 * writer protocol is checked first (vacuumProtocolCheck), and a retention shorter than the table's
 * `delta.deletedFileRetentionDuration` (default 7 days) is refused unless explicitly allowed.
 *
 * Litter of writers that died mid-write is reclaimed too, once older than the retention: the
 * store's own temporary files (ObjectMeta.temporary, e.g. LocalStore's `.delta-edge-tmp-*`,
 * listed only for vacuum), wherever they are, `_delta_log/` included, and the commit strategies'
 * staged commits `_delta_log/_commit_<uuid>.json.tmp`. The commit strategy's repair runs first,
 * so a staged commit that a DynamoDB lock entry still needs becomes N.json before anything goes.
 */
import { InvalidInputError } from "../errors.js";
import type { DeletionVectorDescriptor } from "../log/actions.js";
import { dvFileKeyFromPathOrInlineDv } from "../log/z85.js";
import { canonicalPath } from "../log/replay.js";
import type { ObjectStore } from "../storage/object-store.js";
import { loadSnapshot } from "../table/snapshot-load.js";
import { DAYS, intervalProperty } from "../table/properties.js";
import { mapLimit } from "../util/pool.js";
import { checkWritable } from "./protocol-writer.js";
import type { LogStore } from "../logstore/log-store.js";
import { selectLogStore } from "../logstore/select.js";
import { isTempCommitKey } from "../logstore/temp-commit.js";

/** Options of {@link vacuum}. */
export interface VacuumOptions {
  store: ObjectStore;
  /** Retention in hours (default: the table's delta.deletedFileRetentionDuration, else 168). */
  retentionHours?: number | undefined;
  /** Allow a retention below the table's configured one (unsafe with concurrent readers/writers). */
  enforceRetentionDuration?: boolean | undefined;
  /** Only report what would be deleted. */
  dryRun?: boolean | undefined;
  now?: (() => number) | undefined;
  /** The table's commit strategy (default: chosen from the store, see selectLogStore); repaired first. */
  logStore?: LogStore | undefined;
}

/** What vacuum found and did. */
export interface VacuumResult {
  version: number;
  /** Keys deleted (or, in a dry run, that would be). */
  files: string[];
  dryRun: boolean;
  retentionHours: number;
}

/** Deletes unreferenced data files older than the retention period. */
export async function vacuum(options: VacuumOptions): Promise<VacuumResult> {
  const { store } = options;
  const now = (options.now ?? Date.now)();
  // a commit a lock-table writer left half done is finished first: its files are then referenced,
  // and its staged commit is no longer needed (the repair removes it)
  await (options.logStore ?? selectLogStore({ store })).repair?.();
  const snapshot = await loadSnapshot({ store });
  const context = { path: store.root, version: snapshot.version };
  checkWritable({ protocol: snapshot.protocol, metadata: snapshot.metadata, path: store.root, version: snapshot.version });
  const configuredMs = intervalProperty(snapshot.properties, "delta.deletedFileRetentionDuration", 7 * DAYS);
  const retentionMs = options.retentionHours === undefined ? configuredMs : options.retentionHours * 3_600_000;
  if (!(retentionMs >= 0)) throw new InvalidInputError(`retentionHours must be >= 0, got ${options.retentionHours}`, context);
  if (retentionMs < configuredMs && options.enforceRetentionDuration !== false) {
    throw new InvalidInputError(
      `retention of ${retentionMs / 3_600_000} hours is shorter than the table's delta.deletedFileRetentionDuration (${configuredMs / 3_600_000} hours); ` +
        "readers and writers still using older versions could lose files. Pass enforceRetentionDuration: false to override",
      context,
    );
  }
  const cutoff = now - retentionMs;
  const keep = new Set<string>();
  const addRefs = (path: string, dv: DeletionVectorDescriptor | null | undefined): void => {
    keep.add(relativeKey(path));
    if (dv && dv.storageType === "u") keep.add(dvFileKeyFromPathOrInlineDv(dv.pathOrInlineDv));
    else if (dv && dv.storageType === "p") keep.add(relativeKey(dv.pathOrInlineDv));
  };
  for (const f of snapshot.files()) addRefs(f.path, f.deletionVector);
  for (const r of snapshot.tombstones()) {
    if ((r.deletionTimestamp ?? 0) > cutoff) addRefs(r.path, r.deletionVector);
  }
  const candidates: string[] = [];
  for await (const meta of store.list("", { includeTemporary: true })) {
    if (meta.lastModified > cutoff) continue;
    const litter = meta.temporary === true || isTempCommitKey(meta.key);
    if (!litter && (hidden(meta.key) || keep.has(meta.key))) continue;
    candidates.push(meta.key);
  }
  if (!options.dryRun) await mapLimit(candidates, 8, (k) => store.delete(k));
  return { version: snapshot.version, files: candidates, dryRun: options.dryRun ?? false, retentionHours: retentionMs / 3_600_000 };
}

/** The store key of a path relative to the table root (absolute paths are kept as given). */
function relativeKey(path: string): string {
  return canonicalPath(path);
}

/** `_delta_log/...`, `_change_data/`, `.tmp` and other hidden segments; `_col=x` partition dirs are not hidden. */
function hidden(key: string): boolean {
  const segments = key.split("/");
  return segments.some((s, i) => (s.startsWith("_") || s.startsWith(".")) && !(i < segments.length - 1 && s.includes("=")));
}

