/**
 * What DELETE and UPDATE share around their row decision: the `where` option and its binding,
 * then applying the decision to the planned files and committing it (commitInfo's `predicate`
 * parameter, the files the scan skipped). Each operation keeps its own file planning and its own
 * `decide`. MERGE (its join, its inserts) does not go through here.
 */
import type { BoundExpr } from "../expr/bound.js";
import type { AddFile } from "../log/actions.js";
import { bindPredicate, type PlannedFile, type ScanPlan } from "../scan/plan.js";
import { commitRowChanges, type DmlFileMetrics, type DmlResult } from "./dml-commit.js";
import { scanOptions, type DmlContext, type DmlOptions } from "./dml-context.js";
import { applyRowChanges, type AppliedRowChanges, type DecideRows } from "./row-changes.js";

/** Options of a DML operation that picks its rows with a predicate (DELETE, UPDATE). */
export interface WhereDmlOptions extends DmlOptions {
  /** Which rows (SQL-ish text or a bound predicate); all rows when absent. */
  where?: string | BoundExpr | undefined;
}

/** `where` bound against the opened table's schema (undefined: every row). */
export function bindWhere(where: WhereDmlOptions["where"], ctx: DmlContext): BoundExpr | undefined {
  const { snapshot, schema } = ctx;
  return where === undefined ? undefined : bindPredicate(where, schema, { path: snapshot.tableRoot, version: snapshot.version });
}

/** Options of {@link applyAndCommit}. */
export interface ApplyAndCommitOptions<M> {
  ctx: DmlContext;
  options: WhereDmlOptions;
  operation: "DELETE" | "UPDATE";
  /** The scan plan (its counts give the skipped files). */
  plan: ScanPlan;
  /** The files to read (default: the plan's). */
  read?: PlannedFile[] | undefined;
  decide: DecideRows;
  /** Files removed whole without being read. */
  wholeFiles?: readonly AddFile[] | undefined;
  /** Files the result depends on; undefined = the whole table. */
  readPredicate: ((add: AddFile) => boolean) | undefined;
  /** When the operation started (ms since the epoch). */
  started: number;
  /** The operation's metrics from the applied changes and the file metrics. */
  metrics: (changes: AppliedRowChanges, files: DmlFileMetrics) => M;
}

/** Applies `decide` to the files read and commits what changed (nothing when nothing did). */
export async function applyAndCommit<M>(o: ApplyAndCommitOptions<M>): Promise<DmlResult<M>> {
  const { ctx, options, plan } = o;
  const changes = await applyRowChanges({
    store: ctx.store,
    plan: o.read === undefined ? plan : { ...plan, files: o.read },
    decide: o.decide,
    deletionVectors: ctx.deletionVectors,
    changeDataFeed: ctx.changeDataFeed,
    fileOptions: ctx.fileOptions,
    scan: scanOptions(options),
  });
  return commitRowChanges({
    ctx,
    options,
    operation: o.operation,
    operationParameters: { predicate: predicateParameter(options.where) },
    changes,
    wholeFiles: o.wholeFiles,
    readPredicate: o.readPredicate,
    skippedFiles: plan.counts.prunedByPartition + plan.counts.skippedByStats,
    started: o.started,
    metrics: (files) => o.metrics(changes, files),
  });
}

/** commitInfo's `predicate` parameter: Spark's JSON array of the condition's text. */
export function predicateParameter(where: string | BoundExpr | undefined): string {
  return JSON.stringify(where === undefined ? [] : [typeof where === "string" ? where : "(bound predicate)"]);
}
