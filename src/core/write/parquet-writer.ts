/**
 * Delta data -> Parquet bytes: relabels canonical Arrow data to the file's physical schema and
 * encodes it with parquet/writer.ts (parquet-wasm, arrow-rs's writer).
 *
 * Input is data in the canonical layout of a Delta schema (data-validate.ts) with LOGICAL column
 * names. The writer relabels it, without copying, to the physical schema: under column mapping
 * (name or id) every field at every depth takes its physical name and carries its column id as
 * Arrow field metadata `PARQUET:field_id`, which arrow-rs writes as the parquet field_id (checked
 * with pyarrow; nested element/key/value ids come from `delta.columnMapping.nested.ids`). Field ids
 * are written in name mode too, as Spark does. `void` fields are dropped (never stored in files);
 * no other metadata reaches the file's Arrow schema. Timestamps are INT64 microseconds with
 * isAdjustedToUTC=true for `timestamp` (Arrow zone "UTC") and false for `timestamp_ntz` (no zone);
 * decimals are INT32/INT64/FIXED_LEN_BYTE_ARRAY by precision; byte/short are INT32 with Int(8|16).
 *
 * Memory: the IPC stream is a copy of the batches and parquet-wasm copies it again into wasm
 * memory (which grows to the largest file and stays), so a file costs about three times its Arrow
 * size while it is encoded; data-files.ts bounds that with its target file size.
 */

import { Data, DataType as ArrowType, Field, List, Map_, RecordBatch, Schema, Struct, Table, type Field as ArrowField } from "apache-arrow";
import { InvalidInputError } from "../errors.js";
import { PARQUET_FIELD_ID_KEY } from "../arrow/field-id.js";
import { deltaSchemaToArrow } from "../schema/arrow-schema.js";
import { physicalSchema, type ColumnMappingMode } from "../schema/column-mapping.js";
import { dataTypeText } from "../schema/schema-json.js";
import type { DataType, StructType } from "../schema/types.js";
import { relabel } from "./data-cast.js";
import { encodeParquet, type ParquetWriteSettings } from "../parquet/writer.js";

/** Options of {@link arrowToParquet}. */
export interface ArrowToParquetOptions extends ParquetWriteSettings {
  /** Rows in canonical layout with logical column names (extra columns are ignored). */
  data: Table | RecordBatch | readonly RecordBatch[];
  /** Delta schema (logical) of the columns to write, in file column order. */
  schema: StructType;
  /** Column mapping mode of the table; default "none". */
  columnMapping?: ColumnMappingMode;
  /**
   * Top-level columns written under their own name and without a field id whatever the column
   * mapping mode: columns that are not part of the table (a change data file's `_change_type`).
   */
  unmappedColumns?: readonly string[];
}

/**
 * Encodes Arrow rows as a Parquet file.
 * @throws InvalidInputError when a column is missing or not in canonical layout;
 *   ParquetWasmError when parquet-wasm cannot be loaded or fails.
 */
export async function arrowToParquet(options: ArrowToParquetOptions): Promise<Uint8Array> {
  const mode = options.columnMapping ?? "none";
  const target = physicalArrowSchema({ schema: options.schema, columnMapping: mode, ...(options.unmappedColumns ? { unmappedColumns: options.unmappedColumns } : {}) });
  const data = options.data as Table | RecordBatch | readonly RecordBatch[];
  const batches: readonly RecordBatch[] = Array.isArray(data) ? data : "batches" in data ? (data as Table).batches : [data as RecordBatch];
  const table = new Table(target, batches.map((b) => toPhysicalBatch(b, options.schema, target)));
  return encodeParquet({ ...options, table });
}

/** Options of {@link physicalArrowSchema}. */
export interface PhysicalArrowSchemaOptions {
  /** Delta schema (logical). */
  schema: StructType;
  /** Column mapping mode; default "none". */
  columnMapping?: ColumnMappingMode;
  /** Top-level columns kept under their own name, without a field id (see ArrowToParquetOptions). */
  unmappedColumns?: readonly string[];
}

/**
 * The Arrow schema of the file: physical names, `PARQUET:field_id` under column mapping, void
 * fields dropped, no other field metadata.
 */
export function physicalArrowSchema(options: PhysicalArrowSchemaOptions): Schema {
  const mode = options.columnMapping ?? "none";
  const unmapped = new Set(options.unmappedColumns ?? []);
  const schema = withoutVoid(options.schema);
  if (mode === "none" || unmapped.size === 0) {
    const physical = physicalSchema(schema, mode, { fieldIds: mode !== "none" });
    return new Schema(deltaSchemaToArrow(physical).fields.map(cleanField));
  }
  const fields = schema.fields.map((f) => {
    const plain = unmapped.has(f.name);
    const one = physicalSchema({ kind: "struct", fields: [plain ? { ...f, metadata: {} } : f] }, plain ? "none" : mode, { fieldIds: !plain });
    return cleanField(deltaSchemaToArrow(one).fields[0] as ArrowField);
  });
  return new Schema(fields);
}

function isVoid(type: DataType): boolean {
  return type.kind === "primitive" && type.name === "void";
}

/** The struct without its void fields (at every struct depth). */
export function withoutVoid(struct: StructType): StructType {
  return { kind: "struct", fields: struct.fields.filter((f) => !isVoid(f.type)).map((f) => ({ ...f, type: stripType(f.type) })) };
}

function stripType(type: DataType): DataType {
  switch (type.kind) {
    case "struct":
      return withoutVoid(type);
    case "array":
      return { ...type, elementType: stripType(type.elementType) };
    case "map":
      return { ...type, keyType: stripType(type.keyType), valueType: stripType(type.valueType) };
    default:
      return type;
  }
}

/** Keeps only `PARQUET:field_id` in the metadata of a field and its descendants. */
function cleanField(field: ArrowField): ArrowField {
  const metadata = new Map<string, string>();
  const id = field.metadata.get(PARQUET_FIELD_ID_KEY);
  if (id !== undefined) metadata.set(PARQUET_FIELD_ID_KEY, id);
  return new Field(field.name, cleanType(field.type), field.nullable, metadata);
}

function cleanType(type: ArrowType): ArrowType {
  if (ArrowType.isStruct(type)) return new Struct(type.children.map(cleanField));
  if (ArrowType.isList(type)) return new List(cleanField(type.children[0] as ArrowField));
  if (ArrowType.isMap(type)) {
    const entries = type.children[0] as ArrowField;
    return new Map_(new Field(entries.name, new Struct(entries.type.children.map(cleanField)), false), type.keysSorted);
  }
  return type;
}

/** Relabels one canonical batch (logical names) to the physical file schema `target`. */
function toPhysicalBatch(batch: RecordBatch, schema: StructType, target: Schema): RecordBatch {
  const fields = schema.fields.filter((f) => !isVoid(f.type));
  const children = fields.map((f, i) => {
    const index = batch.schema.fields.findIndex((x) => x.name === f.name);
    const data = index < 0 ? undefined : batch.data.children[index];
    if (data === undefined) throw new InvalidInputError(`column ${f.name} is missing from the data to write`);
    return toPhysical(data, f.type, (target.fields[i] as ArrowField).type, f.name);
  });
  return new RecordBatch(target, new Data(new Struct(target.fields), 0, batch.numRows, 0, [undefined, undefined, undefined, undefined] as never, children));
}

function toPhysical(data: Data, type: DataType, target: ArrowType, column: string): Data {
  const wrong = (): never => {
    throw new InvalidInputError(
      `column ${column}: Arrow type ${String(data.type)} is not the canonical layout of Delta type ${dataTypeText(type)}; conform the data first (validateDataSchema)`,
    );
  };
  const nested = (children: Data[], offsets?: unknown): Data =>
    new Data(target, data.offset, data.length, data.nullCount, [offsets, undefined, data.nullBitmap, undefined] as never, children);
  switch (type.kind) {
    case "primitive":
      if (type.name === "variant") return ArrowType.isStruct(data.type) && data.children.length === 2 ? nested(data.children) : wrong();
      return sameLeafType(data.type, target) ? relabel(data, target) : wrong();
    case "struct": {
      if (!ArrowType.isStruct(data.type) || data.children.length !== type.fields.length) return wrong();
      const kept = type.fields.map((f, i) => [f, data.children[i] as Data] as const).filter(([f]) => !isVoid(f.type));
      return nested(kept.map(([f, child], i) => toPhysical(child, f.type, (target.children[i] as ArrowField).type, `${column}.${f.name}`)));
    }
    case "array": {
      if (!ArrowType.isList(data.type)) return wrong();
      const element = toPhysical(data.children[0] as Data, type.elementType, (target.children[0] as ArrowField).type, `${column}.element`);
      return nested([element], data.valueOffsets);
    }
    case "map": {
      if (!ArrowType.isMap(data.type)) return wrong();
      const entries = data.children[0] as Data;
      const entriesType = (target.children[0] as ArrowField).type;
      const [keyField, valueField] = entriesType.children as ArrowField[];
      const key = toPhysical(entries.children[0] as Data, type.keyType, (keyField as ArrowField).type, `${column}.key`);
      const value = toPhysical(entries.children[1] as Data, type.valueType, (valueField as ArrowField).type, `${column}.value`);
      const newEntries = new Data(entriesType, entries.offset, entries.length, entries.nullCount, [undefined, undefined, entries.nullBitmap, undefined] as never, [key, value]);
      return nested([newEntries], data.valueOffsets);
    }
  }
}

/** Whether two leaf Arrow types have the same layout and parameters. */
function sameLeafType(a: ArrowType, b: ArrowType): boolean {
  if (a.typeId !== b.typeId) return false;
  const x = a as unknown as Record<string, unknown>;
  const y = b as unknown as Record<string, unknown>;
  for (const key of ["bitWidth", "isSigned", "precision", "scale", "unit"]) if (x[key] !== y[key]) return false;
  if (ArrowType.isTimestamp(a) && ArrowType.isTimestamp(b)) return Boolean(a.timezone) === Boolean(b.timezone);
  return true;
}
