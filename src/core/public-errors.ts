/**
 * The error classes and types the entries export ("delta-edge", "delta-edge/browser"): one list
 * for both, so internals of errors.ts (the `codedError` base) stay out of them. Re-exports only.
 */
export {
  DeltaError,
  NotFoundError,
  AlreadyExistsError,
  CommitConflictError,
  UnsupportedFeatureError,
  ProtocolError,
  InvalidInputError,
  StorageError,
  type DeltaErrorCode,
  type DeltaErrorOptions,
} from "./errors.js";
export { ChangeFeedError, type ChangeFeedRefusal } from "./changes/errors.js";
