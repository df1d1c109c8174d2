/**
 * Loading a snapshot: plan first, then fetch. Read the `_last_checkpoint` hint, list (or, on
 * stores without listing, probe) the log from the hinted checkpoint, choose the segment, then
 * fetch the checkpoint and the commits after it in parallel and replay them in order. A stale or
 * wrong hint only costs a second listing from version 0; it never changes the result.
 */
import { DeltaError, NotFoundError, ProtocolError } from "../errors.js";
import type { Action } from "../log/actions.js";
import { readCheckpoint } from "../log/checkpoint-read.js";
import { readLastCheckpoint, type LastCheckpointHint } from "../log/last-checkpoint.js";
import { listLogFiles, probeLogFiles, type LogFile } from "../log/listing.js";
import { ReplayState } from "../log/replay.js";
import { buildLogSegment, type LogSegment } from "../log/segment.js";
import { prepareReads, type ObjectStore } from "../storage/object-store.js";
import { mapLimit } from "../util/pool.js";
import { checkReadable } from "./protocol.js";
import { Snapshot } from "./snapshot.js";

/** Options of {@link loadSnapshot}. */
export interface LoadSnapshotOptions {
  store: ObjectStore;
  /** Version to load; the latest when undefined. */
  version?: number | undefined;
  /** Parallel log-file fetches (default 8). */
  concurrency?: number;
  /** Skip the reader protocol gate (for tools that only inspect the log). */
  skipProtocolCheck?: boolean;
}

/** Loads the snapshot of a table at a version (default: latest). */
export async function loadSnapshot(options: LoadSnapshotOptions): Promise<Snapshot> {
  const { store } = options;
  const path = store.root;
  const hint = await readLastCheckpoint(store);
  const { segment } = await planSegment(store, hint, options.version);
  return replaySegment({ store, segment, hint, concurrency: options.concurrency ?? 8, skipProtocolCheck: options.skipProtocolCheck ?? false, path });
}

/** Lists (or probes) and chooses the log segment for a version. */
export async function planSegment(
  store: ObjectStore,
  hint: LastCheckpointHint | undefined,
  version: number | undefined,
): Promise<{ segment: LogSegment; files: LogFile[] }> {
  const path = store.root;
  if (!store.listable) {
    const files = await probeLogFiles(store, { hint, targetVersion: version });
    return { segment: buildLogSegment(files, { path, version }), files };
  }
  const from = hint !== undefined && (version === undefined || hint.version <= version) ? hint.version : 0;
  if (from > 0) {
    const files = await listLogFiles(store, from);
    const hinted = files.some((f) => f.info.kind === "checkpoint" && f.info.version === from);
    if (hinted) {
      try {
        return { segment: buildLogSegment(files, { path, version }), files };
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
        // Fall through: the hinted checkpoint was incomplete; list the whole log.
      }
    }
  }
  const files = await listLogFiles(store, 0);
  if (files.length === 0) {
    throw new NotFoundError("no Delta table here: _delta_log is empty or missing", { path });
  }
  return { segment: buildLogSegment(files, { path, version }), files };
}

/** Fetches and replays a segment into a Snapshot. */
export async function replaySegment(args: {
  store: ObjectStore;
  segment: LogSegment;
  hint: LastCheckpointHint | undefined;
  concurrency: number;
  skipProtocolCheck: boolean;
  path: string;
}): Promise<Snapshot> {
  const { store, segment, hint, path } = args;
  const state = new ReplayState();
  const checkpoint = segment.checkpoint;
  const embedded =
    checkpoint?.kind === "v2" &&
    hint?.version === checkpoint.version &&
    hint.v2Checkpoint?.nonFileActions !== undefined &&
    hint.v2Checkpoint.sidecarFiles !== undefined &&
    checkpoint.files[0]?.key.endsWith(hint.v2Checkpoint.path)
      ? { nonFileActions: hint.v2Checkpoint.nonFileActions, sidecarFiles: hint.v2Checkpoint.sidecarFiles }
      : undefined;
  // Every key of the segment is known now: one hint, so a signing store signs them together.
  await prepareReads(store, [...(checkpoint?.files ?? []), ...segment.deltas].map((f) => f.key));
  const [checkpointActions, deltaActions] = await Promise.all([
    checkpoint ? readCheckpoint({ store, checkpoint, path, embedded }) : Promise.resolve<Action[]>([]),
    mapLimit(segment.deltas, args.concurrency, async (f) => {
      const version = f.info.version;
      let bytes: Uint8Array;
      try {
        bytes = await store.get(f.key);
      } catch (err) {
        if (err instanceof NotFoundError) {
          throw new ProtocolError(`commit file ${f.key} is missing (log gap or concurrent cleanup)`, { path, version, cause: err });
        }
        throw err;
      }
      return decoder.decode(bytes);
    }),
  ]);
  state.apply(checkpointActions, false);
  segment.deltas.forEach((f, i) =>
    state.applyText(deltaActions[i] as string, f.info.kind === "commit", { path: `${path}/${f.key}`, version: f.info.version }),
  );
  const version = segment.version;
  if (!state.protocol) throw new ProtocolError("no protocol action found in the log", { path, version });
  if (!state.metadata) throw new ProtocolError("no metaData action found in the log", { path, version });
  if (!args.skipProtocolCheck) checkReadable(state.protocol, { path, version });
  const lastFile = segment.lastCommit ?? checkpoint?.files[0];
  const timestamp = commitTimestamp(state, lastFile);
  try {
    return new Snapshot({ tableRoot: path, version, protocol: state.protocol, metadata: state.metadata, timestamp, segment, state });
  } catch (err) {
    if (err instanceof DeltaError) throw err;
    throw new ProtocolError("cannot build snapshot", { path, version, cause: err });
  }
}

const decoder = new TextDecoder();

/** The commit time of the newest replayed version: ICT when enabled, else file time, else commitInfo. */
function commitTimestamp(state: ReplayState, lastFile: LogFile | undefined): number {
  const info = state.lastCommitInfo;
  const ict = state.metadata?.configuration?.["delta.enableInCommitTimestamps"] === "true";
  if (ict && typeof info?.inCommitTimestamp === "number") return info.inCommitTimestamp;
  if (lastFile && lastFile.lastModified > 0) return lastFile.lastModified;
  if (typeof info?.timestamp === "number") return info.timestamp;
  return 0;
}
