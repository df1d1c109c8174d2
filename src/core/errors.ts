/**
 * Errors: every failure in delta-edge is a DeltaError with a stable `code`, the table path and
 * version when known, and the underlying error as `cause`. Callers branch on the few subclasses
 * below (or on `code`); messages name the path and version so a one-line CLI error is useful.
 */

/**
 * The stable `code` of every DeltaError (branch on it rather than on messages):
 * - `NOT_FOUND`: a table, version or object that does not exist ({@link NotFoundError});
 * - `ALREADY_EXISTS`: put-if-absent found the object present ({@link AlreadyExistsError});
 * - `COMMIT_CONFLICT`: a commit lost a race it could not retry ({@link CommitConflictError});
 * - `UNSUPPORTED_FEATURE`: a reader or writer table feature delta-edge refuses ({@link UnsupportedFeatureError});
 * - `PROTOCOL_ERROR`: a log that breaks the Delta protocol ({@link ProtocolError});
 * - `INVALID_INPUT`: bad options, predicates or data ({@link InvalidInputError}, ChangeFeedError);
 * - `STORAGE_ERROR`: a failed storage request ({@link StorageError}, DynamoDbError);
 * - `UNSUPPORTED`: an operation the store cannot do (listing static HTTP hosting);
 * - `READ_ONLY`: a write to a read-only store (HTTP, presigned reads);
 * - `PARQUET_FORMAT`, `PARQUET_SCHEMA_MISMATCH`: a data file that is corrupt or does not match the table schema;
 * - `PARQUET_WASM`: the parquet-wasm module failed to load or to encode;
 * - `DUCKDB_ERROR`: attaching a table to DuckDB failed (`delta-edge/duckdb`).
 */
export type DeltaErrorCode =
  | "NOT_FOUND"
  | "ALREADY_EXISTS"
  | "COMMIT_CONFLICT"
  | "UNSUPPORTED_FEATURE"
  | "PROTOCOL_ERROR"
  | "INVALID_INPUT"
  | "STORAGE_ERROR"
  | "UNSUPPORTED"
  | "READ_ONLY"
  | "PARQUET_FORMAT"
  | "PARQUET_SCHEMA_MISMATCH"
  | "PARQUET_WASM"
  | "DUCKDB_ERROR";

/** Options shared by every DeltaError constructor. */
export interface DeltaErrorOptions {
  /** Table root (URL or path) or object key the error concerns. */
  path?: string | undefined;
  /** Table version the error concerns. */
  version?: number | undefined;
  /** The underlying error. */
  cause?: unknown;
}

/** Base class of every error delta-edge throws. */
export class DeltaError extends Error {
  /** What went wrong, stable across releases (see {@link DeltaErrorCode}). */
  readonly code: DeltaErrorCode;
  /** Table root or object key the error concerns, when known. */
  readonly path: string | undefined;
  /** Table version the error concerns, when known. */
  readonly version: number | undefined;

  constructor(code: DeltaErrorCode, message: string, options: DeltaErrorOptions = {}) {
    super(formatMessage(message, options), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.path = options.path;
    this.version = options.version;
  }
}

function formatMessage(message: string, { path, version }: DeltaErrorOptions): string {
  const where: string[] = [];
  if (path !== undefined) where.push(`path ${path}`);
  if (version !== undefined) where.push(`version ${version}`);
  return where.length > 0 ? `${message} (${where.join(", ")})` : message;
}

/** A DeltaError class whose constructor takes `(message, options)`. */
export type CodedErrorClass = new (message: string, options?: DeltaErrorOptions) => DeltaError;

/**
 * The base of a DeltaError subclass with a fixed `code` and the plain `(message, options)`
 * constructor: `class NotFoundError extends codedError("NOT_FOUND") {}`. The subclass keeps its
 * own name (`new.target.name`). Internal (not exported by the entries).
 */
export function codedError(code: DeltaErrorCode): CodedErrorClass {
  return class extends DeltaError {
    constructor(message: string, options: DeltaErrorOptions = {}) {
      super(code, message, options);
    }
  };
}

/** A table, version or object that does not exist. */
export class NotFoundError extends codedError("NOT_FOUND") {}

/** An object that put-if-absent found already present (the store-level commit conflict). */
export class AlreadyExistsError extends codedError("ALREADY_EXISTS") {}

/** A commit that lost a race and could not be retried (or exhausted its retries). */
export class CommitConflictError extends codedError("COMMIT_CONFLICT") {}

/** A table feature (reader or writer) that delta-edge does not support; names the feature. */
export class UnsupportedFeatureError extends DeltaError {
  /** The feature's name (e.g. `rowTracking`, `columnMapping` mode `id` on write). */
  readonly feature: string;
  constructor(feature: string, message: string, options: DeltaErrorOptions = {}) {
    super("UNSUPPORTED_FEATURE", message, options);
    this.feature = feature;
  }
}

/** A log that violates the Delta protocol: gaps, missing protocol/metaData, corrupt actions. */
export class ProtocolError extends codedError("PROTOCOL_ERROR") {}

/** Bad input from the caller: options, predicates, data that does not fit the schema. */
export class InvalidInputError extends codedError("INVALID_INPUT") {}

/** A storage request that failed for a reason other than not-found / already-exists. */
export class StorageError extends DeltaError {
  /** The HTTP status of the failed request, when there was one. */
  readonly status: number | undefined;
  constructor(message: string, options: DeltaErrorOptions & { status?: number | undefined } = {}) {
    super("STORAGE_ERROR", message, options);
    this.status = options.status;
  }
}
