/**
 * Delta StructType <-> apache-arrow Schema. Delta -> Arrow gives the logical Arrow type of every
 * Delta type (timestamps as microsecond Timestamp, "UTC" for timestamp and zone-less for
 * timestamp_ntz, decimals as 128-bit Decimal, lists with an "element" child, maps with "key"/"value"
 * entries, variant as Struct{value, metadata} of binary tagged `arrow.parquet.variant`), with Delta
 * field metadata carried as strings (non-strings JSON-encoded) and `parquet.field.id` (see
 * column-mapping physicalSchema) as `PARQUET:field_id`. Arrow -> Delta is what a writer needs to
 * derive a table schema from input data: widening unsigned and half types, refusing what Delta
 * cannot store with InvalidInputError naming the column.
 */

import {
  Binary,
  Bool,
  DataType as ArrowType,
  DateDay,
  Decimal,
  Field,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  List,
  Map_,
  Null,
  Precision,
  Schema,
  Struct,
  TimestampMicrosecond,
  Utf8,
} from "apache-arrow";
import { InvalidInputError } from "../errors.js";
import { PARQUET_FIELD_ID_KEY } from "../arrow/field-id.js";
import { PHYSICAL_FIELD_ID_KEY, PARQUET_NESTED_FIELD_IDS_KEY } from "./column-mapping.js";
import { parseJsonLossless, stringifyJsonLossless } from "./json-lossless.js";
import { MAX_DECIMAL_PRECISION } from "./schema-json.js";
import type { DataType, StructField, StructType } from "./types.js";

/** Arrow field metadata key of an extension type's name. */
export const ARROW_EXTENSION_NAME_KEY = "ARROW:extension:name";
/** The canonical Arrow extension name of a Parquet variant. */
export const ARROW_VARIANT_EXTENSION = "arrow.parquet.variant";

/** Converts a Delta schema to an Arrow schema (field order, names and nullability kept). */
export function deltaSchemaToArrow(schema: StructType): Schema {
  return new Schema(schema.fields.map((f) => deltaFieldToArrow(f)));
}

/** Converts one Delta field (its metadata becomes Arrow field metadata). */
export function deltaFieldToArrow(field: StructField): Field {
  const metadata = new Map<string, string>();
  for (const [k, v] of Object.entries(field.metadata)) {
    if (v === undefined || k === PHYSICAL_FIELD_ID_KEY || k === PARQUET_NESTED_FIELD_IDS_KEY) continue;
    metadata.set(k, typeof v === "string" ? v : stringifyJsonLossless(v));
  }
  const id = field.metadata[PHYSICAL_FIELD_ID_KEY];
  if (typeof id === "number") metadata.set(PARQUET_FIELD_ID_KEY, String(id));
  const nested = field.metadata[PARQUET_NESTED_FIELD_IDS_KEY];
  const nestedIds = typeof nested === "object" && nested !== null ? { map: nested as Record<string, unknown>, prefix: field.name } : undefined;
  const type = field.type.kind === "primitive" && field.type.name === "variant" ? variantStruct() : toArrowType(field.type, nestedIds);
  if (field.type.kind === "primitive" && field.type.name === "variant") metadata.set(ARROW_EXTENSION_NAME_KEY, ARROW_VARIANT_EXTENSION);
  return new Field(field.name, type, field.nullable, metadata);
}

/** Parquet ids of array elements / map keys and values, keyed by "<physical name>.element"... */
interface NestedIds {
  map: Record<string, unknown>;
  prefix: string;
}

function childField(name: string, type: DataType, nullable: boolean, nested: NestedIds | undefined): Field {
  const path = nested === undefined ? undefined : { map: nested.map, prefix: `${nested.prefix}.${name}` };
  const metadata = new Map<string, string>();
  const id = path?.map[path.prefix];
  if (typeof id === "number") metadata.set(PARQUET_FIELD_ID_KEY, String(id));
  if (type.kind === "primitive" && type.name === "variant") metadata.set(ARROW_EXTENSION_NAME_KEY, ARROW_VARIANT_EXTENSION);
  return new Field(name, toArrowType(type, path), nullable, metadata);
}

function variantStruct(): Struct {
  return new Struct([new Field("value", new Binary(), false), new Field("metadata", new Binary(), false)]);
}

/** The Arrow type of a Delta type. */
export function deltaTypeToArrow(type: DataType): ArrowType {
  return toArrowType(type, undefined);
}

function toArrowType(type: DataType, nested: NestedIds | undefined): ArrowType {
  switch (type.kind) {
    case "struct":
      return new Struct(type.fields.map((f) => deltaFieldToArrow(f)));
    case "array":
      return new List(childField("element", type.elementType, type.containsNull, nested));
    case "map": {
      const entries = new Struct([childField("key", type.keyType, false, nested), childField("value", type.valueType, type.valueContainsNull, nested)]);
      return new Map_(new Field("entries", entries, false), false);
    }
    case "primitive":
      switch (type.name) {
        case "string":
          return new Utf8();
        case "long":
          return new Int64();
        case "integer":
          return new Int32();
        case "short":
          return new Int16();
        case "byte":
          return new Int8();
        case "float":
          return new Float32();
        case "double":
          return new Float64();
        case "boolean":
          return new Bool();
        case "binary":
          return new Binary();
        case "date":
          return new DateDay();
        case "timestamp":
          return new TimestampMicrosecond("UTC");
        case "timestamp_ntz":
          return new TimestampMicrosecond();
        case "decimal":
          return new Decimal(type.scale, type.precision, 128);
        case "void":
          return new Null();
        case "variant":
          return variantStruct();
      }
  }
}

/** Options of {@link arrowSchemaToDelta}. */
export interface ArrowToDeltaOptions {
  /** Receives warnings (e.g. Null columns becoming Delta `void`); default console.warn. */
  onWarning?: ((message: string) => void) | undefined;
}

/**
 * Derives a Delta schema from an Arrow schema.
 * @throws InvalidInputError naming the column for Arrow types Delta cannot hold (uint64, time,
 *   duration, interval, union, decimal precision > 38 or negative scale).
 */
export function arrowSchemaToDelta(schema: Schema, options: ArrowToDeltaOptions = {}): StructType {
  const warn = options.onWarning ?? ((m: string) => console.warn(m));
  return { kind: "struct", fields: schema.fields.map((f) => arrowFieldToDelta(f, "", warn)) };
}

/** Metadata keys whose Delta values are JSON (numbers, booleans, objects), not strings. */
const JSON_VALUED_KEYS = new Set([
  "delta.columnMapping.id",
  "delta.columnMapping.nested.ids",
  "delta.identity.start",
  "delta.identity.step",
  "delta.identity.highWaterMark",
  "delta.identity.allowExplicitInsert",
  "delta.typeChanges",
  "__COLLATIONS",
]);

function arrowFieldToDelta(field: Field, parent: string, warn: (m: string) => void): StructField {
  const column = parent === "" ? field.name : `${parent}.${field.name}`;
  const metadata: Record<string, unknown> = {};
  for (const [k, v] of field.metadata) {
    if (k.startsWith("ARROW:") || k.startsWith("PARQUET:")) continue;
    metadata[k] = JSON_VALUED_KEYS.has(k) ? parseOrKeep(v) : v;
  }
  const isVariant = field.metadata.get(ARROW_EXTENSION_NAME_KEY) === ARROW_VARIANT_EXTENSION;
  const type: DataType = isVariant ? { kind: "primitive", name: "variant" } : arrowTypeToDelta(field.type, column, warn);
  return { name: field.name, type, nullable: field.nullable, metadata };
}

function parseOrKeep(v: string): unknown {
  try {
    return parseJsonLossless(v);
  } catch {
    return v;
  }
}

/** The Delta type of an Arrow type; `column` names the column in errors and warnings. */
export function arrowTypeToDelta(type: ArrowType, column: string, warn: (m: string) => void = (m) => console.warn(m)): DataType {
  const p = (name: "string" | "long" | "integer" | "short" | "byte" | "float" | "double" | "boolean" | "binary" | "date"): DataType => ({ kind: "primitive", name });
  const refuse = (why: string): never => {
    throw new InvalidInputError(`column ${column} has Arrow type ${String(type)}, which Delta cannot store: ${why}`);
  };
  if (ArrowType.isDictionary(type)) return arrowTypeToDelta(type.dictionary, column, warn);
  if (ArrowType.isUtf8(type) || ArrowType.isLargeUtf8(type) || ArrowType.isUtf8View(type)) return p("string");
  if (ArrowType.isBinary(type) || ArrowType.isLargeBinary(type) || ArrowType.isBinaryView(type) || ArrowType.isFixedSizeBinary(type)) return p("binary");
  if (ArrowType.isBool(type)) return p("boolean");
  if (ArrowType.isInt(type)) {
    if (type.isSigned) return p(type.bitWidth === 8 ? "byte" : type.bitWidth === 16 ? "short" : type.bitWidth === 32 ? "integer" : "long");
    if (type.bitWidth === 64) return refuse("Delta has no unsigned 64-bit type; cast to int64 or decimal(20,0)");
    return p(type.bitWidth === 8 ? "short" : type.bitWidth === 16 ? "integer" : "long");
  }
  if (ArrowType.isFloat(type)) return p(type.precision === Precision.DOUBLE ? "double" : "float");
  if (ArrowType.isDecimal(type)) {
    if (type.precision > MAX_DECIMAL_PRECISION || type.precision < 1) return refuse("decimal precision must be 1..38");
    if (type.scale < 0 || type.scale > type.precision) return refuse("decimal scale must be 0..precision");
    return { kind: "primitive", name: "decimal", precision: type.precision, scale: type.scale };
  }
  if (ArrowType.isDate(type)) return p("date");
  if (ArrowType.isTimestamp(type)) {
    const tz = type.timezone;
    return { kind: "primitive", name: tz === undefined || tz === null || tz === "" ? "timestamp_ntz" : "timestamp" };
  }
  if (ArrowType.isNull(type)) {
    warn(`column ${column} has Arrow type Null: it becomes a Delta void column, which holds only nulls and is not stored in data files`);
    return { kind: "primitive", name: "void" };
  }
  if (ArrowType.isList(type) || ArrowType.isLargeList(type) || ArrowType.isFixedSizeList(type)) {
    const child = type.children[0];
    if (child === undefined) return refuse("list without a child field");
    return { kind: "array", elementType: arrowChildToDelta(child, `${column}.element`, warn), containsNull: child.nullable };
  }
  if (ArrowType.isStruct(type)) {
    return { kind: "struct", fields: type.children.map((f) => arrowFieldToDelta(f, column, warn)) };
  }
  if (ArrowType.isMap(type)) {
    const [key, value] = type.children[0]?.type.children ?? [];
    if (key === undefined || value === undefined) return refuse("map without key and value fields");
    return {
      kind: "map",
      keyType: arrowChildToDelta(key, `${column}.key`, warn),
      valueType: arrowChildToDelta(value, `${column}.value`, warn),
      valueContainsNull: value.nullable,
    };
  }
  return refuse("no Delta type matches it (time, duration, interval and union types are not supported)");
}

function arrowChildToDelta(field: Field, column: string, warn: (m: string) => void): DataType {
  if (field.metadata.get(ARROW_EXTENSION_NAME_KEY) === ARROW_VARIANT_EXTENSION) return { kind: "primitive", name: "variant" };
  return arrowTypeToDelta(field.type, column, warn);
}
