/**
 * The Delta schema type model (PROTOCOL.md "Schema Serialization Format") as TypeScript types, and
 * the canonical in-memory representation of a single value ("scalar") that every module shares:
 * partition-value codecs, stats, predicates and row filtering all compare scalars in this form.
 *
 * Canonical scalar per Delta primitive type:
 *   byte, short, integer, float, double -> number      long -> bigint
 *   decimal(p,s) -> { unscaled: bigint, scale: s }     string -> string    boolean -> boolean
 *   binary -> Uint8Array     date -> number (days since 1970-01-01)
 *   timestamp, timestamp_ntz -> bigint (microseconds since 1970-01-01T00:00:00, UTC for timestamp)
 *   null -> null
 */

/** Primitive type names from the protocol (decimal is written `decimal(p,s)`). */
export type PrimitiveTypeName =
  | "string"
  | "long"
  | "integer"
  | "short"
  | "byte"
  | "float"
  | "double"
  | "boolean"
  | "binary"
  | "date"
  | "timestamp"
  | "timestamp_ntz"
  | "void"
  | "variant";

/** A primitive type; `decimal` carries precision and scale. */
/** The primitive types whose canonical scalar is a JS number (the rest: bigint, decimal, string, ...). */
export type NumberTypeName = "byte" | "short" | "integer" | "float" | "double" | "date";

const NUMBER_TYPE_NAMES: ReadonlySet<string> = new Set<NumberTypeName>(["byte", "short", "integer", "float", "double", "date"]);

/** Whether a primitive type's canonical scalar is a JS number. */
export function isNumberTypeName(name: string): name is NumberTypeName {
  return NUMBER_TYPE_NAMES.has(name);
}

export type PrimitiveType =
  | { kind: "primitive"; name: PrimitiveTypeName }
  | { kind: "primitive"; name: "decimal"; precision: number; scale: number };

/** A field of a struct, with its metadata (column mapping ids, physical names, comments...). */
export interface StructField {
  name: string;
  type: DataType;
  nullable: boolean;
  metadata: Record<string, unknown>;
}

/** `struct` */
export interface StructType {
  kind: "struct";
  fields: StructField[];
}

/** `array` */
export interface ArrayType {
  kind: "array";
  elementType: DataType;
  containsNull: boolean;
}

/** `map` */
export interface MapType {
  kind: "map";
  keyType: DataType;
  valueType: DataType;
  valueContainsNull: boolean;
}

/** Any Delta data type. */
export type DataType = PrimitiveType | StructType | ArrayType | MapType;

/** A decimal scalar: the unscaled integer and the scale. */
export interface DecimalValue {
  unscaled: bigint;
  scale: number;
}

/** A value in canonical form (see the header comment). */
export type Scalar = number | bigint | string | boolean | Uint8Array | DecimalValue | null;
