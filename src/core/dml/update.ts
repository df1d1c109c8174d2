/**
 * UPDATE (`updateRows`): the rows matching a predicate (all rows without one) get new values
 * for the columns of `set`, in one commit. Expressions use the one grammar of expr/ (literals,
 * columns, `+ - * /`, unary minus, CASE WHEN, COALESCE, `||`, CAST, NULL), typed against the
 * schema (assign.ts). Planned like DELETE (files that cannot match are not read); each candidate
 * file is read once, the updated rows are written as new rows in new files, and the old ones
 * leave their file through a deletion vector when the table enables them, else the file is
 * rewritten with its other rows. On change-data-feed tables the rows before and after go to
 * change data files (update_preimage, update_postimage). Updating no row commits nothing.
 */
import type { RecordBatch } from "apache-arrow";
import type { BoundExpr } from "../expr/bound.js";
import { columnsOf } from "../expr/columns-of.js";
import { bindPredicate, planScan } from "../scan/plan.js";
import { predicateMask } from "../scan/row-filter.js";
import { filePredicates } from "../write/replace-where.js";
import { assignedRows, compileAssignments } from "./assign.js";
import { predicateParameter, scanOptions } from "./delete.js";
import { commitRowChanges, type DmlFileMetrics, type DmlResult } from "./dml-commit.js";
import { openForDml, type DmlOptions } from "./dml-context.js";
import { KEEP, UPDATE, applyRowChanges } from "./row-changes.js";
import { BatchValues } from "./row-values.js";

/** Options of {@link updateRows}. */
export interface UpdateOptions extends DmlOptions {
  /** Column -> new value expression, e.g. `{ price: "price * 1.1", note: "'repriced'" }`. */
  set: Readonly<Record<string, string>>;
  /** Which rows to update (SQL-ish text or a bound predicate); all rows when absent. */
  where?: string | BoundExpr | undefined;
}

/** Metrics of an UPDATE (delta-rs's names, plus the file metrics). */
export interface UpdateMetrics extends DmlFileMetrics {
  numUpdatedRows: number;
}

/**
 * Updates the rows matching `where`.
 * @throws InvalidInputError for an unknown column (to set or in an expression), a value type the
 *   column does not take, a bad predicate, a value that does not fit at run time (nothing is
 *   committed then), an append-only table; CommitConflictError on a concurrent conflict.
 */
export async function updateRows(options: UpdateOptions): Promise<DmlResult<UpdateMetrics>> {
  const started = Date.now();
  const ctx = await openForDml(options, { operation: "UPDATE", removesRows: true, writesNewValues: true });
  const { snapshot, schema } = ctx;
  const context = { path: snapshot.tableRoot, version: snapshot.version };
  const compiled = compileAssignments({ set: options.set, schema, scope: columnsOf(schema), what: "update" });
  const predicate = options.where === undefined ? undefined : bindPredicate(options.where, schema, context);
  const plan = planScan(snapshot, { where: predicate, timeZone: options.timeZone });
  const decide = (batch: RecordBatch) => {
    const mask = predicate ? predicateMask(predicate, plan.outputFields.map((f, i) => [f, batch.data.children[i]] as never), batch.numRows) : undefined;
    const fate = new Uint8Array(batch.numRows);
    const rows: number[] = [];
    for (let i = 0; i < fate.length; i++) {
      if (mask && mask[i] !== 1) fate[i] = KEEP;
      else {
        fate[i] = UPDATE;
        rows.push(i);
      }
    }
    if (rows.length === 0) return { fate };
    const values = new BatchValues(batch, schema);
    const names = schema.fields.map((f) => [f.name]);
    const updated = assignedRows(
      compiled,
      schema,
      rows,
      (field, row) => values.get(names[field] as string[], row),
      (row) => (column) => values.get(column.path, row) as never,
      "update",
    );
    return { fate, updated: [updated] };
  };
  const changes = await applyRowChanges({
    store: ctx.store,
    plan,
    decide,
    deletionVectors: ctx.deletionVectors,
    changeDataFeed: ctx.changeDataFeed,
    fileOptions: ctx.fileOptions,
    scan: scanOptions(options),
  });
  return commitRowChanges({
    ctx,
    options,
    operation: "UPDATE",
    operationParameters: { predicate: predicateParameter(options.where) },
    changes,
    readPredicate: predicate ? filePredicates({ snapshot, predicate, schema, columnMapping: ctx.columnMapping, timeZone: options.timeZone }).mayMatch : undefined,
    skippedFiles: plan.counts.prunedByPartition + plan.counts.skippedByStats,
    started,
    metrics: (m) => ({ numUpdatedRows: changes.counts.updatedRows, ...m }),
  });
}
