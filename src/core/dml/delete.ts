/**
 * DELETE (`deleteRows`): the rows matching a predicate leave the table in one commit. Planned
 * with the scan planner: files that cannot hold a matching row (partition values, stats) are not
 * read, and files whose partition values alone make every row match are removed whole without
 * being read. The other candidate files are read once; with deletion vectors (when the table
 * enables them) a file that loses rows gets a new DV and only the predicate's columns are read,
 * otherwise its remaining rows are copied into new files. On change-data-feed tables the deleted
 * rows are written to change data files, except when the delete only removes whole files (their
 * rows are then the deleted rows of the feed, as in Spark). Deleting nothing commits nothing.
 */
import type { RecordBatch } from "apache-arrow";
import type { AddFile } from "../log/actions.js";
import { boundColumns } from "../expr/bound.js";
import { planScan } from "../scan/plan.js";
import { readFileStats } from "../scan/file-stats.js";
import { predicateMask } from "../scan/row-filter.js";
import { filePredicates } from "../write/replace-where.js";
import type { DmlFileMetrics, DmlResult } from "./dml-commit.js";
import { openForDml } from "./dml-context.js";
import { DELETE, KEEP } from "./row-changes.js";
import { applyAndCommit, bindWhere, type WhereDmlOptions } from "./where-dml.js";

/** Options of {@link deleteRows}. */
export type DeleteOptions = WhereDmlOptions;

/** Metrics of a DELETE (delta-rs's names, plus the file metrics). */
export interface DeleteMetrics extends DmlFileMetrics {
  /** Rows deleted (rows of files removed whole counted from their stats). */
  numDeletedRows: number;
}

/**
 * Deletes the rows matching `where`.
 * @throws InvalidInputError for an unknown column or a bad predicate, an append-only table or a
 *   read-only store; CommitConflictError when a concurrent commit changed what it read.
 */
export async function deleteRows(options: DeleteOptions): Promise<DmlResult<DeleteMetrics>> {
  const started = Date.now();
  const ctx = await openForDml(options, { operation: "DELETE", removesRows: true, writesNewValues: false });
  const { snapshot, schema } = ctx;
  const predicate = bindWhere(options.where, ctx);
  // With DVs and no change data, the predicate's columns are all a file must give.
  const narrow = ctx.deletionVectors && !ctx.changeDataFeed && predicate !== undefined;
  const columns = narrow ? [...new Set(boundColumns(predicate).map((c) => c.path[0] as string))] : undefined;
  const plan = planScan(snapshot, { where: predicate, columns, timeZone: options.timeZone });
  const files = predicate ? filePredicates({ snapshot, predicate, schema, columnMapping: ctx.columnMapping, timeZone: options.timeZone }) : undefined;
  let whole = plan.files.filter((f) => files === undefined || files.mustMatch(f.add));
  let read = plan.files.filter((f) => !whole.includes(f));
  if (ctx.changeDataFeed && read.length > 0 && whole.length > 0) {
    // A commit with cdc actions must carry every change: read the whole files' rows too.
    read = plan.files;
    whole = [];
  }
  const wholeSet = new Set(whole.map((f) => f.add));
  const readWhole = new Set(read.filter((f) => files === undefined || files.mustMatch(f.add)).map((f) => f.add));
  const decide = (batch: RecordBatch, file: { add: AddFile }) => {
    if (!predicate || readWhole.has(file.add)) return { fate: new Uint8Array(batch.numRows).fill(DELETE) };
    const columnsData = plan.outputFields.map((f, i) => [f, batch.data.children[i]] as const);
    const mask = predicateMask(predicate, columnsData as never, batch.numRows);
    const fate = new Uint8Array(batch.numRows);
    for (let i = 0; i < fate.length; i++) fate[i] = mask[i] === 1 ? DELETE : KEEP;
    return { fate };
  };
  const wholeRows = [...wholeSet].reduce((n, f) => n + liveRows(f), 0);
  return applyAndCommit({
    ctx,
    options,
    operation: "DELETE",
    plan,
    read,
    decide,
    wholeFiles: whole.map((f) => f.add),
    readPredicate: files?.mayMatch,
    started,
    metrics: (changes, m) => ({ numDeletedRows: changes.counts.deletedRows + wholeRows, ...m }),
  });
}

/** Live rows of a file from its stats (0 when unknown). */
function liveRows(add: AddFile): number {
  const n = readFileStats(add)?.numRecords;
  return n === undefined ? 0 : n - (add.deletionVector?.cardinality ?? 0);
}
