/**
 * The three columns the change data feed adds to a table's own (PROTOCOL.md "Change Data Files",
 * delta-kernel-rs table changes): `_change_type` (insert, delete, update_preimage,
 * update_postimage), `_commit_version` (long) and `_commit_timestamp` (timestamp, UTC).
 */
import type { StructField, StructType } from "../schema/types.js";
import { ChangeFeedError } from "./errors.js";

/** Name of the change type column (also a column of change data files). */
export const CHANGE_TYPE_COLUMN = "_change_type";
/** Name of the commit version column. */
export const COMMIT_VERSION_COLUMN = "_commit_version";
/** Name of the commit timestamp column. */
export const COMMIT_TIMESTAMP_COLUMN = "_commit_timestamp";
/** The change columns, in output order. */
export const CHANGE_COLUMNS: readonly string[] = [CHANGE_TYPE_COLUMN, COMMIT_VERSION_COLUMN, COMMIT_TIMESTAMP_COLUMN];

/** Change types that writers record (`update_*` only in change data files). */
export type ChangeType = "insert" | "delete" | "update_preimage" | "update_postimage";

/** The three change fields, typed as Delta types (no column mapping metadata). */
export function changeFields(): StructField[] {
  return [
    { name: CHANGE_TYPE_COLUMN, type: { kind: "primitive", name: "string" }, nullable: true, metadata: {} },
    { name: COMMIT_VERSION_COLUMN, type: { kind: "primitive", name: "long" }, nullable: false, metadata: {} },
    { name: COMMIT_TIMESTAMP_COLUMN, type: { kind: "primitive", name: "timestamp" }, nullable: false, metadata: {} },
  ];
}

/** Refuses a table whose own columns use a change column's name (Spark reserves them too). */
export function checkNoReservedColumns(schema: StructType, context: { path: string; version: number }): void {
  for (const f of schema.fields) {
    if (CHANGE_COLUMNS.includes(f.name.toLowerCase())) {
      throw new ChangeFeedError("feedDisabled", `column ${f.name} collides with the change data feed's own ${f.name.toLowerCase()} column`, context);
    }
  }
}
