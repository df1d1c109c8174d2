/**
 * Delta `schemaString` JSON <-> the StructType model (PROTOCOL.md "Schema Serialization Format").
 * Parsing accepts every primitive name of the protocol, `decimal(p,s)` with any whitespace, nested
 * struct/array/map, and keeps column metadata verbatim (64-bit integers stay exact). Serializing
 * writes the exact form Spark and delta-rs write (keys in the order type/fields, name/type/nullable/
 * metadata, compact, non-ASCII unescaped), so parse + serialize reproduces a log's schemaString.
 * Unknown type names (geometry, geography, intervals...) are refused with UnsupportedFeatureError.
 */

import { ProtocolError, UnsupportedFeatureError } from "../errors.js";
import { parseJsonLossless, stringifyJsonLossless, type JsonValue } from "./json-lossless.js";
import type { DataType, PrimitiveType, PrimitiveTypeName, StructField, StructType } from "./types.js";

const PRIMITIVE_NAMES: ReadonlySet<string> = new Set<PrimitiveTypeName>([
  "string",
  "long",
  "integer",
  "short",
  "byte",
  "float",
  "double",
  "boolean",
  "binary",
  "date",
  "timestamp",
  "timestamp_ntz",
  "void",
  "variant",
]);

/** Table features behind type names we refuse, so that the error names the feature. */
const FEATURE_OF_TYPE: ReadonlyArray<[RegExp, string]> = [
  [/^(geometry|geography)\b/, "geospatial"],
  [/^interval\b/, "intervalTypes"],
  [/^timestamp_nanos/, "timestampNanos"],
];

const DECIMAL_RE = /^decimal\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)$/;

/** Largest decimal precision Delta allows. */
export const MAX_DECIMAL_PRECISION = 38;

/**
 * Parses a Delta `schemaString` into a StructType.
 * @throws ProtocolError for malformed JSON or a malformed schema (naming the column);
 *   UnsupportedFeatureError for type names delta-edge does not know (naming type and column).
 */
export function parseSchema(schemaString: string): StructType {
  let json: JsonValue;
  try {
    json = parseJsonLossless(schemaString);
  } catch (e) {
    throw new ProtocolError(`schemaString is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  const type = parseDataType(json);
  if (type.kind !== "struct") throw new ProtocolError(`schemaString must be a struct, got ${describe(json)}`);
  return type;
}

/**
 * Parses one already-decoded JSON type (a type-name string or a struct/array/map object).
 * @param column the column path the type belongs to, for error messages.
 */
export function parseDataType(json: unknown, column = ""): DataType {
  if (typeof json === "string") return parsePrimitiveType(json, column);
  if (!isObject(json)) throw bad(column, `expected a type name or object, got ${describe(json)}`);
  switch (json["type"]) {
    case "struct":
      return parseStruct(json, column);
    case "array":
      return {
        kind: "array",
        elementType: parseDataType(required(json, "elementType", column), join(column, "element")),
        containsNull: optionalBoolean(json, "containsNull", column),
      };
    case "map":
      return {
        kind: "map",
        keyType: parseDataType(required(json, "keyType", column), join(column, "key")),
        valueType: parseDataType(required(json, "valueType", column), join(column, "value")),
        valueContainsNull: optionalBoolean(json, "valueContainsNull", column),
      };
    default:
      // Some writers spell a primitive as {"type": "long"}; accept that form too.
      if (typeof json["type"] === "string" && Object.keys(json).length === 1) {
        return parsePrimitiveType(json["type"], column);
      }
      throw bad(column, `unknown complex type ${describe(json["type"])}`);
  }
}

function parseStruct(json: Record<string, unknown>, column: string): StructType {
  const fields = json["fields"];
  if (!Array.isArray(fields)) throw bad(column, "struct without a fields array");
  return { kind: "struct", fields: fields.map((f: unknown) => parseField(f, column)) };
}

function parseField(json: unknown, parent: string): StructField {
  if (!isObject(json)) throw bad(parent, `struct field must be an object, got ${describe(json)}`);
  const name = json["name"];
  if (typeof name !== "string") throw bad(parent, `struct field without a string name: ${describe(json)}`);
  const column = join(parent, name);
  const metadata = json["metadata"] ?? {};
  if (!isObject(metadata)) throw bad(column, `field metadata must be an object, got ${describe(metadata)}`);
  return {
    name,
    type: parseDataType(required(json, "type", column), column),
    nullable: optionalBoolean(json, "nullable", column),
    metadata: { ...metadata },
  };
}

/**
 * Parses a primitive type name: the protocol's names, `decimal(p,s)` (whitespace tolerated) and
 * plain `decimal` (Spark's default, decimal(10,0)). Also used for `delta.typeChanges` entries.
 * @throws UnsupportedFeatureError for unknown names; ProtocolError for an invalid precision/scale.
 */
export function parsePrimitiveType(name: string, column = ""): PrimitiveType {
  const trimmed = name.trim();
  if (PRIMITIVE_NAMES.has(trimmed)) return { kind: "primitive", name: trimmed as PrimitiveTypeName };
  if (trimmed === "null") return { kind: "primitive", name: "void" }; // Spark 2's name for NullType
  if (trimmed === "decimal") return { kind: "primitive", name: "decimal", precision: 10, scale: 0 };
  const m = DECIMAL_RE.exec(trimmed);
  if (m !== null) {
    const precision = Number(m[1]);
    const scale = Number(m[2]);
    if (precision < 1 || precision > MAX_DECIMAL_PRECISION || scale > precision) {
      throw bad(column, `invalid decimal type ${name}: precision must be 1..38 and scale 0..precision`);
    }
    return { kind: "primitive", name: "decimal", precision, scale };
  }
  const feature = FEATURE_OF_TYPE.find(([re]) => re.test(trimmed))?.[1] ?? trimmed;
  const where = column === "" ? "" : ` of column ${column}`;
  throw new UnsupportedFeatureError(feature, `unsupported data type ${name}${where} (table feature ${feature})`);
}

/** The protocol's name of a primitive type: `long`, `decimal(10,2)`... */
export function primitiveTypeName(type: PrimitiveType): string {
  return type.name === "decimal" ? `decimal(${type.precision},${type.scale})` : type.name;
}

/**
 * A data type as short readable text: `integer`, `decimal(10,2)`, `array<string>`,
 * `map<string, long>`, `struct<a: long, b: string>`. Messages use the default; materialization
 * metadata passes `mapSeparator: ","` (`map<string,long>`).
 */
export function dataTypeText(type: DataType, options: { mapSeparator?: string } = {}): string {
  const text = (t: DataType): string => {
    switch (t.kind) {
      case "primitive":
        return primitiveTypeName(t);
      case "array":
        return `array<${text(t.elementType)}>`;
      case "map":
        return `map<${text(t.keyType)}${options.mapSeparator ?? ", "}${text(t.valueType)}>`;
      case "struct":
        return `struct<${t.fields.map((f) => `${f.name}: ${text(f.type)}`).join(", ")}>`;
    }
  };
  return text(type);
}

/** Serializes a schema to the exact `schemaString` form Delta writers produce. */
export function serializeSchema(schema: StructType): string {
  return serializeDataType(schema);
}

/** Serializes one type: a quoted name for primitives, an object for struct/array/map. */
export function serializeDataType(type: DataType): string {
  switch (type.kind) {
    case "primitive":
      return JSON.stringify(primitiveTypeName(type));
    case "struct":
      return `{"type":"struct","fields":[${type.fields.map(serializeField).join(",")}]}`;
    case "array":
      return `{"type":"array","elementType":${serializeDataType(type.elementType)},"containsNull":${type.containsNull}}`;
    case "map":
      return (
        `{"type":"map","keyType":${serializeDataType(type.keyType)},` +
        `"valueType":${serializeDataType(type.valueType)},"valueContainsNull":${type.valueContainsNull}}`
      );
  }
}

function serializeField(field: StructField): string {
  return (
    `{"name":${JSON.stringify(field.name)},"type":${serializeDataType(field.type)},` +
    `"nullable":${field.nullable},"metadata":${stringifyJsonLossless(field.metadata)}}`
  );
}

function required(json: Record<string, unknown>, key: string, column: string): unknown {
  if (!(key in json)) throw bad(column, `missing "${key}" in ${describe(json)}`);
  return json[key];
}

/** Nullability flags default to true when absent (Spark's reader does the same). */
function optionalBoolean(json: Record<string, unknown>, key: string, column: string): boolean {
  const v = json[key];
  if (v === undefined || v === null) return true;
  if (typeof v !== "boolean") throw bad(column, `"${key}" must be a boolean, got ${describe(v)}`);
  return v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function join(parent: string, name: string): string {
  return parent === "" ? name : `${parent}.${name}`;
}

function bad(column: string, message: string): ProtocolError {
  return new ProtocolError(column === "" ? `invalid schema: ${message}` : `invalid schema at column ${column}: ${message}`);
}

function describe(v: unknown): string {
  const s = typeof v === "string" ? JSON.stringify(v) : (stringifySafe(v) ?? String(v));
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

function stringifySafe(v: unknown): string | undefined {
  try {
    return stringifyJsonLossless(v);
  } catch {
    return undefined;
  }
}
