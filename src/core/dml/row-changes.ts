/**
 * The engine under DELETE, UPDATE and MERGE: reads the candidate files of a plan (each row with
 * its physical row index, existing deletion vectors applied), asks the operation what becomes of
 * every row (kept, deleted, or updated into a new row), and turns the answers into files and
 * actions, file by file:
 * - a file none of whose rows changed is left alone (its bytes and its add untouched);
 * - with deletion vectors, a changed file keeps its data and gets a new DV (dv-apply.ts), and
 *   updated rows are written as new rows in new files;
 * - without, a changed file is removed and its kept rows are copied with the updated rows into
 *   new files (copy-on-write);
 * - rows the operation inserts (MERGE) go to new files after the candidate files;
 * - on change-data-feed tables, deleted rows, updated rows before and after, and inserted rows go
 *   to `_change_data` files through a second writer running beside the first (cdc-write.ts).
 * Memory: the files read ahead (scan concurrency), one target file's batches, the DV row indexes
 * of the changed files, and the writers' buffers; never the whole table.
 */
import type { RecordBatch } from "apache-arrow";
import type { AddFile, CdcFile } from "../log/actions.js";
import { scanFiles, type ExecuteOptions, type ScannedFile } from "../scan/execute.js";
import type { PlannedFile, ScanPlan } from "../scan/plan.js";
import type { ObjectStore } from "../storage/object-store.js";
import { writeDataFiles, type WriteDataFilesOptions } from "../write/data-files.js";
import { startChangeDataWriter } from "./cdc-write.js";
import { applyDeletionVectors, type DeletedRows } from "./dv-apply.js";
import { ROW_INDEX_COLUMN, arrowSchemaOf, splitRowIndex, takeBatch, withChangeType } from "./row-batches.js";

/** What happens to a row: kept as it is, deleted, or replaced by an updated row. */
export const KEEP = 0;
export const DELETE = 1;
export const UPDATE = 2;

/** The operation's answer for one batch of a file. */
export interface BatchFate {
  /** Per row of the batch: KEEP, DELETE or UPDATE. */
  fate: Uint8Array;
  /**
   * The new rows replacing the UPDATE rows (table columns, logical names), as many rows in all
   * as there are UPDATE fates; their order does not matter.
   */
  updated?: readonly RecordBatch[] | undefined;
}

/** Decides the fate of the rows of one batch (table columns, logical names) of a file. */
export type DecideRows = (batch: RecordBatch, file: PlannedFile) => BatchFate | Promise<BatchFate>;

/** Options of {@link applyRowChanges}. */
export interface ApplyRowChangesOptions {
  store: ObjectStore;
  /** The candidate files and the columns to read (its predicate is not applied: `decide` sees every live row). */
  plan: ScanPlan;
  decide: DecideRows;
  /** Rows to insert after the candidate files are processed (table columns, logical names). */
  inserts?: (() => AsyncIterable<RecordBatch>) | undefined;
  /** Write deletion vectors instead of rewriting files. */
  deletionVectors: boolean;
  /** Write change data files (the table has delta.enableChangeDataFeed=true). */
  changeDataFeed: boolean;
  /** Options of the data files written (schema, partitioning, properties, codec, sizes). */
  fileOptions: Omit<WriteDataFilesOptions, "data" | "store">;
  /** Scan options (reader, concurrency, signal). */
  scan?: Omit<ExecuteOptions, "store" | "rowIndexColumn" | "limit"> | undefined;
}

/** Counts of what {@link applyRowChanges} did. */
export interface RowChangeCounts {
  filesScanned: number;
  rowsScanned: number;
  deletedRows: number;
  updatedRows: number;
  insertedRows: number;
  /** Unchanged rows copied into new files (copy-on-write). */
  copiedRows: number;
  deletionVectorsAdded: number;
  deletionVectorsUpdated: number;
  /** DVs that left the table with their file. */
  deletionVectorsRemoved: number;
  deletionVectorFiles: number;
  deletionVectorBytes: number;
  scanTimeMs: number;
  rewriteTimeMs: number;
}

/** The files and actions of the changes (not committed). */
export interface AppliedRowChanges {
  /** New data files (updated, copied and inserted rows). */
  adds: AddFile[];
  /** Changed files again with their new deletion vectors. */
  dvAdds: AddFile[];
  /** Live files to remove (changed files; with DVs, also the ones re-added with a new DV). */
  removes: AddFile[];
  cdc: CdcFile[];
  counts: RowChangeCounts;
}

/** Reads the candidate files, applies the operation's decisions and writes the resulting files. */
export async function applyRowChanges(options: ApplyRowChangesOptions): Promise<AppliedRowChanges> {
  const { store, plan, decide } = options;
  const counts: RowChangeCounts = {
    filesScanned: 0,
    rowsScanned: 0,
    deletedRows: 0,
    updatedRows: 0,
    insertedRows: 0,
    copiedRows: 0,
    deletionVectorsAdded: 0,
    deletionVectorsUpdated: 0,
    deletionVectorsRemoved: 0,
    deletionVectorFiles: 0,
    deletionVectorBytes: 0,
    scanTimeMs: 0,
    rewriteTimeMs: 0,
  };
  const started = Date.now();
  const removes: AddFile[] = [];
  const deleted: DeletedRows[] = [];
  const readSchema = arrowSchemaOf({ kind: "struct", fields: plan.outputFields });
  const cdcWriter = options.changeDataFeed ? startChangeDataWriter({ ...options.fileOptions, store }) : undefined;
  const toCdc = async (batch: RecordBatch | undefined, type: Parameters<typeof withChangeType>[1]): Promise<void> => {
    if (cdcWriter && batch && batch.numRows > 0) await cdcWriter.push(withChangeType(batch, type));
  };

  async function* rowsToWrite(): AsyncGenerator<RecordBatch> {
    const files = scanFiles({ ...plan, predicate: undefined }, { ...(options.scan ?? {}), store, rowIndexColumn: ROW_INDEX_COLUMN });
    for (;;) {
      const t = Date.now();
      const next = await files.next();
      counts.scanTimeMs += Date.now() - t;
      if (next.done) break;
      counts.filesScanned++;
      yield* changeFile(next.value);
    }
    if (options.inserts) {
      for await (const batch of options.inserts()) {
        if (batch.numRows === 0) continue;
        counts.insertedRows += batch.numRows;
        await toCdc(batch, "insert");
        yield batch;
      }
    }
  }

  async function* changeFile({ file, batches }: ScannedFile): AsyncGenerator<RecordBatch> {
    const leaving: number[] = [];
    const kept: RecordBatch[] = [];
    const updated: RecordBatch[] = [];
    const changes: [RecordBatch | undefined, Parameters<typeof withChangeType>[1]][] = [];
    let rowsRead = 0;
    for (const raw of batches) {
      const { rows, rowIndexAt } = splitRowIndex(raw, readSchema);
      rowsRead += rows.numRows;
      const { fate, updated: newRows } = await decide(rows, file);
      if (fate.length !== rows.numRows) throw new Error(`internal: ${fate.length} fates for ${rows.numRows} rows`);
      let leavingHere = 0;
      for (let i = 0; i < fate.length; i++) if (fate[i] !== KEEP) leavingHere++;
      const newCount = (newRows ?? []).reduce((n, b) => n + b.numRows, 0);
      if (leavingHere === 0) {
        if (newCount !== 0) throw new Error(`internal: ${newCount} updated rows for 0 updates`);
        if (!options.deletionVectors) kept.push(rows); // copied if another batch of the file changes
        continue;
      }
      const del: number[] = [];
      const upd: number[] = [];
      const keep = options.deletionVectors ? undefined : new Int32Array(rows.numRows - leavingHere);
      let k = 0;
      for (let i = 0; i < fate.length; i++) {
        const f = fate[i];
        if (f === KEEP) {
          if (keep) keep[k++] = i;
        } else {
          leaving.push(rowIndexAt(i));
          (f === DELETE ? del : upd).push(i);
        }
      }
      if (newCount !== upd.length) throw new Error(`internal: ${newCount} updated rows for ${upd.length} updates`);
      counts.deletedRows += del.length;
      counts.updatedRows += upd.length;
      if (keep && keep.length > 0) kept.push(takeBatch(rows, keep));
      if (newRows) updated.push(...newRows);
      if (cdcWriter) {
        if (del.length > 0) changes.push([takeBatch(rows, Int32Array.from(del)), "delete"]);
        if (upd.length > 0) changes.push([takeBatch(rows, Int32Array.from(upd)), "update_preimage"]);
        for (const b of newRows ?? []) changes.push([b, "update_postimage"]);
      }
    }
    counts.rowsScanned += rowsRead;
    if (leaving.length === 0) return; // untouched: the file stays as it is
    for (const [batch, type] of changes) await toCdc(batch, type);
    removes.push(file.add);
    if (file.add.deletionVector && !options.deletionVectors) counts.deletionVectorsRemoved++;
    if (options.deletionVectors) {
      deleted.push({ add: file.add, rows: leaving, physicalRows: rowsRead + (file.add.deletionVector?.cardinality ?? 0) });
    } else {
      for (const b of kept) counts.copiedRows += b.numRows;
      yield* kept;
    }
    yield* updated;
  }

  let adds: AddFile[];
  let cdc: CdcFile[] = [];
  try {
    adds = await writeDataFiles({ ...options.fileOptions, store, data: rowsToWrite() });
  } catch (err) {
    cdcWriter?.abort(err);
    await cdcWriter?.done().catch(() => undefined);
    throw err;
  }
  if (cdcWriter) cdc = await cdcWriter.finish();
  let dvAdds: AddFile[] = [];
  if (deleted.length > 0) {
    const context = { path: plan.snapshot.tableRoot, version: plan.snapshot.version };
    const dv = await applyDeletionVectors({ store, context, properties: options.fileOptions.properties ?? {}, files: deleted });
    dvAdds = dv.adds;
    counts.deletionVectorsAdded += dv.added;
    counts.deletionVectorsUpdated += dv.updated;
    counts.deletionVectorsRemoved += dv.emptied.filter((f) => f.deletionVector).length;
    counts.deletionVectorFiles += dv.dvFile === undefined ? 0 : 1;
    counts.deletionVectorBytes += dv.dvBytes;
  }
  counts.rewriteTimeMs = Math.max(0, Date.now() - started - counts.scanTimeMs);
  return { adds, dvAdds, removes, cdc, counts };
}
