/**
 * Scan planning (pure, no IO): a snapshot, the columns wanted and a predicate become the list of
 * files to read, with their typed partition values, after partition pruning and stats-based
 * skipping. Files without stats are never skipped. The predicate is kept for exact row filtering
 * after the data is read: pruning only ever removes files that cannot hold a matching row.
 */
import { InvalidInputError } from "../errors.js";
import type { AddFile } from "../log/actions.js";
import type { SortedRowIndexes } from "../log/deletion-vector.js";
import type { Snapshot } from "../table/snapshot.js";
import type { Scalar, StructField, StructType } from "../schema/types.js";
import { columnMappingMode, logicalToPhysicalPath, validateColumnMapping, type ColumnMappingMode } from "../schema/column-mapping.js";
import { parsePartitionValues } from "../schema/partition-values.js";
import { resolveTimeZone } from "../schema/datetime.js";
import { bind, type BindOptions } from "../expr/bind.js";
import { parse } from "../expr/parse.js";
import { boundColumns, normalizeBound, type BoundExpr } from "../expr/bound.js";
import { columnsOf } from "../expr/columns-of.js";
import { partitionMayMatch } from "../expr/eval-partition.js";
import { statsMayMatch } from "../expr/eval-stats.js";
import { columnStats, readFileStats } from "./file-stats.js";

/** What to scan. */
export interface ScanOptions {
  /** Top-level columns to return, in this order (default: all, table order). */
  columns?: readonly string[] | undefined;
  /** A predicate: SQL-ish text (see expr/) or an already bound expression. */
  where?: string | BoundExpr | undefined;
  /** Session time zone for zone-less timestamp partition values (default UTC). */
  timeZone?: string | undefined;
}

/** One file to read. */
export interface PlannedFile {
  add: AddFile;
  /** Partition values as canonical scalars, keyed by logical column name. */
  partitionValues: Record<string, Scalar>;
  /**
   * When set, only these physical rows of the file are read (sorted ascending), and the file's
   * deletion vector is not applied: the change data feed reads the rows whose deletion state
   * changed in a commit this way.
   */
  selectedRows?: SortedRowIndexes | undefined;
}

/** The result of planning. */
export interface ScanPlan {
  snapshot: Snapshot;
  /** The table's logical schema. */
  schema: StructType;
  columnMapping: ColumnMappingMode;
  /**
   * The schema as stored in the data files, field for field aligned with `schema` (default:
   * derived from `schema` and `columnMapping`). The change data feed sets it to read the
   * `_change_type` column of change data files by name in column mapping id mode.
   */
  physicalSchema?: StructType | undefined;
  /** Output fields (logical), in output order. */
  outputFields: StructField[];
  /** Data (non-partition) fields that must be read: output columns plus predicate columns. */
  readFields: StructField[];
  partitionColumns: string[];
  predicate: BoundExpr | undefined;
  files: PlannedFile[];
  /** Counts for economy reporting. */
  counts: { total: number; prunedByPartition: number; skippedByStats: number };
}

/** The snapshot's logical schema (parsed once per snapshot: {@link Snapshot.schema}). */
export function snapshotSchema(snapshot: Snapshot): StructType {
  return snapshot.schema;
}

/** Binds a predicate (text or bound) against a table schema. */
export function bindPredicate(where: string | BoundExpr, schema: StructType, context: { path: string; version: number }): BoundExpr {
  try {
    // a bound tree built by hand is checked and balanced as `bind` would have made it
    if (typeof where !== "string") return normalizeBound(where);
    const options: BindOptions = { columns: columnsOf(schema) };
    return bind(parse(where), options);
  } catch (err) {
    if (err instanceof InvalidInputError) throw new InvalidInputError(err.message, { ...context, cause: err.cause });
    throw err;
  }
}

/** Plans a scan of a snapshot. */
export function planScan(snapshot: Snapshot, options: ScanOptions = {}): ScanPlan {
  const context = { path: snapshot.tableRoot, version: snapshot.version };
  if (options.timeZone !== undefined) resolveTimeZone(options.timeZone); // an unknown zone is an error even if no value needs it
  const schema = snapshotSchema(snapshot);
  const mode = columnMappingMode(snapshot.properties);
  validateColumnMapping(schema, mode);
  const partitionColumns = [...snapshot.partitionColumns];
  const partitionSet = new Set(partitionColumns);
  const outputFields = selectFields(schema, options.columns, context);
  const predicate = options.where === undefined ? undefined : bindPredicate(options.where, schema, context);
  const predicateColumns = predicate ? boundColumns(predicate) : [];
  const wanted = new Set([...outputFields.map((f) => f.name), ...predicateColumns.map((c) => c.path[0] as string)]);
  const readFields = schema.fields.filter((f) => wanted.has(f.name) && !partitionSet.has(f.name));
  const usesPartitions = predicateColumns.some((c) => partitionSet.has(c.path[0] as string));
  const usesData = predicateColumns.some((c) => !partitionSet.has(c.path[0] as string));

  const files: PlannedFile[] = [];
  let prunedByPartition = 0;
  let skippedByStats = 0;
  const all = snapshot.files();
  for (const add of all) {
    const partitionValues =
      partitionColumns.length === 0
        ? {}
        : parsePartitionValues({ partitionValues: add.partitionValues ?? {}, schema, partitionColumns, columnMapping: mode, timeZone: options.timeZone });
    if (predicate && usesPartitions) {
      const ok = partitionMayMatch(predicate, (path) => (path.length === 1 && partitionSet.has(path[0] as string) ? (partitionValues[path[0] as string] ?? null) : undefined));
      if (!ok) {
        prunedByPartition++;
        continue;
      }
    }
    if (predicate && usesData) {
      const stats = readFileStats(add);
      if (stats) {
        const ok = statsMayMatch(predicate, (path, column) => {
          if (partitionSet.has(path[0] as string)) return undefined;
          return columnStats(stats, logicalToPhysicalPath(schema, path, mode), column.type);
        });
        if (!ok) {
          skippedByStats++;
          continue;
        }
      }
    }
    files.push({ add, partitionValues });
  }
  return {
    snapshot,
    schema,
    columnMapping: mode,
    outputFields,
    readFields,
    partitionColumns,
    predicate,
    files,
    counts: { total: all.length, prunedByPartition, skippedByStats },
  };
}

function selectFields(schema: StructType, columns: readonly string[] | undefined, context: { path: string; version: number }): StructField[] {
  if (columns === undefined) return [...schema.fields];
  const byName = new Map(schema.fields.map((f) => [f.name, f]));
  const out: StructField[] = [];
  for (const c of columns) {
    const f = byName.get(c) ?? schema.fields.find((x) => x.name.toLowerCase() === c.toLowerCase());
    if (!f) {
      throw new InvalidInputError(`unknown column '${c}'; the table has: ${schema.fields.map((x) => x.name).join(", ")}`, context);
    }
    if (out.includes(f)) throw new InvalidInputError(`column '${c}' selected twice`, context);
    out.push(f);
  }
  return out;
}
