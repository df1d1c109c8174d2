/**
 * Splitting a batch by partition columns: one group per distinct tuple of partition values (null
 * included; "" and null are the same partition, as Spark stores empty strings as null), with the
 * partition columns dropped from the rows (Delta's default: partition values live in the log and
 * the directory name, not in the file). Each group carries `partitionValues` serialized with
 * schema/partition-values.ts and keyed by physical name, and its Hive directory
 * `col=escaped/...` (null -> `__HIVE_DEFAULT_PARTITION__`), the literal on-disk directory; the log
 * path of a file in it must be URI-encoded on top (encodeAddPath: `x=A%2FA` -> `x=A%252FA`).
 * Input is canonical data (data-validate.ts); a batch holding a single partition is not copied.
 */

import { Data, RecordBatch, Schema, Struct, type Field } from "apache-arrow";
import { InvalidInputError } from "../errors.js";
import { physicalName, type ColumnMappingMode } from "../schema/column-mapping.js";
import { partitionDirectory } from "../schema/partition-path.js";
import { serializePartitionValue } from "../schema/partition-values.js";
import type { Scalar, StructField, StructType } from "../schema/types.js";
import { takeRows } from "../arrow/take.js";
import { scalarAt } from "../arrow/data.js";

/** The rows of one partition. */
export interface PartitionGroup {
  /** Identity of the partition tuple (stable across batches). */
  key: string;
  /** Partition values as canonical scalars, by logical column name. */
  values: Record<string, Scalar>;
  /** Serialized partition values for `add.partitionValues`, keyed by physical name. */
  partitionValues: Record<string, string | null>;
  /** Hive directory on disk (physical names), no trailing slash; "" when unpartitioned. */
  directory: string;
  /** The rows, without the partition columns. */
  batch: RecordBatch;
}

/** Options of {@link splitByPartition}. */
export interface SplitByPartitionOptions {
  /** Canonical rows with every table column (logical names). */
  batch: RecordBatch;
  /** Table schema (logical). */
  schema: StructType;
  /** Partition columns (logical names), in table order. */
  partitionColumns: readonly string[];
  /** Column mapping mode; default "none". */
  columnMapping?: ColumnMappingMode;
  /** Timestamp partition value format (partition-values.ts); default "iso8601". */
  timestampFormat?: "iso8601" | "space";
}

/** Options of {@link partitionFields} and {@link dataSchemaOf}. */
export interface PartitionColumnsOptions {
  /** Table schema (logical). */
  schema: StructType;
  /** Partition columns (logical names). */
  partitionColumns: readonly string[];
}

/**
 * Resolves partition column names to schema fields (exact name, else a unique case-insensitive
 * match).
 * @throws InvalidInputError for an unknown, nested, non-primitive or duplicate partition column, or
 *   when every column is a partition column.
 */
export function partitionFields(options: PartitionColumnsOptions): StructField[] {
  const { schema, partitionColumns } = options;
  const out: StructField[] = [];
  for (const name of partitionColumns) {
    const lower = name.toLowerCase();
    const matches = schema.fields.filter((f) => f.name.toLowerCase() === lower);
    const field = schema.fields.find((f) => f.name === name) ?? (matches.length === 1 ? matches[0] : undefined);
    if (field === undefined) throw new InvalidInputError(`partition column ${name} is not a top-level column of the table schema`);
    if (field.type.kind !== "primitive" || field.type.name === "variant") {
      throw new InvalidInputError(`partition column ${name} must have a primitive type, not ${field.type.kind === "primitive" ? field.type.name : field.type.kind}`);
    }
    if (out.includes(field)) throw new InvalidInputError(`partition column ${name} is listed twice`);
    out.push(field);
  }
  if (out.length > 0 && out.length === schema.fields.length) throw new InvalidInputError("every column is a partition column: a table needs at least one data column");
  return out;
}

/**
 * The schema of the data files: the table schema without its partition columns.
 * @throws InvalidInputError as {@link partitionFields}.
 */
export function dataSchemaOf(options: PartitionColumnsOptions): StructType {
  const parts = new Set(partitionFields(options));
  return { kind: "struct", fields: options.schema.fields.filter((f) => !parts.has(f)) };
}

/** Splits canonical rows into partition groups (in order of first appearance). */
export function splitByPartition(options: SplitByPartitionOptions): PartitionGroup[] {
  const { batch, schema } = options;
  const mode = options.columnMapping ?? "none";
  const parts = partitionFields({ schema, partitionColumns: options.partitionColumns });
  const columnOf = (name: string): Data => {
    const i = batch.schema.fields.findIndex((f) => f.name === name);
    const d = i < 0 ? undefined : batch.data.children[i];
    if (d === undefined) throw new InvalidInputError(`column ${name} is missing from the rows to split`);
    return d;
  };
  const partNames = new Set(parts.map((f) => f.name));
  const kept = batch.schema.fields.map((f, i) => [f, i] as const).filter(([f]) => !partNames.has(f.name));
  const dataSchema = new Schema(kept.map(([f]) => f), batch.schema.metadata);
  const dataChildren = kept.map(([, i]) => batch.data.children[i] as Data);
  const n = batch.numRows;
  if (n === 0) return [];
  const makeBatch = (children: Data[], length: number): RecordBatch =>
    new RecordBatch(dataSchema, new Data(new Struct(dataSchema.fields as Field[]), 0, length, 0, [undefined, undefined, undefined, undefined] as never, children));

  const serialize = (f: StructField, value: Scalar): string | null => {
    const base = { column: f.name, type: f.type, value };
    return serializePartitionValue(options.timestampFormat === undefined ? base : { ...base, timestampFormat: options.timestampFormat });
  };
  // Per column: a code per row, one per distinct raw value, serialized once.
  const columns = parts.map((f) => {
    const data = columnOf(f.name);
    const codes = new Int32Array(n);
    const distinct: { value: Scalar; text: string | null }[] = [];
    const byValue = new Map<unknown, number>();
    for (let i = 0; i < n; i++) {
      const value = scalarAt(data, f.type, i);
      const cacheKey = typeof value === "object" && value !== null ? (value instanceof Uint8Array ? `b:${value.join(",")}` : `d:${value.unscaled}`) : value;
      let code = byValue.get(cacheKey);
      if (code === undefined) {
        code = distinct.length;
        byValue.set(cacheKey, code);
        distinct.push({ value, text: serialize(f, value) });
      }
      codes[i] = code;
    }
    return { field: f, physical: physicalName(f, mode), codes, distinct };
  });
  const groups: Array<Omit<PartitionGroup, "batch"> & { rows: number }> = [];
  const byKey = new Map<string, number>();
  const byCodes = new Map<string, number>();
  const groupOf = new Int32Array(n);
  const single = columns.length === 1 ? (columns[0] as { codes: Int32Array }).codes : undefined;
  const bySingleCode: number[] = [];
  const groupFor = (i: number): number => {
    if (single !== undefined) {
      const known = bySingleCode[single[i] as number];
      if (known !== undefined) return known;
    }
    const codeKey = columns.map((c) => c.codes[i]).join(",");
    let g = byCodes.get(codeKey);
    if (g !== undefined) return g;
    const picked = columns.map((c) => c.distinct[c.codes[i] as number] as { value: Scalar; text: string | null });
    const key = JSON.stringify(picked.map((x) => x.text));
    g = byKey.get(key);
    if (g === undefined) {
      g = groups.length;
      byKey.set(key, g);
      const values: Record<string, Scalar> = {};
      const partitionValues: Record<string, string | null> = {};
      columns.forEach((c, j) => {
        const { value, text } = picked[j] as { value: Scalar; text: string | null };
        values[c.field.name] = text === null ? null : value;
        partitionValues[c.physical] = text;
      });
      const directory = partitionDirectory(columns.map((c, j) => [c.physical, (picked[j] as { text: string | null }).text] as const));
      groups.push({ key, values, partitionValues, directory, rows: 0 });
    }
    byCodes.set(codeKey, g);
    if (single !== undefined) bySingleCode[single[i] as number] = g;
    return g;
  };
  if (columns.length === 0) groupFor(0);
  for (let i = 0; i < (columns.length === 0 ? 0 : n); i++) {
    const g = groupFor(i);
    (groups[g] as { rows: number }).rows++;
    groupOf[i] = g;
  }
  if (groups.length <= 1) {
    const only = groups[0] ?? { key: "[]", values: {}, partitionValues: {}, directory: "", rows: n };
    return [{ key: only.key, values: only.values, partitionValues: only.partitionValues, directory: only.directory, batch: makeBatch(dataChildren, n) }];
  }
  const indices = groups.map((g) => new Int32Array(g.rows));
  const fill = new Int32Array(groups.length);
  for (let i = 0; i < n; i++) {
    const g = groupOf[i] as number;
    (indices[g] as Int32Array)[fill[g]!++] = i;
  }
  return groups.map((g, k) => {
    const idx = indices[k] as Int32Array;
    return { key: g.key, values: g.values, partitionValues: g.partitionValues, directory: g.directory, batch: makeBatch(dataChildren.map((d) => takeRows(d, idx)), idx.length) };
  });
}
