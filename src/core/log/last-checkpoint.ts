/**
 * `_delta_log/_last_checkpoint`: the hint that points at the newest checkpoint. It is only a hint:
 * a missing, empty or corrupt file yields undefined and the caller falls back to listing. The
 * embedded V2 fields (`v2Checkpoint.nonFileActions`, `sidecarFiles`) are kept so a reader can skip
 * fetching the V2 checkpoint file itself.
 */
import { getIfExists, type ObjectStore } from "../storage/object-store.js";
import type { Action, Sidecar } from "./actions.js";
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
    hint.v2Checkpoint = v2 as NonNullable<LastCheckpointHint["v2Checkpoint"]>;
  }
  return hint;
}

function isNonNegativeInt(x: unknown): x is number {
  return typeof x === "number" && Number.isInteger(x) && x >= 0;
}
