/**
 * Test helpers for the asset layer: Arrow tables of given Delta column types, a small iris-like
 * data set, table state snapshots (live files with their bytes) to prove partitions untouched,
 * and collecting rows from whatever an input was loaded as.
 */
import { RecordBatch, Table } from "apache-arrow";
import type { PrimitiveTypeName, StructType } from "../../src/core/schema/types.js";
import { rowsToRecordBatch } from "../../src/core/write/rows-to-arrow.js";
import type { ObjectStore } from "../../src/core/storage/object-store.js";
import { openTable } from "../../src/core/table/open.js";
import { readRows } from "../../src/core/scan/read.js";
import { formatRowJson } from "../../src/core/scan/rows.js";
import { snapshotSchema } from "../../src/core/scan/plan.js";

/** A Delta schema from column -> primitive type name. */
export function schemaOf(columns: Record<string, PrimitiveTypeName>): StructType {
  return { kind: "struct", fields: Object.entries(columns).map(([name, t]) => ({ name, type: { kind: "primitive", name: t } as never, nullable: true, metadata: {} })) };
}

/** An Arrow Table of rows with the given column types (one batch per `batchRows` rows). */
export function arrowTable(rows: Record<string, unknown>[], columns: Record<string, PrimitiveTypeName>, batchRows = 1 << 20): Table {
  const schema = schemaOf(columns);
  const batches: RecordBatch[] = [];
  for (let i = 0; i < rows.length; i += batchRows) batches.push(rowsToRecordBatch(rows.slice(i, i + batchRows), schema));
  if (batches.length === 0) batches.push(rowsToRecordBatch([], schema));
  return new Table(batches);
}

export const SPECIES = ["Iris-setosa", "Iris-versicolor", "Iris-virginica"] as const;

/** `n` iris-like rows per species (deterministic). */
export function irisRows(n = 5, species: readonly string[] = SPECIES): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  species.forEach((s, k) => {
    for (let i = 0; i < n; i++) {
      rows.push({ sepal_length_cm: 5 + k * 0.7 + i / 10, sepal_width_cm: 3 + i / 20, petal_length_cm: 1.4 + k * 2 + i / 10, petal_width_cm: 0.2 + k * 0.8, species: s });
    }
  });
  return rows;
}

export const IRIS_TYPES = { sepal_length_cm: "double", sepal_width_cm: "double", petal_length_cm: "double", petal_width_cm: "double", species: "string" } as const;

/** Live files of a table with their partition values and bytes (hex digest-free: the bytes themselves). */
export async function tableState(store: ObjectStore): Promise<{ version: number; files: Map<string, { partitionValues: Record<string, string | null>; bytes: Uint8Array }> }> {
  const snapshot = await openTable({ store });
  const files = new Map<string, { partitionValues: Record<string, string | null>; bytes: Uint8Array }>();
  for (const f of snapshot.files()) {
    const key = decodeURIComponent(f.path);
    files.set(f.path, { partitionValues: { ...(f.partitionValues ?? {}) }, bytes: await store.get(key) });
  }
  return { version: snapshot.version, files };
}

/** Rows of a table (or of a version) in the CLI's JSON encoding. */
export async function jsonRows(store: ObjectStore, where?: string): Promise<Record<string, unknown>[]> {
  const snapshot = await openTable({ store });
  const fields = snapshotSchema(snapshot).fields;
  const out: Record<string, unknown>[] = [];
  for await (const r of readRows({ store, snapshot, ...(where ? { where } : {}) })) out.push(formatRowJson(r, fields));
  return out;
}

/** Rows of an Arrow Table as plain JSON objects (timestamps as ISO strings, bigints as numbers). */
export function tableJson(table: Table): Record<string, unknown>[] {
  return table.toArray().map((r) => {
    const o = (r as { toJSON(): Record<string, unknown> }).toJSON();
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v]));
  });
}

/** All object keys of a store. */
export async function listKeys(store: ObjectStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const m of store.list("")) keys.push(m.key);
  return keys;
}
