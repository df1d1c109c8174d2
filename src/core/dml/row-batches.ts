/**
 * Arrow plumbing shared by the DML operations: the physical row-index column the DML scan adds
 * (its name, stripping it, reading it), taking rows of a batch by index, appending a constant
 * `_change_type` column for change data files, and conforming computed rows to a schema.
 * Knows nothing of Delta actions or commits.
 */
import { Data, Field, RecordBatch, Schema, Struct, Utf8, makeData } from "apache-arrow";
import type { StructType } from "../schema/types.js";
import { deltaSchemaToArrow } from "../schema/arrow-schema.js";
import { takeRows } from "../arrow/take.js";
import { constantColumn } from "../scan/partition-columns.js";
import { CHANGE_TYPE_COLUMN } from "../write/data-files.js";

/** The name of the row-index column of DML scans (Spark's name for the same thing). */
export const ROW_INDEX_COLUMN = "__delta_internal_row_index";

/** What a change data file row is. */
export type ChangeType = "insert" | "delete" | "update_preimage" | "update_postimage";

/** A batch built from `children` with `schema`. */
export function makeBatch(schema: Schema, children: readonly Data[], length: number): RecordBatch {
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length, nullCount: 0, children: [...children] }));
}

/** Splits a DML scan batch into its table columns (as a batch of `schema`) and its row indexes. */
export function splitRowIndex(batch: RecordBatch, schema: Schema): { rows: RecordBatch; rowIndexAt: (row: number) => number } {
  const children = batch.data.children;
  const index = children[children.length - 1] as Data;
  // Arrow JS slices fixed-width value buffers with their Data: values[0] is the first row.
  const values = (index.values as BigInt64Array).subarray(0, batch.numRows);
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  const [lo, hi] = LITTLE_ENDIAN ? [0, 1] : [1, 0];
  const rowIndexAt = (i: number): number => (words[2 * i + hi] as number) * 0x1_0000_0000 + (words[2 * i + lo] as number);
  return { rows: makeBatch(schema, children.slice(0, -1), batch.numRows), rowIndexAt };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The rows at `indices` (ascending or not) as a new batch of the same schema. */
export function takeBatch(batch: RecordBatch, indices: Int32Array): RecordBatch {
  if (indices.length === batch.numRows && indices.every((v, i) => v === i)) return batch;
  return makeBatch(batch.schema, batch.data.children.map((d) => takeRows(d, indices)), indices.length);
}

const CHANGE_TYPE_FIELD = new Field(CHANGE_TYPE_COLUMN, new Utf8(), true);

/** The batch with a last `_change_type` column holding `type` in every row. */
export function withChangeType(batch: RecordBatch, type: ChangeType): RecordBatch {
  const column = constantColumn(CHANGE_TYPE_FIELD, { kind: "primitive", name: "string" }, type, batch.numRows);
  const schema = new Schema([...batch.schema.fields, CHANGE_TYPE_FIELD]);
  return makeBatch(schema, [...batch.data.children, column], batch.numRows);
}

/** The table schema plus the `_change_type` column: the logical schema of change data files. */
export function changeDataSchema(schema: StructType): StructType {
  return { kind: "struct", fields: [...schema.fields, { name: CHANGE_TYPE_COLUMN, type: { kind: "primitive", name: "string" }, nullable: true, metadata: {} }] };
}

/** The Arrow schema of a Delta schema's rows (logical names), built once per schema object. */
export function arrowSchemaOf(schema: StructType): Schema {
  let s = cache.get(schema);
  if (!s) {
    s = deltaSchemaToArrow(schema);
    cache.set(schema, s);
  }
  return s;
}

const cache = new WeakMap<StructType, Schema>();
