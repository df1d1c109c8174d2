/**
 * Deleting rows with deletion vectors: a data file that loses rows keeps its data and gets a new
 * DV, the union of its old DV and the newly deleted row indexes. The commit removes the old
 * (path, DV) and adds the file again with the new DV, the same stats marked `tightBounds: false`
 * (they may now be wider than the live rows) and a correct `numRecords` (physical rows, as the
 * protocol requires next to a DV). A file that loses every row is removed instead.
 */
import type { AddFile } from "../log/actions.js";
import { loadDeletionVector } from "../log/deletion-vector.js";
import { deletionVectorReader } from "../scan/execute.js";
import { parseJsonLossless, stringifyJsonLossless, type JsonValue } from "../schema/json-lossless.js";
import type { ObjectStore } from "../storage/object-store.js";
import { statsFromParsed } from "../write/checkpoint-write.js";
import { writeDeletionVectors } from "./dv-write.js";

/** Rows newly deleted from one live file. */
export interface DeletedRows {
  add: AddFile;
  /** Physical row indexes deleted now (not already in the file's DV). */
  rows: readonly number[];
  /** Physical rows of the file (live rows read + rows of its current DV). */
  physicalRows: number;
}

/** What applying the deletions produced. */
export interface AppliedDeletionVectors {
  /** The files again, each with its new DV. */
  adds: AddFile[];
  /** Files every row of which is now deleted (to remove without re-adding). */
  emptied: AddFile[];
  /** The DV file written, if any, and its size. */
  dvFile: string | undefined;
  dvBytes: number;
  /** How many of the files had a DV before (updated) or not (added). */
  updated: number;
  added: number;
}

/** Options of {@link applyDeletionVectors}. */
export interface ApplyDeletionVectorsOptions {
  store: ObjectStore;
  /** Table root and version, for messages. */
  context: { path: string; version: number };
  properties: Readonly<Record<string, string>>;
  files: readonly DeletedRows[];
}

/** Writes the merged DVs of the files (one DV file) and returns the actions' files. */
export async function applyDeletionVectors(options: ApplyDeletionVectorsOptions): Promise<AppliedDeletionVectors> {
  const { store, context } = options;
  const read = deletionVectorReader(store, context);
  const jobs: { add: AddFile; rows: number[]; physicalRows: number }[] = [];
  const emptied: AddFile[] = [];
  let updated = 0;
  let added = 0;
  for (const f of options.files) {
    const old = f.add.deletionVector ? await loadDeletionVector({ descriptor: f.add.deletionVector, tableRoot: context.path, read }) : undefined;
    const rows = old ? [...Array.from(old, Number), ...f.rows] : [...f.rows];
    if (rows.length >= f.physicalRows) {
      emptied.push(f.add);
      continue;
    }
    if (old) updated++;
    else added++;
    jobs.push({ add: f.add, rows, physicalRows: f.physicalRows });
  }
  const written = await writeDeletionVectors({ store, properties: options.properties, vectors: jobs.map((j, i) => ({ key: i, rows: j.rows })) });
  const adds = written.descriptors.map(({ key, descriptor }) => {
    const job = jobs[key] as (typeof jobs)[number];
    const add: AddFile = {
      path: job.add.path,
      partitionValues: job.add.partitionValues,
      size: job.add.size,
      modificationTime: job.add.modificationTime,
      dataChange: true,
      stats: looseStats(job.add, job.physicalRows),
      deletionVector: descriptor,
    };
    if (job.add.tags) add.tags = job.add.tags;
    if (job.add.baseRowId !== null && job.add.baseRowId !== undefined) add.baseRowId = job.add.baseRowId;
    if (job.add.defaultRowCommitVersion !== null && job.add.defaultRowCommitVersion !== undefined) add.defaultRowCommitVersion = job.add.defaultRowCommitVersion;
    return add;
  });
  return { adds, emptied, dvFile: written.fileKey, dvBytes: written.bytes, updated, added };
}

/**
 * The file's stats with `tightBounds: false` and `numRecords` = its physical rows; min/max and
 * null counts are kept (they still bound the live rows). Minimal stats when it had none.
 */
export function looseStats(add: AddFile, physicalRows: number): string {
  let parsed: JsonValue | undefined;
  const text = typeof add.stats === "string" && add.stats !== "" ? add.stats : statsFromParsed(add.statsParsed);
  if (text) {
    try {
      parsed = parseJsonLossless(text);
    } catch {
      parsed = undefined; // unreadable stats: replaced by the minimal form
    }
  }
  const base = parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : {};
  const out: Record<string, JsonValue> = { numRecords: physicalRows };
  for (const [k, v] of Object.entries(base)) if (k !== "numRecords" && k !== "tightBounds") out[k] = v;
  out.tightBounds = false;
  return stringifyJsonLossless(out);
}
