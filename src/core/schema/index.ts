/**
 * Folder schema/ (kernel): Delta types, schema JSON, Arrow schema conversion, column mapping,
 * partition values, scalars and the calendar (the one owner of dates, timestamps and scalar
 * order). Must not import log/, table/, scan/, write/, parquet/ or storage/.
 *
 * The schema module's public surface (re-exports only): Delta schema JSON, Arrow schema
 * conversion, column mapping, partition value codecs and paths, scalar helpers, and the calendar
 * helpers other modules share. `compare` from scalar.ts is left out (use compareScalars) so the
 * root index can re-export everything here without clashing with expr's names.
 */
export type * from "./types.js";
export {
  parseSchema,
  parseDataType,
  parsePrimitiveType,
  primitiveTypeName,
  serializeSchema,
  serializeDataType,
  MAX_DECIMAL_PRECISION,
} from "./schema-json.js";
export { parseJsonLossless, stringifyJsonLossless, type JsonValue } from "./json-lossless.js";
export {
  deltaSchemaToArrow,
  deltaFieldToArrow,
  deltaTypeToArrow,
  arrowSchemaToDelta,
  arrowTypeToDelta,
  ARROW_EXTENSION_NAME_KEY,
  ARROW_VARIANT_EXTENSION,
  type ArrowToDeltaOptions,
} from "./arrow-schema.js";
export {
  columnMappingMode,
  physicalName,
  columnId,
  physicalSchema,
  validateColumnMapping,
  logicalToPhysicalPath,
  physicalToLogicalPath,
  fieldAtPath,
  fieldIdForPath,
  COLUMN_MAPPING_MODE_KEY,
  COLUMN_MAPPING_ID_KEY,
  COLUMN_MAPPING_PHYSICAL_NAME_KEY,
  COLUMN_MAPPING_NESTED_IDS_KEY,
  PHYSICAL_FIELD_ID_KEY,
  PARQUET_NESTED_FIELD_IDS_KEY,
  type ColumnMappingMode,
  type PhysicalSchemaOptions,
} from "./column-mapping.js";
export {
  parsePartitionValue,
  parsePartitionValues,
  serializePartitionValue,
  type ParsePartitionValueOptions,
  type ParsePartitionValuesOptions,
  type SerializePartitionValueOptions,
} from "./partition-values.js";
export {
  HIVE_DEFAULT_PARTITION,
  escapePartitionPathComponent,
  unescapePartitionPathComponent,
  partitionPathSegment,
  partitionDirectory,
  parsePartitionDirectory,
  encodeAddPath,
  decodeAddPath,
} from "./partition-path.js";
export { compareScalars, scalarsEqual, compareStrings, compareBytes, formatScalarJson, toBase64, type JsonScalar } from "./scalar.js";
export { parseDecimalLiteral, rescaleDecimal, formatDecimal, compareDecimals, decimalDigits } from "./decimal.js";
export { formatDoubleJava, formatFloatJava, shortestFloat32 } from "./number-format.js";
export {
  daysFromCivil,
  civilFromDays,
  formatDate,
  formatTimestampMicros,
  parseDateString,
  parseDateTimeString,
  resolveTimeZone,
  localSecondsToUtc,
  toUtcMicros,
  type ParsedDateTime,
  type ZoneOffsetFn,
} from "./datetime.js";
