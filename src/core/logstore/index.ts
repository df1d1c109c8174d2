/**
 * Commit strategies (re-exports only): the LogStore contract and its default implementation over
 * an ObjectStore's atomic put-if-absent. Other strategies (copy-if-absent, unsafe rename, DynamoDB
 * lock table) implement the same interface.
 */
export { CommitExistsError, readBack, bytesEqual, type LogStore, type ReadBack, type ReadCommitOptions, type WriteCommitOptions } from "./log-store.js";
export { PutIfAbsentLogStore, type PutIfAbsentLogStoreOptions } from "./put-if-absent.js";
