/**
 * Reading checkpoints: classic and multi-part parquet files, V2 checkpoints in JSON or parquet,
 * and the sidecar files a V2 checkpoint names. Parquet checkpoints are read through the Parquet
 * layer (parquet/rows-reader.ts) with ranged reads: the footer and the chunks of the top-level
 * action columns replay needs, nothing else (a checkpoint no larger than the first read is one
 * request; a sidecar, or a file of unknown size, is read whole, in one request). Rows are turned into the same
 * Action shape commits have: int64s become numbers, `stats_parsed` and `partitionValues_parsed`
 * are kept (as statsParsed / partitionValuesParsed) for checkpoints that carry no JSON stats.
 * Must not import the parquet libraries (parquet/ owns them) or a storage backend.
 */
import { DeltaError, ProtocolError } from "../errors.js";
import { ParquetFormatError, ParquetSchemaMismatchError } from "../parquet/errors.js";
import { readParquetRows } from "../parquet/rows-reader.js";
import { sourceFromBytes, sourceFromStore } from "../parquet/source.js";
import type { ParquetSource } from "../parquet/reader.js";
import type { ObjectStore } from "../storage/object-store.js";
import { toAction, type Action, type AddFile, type Sidecar } from "./actions.js";
import { parseActions } from "./commit-file.js";
import type { CheckpointRef } from "./segment.js";
import { SIDECAR_DIR } from "./path.js";

const ACTION_COLUMNS = ["protocol", "metaData", "txn", "domainMetadata", "add", "remove", "checkpointMetadata", "sidecar"];

/** Options of {@link readCheckpoint}. */
export interface ReadCheckpointOptions {
  store: ObjectStore;
  checkpoint: CheckpointRef;
  /** Table root for messages. */
  path: string;
  /** Non-file actions already known (V2 `_last_checkpoint` embeds them), to skip reading the V2 file. */
  embedded?: { nonFileActions: Action[]; sidecarFiles: Sidecar[] } | undefined;
}

/** Reads every action of a checkpoint, including its sidecars, in a deterministic order. */
export async function readCheckpoint(options: ReadCheckpointOptions): Promise<Action[]> {
  const { store, checkpoint, path } = options;
  const version = checkpoint.version;
  let actions: Action[];
  if (checkpoint.kind === "v2" && options.embedded) {
    actions = [...options.embedded.nonFileActions, ...options.embedded.sidecarFiles.map((sidecar) => ({ sidecar }))];
  } else {
    const parts = await Promise.all(checkpoint.files.map((f) => readActionFile(store, f.key, { path, version }, f.size)));
    actions = parts.flat();
  }
  const sidecars = actions.filter((a) => a.sidecar).map((a) => a.sidecar as Sidecar);
  if (sidecars.length > 0) {
    const fromSidecars = await Promise.all(
      // whole reads: a sidecar's declared sizeInBytes is not trusted for ranges (listing sizes are)
      sidecars.map((s) => readActionFile(store, sidecarKey(s.path, { path, version }), { path, version })),
    );
    actions = actions.filter((a) => !a.sidecar).concat(fromSidecars.flat());
  }
  return actions;
}

/** Key of a sidecar: a bare file name lives in `_delta_log/_sidecars/`. */
function sidecarKey(p: string, context: { path: string; version: number }): string {
  if (p.includes("/")) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(p);
    } catch (cause) {
      throw new ProtocolError(`sidecar path '${p}' is not a valid URI`, { ...context, cause });
    }
    const idx = decoded.lastIndexOf(`/${SIDECAR_DIR}`);
    return idx >= 0 ? decoded.slice(idx + 1) : decoded;
  }
  return `${SIDECAR_DIR}${p}`;
}

/**
 * Reads one checkpoint-like file (JSON or parquet) into actions. A parquet file of known `size`
 * (from the listing or the sidecar action) is read in ranges; otherwise it is fetched whole.
 */
export async function readActionFile(
  store: ObjectStore,
  key: string,
  context: { path: string; version: number },
  size?: number,
): Promise<Action[]> {
  const fileContext = { path: `${context.path}/${key}`, version: context.version };
  if (key.endsWith(".json")) return parseActions(await store.get(key), fileContext);
  const source = size !== undefined && Number.isSafeInteger(size) && size >= 0
    ? sourceFromStore({ store, key, size, path: fileContext.path })
    : sourceFromBytes(await store.get(key), fileContext.path);
  return readCheckpointParquet(source, fileContext);
}

/** Decodes a parquet checkpoint file in memory into actions. */
export function parseCheckpointParquet(bytes: Uint8Array, context: { path: string; version: number }): Promise<Action[]> {
  return readCheckpointParquet(sourceFromBytes(bytes, context.path), context);
}

async function readCheckpointParquet(source: ParquetSource, context: { path: string; version: number }): Promise<Action[]> {
  let rows: Record<string, unknown>[];
  try {
    rows = await readParquetRows({ source, columns: ACTION_COLUMNS });
  } catch (cause) {
    // storage errors pass through; an undecodable file is a broken log
    if (cause instanceof DeltaError && !(cause instanceof ParquetFormatError || cause instanceof ParquetSchemaMismatchError)) throw cause;
    throw new ProtocolError("cannot read checkpoint parquet", { ...context, cause });
  }
  const actions: Action[] = [];
  rows.forEach((row, r) => {
    for (const name of ACTION_COLUMNS) {
      const value = row[name];
      if (value === null || value === undefined) continue;
      const normalized = normalize(value);
      if (name === "add" && isRecord(normalized)) normalizeAdd(normalized);
      actions.push(toAction({ [name]: normalized }, `row ${r + 1}`, context));
    }
  });
  return actions;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x) && !(x instanceof Date) && !(x instanceof Uint8Array);
}

/** Checkpoint add columns into the AddFile shape: `stats_parsed` -> statsParsed, null partitionValues -> {}. */
function normalizeAdd(raw: Record<string, unknown>): void {
  const add = raw as unknown as AddFile & { stats_parsed?: unknown; partitionValues_parsed?: unknown };
  if (add.stats_parsed !== undefined) {
    if (add.stats_parsed !== null) add.statsParsed = add.stats_parsed as Record<string, unknown>;
    delete add.stats_parsed;
  }
  if (add.partitionValues_parsed !== undefined) {
    if (add.partitionValues_parsed !== null) add.partitionValuesParsed = add.partitionValues_parsed as Record<string, unknown>;
    delete add.partitionValues_parsed;
  }
  if (add.partitionValues === null || add.partitionValues === undefined) add.partitionValues = {};
}

/** Converts safe int64 bigints to numbers, recursively (Dates and byte arrays are kept). */
function normalize(value: unknown): unknown {
  if (typeof value === "bigint") {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value;
  }
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Date || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map(normalize);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = normalize(v);
  return out;
}

