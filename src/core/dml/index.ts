/**
 * Folder dml/: DELETE, UPDATE, MERGE, RESTORE on scan/ and write/. Must not import the parquet
 * libraries or a storage backend.
 *
 * Row-level changes, the public surface: DELETE, UPDATE, MERGE (options object or builder) and
 * RESTORE, with their options and metrics. Deletion vectors and change data files are written as
 * the table's properties ask; nothing here needs more than the ObjectStore contract.
 */
export { deleteRows, type DeleteOptions, type DeleteMetrics } from "./delete.js";
export { updateRows, type UpdateOptions, type UpdateMetrics } from "./update.js";
export { mergeInto, type MergeOptions, type MergeMetrics } from "./merge/merge.js";
export { merge, type MergeBuilder } from "./merge/builder.js";
export type { Assignments, MatchedClause, MergeClauses, NotMatchedBySourceClause, NotMatchedClause } from "./merge/clauses.js";
export { restoreTable, type RestoreOptions, type RestoreMetrics } from "./restore.js";
export type { DmlOptions } from "./dml-context.js";
export type { DmlFileMetrics, DmlResult } from "./dml-commit.js";
