/**
 * Reading checkpoints: classic and multi-part parquet files, V2 checkpoints in JSON or parquet,
 * and the sidecar files a V2 checkpoint names. Parquet rows are decoded with hyparquet and turned
 * into the same Action shape commits have: int64s become numbers, `stats_parsed` and
 * `partitionValues_parsed` are kept (as statsParsed / partitionValuesParsed) for checkpoints that
 * carry no JSON stats. Only the top-level action columns replay needs are decoded.
 */
import { parquetMetadata, parquetReadObjects } from "hyparquet";
// Pure-JS codecs: hyparquet-compressors' `compressors` compiles a Snappy wasm from bytes at import
// time, which Cloudflare Workers refuse (the whole Worker would fail to start).
import { defaultCompressors as compressors, loadCompressors } from "../scan/parquet/compressors.js";
import { DeltaError, ProtocolError } from "../errors.js";
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
    const parts = await Promise.all(checkpoint.files.map((f) => readActionFile(store, f.key, { path, version })));
    actions = parts.flat();
  }
  const sidecars = actions.filter((a) => a.sidecar).map((a) => a.sidecar as Sidecar);
  if (sidecars.length > 0) {
    const fromSidecars = await Promise.all(
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

/** Reads one checkpoint-like file (JSON or parquet) into actions. */
export async function readActionFile(
  store: ObjectStore,
  key: string,
  context: { path: string; version: number },
): Promise<Action[]> {
  const bytes = await store.get(key);
  if (key.endsWith(".json")) return parseActions(bytes, { path: `${context.path}/${key}`, version: context.version });
  return parseCheckpointParquet(bytes, { path: `${context.path}/${key}`, version: context.version });
}

/** Decodes a parquet checkpoint file into actions. */
export async function parseCheckpointParquet(bytes: Uint8Array, context: { path: string; version: number }): Promise<Action[]> {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let rows: Record<string, unknown>[];
  try {
    const metadata = parquetMetadata(buffer);
    const present = new Set(metadata.schema.slice(1).map((s) => s.name));
    // Top-level columns only: schema elements directly under the root.
    const columns = topLevelNames(metadata.schema).filter((n) => ACTION_COLUMNS.includes(n) && present.has(n));
    if (columns.length === 0) return [];
    await loadCompressors(metadata);
    rows = (await parquetReadObjects({ file: buffer, metadata, columns, compressors })) as Record<string, unknown>[];
  } catch (cause) {
    if (cause instanceof DeltaError) throw cause;
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

function topLevelNames(schema: { name: string; num_children?: number }[]): string[] {
  const names: string[] = [];
  let i = 1;
  while (i < schema.length) {
    const el = schema[i] as { name: string; num_children?: number };
    names.push(el.name);
    i = skipSubtree(schema, i);
  }
  return names;
}

function skipSubtree(schema: { num_children?: number }[], i: number): number {
  const n = schema[i]?.num_children ?? 0;
  let next = i + 1;
  for (let c = 0; c < n; c++) next = skipSubtree(schema, next);
  return next;
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

