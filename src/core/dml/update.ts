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
import { columnsOf } from "../expr/columns-of.js";
import { planScan } from "../scan/plan.js";
import { predicateMask } from "../scan/row-filter.js";
import { filePredicates } from "../write/replace-where.js";
import { assignedRows, compileAssignments } from "./assign.js";
import type { DmlFileMetrics, DmlResult } from "./dml-commit.js";
import { openForDml } from "./dml-context.js";
import { KEEP, UPDATE } from "./row-changes.js";
import { BatchValues } from "./row-values.js";
import { applyAndCommit, bindWhere, type WhereDmlOptions } from "./where-dml.js";

/** Options of {@link updateRows}. */
export interface UpdateOptions extends WhereDmlOptions {
  /** Column -> new value expression, e.g. `{ price: "price * 1.1", note: "'repriced'" }`. */
  set: Readonly<Record<string, string>>;
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
  const compiled = compileAssignments({ set: options.set, schema, scope: columnsOf(schema), what: "update" });
  const predicate = bindWhere(options.where, ctx);
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
  return applyAndCommit({
    ctx,
    options,
    operation: "UPDATE",
    plan,
    decide,
    readPredicate: predicate ? filePredicates({ snapshot, predicate, schema, columnMapping: ctx.columnMapping, timeZone: options.timeZone }).mayMatch : undefined,
    started,
    metrics: (changes, m) => ({ numUpdatedRows: changes.counts.updatedRows, ...m }),
  });
}
