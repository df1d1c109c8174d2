/**
 * Folder logstore/: how a commit is made atomic on a store. Must not import a storage backend
 * class (S3-compatible stores are recognized by ObjectStore.commitTarget()) or Delta folders other
 * than log/path.
 *
 * The "delta-edge/logstore" entry, commit strategies (re-exports only): the LogStore contract,
 * its implementations — put-if-absent (the default), copy-if-absent (a create-only CopyObject header, e.g. R2's), the DynamoDB lock
 * table (delta-rs / Spark compatible), unsafe rename (single writer only) and the refusing store —
 * and `selectLogStore`, which picks one from a store's configuration like delta-rs does.
 */
export {
  CommitExistsError,
  type LogStore,
  type ReadBack,
  type ReadCommitOptions,
  type RepairResult,
  type WriteCommitOptions,
} from "./log-store.js";
export { PutIfAbsentLogStore, type PutIfAbsentLogStoreOptions } from "./put-if-absent.js";
export { CopyIfAbsentLogStore, type CopyIfAbsentLogStoreOptions } from "./copy-if-absent.js";
export { UnsafeRenameLogStore, type UnsafeRenameLogStoreOptions } from "./unsafe-rename.js";
export { RefusingLogStore, SAFE_S3_COMMIT_HELP, type RefusingLogStoreOptions } from "./refusing.js";
export { DynamoDbLogStore, type DynamoDbLogStoreOptions } from "./dynamodb.js";
export {
  COMMIT_ENTRY_EXPIRATION_SECONDS,
  DynamoLockTable,
  fileNameOf,
  type CommitEntry,
  type CreateLockTableOptions,
  type DynamoLockTableOptions,
} from "./dynamodb-lock.js";
export { dynamoTablePath, repairIncomplete, selectLogStore, type RepairIncompleteOptions, type SelectLogStoreOptions } from "./select.js";
export { hasCopy, hasCopyIfAbsent, type CopyIfAbsentStore, type CopyingStore } from "./temp-commit.js";
export { DynamoDbClient, DynamoDbError, type AttributeValue, type DynamoDbClientOptions, type DynamoItem } from "../storage/dynamodb.js";
