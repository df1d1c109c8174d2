/**
 * Change data for a replaceWhere overwrite on a change-data-feed table. When the overwrite only
 * removes whole files and adds new ones, readers derive the feed from those actions and no change
 * files are needed; when it rewrites files it straddles, the commit carries cdc actions and so
 * must hold every change: the rows it replaces (`delete`, from straddled and from wholly removed
 * files) and the new rows (`insert`), as Spark writes them.
 */
import type { RecordBatch } from "apache-arrow";
import type { AddFile, CdcFile } from "../log/actions.js";
import type { BoundExpr } from "../expr/bound.js";
import { scanBatches } from "../scan/execute.js";
import { planScan } from "../scan/plan.js";
import type { StructType } from "../schema/types.js";
import type { Snapshot } from "../table/snapshot.js";
import type { WriteDataFilesOptions } from "../write/data-files.js";
import { splitByPredicate } from "../write/replace-where.js";
import { writerFeaturesOf } from "../write/protocol-writer.js";
import { startChangeDataWriter, type ChangeDataWriter } from "./cdc-write.js";
import { withChangeType } from "./row-batches.js";

/** Whether the table writes change data files (delta.enableChangeDataFeed=true, feature supported). */
export function changeDataFeedEnabled(snapshot: Snapshot): boolean {
  return writerFeaturesOf(snapshot.protocol).has("changeDataFeed") && snapshot.properties["delta.enableChangeDataFeed"] === "true";
}

/** The change feed of one replaceWhere that rewrites rows. */
export class ReplaceWhereChanges {
  private constructor(
    private readonly writer: ChangeDataWriter,
    private readonly snapshot: Snapshot,
    private readonly store: WriteDataFilesOptions["store"],
  ) {}

  /** Starts one when the overwrite rewrites files of a change-data-feed table (else undefined). */
  static start(snapshot: Snapshot, rewritesFiles: boolean, fileOptions: Omit<WriteDataFilesOptions, "data">): ReplaceWhereChanges | undefined {
    if (!rewritesFiles || !changeDataFeedEnabled(snapshot)) return undefined;
    return new ReplaceWhereChanges(startChangeDataWriter(fileOptions), snapshot, fileOptions.store);
  }

  /** A batch of new rows (conformed to the table schema). */
  async inserted(batch: RecordBatch): Promise<void> {
    if (batch.numRows > 0) await this.writer.push(withChangeType(batch, "insert"));
  }

  /** Splits a batch of a straddled file: returns the kept rows, feeds the replaced ones. */
  async kept(batch: RecordBatch, schema: StructType, predicate: BoundExpr): Promise<RecordBatch[]> {
    const { matching, rest } = splitByPredicate(batch, schema, predicate);
    for (const m of matching) await this.writer.push(withChangeType(m, "delete"));
    return rest;
  }

  /** Feeds every row of files removed whole. */
  async removedWhole(files: readonly AddFile[]): Promise<void> {
    if (files.length === 0) return;
    const base = planScan(this.snapshot, {});
    const wanted = new Set(files);
    for await (const b of scanBatches({ ...base, files: base.files.filter((f) => wanted.has(f.add)) }, { store: this.store })) {
      if (b.numRows > 0) await this.writer.push(withChangeType(b, "delete"));
    }
  }

  finish(): Promise<CdcFile[]> {
    return this.writer.finish();
  }

  async abort(error: unknown): Promise<void> {
    this.writer.abort(error);
    await this.writer.done().catch(() => undefined);
  }
}
