/**
 * The protocol and metaData in force at the start version of a change feed: what the protocol
 * needs to know the table's schema and whether the feed is on at that version, and nothing more.
 * The log segment of the start version is a checkpoint plus the commits after it; the newest
 * protocol and metaData among those commits win, and the checkpoint is consulted (its protocol
 * and metaData columns only, see checkpoint-pm.ts) only for what the commits do not set. No file
 * list is built and no file action of the checkpoint is read.
 */
import { ProtocolError } from "../errors.js";
import type { Metadata, Protocol } from "../log/actions.js";
import type { LastCheckpointHint } from "../log/last-checkpoint.js";
import type { LogSegment } from "../log/segment.js";
import type { ObjectStore } from "../storage/object-store.js";
import { mapLimit } from "../util/pool.js";
import { checkpointProtocolMetadata } from "./checkpoint-pm.js";
import type { CommitTexts } from "./commit-texts.js";

/** The table's protocol and metadata at a version. */
export interface TableState {
  version: number;
  protocol: Protocol;
  metadata: Metadata;
}

/** Options of {@link stateAtStart}. */
export interface StateAtStartOptions {
  store: ObjectStore;
  segment: LogSegment;
  hint: LastCheckpointHint | undefined;
  texts: CommitTexts;
  /** Parallel commit fetches (default 8). */
  concurrency?: number | undefined;
}

/** Reads the protocol and metaData in force at `segment.version`. */
export async function stateAtStart(options: StateAtStartOptions): Promise<TableState> {
  const { store, segment, texts } = options;
  const path = store.root;
  const version = segment.version;
  const found = await mapLimit(segment.deltas, options.concurrency ?? 8, async (f) =>
    protocolAndMetadataOf(decoder.decode(await texts.bytes(f)), { path: `${path}/${f.key}`, version: f.info.version }),
  );
  let protocol: Protocol | undefined;
  let metadata: Metadata | undefined;
  for (let i = found.length - 1; i >= 0 && (protocol === undefined || metadata === undefined); i--) {
    protocol ??= found[i]?.protocol;
    metadata ??= found[i]?.metadata;
  }
  if ((protocol === undefined || metadata === undefined) && segment.checkpoint) {
    const fromCheckpoint = await checkpointProtocolMetadata({ store, checkpoint: segment.checkpoint, hint: options.hint, path });
    protocol ??= fromCheckpoint.protocol;
    metadata ??= fromCheckpoint.metadata;
  }
  if (protocol === undefined) throw new ProtocolError("no protocol action found in the log", { path, version });
  if (metadata === undefined) throw new ProtocolError("no metaData action found in the log", { path, version });
  return { version, protocol, metadata };
}

/** The last protocol and metaData actions of an NDJSON log file (only their lines are parsed). */
export function protocolAndMetadataOf(text: string, context: { path: string; version: number }): { protocol?: Protocol; metadata?: Metadata } {
  const out: { protocol?: Protocol; metadata?: Metadata } = {};
  let start = 0;
  let lineNo = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    lineNo++;
    const line = text.slice(start, end);
    start = end + 1;
    // Only lines that mention the keys are parsed; the check below looks at top-level keys only.
    if (!line.includes('"metaData"') && !line.includes('"protocol"')) continue;
    let action: { protocol?: Protocol; metaData?: Metadata };
    try {
      action = JSON.parse(line) as typeof action;
    } catch (cause) {
      if (line.trim() === "") continue;
      throw new ProtocolError(`corrupt log line ${lineNo}: not JSON`, { ...context, cause });
    }
    if (action?.protocol) out.protocol = action.protocol;
    if (action?.metaData) out.metadata = action.metaData;
  }
  return out;
}

const decoder = new TextDecoder();
