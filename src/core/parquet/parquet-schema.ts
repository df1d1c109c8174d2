/**
 * The Arrow schema of a Parquet file, as Arrow C++ / pyarrow would infer it: physical names,
 * nullability from the repetition, logical and legacy converted types mapped to Arrow (INT96 ->
 * timestamp[ns], TIMESTAMP(isAdjustedToUTC) -> tz "UTC", LIST/MAP by the backward-compatibility
 * rules of parquet-shape.ts), and each field's Parquet field_id in `PARQUET:field_id`. Used to
 * read files whose schema is not known in advance (checkpoints, tests, `info` on a raw file).
 */
import {
  Binary, Bool, DataType, DateDay, Decimal, Field, FixedSizeBinary, Float16, Float32, Float64, Int, List,
  Map_, Null, Schema, Struct, TimeMicrosecond, TimeMillisecond, TimeNanosecond, TimeUnit, Timestamp, Utf8,
} from "apache-arrow";
import type { SchemaElement, SchemaTree } from "hyparquet";
import { PARQUET_FIELD_ID_KEY } from "./reader.js";
import { nodeShape } from "./parquet-shape.js";

/** Converts the root of a Parquet schema tree to an Arrow schema. */
export function arrowSchemaOfParquet(root: SchemaTree): Schema {
  return new Schema(root.children.map((child) => arrowFieldOfNode(child)));
}

/** The Arrow field of a Parquet node (a REPEATED node not under LIST/MAP becomes a list). */
export function arrowFieldOfNode(node: SchemaTree): Field {
  const metadata = fieldMetadata(node.element);
  if (node.element.repetition_type === "REPEATED") {
    const element = new Field("element", contentType(node), false, fieldMetadata(node.element));
    return new Field(node.element.name, new List(element), false, metadata);
  }
  return new Field(node.element.name, contentType(node), node.element.repetition_type !== "REQUIRED", metadata);
}

function fieldMetadata(element: SchemaElement): Map<string, string> | null {
  return element.field_id === undefined ? null : new Map([[PARQUET_FIELD_ID_KEY, String(element.field_id)]]);
}

/** The Arrow type of a node's content (its own repetition aside). */
function contentType(node: SchemaTree): DataType {
  const shape = nodeShape(node);
  switch (shape.kind) {
    case "primitive":
      return arrowTypeOfLeaf(node.element);
    case "struct":
      return new Struct(node.children.map((child) => arrowFieldOfNode(child)));
    case "list": {
      const element = shape.twoLevel
        ? new Field("element", contentType(shape.element), false, fieldMetadata(shape.element.element))
        : arrowFieldOfNode(shape.element);
      return new List(rename(element, "element"));
    }
    case "map": {
      const key = rename(arrowFieldOfNode(shape.key), "key");
      const value = rename(arrowFieldOfNode(shape.value), "value");
      const entries = new Field("entries", new Struct([new Field("key", key.type, false, key.metadata), value]), false);
      return new Map_(entries, false);
    }
  }
}

function rename(field: Field, name: string): Field {
  return new Field(name, field.type, field.nullable, field.metadata);
}

const TIME_UNITS = { MILLIS: TimeUnit.MILLISECOND, MICROS: TimeUnit.MICROSECOND, NANOS: TimeUnit.NANOSECOND } as const;

/** The Arrow type pyarrow gives a primitive Parquet column. */
export function arrowTypeOfLeaf(element: SchemaElement): DataType {
  const logical = element.logical_type;
  switch (logical?.type) {
    case "STRING":
    case "ENUM":
    case "JSON":
      return new Utf8();
    case "UUID":
      return new FixedSizeBinary(16);
    case "FLOAT16":
      return new Float16();
    case "DECIMAL":
      return decimalType(logical.precision, logical.scale);
    case "DATE":
      return new DateDay();
    case "NULL":
      return new Null();
    case "INTEGER":
      return new Int(logical.isSigned, logical.bitWidth as 8 | 16 | 32 | 64);
    case "TIMESTAMP":
      return new Timestamp(TIME_UNITS[logical.unit], logical.isAdjustedToUTC ? "UTC" : null);
    case "TIME":
      return logical.unit === "MILLIS" ? new TimeMillisecond() : logical.unit === "MICROS" ? new TimeMicrosecond() : new TimeNanosecond();
    default:
      break;
  }
  switch (element.converted_type) {
    case "UTF8":
    case "ENUM":
    case "JSON":
      return new Utf8();
    case "DECIMAL":
      return decimalType(element.precision ?? 38, element.scale ?? 0);
    case "DATE":
      return new DateDay();
    case "TIME_MILLIS":
      return new TimeMillisecond();
    case "TIME_MICROS":
      return new TimeMicrosecond();
    case "TIMESTAMP_MILLIS":
      return new Timestamp(TimeUnit.MILLISECOND, "UTC");
    case "TIMESTAMP_MICROS":
      return new Timestamp(TimeUnit.MICROSECOND, "UTC");
    case "INT_8": return new Int(true, 8);
    case "INT_16": return new Int(true, 16);
    case "INT_32": return new Int(true, 32);
    case "INT_64": return new Int(true, 64);
    case "UINT_8": return new Int(false, 8);
    case "UINT_16": return new Int(false, 16);
    case "UINT_32": return new Int(false, 32);
    case "UINT_64": return new Int(false, 64);
    default:
      break;
  }
  switch (element.type) {
    case "BOOLEAN": return new Bool();
    case "INT32": return new Int(true, 32);
    case "INT64": return new Int(true, 64);
    case "INT96": return new Timestamp(TimeUnit.NANOSECOND, null);
    case "FLOAT": return new Float32();
    case "DOUBLE": return new Float64();
    case "FIXED_LEN_BYTE_ARRAY": return new FixedSizeBinary(element.type_length ?? 0);
    default: return new Binary();
  }
}

function decimalType(precision: number, scale: number): Decimal {
  return new Decimal(scale, precision, precision > 38 ? 256 : 128);
}
