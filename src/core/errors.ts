/**
 * Errors: every failure in delta-edge is a DeltaError with a stable `code`, the table path and
 * version when known, and the underlying error as `cause`. Callers branch on the few subclasses
 * below (or on `code`); messages name the path and version so a one-line CLI error is useful.
 */

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
  readonly code: string;
  readonly path: string | undefined;
  readonly version: number | undefined;

  constructor(code: string, message: string, options: DeltaErrorOptions = {}) {
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

/** A table, version or object that does not exist. */
export class NotFoundError extends DeltaError {
  constructor(message: string, options: DeltaErrorOptions = {}) {
    super("NOT_FOUND", message, options);
  }
}

/** An object that put-if-absent found already present (the store-level commit conflict). */
export class AlreadyExistsError extends DeltaError {
  constructor(message: string, options: DeltaErrorOptions = {}) {
    super("ALREADY_EXISTS", message, options);
  }
}

/** A commit that lost a race and could not be retried (or exhausted its retries). */
export class CommitConflictError extends DeltaError {
  constructor(message: string, options: DeltaErrorOptions = {}) {
    super("COMMIT_CONFLICT", message, options);
  }
}

/** A table feature (reader or writer) that delta-edge does not support; names the feature. */
export class UnsupportedFeatureError extends DeltaError {
  readonly feature: string;
  constructor(feature: string, message: string, options: DeltaErrorOptions = {}) {
    super("UNSUPPORTED_FEATURE", message, options);
    this.feature = feature;
  }
}

/** A log that violates the Delta protocol: gaps, missing protocol/metaData, corrupt actions. */
export class ProtocolError extends DeltaError {
  constructor(message: string, options: DeltaErrorOptions = {}) {
    super("PROTOCOL_ERROR", message, options);
  }
}

/** Bad input from the caller: options, predicates, data that does not fit the schema. */
export class InvalidInputError extends DeltaError {
  constructor(message: string, options: DeltaErrorOptions = {}) {
    super("INVALID_INPUT", message, options);
  }
}

/** A storage request that failed for a reason other than not-found / already-exists. */
export class StorageError extends DeltaError {
  readonly status: number | undefined;
  constructor(message: string, options: DeltaErrorOptions & { status?: number | undefined } = {}) {
    super("STORAGE_ERROR", message, options);
    this.status = options.status;
  }
}
