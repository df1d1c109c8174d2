/**
 * Schema evolution for writes (`schemaMode: "merge"`): the table's schema plus the columns the new
 * data brings, appended as nullable fields (nested struct fields too). A column whose type differs
 * is an error naming it (type changes need overwrite). Under column mapping, new fields get fresh
 * ids above `delta.columnMapping.maxColumnId` and new physical names.
 */
import { InvalidInputError } from "../errors.js";
import { COLUMN_MAPPING_ID_KEY, COLUMN_MAPPING_PHYSICAL_NAME_KEY, columnId } from "../schema/column-mapping.js";
import { serializeDataType } from "../schema/schema-json.js";
import type { DataType, StructField, StructType } from "../schema/types.js";

/** The result of a merge: the schema and whether it changed. */
export interface MergedSchema {
  schema: StructType;
  changed: boolean;
  /** The new maxColumnId under column mapping (undefined when the table does not map columns). */
  maxColumnId: number | undefined;
}

/** Merges `incoming` into `table`. */
export function mergeSchemas(options: { table: StructType; incoming: StructType; columnMapping: boolean; maxColumnId?: number | undefined }): MergedSchema {
  let changed = false;
  let maxId = options.columnMapping ? Math.max(options.maxColumnId ?? 0, maxIdOf(options.table)) : 0;
  const fresh = (f: StructField): StructField => {
    changed = true;
    const metadata = { ...f.metadata };
    if (options.columnMapping) {
      metadata[COLUMN_MAPPING_ID_KEY] = ++maxId;
      metadata[COLUMN_MAPPING_PHYSICAL_NAME_KEY] = `col-${crypto.randomUUID()}`;
    }
    return { ...f, nullable: true, metadata, type: options.columnMapping ? withIds(f.type) : f.type };
  };
  const withIds = (t: DataType): DataType => {
    if (t.kind === "struct") return { kind: "struct", fields: t.fields.map((f) => fresh({ ...f })) };
    if (t.kind === "array") return { ...t, elementType: withIds(t.elementType) };
    if (t.kind === "map") return { ...t, keyType: withIds(t.keyType), valueType: withIds(t.valueType) };
    return t;
  };
  const mergeStruct = (table: StructType, incoming: StructType, path: string): StructType => {
    const fields = table.fields.map((f) => {
      const other = incoming.fields.find((x) => x.name === f.name) ?? incoming.fields.find((x) => x.name.toLowerCase() === f.name.toLowerCase());
      return other ? { ...f, type: mergeType(f.type, other.type, `${path}${f.name}`) } : f;
    });
    for (const f of incoming.fields) {
      if (!table.fields.some((x) => x.name.toLowerCase() === f.name.toLowerCase())) fields.push(fresh(f));
    }
    return { kind: "struct", fields };
  };
  const mergeType = (t: DataType, o: DataType, column: string): DataType => {
    if (t.kind === "struct" && o.kind === "struct") return mergeStruct(t, o, `${column}.`);
    if (t.kind === "array" && o.kind === "array") return { ...t, elementType: mergeType(t.elementType, o.elementType, `${column}.element`) };
    if (t.kind === "map" && o.kind === "map") {
      return { ...t, keyType: mergeType(t.keyType, o.keyType, `${column}.key`), valueType: mergeType(t.valueType, o.valueType, `${column}.value`) };
    }
    if (serializeDataType(t) === serializeDataType(o) || widens(o, t)) return t;
    throw new InvalidInputError(
      `column ${column} is ${serializeDataType(t)} in the table but ${serializeDataType(o)} in the data; schema merge only adds columns (overwrite the schema to change a type)`,
    );
  };
  const schema = mergeStruct(options.table, options.incoming, "");
  return { schema, changed, maxColumnId: options.columnMapping ? maxId : undefined };
}

/** Data of type `from` can be stored losslessly in a column of type `to` (e.g. int into long). */
function widens(from: DataType, to: DataType): boolean {
  if (from.kind !== "primitive" || to.kind !== "primitive") return false;
  const order = ["byte", "short", "integer", "long"];
  const a = order.indexOf(from.name);
  const b = order.indexOf(to.name);
  if (a >= 0 && b >= 0) return a <= b;
  return from.name === "float" && to.name === "double";
}

function maxIdOf(t: DataType): number {
  if (t.kind === "struct") return Math.max(0, ...t.fields.map((f) => Math.max(columnId(f) ?? 0, maxIdOf(f.type))));
  if (t.kind === "array") return maxIdOf(t.elementType);
  if (t.kind === "map") return Math.max(maxIdOf(t.keyType), maxIdOf(t.valueType));
  return 0;
}
