/**
 * `_delta_log/_last_checkpoint`: the hint that points at the newest checkpoint. It is only a hint:
 * a missing, empty or corrupt file yields undefined and the caller falls back to listing. The
 * embedded V2 fields (`v2Checkpoint.nonFileActions`, `sidecarFiles`) are kept so a reader can skip
 * fetching the V2 checkpoint file itself, but only when every one of them has the right shape
 * (toAction); otherwise the V2 file itself is read (and checked). A version beyond 2^53-1 (which
 * JSON.parse would round) makes the hint unusable, like any other bad field.
 */
import { getIfExists, type ObjectStore } from "../storage/object-store.js";
import { ProtocolError } from "../errors.js";
import { toAction, type Action, type Sidecar } from "./actions.js";
import { LAST_CHECKPOINT_KEY } from "./path.js";

/** The parsed `_last_checkpoint` contents we use. */
export interface LastCheckpointHint {
  version: number;
  /** Number of actions in the checkpoint. */
  size?: number;
  /** Number of parts of a multi-part checkpoint. */
  parts?: number;
  sizeInBytes?: number;
  numOfAddFiles?: number;
  /** Present for a V2 checkpoint: its file name and its embedded non-file actions and sidecars. */
  v2Checkpoint?: {
    path: string;
    sizeInBytes?: number;
    modificationTime?: number;
    nonFileActions?: Action[];
    sidecarFiles?: Sidecar[];
  };
}

/** Reads `_last_checkpoint`; returns undefined when it is missing or unusable. */
export async function readLastCheckpoint(store: ObjectStore): Promise<LastCheckpointHint | undefined> {
  const bytes = await getIfExists(store, LAST_CHECKPOINT_KEY);
  return bytes === undefined ? undefined : parseLastCheckpoint(new TextDecoder().decode(bytes));
}

/** Parses the hint's JSON; undefined when it is not a usable hint. */
export function parseLastCheckpoint(text: string): LastCheckpointHint | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (!isNonNegativeInt(v.version)) return undefined;
  const hint: LastCheckpointHint = { version: v.version };
  if (isNonNegativeInt(v.size)) hint.size = v.size;
  if (isNonNegativeInt(v.parts) && v.parts > 0) hint.parts = v.parts;
  if (isNonNegativeInt(v.sizeInBytes)) hint.sizeInBytes = v.sizeInBytes;
  if (isNonNegativeInt(v.numOfAddFiles)) hint.numOfAddFiles = v.numOfAddFiles;
  const v2 = v.v2Checkpoint;
  if (typeof v2 === "object" && v2 !== null && typeof (v2 as { path?: unknown }).path === "string") {
    const checked = v2 as NonNullable<LastCheckpointHint["v2Checkpoint"]>;
    if (!embeddedActionsValid(checked)) {
      delete checked.nonFileActions;
      delete checked.sidecarFiles;
    }
    hint.v2Checkpoint = checked;
  }
  return hint;
}

/** Whether the embedded nonFileActions / sidecarFiles (when present) are arrays of well-formed actions. */
function embeddedActionsValid(v2: { nonFileActions?: unknown; sidecarFiles?: unknown }): boolean {
  const source = { path: LAST_CHECKPOINT_KEY };
  try {
    if (v2.nonFileActions !== undefined) {
      if (!Array.isArray(v2.nonFileActions)) return false;
      v2.nonFileActions.forEach((a, i) => toAction(a, `nonFileActions[${i}]`, source));
    }
    if (v2.sidecarFiles !== undefined) {
      if (!Array.isArray(v2.sidecarFiles)) return false;
      v2.sidecarFiles.forEach((s, i) => toAction({ sidecar: s }, `sidecarFiles[${i}]`, source));
    }
    return true;
  } catch (err) {
    if (err instanceof ProtocolError) return false;
    throw err;
  }
}

/** A non-negative integer JavaScript holds exactly (a larger one was rounded by JSON.parse). */
function isNonNegativeInt(x: unknown): x is number {
  return Number.isSafeInteger(x) && (x as number) >= 0;
}
