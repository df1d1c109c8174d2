/**
 * Column mapping (PROTOCOL.md "Column Mapping"): the table's mode from `delta.columnMapping.mode`,
 * the physical schema (every field, nested ones inside structs, arrays and maps too, renamed to its
 * `delta.columnMapping.physicalName`), translation of column paths between logical and physical
 * names, the parquet field id of a column, and validation that name/id mode tables carry the
 * metadata on every field. Paths are arrays of names; inside arrays and maps they step through
 * `element`, `key` and `value`.
 */

import { InvalidInputError, ProtocolError, UnsupportedFeatureError } from "../errors.js";
import type { DataType, StructField, StructType } from "./types.js";

/** The column mapping modes of the protocol. */
export type ColumnMappingMode = "none" | "name" | "id";

/** Table property that selects the mode. */
export const COLUMN_MAPPING_MODE_KEY = "delta.columnMapping.mode";
/** Field metadata key of the column id. */
export const COLUMN_MAPPING_ID_KEY = "delta.columnMapping.id";
/** Field metadata key of the physical name. */
export const COLUMN_MAPPING_PHYSICAL_NAME_KEY = "delta.columnMapping.physicalName";
/** Field metadata key of the ids of array elements and map keys/values (IcebergCompat). */
export const COLUMN_MAPPING_NESTED_IDS_KEY = "delta.columnMapping.nested.ids";
/** Metadata key the physical schema uses to expose a field's parquet field id. */
export const PHYSICAL_FIELD_ID_KEY = "parquet.field.id";
/** Metadata key the physical schema uses to expose nested (element/key/value) parquet field ids. */
export const PARQUET_NESTED_FIELD_IDS_KEY = "parquet.field.nested.ids";

/**
 * The column mapping mode of a table from its `metaData.configuration`; absent means `none`.
 * @throws UnsupportedFeatureError for a mode this library does not know.
 */
export function columnMappingMode(configuration: Readonly<Record<string, string>> | null | undefined): ColumnMappingMode {
  const raw = configuration?.[COLUMN_MAPPING_MODE_KEY];
  if (raw === undefined || raw === null) return "none";
  const mode = raw.trim().toLowerCase();
  if (mode === "none" || mode === "name" || mode === "id") return mode;
  throw new UnsupportedFeatureError("columnMapping", `unknown column mapping mode ${JSON.stringify(raw)}`);
}

/** The name of a field in data files and in partitionValues/stats under `mode`. */
export function physicalName(field: StructField, mode: ColumnMappingMode): string {
  if (mode === "none") return field.name;
  const name = field.metadata[COLUMN_MAPPING_PHYSICAL_NAME_KEY];
  if (typeof name !== "string" || name === "") {
    throw new ProtocolError(`column ${field.name} has no ${COLUMN_MAPPING_PHYSICAL_NAME_KEY} in column mapping mode ${mode}`);
  }
  return name;
}

/** The column id of a field (`delta.columnMapping.id`), if it has one. */
export function columnId(field: StructField): number | undefined {
  const id = field.metadata[COLUMN_MAPPING_ID_KEY];
  if (typeof id === "number" && Number.isInteger(id)) return id;
  if (typeof id === "string" && /^-?\d+$/.test(id)) return Number(id);
  return undefined;
}

/** Options of {@link physicalSchema}. */
export interface PhysicalSchemaOptions {
  /**
   * Add `parquet.field.id` (and `parquet.field.nested.ids`) to every field's metadata, which
   * arrow-schema turns into `PARQUET:field_id`. Default: true in id mode, false otherwise. Writers
   * should pass true in name mode too (the protocol asks writers to write field ids).
   */
  fieldIds?: boolean | undefined;
}

/**
 * The schema as stored in data files: in name and id mode every field at every depth renamed to its
 * physical name (metadata kept); in none mode the schema itself.
 * @throws ProtocolError if a field lacks its physical name (or, with field ids, its id).
 */
export function physicalSchema(schema: StructType, mode: ColumnMappingMode, options: PhysicalSchemaOptions = {}): StructType {
  if (mode === "none") return schema;
  const fieldIds = options.fieldIds ?? mode === "id";
  return mapStruct(schema, mode, fieldIds, "");
}

function mapStruct(struct: StructType, mode: ColumnMappingMode, fieldIds: boolean, parent: string): StructType {
  return {
    kind: "struct",
    fields: struct.fields.map((f) => {
      const logicalPath = parent === "" ? f.name : `${parent}.${f.name}`;
      const metadata = { ...f.metadata };
      if (fieldIds) {
        const id = columnId(f);
        if (id === undefined) throw missing(logicalPath, COLUMN_MAPPING_ID_KEY, mode);
        metadata[PHYSICAL_FIELD_ID_KEY] = id;
        const nested = f.metadata[COLUMN_MAPPING_NESTED_IDS_KEY];
        if (nested !== undefined) metadata[PARQUET_NESTED_FIELD_IDS_KEY] = nested;
      }
      const name = f.metadata[COLUMN_MAPPING_PHYSICAL_NAME_KEY];
      if (typeof name !== "string" || name === "") throw missing(logicalPath, COLUMN_MAPPING_PHYSICAL_NAME_KEY, mode);
      return { name, type: mapType(f.type, mode, fieldIds, logicalPath), nullable: f.nullable, metadata };
    }),
  };
}

function mapType(type: DataType, mode: ColumnMappingMode, fieldIds: boolean, path: string): DataType {
  switch (type.kind) {
    case "primitive":
      return type;
    case "struct":
      return mapStruct(type, mode, fieldIds, path);
    case "array":
      return { ...type, elementType: mapType(type.elementType, mode, fieldIds, `${path}.element`) };
    case "map":
      return {
        ...type,
        keyType: mapType(type.keyType, mode, fieldIds, `${path}.key`),
        valueType: mapType(type.valueType, mode, fieldIds, `${path}.value`),
      };
  }
}

function missing(path: string, key: string, mode: ColumnMappingMode): ProtocolError {
  return new ProtocolError(`column ${path} has no ${key} in its metadata, required in column mapping mode ${mode}`);
}

/**
 * Checks that in name/id mode every field at every depth has an integer column id and a physical
 * name (PROTOCOL.md: "every column - nested or leaf - is assigned a unique physical name, and a
 * unique 32-bit integer as an id"); ids must be unique in the schema, physical names among siblings.
 * @throws ProtocolError naming the offending field.
 */
export function validateColumnMapping(schema: StructType, mode: ColumnMappingMode): void {
  if (mode === "none") return;
  const ids = new Map<number, string>();
  const visitStruct = (struct: StructType, parent: string): void => {
    const siblings = new Map<string, string>();
    for (const f of struct.fields) {
      const path = parent === "" ? f.name : `${parent}.${f.name}`;
      const id = columnId(f);
      if (id === undefined) throw missing(path, COLUMN_MAPPING_ID_KEY, mode);
      const name = f.metadata[COLUMN_MAPPING_PHYSICAL_NAME_KEY];
      if (typeof name !== "string" || name === "") throw missing(path, COLUMN_MAPPING_PHYSICAL_NAME_KEY, mode);
      const idOwner = ids.get(id);
      if (idOwner !== undefined) throw new ProtocolError(`columns ${idOwner} and ${path} share column mapping id ${id}`);
      ids.set(id, path);
      const nameOwner = siblings.get(name);
      if (nameOwner !== undefined) throw new ProtocolError(`columns ${nameOwner} and ${path} share physical name ${name}`);
      siblings.set(name, path);
      visitType(f.type, path);
    }
  };
  const visitType = (type: DataType, path: string): void => {
    if (type.kind === "struct") visitStruct(type, path);
    else if (type.kind === "array") visitType(type.elementType, `${path}.element`);
    else if (type.kind === "map") {
      visitType(type.keyType, `${path}.key`);
      visitType(type.valueType, `${path}.value`);
    }
  };
  visitStruct(schema, "");
}

/** One step of a resolved path: the field (or element/key/value) reached and its type. */
interface Step {
  logical: string;
  physical: string;
  field: StructField | undefined;
  type: DataType;
}

function resolve(schema: StructType, path: readonly string[], mode: ColumnMappingMode, byPhysical: boolean): Step[] {
  const steps: Step[] = [];
  let type: DataType = schema;
  for (const [i, part] of path.entries()) {
    const where = () => path.slice(0, i + 1).join(".");
    if (type.kind === "struct") {
      const nameOf = (f: StructField) => (byPhysical ? physicalName(f, mode) : f.name);
      const field: StructField | undefined =
        type.fields.find((f) => nameOf(f) === part) ?? uniqueCaseInsensitive(type.fields, part, nameOf);
      if (field === undefined) throw new InvalidInputError(`no column ${where()} in the schema`);
      steps.push({ logical: field.name, physical: physicalName(field, mode), field, type: field.type });
      type = field.type;
    } else if (type.kind === "array" && part === "element") {
      steps.push({ logical: part, physical: part, field: undefined, type: type.elementType });
      type = type.elementType;
    } else if (type.kind === "map" && (part === "key" || part === "value")) {
      const next: DataType = part === "key" ? type.keyType : type.valueType;
      steps.push({ logical: part, physical: part, field: undefined, type: next });
      type = next;
    } else {
      throw new InvalidInputError(`no column ${where()} in the schema (cannot step into a ${type.kind === "primitive" ? type.name : type.kind})`);
    }
  }
  return steps;
}

function uniqueCaseInsensitive(fields: StructField[], part: string, nameOf: (f: StructField) => string): StructField | undefined {
  const lower = part.toLowerCase();
  const matches = fields.filter((f) => nameOf(f).toLowerCase() === lower);
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * Maps a logical column path to its physical path (exact match first, then a unique
 * case-insensitive match, as Spark resolves names).
 * @throws InvalidInputError for a path not in the schema.
 */
export function logicalToPhysicalPath(schema: StructType, path: readonly string[], mode: ColumnMappingMode): string[] {
  return resolve(schema, path, mode, false).map((s) => s.physical);
}

/** Maps a physical column path back to its logical path. @throws InvalidInputError if absent. */
export function physicalToLogicalPath(schema: StructType, path: readonly string[], mode: ColumnMappingMode): string[] {
  return resolve(schema, path, mode, true).map((s) => s.logical);
}

/** The field (and its type) at a logical path. @throws InvalidInputError if absent. */
export function fieldAtPath(schema: StructType, path: readonly string[]): { field: StructField | undefined; type: DataType } {
  const last = resolve(schema, path, "none", false).at(-1);
  if (last === undefined) throw new InvalidInputError("empty column path");
  return { field: last.field, type: last.type };
}

/**
 * The parquet field id of the column at a logical path: its `delta.columnMapping.id`, or for an
 * `element`/`key`/`value` step the entry of the nearest field's `delta.columnMapping.nested.ids`.
 * Undefined when the schema carries no id for it.
 */
export function fieldIdForPath(schema: StructType, path: readonly string[]): number | undefined {
  const steps = resolve(schema, path, "none", false);
  const last = steps.at(-1);
  if (last === undefined) return undefined;
  if (last.field !== undefined) return columnId(last.field);
  // Nested ids are keyed by the physical path from the owning field: "<physicalName>.element".
  let owner = steps.length - 1;
  while (owner >= 0 && steps[owner]?.field === undefined) owner--;
  const field = steps[owner]?.field;
  if (field === undefined) return undefined;
  const base = field.metadata[COLUMN_MAPPING_PHYSICAL_NAME_KEY] ?? field.name;
  const key = [base, ...steps.slice(owner + 1).map((s) => s.physical)].join(".");
  const nested = field.metadata[COLUMN_MAPPING_NESTED_IDS_KEY];
  const id = typeof nested === "object" && nested !== null ? (nested as Record<string, unknown>)[key] : undefined;
  return typeof id === "number" ? id : undefined;
}
