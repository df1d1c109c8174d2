/**
 * MERGE (`mergeInto`): upserts a source into the table in one commit, with delta-rs's clause
 * model (clauses.ts). The source is read into memory and indexed by the `on` condition's
 * equi-join columns (at least one `target.x = source.y` is required); the target files that may
 * hold a matching row are found with the early filter (early-filter.ts) and the scan planner,
 * then read once through the DML engine (row-changes.ts): each target row is joined with its
 * source rows (the whole `on` condition decides), the first WHEN MATCHED clause whose condition
 * holds updates or deletes it, an unmatched target row goes to the WHEN NOT MATCHED BY SOURCE
 * clauses, and after the scan the source rows that matched nothing go to the WHEN NOT MATCHED
 * clauses. A target row matched by more than one source row is an error (as in Spark and
 * delta-rs), unless the only WHEN MATCHED clause is an unconditional delete; nothing is committed.
 * Memory: the source and its key index, plus the engine's (one target file at a time).
 */
import type { RecordBatch } from "apache-arrow";
import { InvalidInputError } from "../../errors.js";
import type { BoundExpr } from "../../expr/bound.js";
import { planScan } from "../../scan/plan.js";
import type { PlannedFile } from "../../scan/plan.js";
import type { Scalar } from "../../schema/types.js";
import type { WriteData } from "../../write/write-input.js";
import { filePredicates } from "../../write/replace-where.js";
import { commitRowChanges, type DmlFileMetrics, type DmlResult } from "../dml-commit.js";
import { openForDml, type DmlOptions } from "../dml-context.js";
import { DELETE, KEEP, UPDATE, applyRowChanges, type BatchFate } from "../row-changes.js";
import { takeBatch } from "../row-batches.js";
import { scanOptions } from "../dml-context.js";
import { checkClauses, type MergeClauses } from "./clauses.js";
import { conjunctsOf, earlyFilter, type KeyPair } from "./early-filter.js";
import { SourceIndex, joinKey, type JoinKey } from "./join-key.js";
import { MergeColumns, evalPair, pairReader, type Side } from "./merge-columns.js";
import { assignedRows, compileAssignments, type CompiledAssignments } from "../assign.js";
import { BatchValues } from "../row-values.js";
import { MergeSource } from "./source.js";

/** Options of {@link mergeInto}. */
export interface MergeOptions extends DmlOptions, MergeClauses {
  /** The rows to merge: an Arrow Table, a RecordBatch, a (async) stream of batches, or row objects. */
  source: WriteData;
  /** The join condition, e.g. `target.id = source.id` (needs at least one such equality). */
  on: string;
  /** Name of the source in expressions (default "source"). */
  sourceAlias?: string | undefined;
  /** Name of the target in expressions (default "target"). */
  targetAlias?: string | undefined;
}

/** Metrics of a MERGE (delta-rs's names, plus the file metrics). */
export interface MergeMetrics extends DmlFileMetrics {
  numSourceRows: number;
  numTargetRowsInserted: number;
  numTargetRowsUpdated: number;
  numTargetRowsDeleted: number;
  numTargetRowsCopied: number;
  /** Rows written: inserted + updated + copied. */
  numOutputRows: number;
  numTargetFilesScanned: number;
  numTargetFilesSkippedDuringScan: number;
  numTargetFilesAdded: number;
  numTargetFilesRemoved: number;
  /** Spark's split of the updated and deleted rows by clause kind. */
  numTargetRowsMatchedUpdated: number;
  numTargetRowsMatchedDeleted: number;
  numTargetRowsNotMatchedBySourceUpdated: number;
  numTargetRowsNotMatchedBySourceDeleted: number;
  /** Spark's target-prefixed names of the file metrics. */
  numTargetChangeFilesAdded: number;
  numTargetBytesAdded: number;
  numTargetBytesRemoved: number;
  numTargetDeletionVectorsAdded: number;
  numTargetDeletionVectorsRemoved: number;
  numTargetDeletionVectorsUpdated: number;
}

/** Indexes of the per-clause row tallies (deleted rows at the index after each). */
const MATCHED_UPDATED = 0;
const BY_SOURCE_UPDATED = 2;

interface Compiled<A extends string> {
  action: A;
  condition: BoundExpr | undefined;
  /** The SET list of an update or insert clause. */
  assign: CompiledAssignments | undefined;
}

/**
 * Merges the source into the table.
 * @throws InvalidInputError for bad clauses or expressions (unknown columns, type mismatches, a
 *   source missing a column a clause needs), a target row matched by several source rows, or an
 *   append-only table with update/delete clauses; CommitConflictError on a concurrent conflict.
 */
export async function mergeInto(options: MergeOptions): Promise<DmlResult<MergeMetrics>> {
  const started = Date.now();
  checkClauses(options);
  const matchedClauses = options.whenMatched ?? [];
  const notMatchedClauses = options.whenNotMatched ?? [];
  const bySourceClauses = options.whenNotMatchedBySource ?? [];
  if (typeof options.on !== "string" || options.on.trim() === "") throw new InvalidInputError("merge needs an `on` condition, e.g. target.id = source.id");
  const ctx = await openForDml(options, {
    operation: "MERGE",
    removesRows: matchedClauses.length > 0 || bySourceClauses.length > 0,
    writesNewValues: true,
  });
  const { snapshot, schema } = ctx;
  const source = await MergeSource.load(options.source, schema);
  const aliases = { target: options.targetAlias ?? "target", source: options.sourceAlias ?? "source" };
  const columns = new MergeColumns(schema, source.schema, aliases);
  const on = columns.bindPredicate(options.on, "merge condition", ["target", "source"]);
  const conjuncts = conjunctsOf(on);
  const keys: KeyPair[] = [];
  for (const c of conjuncts) {
    if (c.kind !== "compareColumns" || c.op !== "=") continue;
    const l = columns.ownerOf(c.left).side;
    const r = columns.ownerOf(c.right).side;
    if (l === "target" && r === "source") keys.push({ target: c.left, source: c.right });
    else if (l === "source" && r === "target") keys.push({ target: c.right, source: c.left });
  }
  if (keys.length === 0) {
    throw new InvalidInputError(`merge condition ${options.on} needs an equality between a target and a source column (e.g. ${aliases.target}.id = ${aliases.source}.id)`);
  }
  const cond = (c: string | undefined, what: string, sides: Side[]) => (c === undefined ? undefined : columns.bindPredicate(c, what, sides));
  const assign = (set: Readonly<Record<string, string>>, what: string, sides: Side[]): CompiledAssignments => {
    const compiled = compileAssignments({ set, schema, scope: columns.defs, targetPrefixes: [aliases.target], what });
    columns.checkSides(compiled.columns, what, sides);
    return compiled;
  };
  const matched: Compiled<"update" | "updateAll" | "delete">[] = matchedClauses.map((c, i) => ({
    action: c.action,
    condition: cond(c.condition, `whenMatched[${i}] condition`, ["target", "source"]),
    assign: c.action === "update" ? assign(c.set, `whenMatched[${i}]`, ["target", "source"]) : undefined,
  }));
  const notMatched: Compiled<"insert" | "insertAll">[] = notMatchedClauses.map((c, i) => ({
    action: c.action,
    condition: cond(c.condition, `whenNotMatched[${i}] condition`, ["source"]),
    assign: c.action === "insert" ? assign(c.values, `whenNotMatched[${i}]`, ["source"]) : undefined,
  }));
  const bySource: Compiled<"update" | "delete">[] = bySourceClauses.map((c, i) => ({
    action: c.action,
    condition: cond(c.condition, `whenNotMatchedBySource[${i}] condition`, ["target"]),
    assign: c.action === "update" ? assign(c.set, `whenNotMatchedBySource[${i}]`, ["target"]) : undefined,
  }));
  for (const [i, c] of matchedClauses.entries()) if (c.action === "updateAll") source.requireTargetColumns(schema, `whenMatched[${i}] (update all)`);
  for (const [i, c] of notMatchedClauses.entries()) if (c.action === "insertAll") source.requireTargetColumns(schema, `whenNotMatched[${i}] (insert all)`);
  // Each source row's key, and the index from keys to source rows.
  const sourceKeyPaths = keys.map((k) => columns.ownerOf(k.source).path);
  const targetKeyPaths = keys.map((k) => columns.ownerOf(k.target).path);
  const sourceValues = source.batches.map((b) => new BatchValues(b, source.schema));
  const index = new SourceIndex();
  sourceValues.forEach((v, b) => {
    const key = keyReader(v, sourceKeyPaths);
    for (let r = 0; r < v.batch.numRows; r++) index.add(key(r), source.start(b) + r);
  });
  const early =
    bySource.length > 0
      ? undefined
      : earlyFilter({
          columns,
          conjuncts,
          keys,
          partitionColumns: snapshot.partitionColumns,
          sourceKeyValues: function* (pair) {
            const path = columns.ownerOf(pair.source).path;
            for (const v of sourceValues) for (let r = 0; r < v.batch.numRows; r++) yield v.get(path, r) as Scalar;
          },
        });
  const plan = planScan(snapshot, { where: early, timeZone: options.timeZone });
  const matchedSource = new Uint8Array(source.rows);
  const unique = matched.some((c) => c.action !== "delete" || c.condition !== undefined);
  let targetRowsSeen = 0;
  const tallies = [0, 0, 0, 0]; // target rows updated, deleted by WHEN MATCHED; updated, deleted by NOT MATCHED BY SOURCE

  const decide = (batch: RecordBatch, file: PlannedFile): BatchFate => {
    const tv = new BatchValues(batch, schema);
    const targetKey = keyReader(tv, targetKeyPaths);
    const fate = new Uint8Array(batch.numRows);
    const updateAllFrom: number[] = []; // source rows whose values replace updated target rows
    const setRows = new Map<Compiled<string>, { target: number[]; source: number[] }>(); // rows of each SET clause
    const viaSet = (clause: Compiled<string>, target: number, sourceRow: number): void => {
      const list = setRows.get(clause) ?? { target: [], source: [] };
      list.target.push(target);
      list.source.push(sourceRow);
      setRows.set(clause, list);
    };
    for (let row = 0; row < batch.numRows; row++) {
      const t = { values: tv, row };
      const candidates = index.lookup(targetKey(row));
      let first = -1;
      let count = 0;
      const consider = (s: number): void => {
        const at = source.locate(s);
        if (evalPair(on, columns, t, { values: sourceValues[at.batch] as BatchValues, row: at.row }) !== true) return;
        matchedSource[s] = 1;
        if (count === 0) first = s;
        count++;
      };
      if (typeof candidates === "number") consider(candidates);
      else if (candidates === undefined && bySource.length === 0) continue; // no match and nothing to do: KEEP
      else for (const s of candidates ?? []) consider(s);
      if (count > 1 && unique) {
        throw new InvalidInputError(
          `merge: a target row (row ${targetRowsSeen + row} read, in ${file.add.path}) matched ${count} source rows; each target row may match at most one source row. Deduplicate the source on the merge keys; nothing was committed`,
          { path: snapshot.tableRoot, version: snapshot.version },
        );
      }
      const s = count > 0 ? sourceAt(first) : undefined;
      const clause = (s ? matched : bySource).find((c) => c.condition === undefined || evalPair(c.condition, columns, t, s) === true);
      if (!clause) {
        fate[row] = KEEP;
        continue;
      }
      fate[row] = clause.action === "delete" ? DELETE : UPDATE;
      const tally = (s ? MATCHED_UPDATED : BY_SOURCE_UPDATED) + (clause.action === "delete" ? 1 : 0);
      tallies[tally] = (tallies[tally] as number) + 1;
      if (clause.action === "updateAll") updateAllFrom.push(first);
      else if (clause.action !== "delete") viaSet(clause, row, s ? first : -1);
    }
    targetRowsSeen += batch.numRows;
    const updated = updateAllFrom.length > 0 ? sourceRowsAsTarget(source, updateAllFrom) : [];
    for (const [clause, rows] of setRows) {
      const k = rows.target.map((_, i) => i);
      updated.push(
        assignedRows(
          clause.assign as CompiledAssignments,
          schema,
          k,
          (field, i) => tv.get(fieldPaths[field] as string[], rows.target[i] as number),
          (i) => pairReader(columns, { values: tv, row: rows.target[i] as number }, sourceAt(rows.source[i] as number)),
          "merge update",
        ),
      );
    }
    return { fate, updated: updated.length > 0 ? updated : undefined };
  };
  const fieldPaths = schema.fields.map((f) => [f.name]);
  const sourceAt = (s: number): { values: BatchValues; row: number } | undefined => {
    if (s < 0) return undefined;
    const at = source.locate(s);
    return { values: sourceValues[at.batch] as BatchValues, row: at.row };
  };

  async function* inserts(): AsyncGenerator<RecordBatch> {
    if (notMatched.length === 0) return;
    for (let b = 0; b < source.batches.length; b++) {
      const v = sourceValues[b] as BatchValues;
      const all: number[] = [];
      const bySet = new Map<Compiled<string>, number[]>();
      for (let r = 0; r < v.batch.numRows; r++) {
        if (matchedSource[source.start(b) + r] === 1) continue;
        const s = { values: v, row: r };
        const clause = notMatched.find((c) => c.condition === undefined || evalPair(c.condition, columns, undefined, s) === true);
        if (!clause) continue;
        if (clause.action === "insertAll") all.push(r);
        else bySet.set(clause, [...(bySet.get(clause) ?? []), r]);
      }
      if (all.length > 0) yield takeBatch(source.asTarget(b), Int32Array.from(all));
      for (const [clause, rows] of bySet) {
        yield assignedRows(clause.assign as CompiledAssignments, schema, rows, () => null, (r) => pairReader(columns, undefined, { values: v, row: r }), "merge insert");
      }
    }
  }

  const changes = await applyRowChanges({
    store: ctx.store,
    plan,
    decide,
    inserts,
    deletionVectors: ctx.deletionVectors,
    changeDataFeed: ctx.changeDataFeed,
    fileOptions: ctx.fileOptions,
    scan: scanOptions(options),
  });
  const c = changes.counts;
  const describe = (list: readonly { action: string; condition?: string | undefined }[]) =>
    JSON.stringify(list.map((x) => ({ actionType: x.action, ...(x.condition === undefined ? {} : { predicate: x.condition }) })));
  return commitRowChanges({
    ctx,
    options,
    operation: "MERGE",
    operationParameters: {
      predicate: JSON.stringify([options.on]),
      matchedPredicates: describe(matchedClauses),
      notMatchedPredicates: describe(notMatchedClauses),
      notMatchedBySourcePredicates: describe(bySourceClauses),
    },
    changes,
    readPredicate: early ? filePredicates({ snapshot, predicate: early, schema, columnMapping: ctx.columnMapping, timeZone: options.timeZone }).mayMatch : undefined,
    skippedFiles: plan.counts.prunedByPartition + plan.counts.skippedByStats,
    started,
    metrics: (m) => ({
      numSourceRows: source.rows,
      numTargetRowsInserted: c.insertedRows,
      numTargetRowsUpdated: c.updatedRows,
      numTargetRowsDeleted: c.deletedRows,
      numTargetRowsCopied: c.copiedRows,
      numOutputRows: c.insertedRows + c.updatedRows + c.copiedRows,
      numTargetFilesScanned: m.numFilesScanned,
      numTargetFilesSkippedDuringScan: m.numFilesSkipped,
      numTargetFilesAdded: m.numAddedFiles,
      numTargetFilesRemoved: m.numRemovedFiles,
      numTargetRowsMatchedUpdated: tallies[MATCHED_UPDATED] as number,
      numTargetRowsMatchedDeleted: tallies[MATCHED_UPDATED + 1] as number,
      numTargetRowsNotMatchedBySourceUpdated: tallies[BY_SOURCE_UPDATED] as number,
      numTargetRowsNotMatchedBySourceDeleted: tallies[BY_SOURCE_UPDATED + 1] as number,
      numTargetChangeFilesAdded: m.numAddedChangeFiles,
      numTargetBytesAdded: m.numAddedBytes,
      numTargetBytesRemoved: m.numRemovedBytes,
      numTargetDeletionVectorsAdded: m.numDeletionVectorsAdded,
      numTargetDeletionVectorsRemoved: m.numDeletionVectorsRemoved,
      numTargetDeletionVectorsUpdated: m.numDeletionVectorsUpdated,
      ...m,
    }),
  });
}

/** The join key of each row of a batch, by row number. */
function keyReader(values: BatchValues, paths: readonly (readonly string[])[]): (row: number) => JoinKey | undefined {
  const readers = paths.map((p) => values.reader(p));
  if (readers.length === 1) {
    const read = readers[0] as (row: number) => unknown;
    return (row) => joinKey([read(row) as Scalar]);
  }
  return (row) => joinKey(readers.map((r) => r(row) as Scalar));
}

/** Source rows (by row number, in this order) as target rows. */
function sourceRowsAsTarget(source: MergeSource, rows: readonly number[]): RecordBatch[] {
  const byBatch = new Map<number, number[]>();
  for (const r of rows) {
    const at = source.locate(r);
    const list = byBatch.get(at.batch);
    if (list) list.push(at.row);
    else byBatch.set(at.batch, [at.row]);
  }
  return [...byBatch].map(([b, list]) => takeBatch(source.asTarget(b), Int32Array.from(list)));
}
