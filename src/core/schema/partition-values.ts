/**
 * Partition value codecs (PROTOCOL.md "Partition Value Serialization"): the strings in
 * `add.partitionValues` <-> canonical scalars (see types.ts). Reading is lenient in the ways real
 * writers differ (zone-less or ISO-8601 timestamps, trimmed or six-digit fractions, Java or Rust
 * float spellings); zone-less timestamps are read in a session time zone, UTC unless told.
 *
 * Writing follows Spark: integers and decimals plain (decimals with exactly the column's scale),
 * floats as Java prints them ("10.0"), dates `YYYY-MM-DD`, timestamp_ntz `YYYY-MM-DD HH:MM:SS.ffffff`.
 * Timestamps are written by default as ISO-8601 UTC `YYYY-MM-DDTHH:MM:SS.ffffffZ`: what Delta/Spark 3.x
 * writes (write.utcTimestampPartitionValues) and what the protocol recommends, because a zone-less
 * value is read in each reader's own session zone. `timestampFormat: "space"` writes the zone-less
 * UTC form `YYYY-MM-DD HH:MM:SS.ffffff` instead (what delta-rs writes). Null, "" and empty binary
 * become null (Spark stores empty partition values as null). Years outside 0000-9999 are written
 * with a sign (`+10000-01-01`, `-0001-01-01`), as Spark 3 and delta-rs (chrono) write and read
 * them; values outside what the type holds (value-range.ts) are refused either way.
 */

import { InvalidInputError, ProtocolError } from "../errors.js";
import { columnMappingMode, physicalName, type ColumnMappingMode } from "./column-mapping.js";
import {
  formatDate,
  formatTimestampMicros,
  parseDateString,
  parseDateTimeString,
  resolveTimeZone,
  toUtcMicros,
} from "./datetime.js";
import { decimalDigits, formatDecimal, parseDecimalLiteral, rescaleDecimal } from "./decimal.js";
import { formatDoubleJava, formatFloatJava } from "./number-format.js";
import { primitiveTypeName } from "./schema-json.js";
import type { DataType, DecimalValue, Scalar, StructType } from "./types.js";
import { DATE_DAYS_RANGE, inBounds, INTEGER_RANGES, TIMESTAMP_MICROS_RANGE } from "./value-range.js";

/** Options of {@link parsePartitionValue}. */
export interface ParsePartitionValueOptions {
  /** Column name, for error messages. */
  column: string;
  /** The column's Delta type. */
  type: DataType;
  /** The serialized value from `partitionValues` (null/undefined/"" mean null). */
  value: string | null | undefined;
  /** IANA zone (or "+HH:MM") for zone-less `timestamp` values; default "UTC". */
  timeZone?: string | undefined;
}

const INTEGER_RE = /^[+-]?\d+$/;
const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[dDfF]?$/;

/**
 * Parses one serialized partition value into the canonical scalar of its type.
 * @throws ProtocolError naming the column and the raw value when it does not parse;
 *   InvalidInputError for an unknown time zone.
 */
export function parsePartitionValue(options: ParsePartitionValueOptions): Scalar {
  const { column, type, value } = options;
  if (value === null || value === undefined || value === "") return null;
  const fail = (why: string): never => {
    throw new ProtocolError(`partition value ${JSON.stringify(value)} of column ${column} is not a valid ${describeType(type)}: ${why}`);
  };
  if (type.kind !== "primitive") return fail("partition columns must have a primitive type");
  switch (type.name) {
    case "string":
      return value;
    case "byte":
    case "short":
    case "integer": {
      if (!INTEGER_RE.test(value)) return fail("not an integer");
      if (tooLongForLong(value)) return fail("out of range");
      const n = BigInt(value);
      return inBounds(n, INTEGER_RANGES[type.name]) ? Number(n) : fail("out of range");
    }
    case "long": {
      if (!INTEGER_RE.test(value)) return fail("not an integer");
      if (tooLongForLong(value)) return fail("out of range");
      const n = BigInt(value);
      return inBounds(n, INTEGER_RANGES.long) ? n : fail("out of range");
    }
    case "float":
    case "double": {
      const n = parseFloating(value);
      if (n === undefined) return fail("not a number");
      return type.name === "float" ? Math.fround(n) : n;
    }
    case "boolean": {
      const lower = value.toLowerCase();
      return lower === "true" ? true : lower === "false" ? false : fail('expected "true" or "false"');
    }
    case "date": {
      const days = parseDateString(value);
      return days === null ? fail("expected YYYY-MM-DD") : days;
    }
    case "timestamp":
    case "timestamp_ntz": {
      const parsed = parseDateTimeString(value);
      if (parsed === null) return fail("expected YYYY-MM-DD HH:MM:SS[.ffffff] or an ISO-8601 timestamp");
      if (type.name === "timestamp_ntz") {
        if (parsed.offsetSeconds !== undefined) return fail("timestamp_ntz values carry no zone");
        return inBounds(parsed.localMicros, TIMESTAMP_MICROS_RANGE) ? parsed.localMicros : fail("out of the int64 microsecond range");
      }
      const offsetAt = resolveTimeZone(options.timeZone ?? "UTC");
      let micros: bigint;
      try {
        micros = toUtcMicros(parsed, offsetAt);
      } catch (e) {
        if (e instanceof InvalidInputError) throw e;
        return fail(`cannot place it in time zone ${options.timeZone ?? "UTC"}`);
      }
      return inBounds(micros, TIMESTAMP_MICROS_RANGE) ? micros : fail("out of the int64 microsecond range");
    }
    case "decimal": {
      const literal = parseDecimalLiteral(value);
      if (literal === null) return fail("not a decimal number");
      const unscaled = rescaleDecimal(literal, type.scale);
      if (unscaled === null) return fail(`more than ${type.scale} fraction digits`);
      if (decimalDigits(unscaled) > type.precision) return fail(`more than ${type.precision} digits`);
      return { unscaled, scale: type.scale };
    }
    case "binary":
      return new TextEncoder().encode(value);
    case "void":
      return null;
    case "variant":
      return fail("partition columns must have a primitive type");
  }
}

/** More than 19 significant digits (checked before parsing: bigints parse in superlinear time). */
function tooLongForLong(text: string): boolean {
  return text.replace(/^[+-]?0*/, "").length > 19;
}

/** Parses Java/Spark ("NaN", "Infinity", "1.0E10") and Rust/Python ("inf", "nan") spellings. */
function parseFloating(text: string): number | undefined {
  const t = text.trim();
  const special = /^([+-]?)(nan|inf|infinity)$/i.exec(t);
  if (special !== null) {
    if (special[2]?.toLowerCase() === "nan") return NaN;
    return special[1] === "-" ? -Infinity : Infinity;
  }
  return FLOAT_RE.test(t) ? Number(t.replace(/[dDfF]$/, "")) : undefined;
}

/** Options of {@link parsePartitionValues}. */
export interface ParsePartitionValuesOptions {
  /** `add.partitionValues` (keys are physical names under column mapping). */
  partitionValues: Readonly<Record<string, string | null>>;
  /** The table schema (logical). */
  schema: StructType;
  /** `metaData.partitionColumns` (logical names). */
  partitionColumns: readonly string[];
  /** Column mapping mode, or the table configuration to read it from. */
  columnMapping?: ColumnMappingMode | Readonly<Record<string, string>> | undefined;
  /** Session zone for zone-less timestamps; default "UTC". */
  timeZone?: string | undefined;
}

/**
 * Parses all partition values of a file, keyed by logical column name. A value missing from the map
 * is null. Under column mapping the value is looked up by physical name (then by logical name).
 * @throws ProtocolError if a partition column is not in the schema or a value does not parse.
 */
export function parsePartitionValues(options: ParsePartitionValuesOptions): Record<string, Scalar> {
  const { partitionValues, schema } = options;
  const mode = typeof options.columnMapping === "string" ? options.columnMapping : columnMappingMode(options.columnMapping);
  const out: Record<string, Scalar> = {};
  for (const column of options.partitionColumns) {
    const field = schema.fields.find((f) => f.name === column) ?? schema.fields.find((f) => f.name.toLowerCase() === column.toLowerCase());
    if (field === undefined) throw new ProtocolError(`partition column ${column} is not in the table schema`);
    const key = physicalName(field, mode);
    const raw = Object.hasOwn(partitionValues, key) ? partitionValues[key] : partitionValues[field.name];
    out[field.name] = parsePartitionValue({ column: field.name, type: field.type, value: raw, timeZone: options.timeZone });
  }
  return out;
}

/** Options of {@link serializePartitionValue}. */
export interface SerializePartitionValueOptions {
  /** Column name, for error messages. */
  column: string;
  /** The column's Delta type. */
  type: DataType;
  /** The canonical scalar. */
  value: Scalar;
  /** `iso8601` (default): `YYYY-MM-DDTHH:MM:SS.ffffffZ`; `space`: `YYYY-MM-DD HH:MM:SS.ffffff` (UTC). */
  timestampFormat?: "iso8601" | "space" | undefined;
}

/**
 * Serializes a canonical scalar to the string a writer puts in `add.partitionValues` (null for
 * null, "" and empty binary).
 * @throws InvalidInputError when the value does not fit the column type (naming the column).
 */
export function serializePartitionValue(options: SerializePartitionValueOptions): string | null {
  const { column, type, value } = options;
  if (value === null) return null;
  const fail = (why: string): never => {
    throw new InvalidInputError(`cannot write ${describeValue(value)} as a ${describeType(type)} partition value of column ${column}: ${why}`);
  };
  if (type.kind !== "primitive") return fail("partition columns must have a primitive type");
  switch (type.name) {
    case "string":
      return typeof value === "string" ? (value === "" ? null : value) : fail("expected a string");
    case "byte":
    case "short":
    case "integer": {
      if (typeof value !== "number" || !Number.isInteger(value)) return fail("expected an integer number");
      return inBounds(BigInt(value), INTEGER_RANGES[type.name]) ? String(value) : fail("out of range");
    }
    case "long": {
      const n = typeof value === "bigint" ? value : typeof value === "number" && Number.isSafeInteger(value) ? BigInt(value) : undefined;
      if (n === undefined) return fail("expected a bigint");
      return inBounds(n, INTEGER_RANGES.long) ? n.toString() : fail("out of range");
    }
    case "float":
    case "double":
      if (typeof value !== "number") return fail("expected a number");
      return type.name === "float" ? formatFloatJava(value) : formatDoubleJava(value);
    case "boolean":
      return typeof value === "boolean" ? String(value) : fail("expected a boolean");
    case "date":
      if (typeof value !== "number" || !Number.isInteger(value)) return fail("expected days since 1970-01-01");
      return inBounds(BigInt(value), DATE_DAYS_RANGE) ? formatDate(value) : fail("out of the int32 day range");
    case "timestamp":
    case "timestamp_ntz": {
      if (typeof value !== "bigint") return fail("expected microseconds as a bigint");
      if (!inBounds(value, TIMESTAMP_MICROS_RANGE)) return fail("out of the int64 microsecond range");
      if (type.name === "timestamp_ntz" || options.timestampFormat === "space") return formatTimestampMicros(value, " ");
      return `${formatTimestampMicros(value, "T")}Z`;
    }
    case "decimal": {
      if (!isDecimal(value)) return fail("expected {unscaled, scale}");
      const unscaled = rescaleDecimal(value, type.scale);
      if (unscaled === null) return fail(`more than ${type.scale} fraction digits`);
      if (decimalDigits(unscaled) > type.precision) return fail(`more than ${type.precision} digits`);
      return formatDecimal({ unscaled, scale: type.scale });
    }
    case "binary": {
      if (!(value instanceof Uint8Array)) return fail("expected a Uint8Array");
      if (value.length === 0) return null;
      try {
        return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(value);
      } catch {
        return fail("binary partition values must be valid UTF-8 (readers take the string's UTF-8 bytes)");
      }
    }
    case "void":
      return null;
    case "variant":
      return fail("partition columns must have a primitive type");
  }
}

function isDecimal(v: Scalar): v is DecimalValue {
  return typeof v === "object" && v !== null && !(v instanceof Uint8Array) && typeof v.unscaled === "bigint";
}

function describeType(type: DataType): string {
  return type.kind === "primitive" ? primitiveTypeName(type) : type.kind;
}

function describeValue(v: Scalar): string {
  if (typeof v === "bigint" || typeof v === "number") return String(v);
  if (v instanceof Uint8Array) return `binary(${v.length} bytes)`;
  if (isDecimal(v)) return `decimal ${formatDecimal(v)}`;
  return JSON.stringify(v) ?? String(v);
}
