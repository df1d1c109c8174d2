/**
 * Errors of the Parquet layer: a file that is not valid Parquet (or that the decoder rejects),
 * and a file column whose type cannot be read as the requested Arrow type. Both are DeltaErrors
 * that name the file (the source's path) in the message.
 */
import { DeltaError, codedError, type DeltaErrorOptions } from "../errors.js";

/** A file that is not valid Parquet: bad magic, truncated footer, corrupt pages. */
export class ParquetFormatError extends codedError("PARQUET_FORMAT") {}

/** A file column that cannot be read as the target type (not a known widening). */
export class ParquetSchemaMismatchError extends DeltaError {
  /** The column path (physical names, dot-joined). */
  readonly column: string;
  constructor(column: string, message: string, options: DeltaErrorOptions = {}) {
    super("PARQUET_SCHEMA_MISMATCH", `column ${column}: ${message}`, options);
    this.column = column;
  }
}
