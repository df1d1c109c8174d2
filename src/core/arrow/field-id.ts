/**
 * The Arrow field metadata key holding a field's Parquet field_id, as Arrow C++, pyarrow and
 * arrow-rs name it: the one spelling shared by the Delta -> Arrow schema (schema/arrow-schema.ts),
 * the writer and the readers (parquet/). The value is the decimal id as a string. (Delta's own
 * physical-schema key, "parquet.field.id", is schema/column-mapping.ts's PHYSICAL_FIELD_ID_KEY.)
 */
export const PARQUET_FIELD_ID_KEY = "PARQUET:field_id";
