/**
 * Where an asset lives and which part of it an operation touches (dagster's TableSlice): the
 * table path `<schema>/<table>` (table = last element of the key; schema from the I/O manager's
 * config, the key prefix or the `schema` metadata — exactly one of them, else `public`), the
 * columns an input selects, and the partitions with the column each dimension is stored in
 * (`partition_expr` metadata: a column name, or a dimension -> column map for multi-partitions).
 */
import { InvalidInputError } from "../errors.js";
import { keyString, type AssetKey } from "./asset-key.js";
import type { Metadata, PartitionSelection } from "./context.js";
import type { PartitionsDefinition } from "./partitions/definitions.js";

/** The schema used when none is given. */
export const DEFAULT_SCHEMA = "public";

/** The partitions part of a slice. */
export interface SlicePartitions {
  def: PartitionsDefinition;
  keys: readonly string[];
  /** Column per dimension name; a single-dimension definition has its column under "". */
  columns: Readonly<Record<string, string>>;
}

/** A table and the part of it an operation touches. */
export interface TableSlice {
  /** Folder(s) under the root: `public`, `iris`, or `a/b` for a deeper key prefix. */
  schema: string;
  table: string;
  /** Columns an input selects (all when undefined). */
  columns?: readonly string[] | undefined;
  partitions?: SlicePartitions | undefined;
}

/** Options of {@link tableSlice}. */
export interface TableSliceOptions {
  assetKey: AssetKey;
  /** The asset's definition metadata (`schema`, `partition_expr`). */
  metadata: Metadata;
  /** The I/O manager's `schema` config. */
  configSchema?: string | undefined;
  partitions?: PartitionSelection | undefined;
  /** An input's metadata (`columns`). */
  inputMetadata?: Metadata | undefined;
}

/** Resolves the slice of an output or an input (see the module comment). */
export function tableSlice(options: TableSliceOptions): TableSlice {
  const { assetKey, metadata } = options;
  const name = keyString(assetKey);
  const table = assetKey[assetKey.length - 1] as string;
  const prefix = assetKey.slice(0, -1);
  const fromMetadata = metadata["schema"];
  if (fromMetadata !== undefined && (typeof fromMetadata !== "string" || fromMetadata === "")) {
    throw new InvalidInputError(`asset ${name}: metadata "schema" must be a non-empty string`);
  }
  checkSchemaName(options.configSchema, `I/O manager config for asset ${name}`);
  checkSchemaName(fromMetadata as string | undefined, `metadata of asset ${name}`);
  const sources: string[] = [];
  if (options.configSchema !== undefined) sources.push(`schema "${options.configSchema}" from the I/O manager config`);
  if (prefix.length > 0) sources.push(`schema "${prefix.join("/")}" from its key prefix`);
  if (fromMetadata !== undefined) sources.push(`schema "${fromMetadata as string}" from its "schema" metadata`);
  if (sources.length > 1) {
    throw new InvalidInputError(`asset ${name} gets ${sources.join(" and ")}; a schema can only be specified one way`);
  }
  const schema = options.configSchema ?? (prefix.length > 0 ? prefix.join("/") : undefined) ?? (fromMetadata as string | undefined) ?? DEFAULT_SCHEMA;
  const slice: TableSlice = { schema, table };
  const columns = options.inputMetadata?.["columns"];
  if (columns !== undefined) slice.columns = checkColumns(columns, name);
  if (options.partitions !== undefined) slice.partitions = slicePartitions(name, metadata, options.partitions);
  return slice;
}

function checkSchemaName(schema: string | undefined, where: string): void {
  if (schema === undefined) return;
  if (typeof schema !== "string" || schema === "" || schema.split("/").some((p) => p === "" || p === "." || p === "..") || schema.includes("\\")) {
    throw new InvalidInputError(`${where}: invalid schema ${JSON.stringify(schema)} (folder names, "/"-separated)`);
  }
}

function checkColumns(columns: unknown, name: string): string[] {
  if (!Array.isArray(columns) || columns.length === 0 || columns.some((c) => typeof c !== "string" || c === "")) {
    throw new InvalidInputError(`input ${name}: metadata "columns" must be a non-empty array of column names, got ${JSON.stringify(columns)}`);
  }
  const list = columns as string[];
  const dup = list.find((c, i) => list.indexOf(c) !== i);
  if (dup !== undefined) throw new InvalidInputError(`input ${name}: column "${dup}" is selected twice`);
  return list;
}

/** The partition columns of an asset from its `partition_expr` metadata, checked against its definition. */
export function slicePartitions(name: string, metadata: Metadata, selection: PartitionSelection): SlicePartitions {
  const expr = metadata["partition_expr"];
  if (expr === undefined || expr === null) {
    throw new InvalidInputError(
      `Asset '${name}' has partitions, but no 'partition_expr' metadata value, so we don't know what column it's partitioned on. ` +
        `To specify a column, set this metadata value. E.g. metadata: { partition_expr: "your_partition_column" }.`,
    );
  }
  const { def } = selection;
  if (selection.keys.length === 0) throw new InvalidInputError(`asset ${name}: no partitions selected`);
  if (def.kind === "multi") {
    if (typeof expr !== "object" || Array.isArray(expr)) {
      throw new InvalidInputError(
        `asset ${name} is multi-partitioned (${def.dimensionNames.join(", ")}): its 'partition_expr' metadata must map each dimension to a column, e.g. { ${def.dimensionNames.map((d) => `${d}: "${d}_column"`).join(", ")} }`,
      );
    }
    const map = expr as Record<string, unknown>;
    const missing = def.dimensionNames.filter((d) => map[d] === undefined);
    if (missing.length > 0) throw new InvalidInputError(`asset ${name}: 'partition_expr' metadata has no entry for dimension(s) ${missing.join(", ")}`);
    const extra = Object.keys(map).filter((k) => !def.dimensionNames.includes(k));
    if (extra.length > 0) throw new InvalidInputError(`asset ${name}: 'partition_expr' metadata names unknown dimension(s) ${extra.join(", ")} (dimensions: ${def.dimensionNames.join(", ")})`);
    const columns: Record<string, string> = {};
    for (const d of def.dimensionNames) columns[d] = checkColumnName(map[d], name);
    const used = Object.values(columns);
    if (new Set(used).size !== used.length) throw new InvalidInputError(`asset ${name}: two dimensions are stored in the same column (${used.join(", ")})`);
    return { def, keys: selection.keys, columns };
  }
  if (typeof expr !== "string") {
    throw new InvalidInputError(`asset ${name}: 'partition_expr' metadata must be a column name (a dimension -> column map is for multi-partitioned assets)`);
  }
  return { def, keys: selection.keys, columns: { "": checkColumnName(expr, name) } };
}

function checkColumnName(column: unknown, name: string): string {
  if (typeof column !== "string" || column.trim() === "") {
    throw new InvalidInputError(`asset ${name}: 'partition_expr' values must be column names, got ${JSON.stringify(column)}`);
  }
  return column;
}

/** The partition columns of a slice, in dimension order. */
export function partitionColumnsOf(slice: TableSlice): string[] {
  return slice.partitions ? Object.values(slice.partitions.columns) : [];
}
