/**
 * replaceWhere (overwrite only the rows matching a predicate, in one commit): which live files are
 * removed whole (every row matches, decided from partition values), kept (no row can match: partition
 * pruning or stats), or rewritten (some rows may match: their other rows are written to new files).
 * Also the check that every NEW row satisfies the predicate; a row that does not is refused before
 * anything is committed.
 */
import type { RecordBatch } from "apache-arrow";
import { InvalidInputError } from "../errors.js";
import type { AddFile } from "../log/actions.js";
import type { BoundExpr } from "../expr/bound.js";
import { partitionMayMatch, partitionMustMatch } from "../expr/eval-partition.js";
import { statsMayMatch } from "../expr/eval-stats.js";
import { print } from "../expr/print.js";
import type { Expr } from "../expr/ast.js";
import { logicalToPhysicalPath, type ColumnMappingMode } from "../schema/column-mapping.js";
import { parsePartitionValues } from "../schema/partition-values.js";
import type { Scalar, StructField, StructType } from "../schema/types.js";
import { columnStats, readFileStats } from "../scan/file-stats.js";
import { predicateMask } from "../scan/row-filter.js";
import type { Snapshot } from "../table/snapshot.js";
import type { Data } from "apache-arrow";

/** What a replaceWhere does to the existing files. */
export interface ReplaceWherePlan {
  /** Files whose rows all match: removed. */
  remove: AddFile[];
  /** Files with some rows that may match: removed, their non-matching rows written again. */
  rewrite: AddFile[];
  /** The files the operation depends on (for conflict detection): any that may hold matching rows. */
  mayMatch: (add: AddFile) => boolean;
}

/** Options of {@link planReplaceWhere}. */
export interface PlanReplaceWhereOptions {
  snapshot: Snapshot;
  predicate: BoundExpr;
  schema: StructType;
  columnMapping: ColumnMappingMode;
  timeZone?: string | undefined;
}

/** What a predicate says about a whole file, from its partition values and stats alone. */
export interface FilePredicates {
  /** False when no row of the file can match (partition pruning or stats). */
  mayMatch: (add: AddFile) => boolean;
  /** True when every row of the file matches (decided by its partition values). */
  mustMatch: (add: AddFile) => boolean;
}

/** File-level tests of a predicate (shared by replaceWhere, DML planning and conflict checks). */
export function filePredicates(options: PlanReplaceWhereOptions): FilePredicates {
  const { snapshot, predicate, schema, columnMapping } = options;
  const partitionColumns = snapshot.partitionColumns;
  const partitionSet = new Set(partitionColumns);
  const partitionsOf = (add: AddFile): Record<string, Scalar> =>
    parsePartitionValues({ partitionValues: add.partitionValues ?? {}, schema, partitionColumns, columnMapping, timeZone: options.timeZone });
  const accessor = (values: Record<string, Scalar>) => (path: readonly string[]) =>
    path.length === 1 && partitionSet.has(path[0] as string) ? (values[path[0] as string] ?? null) : undefined;
  const mayMatch = (add: AddFile): boolean => {
    const values = partitionsOf(add);
    if (!partitionMayMatch(predicate, accessor(values))) return false;
    const stats = readFileStats(add);
    if (!stats) return true;
    return statsMayMatch(predicate, (path, column) =>
      partitionSet.has(path[0] as string) ? undefined : columnStats(stats, logicalToPhysicalPath(schema, path, columnMapping), column.type),
    );
  };
  const mustMatch = (add: AddFile): boolean => partitionMustMatch(predicate, accessor(partitionsOf(add)));
  return { mayMatch, mustMatch };
}

/** Sorts the live files into removed, rewritten and kept. */
export function planReplaceWhere(options: PlanReplaceWhereOptions): ReplaceWherePlan {
  const { mayMatch, mustMatch } = filePredicates(options);
  const remove: AddFile[] = [];
  const rewrite: AddFile[] = [];
  for (const add of options.snapshot.files()) {
    if (mustMatch(add)) remove.push(add);
    else if (mayMatch(add)) rewrite.push(add);
  }
  return { remove, rewrite, mayMatch };
}

/** Keeps the rows of a batch for which the predicate is not TRUE (false or null). */
export function rowsNotMatching(batch: RecordBatch, schema: StructType, predicate: BoundExpr): RecordBatch[] {
  return splitByPredicate(batch, schema, predicate).rest;
}

/** The rows of a batch for which the predicate is TRUE, and the others, as runs (zero-copy slices). */
export function splitByPredicate(batch: RecordBatch, schema: StructType, predicate: BoundExpr): { matching: RecordBatch[]; rest: RecordBatch[] } {
  const mask = truthMask(batch, schema, predicate);
  const matching: RecordBatch[] = [];
  const rest: RecordBatch[] = [];
  let i = 0;
  while (i < batch.numRows) {
    const start = i;
    const match = mask[i] === 1;
    while (i < batch.numRows && (mask[i] === 1) === match) i++;
    (match ? matching : rest).push(batch.slice(start, i));
  }
  return { matching, rest };
}

/** A check for new rows: throws InvalidInputError on the first row the predicate does not accept. */
export function requireRowsMatch(schema: StructType, predicate: BoundExpr, source: Expr | string): (batch: RecordBatch) => void {
  let seen = 0;
  const text = typeof source === "string" ? source : print(source);
  return (batch) => {
    const mask = truthMask(batch, schema, predicate);
    const bad = mask.findIndex((m) => m !== 1);
    if (bad >= 0) {
      throw new InvalidInputError(`row ${seen + bad} of the new data does not satisfy the replaceWhere predicate ${text}; nothing was committed`);
    }
    seen += batch.numRows;
  };
}

/** 1 where the predicate is TRUE for the row, else 0; columns matched to the schema by name. */
function truthMask(batch: RecordBatch, schema: StructType, predicate: BoundExpr): Uint8Array {
  const columns: (readonly [StructField, Data])[] = [];
  for (const f of schema.fields) {
    const idx = batch.schema.fields.findIndex((x) => x.name === f.name);
    if (idx >= 0) columns.push([f, batch.data.children[idx] as Data]);
  }
  return predicateMask(predicate, columns, batch.numRows);
}
