/**
 * A run of commits' change files as a scan: the files become the live files of a synthetic
 * snapshot whose schema is the table's plus the change columns, so the scan planner prunes them
 * by partition values and stats and binds `where` (which may also name the change columns), and
 * the scan reads them (ranged reads, deletion vectors, column mapping, row filtering). The change
 * columns are partition-like constants per file (`_commit_version`, `_commit_timestamp`, and
 * `_change_type` for inserts and deletes), except in change data files, which store
 * `_change_type` themselves. A run holds either change data files or added/removed files.
 */
import type { AddFile, Metadata } from "../log/actions.js";
import { ReplayState } from "../log/replay.js";
import type { BoundExpr } from "../expr/bound.js";
import { COLUMN_MAPPING_ID_KEY, COLUMN_MAPPING_PHYSICAL_NAME_KEY, PARQUET_FIELD_ID_KEY, physicalSchema, type ColumnMappingMode } from "../schema/column-mapping.js";
import { serializeSchema } from "../schema/schema-json.js";
import type { StructType } from "../schema/types.js";
import { planScan, type ScanPlan } from "../scan/plan.js";
import { Snapshot } from "../table/snapshot.js";
import { CHANGE_COLUMNS, CHANGE_TYPE_COLUMN, COMMIT_TIMESTAMP_COLUMN, COMMIT_VERSION_COLUMN, changeFields } from "./change-columns.js";
import type { ChangeFile } from "./commit-changes.js";
import type { TableState } from "./start-state.js";

/** A commit of a run: its version, time and change files. */
export interface TimedCommit {
  version: number;
  /** Commit time, ms since the epoch. */
  timestamp: number;
  files: ChangeFile[];
}

/** A planned file whose rows are those a deletion vector change deleted or restored. */
export interface DvSide {
  file: Extract<ChangeFile, { kind: "dvUpdate" }>;
  version: number;
  side: "deleted" | "restored";
}

/** A run as a scan plan, plus the planned files that still need their changed rows resolved. */
export interface ChangeRun {
  plan: ScanPlan;
  dvSides: Map<AddFile, DvSide>;
}

/** What every run of one feed shares. */
export interface ChangeScanOptions {
  tableRoot: string;
  state: TableState;
  schema: StructType;
  columnMapping: ColumnMappingMode;
  columns?: readonly string[] | undefined;
  where?: string | BoundExpr | undefined;
  timeZone?: string | undefined;
}

/** Plans a run of commits that all have (or all lack) change data files. */
export function planChangeRun(options: ChangeScanOptions, commits: readonly TimedCommit[], cdcRun: boolean): ChangeRun {
  const { state } = options;
  const first = commits[0]?.version ?? state.version;
  const metadata = runMetadata(options, cdcRun);
  const replay = new ReplayState();
  replay.protocol = state.protocol;
  replay.metadata = metadata;
  const dvSides = new Map<AddFile, DvSide>();
  let n = 0;
  for (const c of commits) {
    const constants = { [COMMIT_VERSION_COLUMN]: String(c.version), [COMMIT_TIMESTAMP_COLUMN]: new Date(c.timestamp).toISOString() };
    for (const f of c.files) {
      for (const { add, side } of syntheticAdds(f, constants)) {
        replay.files.set(String(n++), add);
        if (side !== undefined && f.kind === "dvUpdate") dvSides.set(add, { file: f, version: c.version, side });
      }
    }
  }
  const snapshot = new Snapshot({
    tableRoot: options.tableRoot,
    version: first,
    protocol: state.protocol,
    metadata,
    timestamp: commits[0]?.timestamp ?? 0,
    segment: { version: first, checkpoint: undefined, deltas: [], lastCommit: undefined },
    state: replay,
  });
  const plan = planScan(snapshot, { columns: outputColumns(options), where: options.where, timeZone: options.timeZone });
  if (cdcRun && options.columnMapping === "id") {
    // Change data files store `_change_type` without a field id: read that column by name.
    const physical = physicalSchema(plan.schema, "id", { fieldIds: true });
    plan.physicalSchema = {
      kind: "struct",
      fields: physical.fields.map((f) => (f.name === CHANGE_TYPE_COLUMN ? { ...f, metadata: withoutKey(f.metadata, PARQUET_FIELD_ID_KEY) } : f)),
    };
  }
  return { plan, dvSides };
}

/** The columns to output: the ones asked for (default all), then any change column not listed. */
export function outputColumns(options: Pick<ChangeScanOptions, "columns" | "schema">): string[] {
  const own = options.columns ?? options.schema.fields.map((f) => f.name);
  const listed = new Set(own.map((c) => c.toLowerCase()));
  return [...own, ...CHANGE_COLUMNS.filter((c) => !listed.has(c))];
}

/** The table's schema with the change fields appended (as a run's scan sees it). */
export function changeSchema(schema: StructType, mode: ColumnMappingMode): StructType {
  const extra = changeFields().map((f, i) =>
    mode === "none" ? f : { ...f, metadata: { [COLUMN_MAPPING_PHYSICAL_NAME_KEY]: f.name, [COLUMN_MAPPING_ID_KEY]: -1 - i } },
  );
  return { kind: "struct", fields: [...schema.fields, ...extra] };
}

/** The synthetic metaData of a run: extended schema, change columns as partition columns. */
function runMetadata(options: ChangeScanOptions, cdcRun: boolean): Metadata {
  const base = options.state.metadata;
  const constants = cdcRun ? [COMMIT_VERSION_COLUMN, COMMIT_TIMESTAMP_COLUMN] : [...CHANGE_COLUMNS];
  return {
    ...base,
    schemaString: serializeSchema(changeSchema(options.schema, options.columnMapping)),
    partitionColumns: [...(base.partitionColumns ?? []), ...constants],
  };
}

/** The scan files of one change file (a DV update is two: its deleted and its restored rows). */
function syntheticAdds(f: ChangeFile, constants: Record<string, string>): { add: AddFile; side?: DvSide["side"] }[] {
  const file = (path: string, size: number, pv: Record<string, string | null> | null | undefined, extra: Partial<AddFile>): AddFile => ({
    path,
    size,
    partitionValues: { ...(pv ?? {}), ...constants },
    modificationTime: 0,
    dataChange: true,
    ...extra,
  });
  switch (f.kind) {
    case "cdc":
      return [{ add: file(f.cdc.path, f.cdc.size, f.cdc.partitionValues, {}) }];
    case "insert":
      return [{ add: { ...f.add, partitionValues: { ...(f.add.partitionValues ?? {}), ...constants, [CHANGE_TYPE_COLUMN]: "insert" } } }];
    case "delete": {
      const r = f.remove;
      const add = file(r.path, Number(r.size ?? -1), r.partitionValues, { stats: r.stats ?? null, deletionVector: r.deletionVector ?? null });
      add.partitionValues[CHANGE_TYPE_COLUMN] = "delete";
      return [{ add }];
    }
    case "dvUpdate": {
      const { add, remove } = f;
      // Deleted rows were live before the commit (the remove's stats bound them), restored rows
      // are live after it (the add's stats bound them).
      const deleted = file(add.path, add.size, add.partitionValues, { stats: remove.stats ?? null });
      const restored = file(add.path, add.size, add.partitionValues, { stats: add.stats ?? null, ...(add.statsParsed ? { statsParsed: add.statsParsed } : {}) });
      deleted.partitionValues[CHANGE_TYPE_COLUMN] = "delete";
      restored.partitionValues[CHANGE_TYPE_COLUMN] = "insert";
      return [
        { add: deleted, side: "deleted" },
        { add: restored, side: "restored" },
      ];
    }
  }
}

function withoutKey(metadata: Record<string, unknown>, key: string): Record<string, unknown> {
  const out = { ...metadata };
  delete out[key];
  return out;
}
