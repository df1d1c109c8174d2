/**
 * delta-edge core ("delta-edge"): the public API people hold in their head (re-exports only).
 * Open, read, history, write, DML, the change feed and maintenance; the stores users construct
 * and `storeFromUrl`; the error classes and their codes; the main types. Everything here runs on
 * web APIs alone (browsers, Cloudflare Workers, Node).
 * The layers below have their own entries: "delta-edge/storage" (backends' configs, wrappers,
 * presigning, the store registry), "delta-edge/logstore" (commit strategies), "delta-edge/expr",
 * "delta-edge/schema", "delta-edge/parquet" (readers, parquet-wasm loading) and
 * "delta-edge/assets" (the asset I/O layer). Must not export internal helpers.
 */

// Errors: every failure is a DeltaError with a stable code.
export * from "./public-errors.js";

// Stores: the contract, the backends users construct, and selection by URL.
export type { ObjectStore, ObjectMeta, ByteRange, GetOptions, ListOptions, PutBody } from "./storage/object-store.js";
export { storeFromUrl, type StoreFromUrlOptions } from "./storage/url.js";
export type { TableLocation } from "./storage/table-location.js";
export { MemoryStore, type MemoryStoreOptions } from "./storage/memory.js";
export { HttpStore, type HttpStoreOptions } from "./storage/http.js";
export { S3Store, type S3StoreOptions } from "./storage/s3.js";
export { PresignedS3Store, type PresignedS3StoreOptions } from "./storage/presigned-s3.js";
export { GcsStore, type GcsStoreOptions } from "./storage/gcs.js";
export { AzureStore, type AzureStoreOptions } from "./storage/azure.js";
export { CachingStore, type CachingStoreOptions, type CacheStats } from "./storage/cache.js";
export { CountingStore, type StoreStats, type StoreOperation, type StoreOp } from "./storage/counting.js";

// Tables: open (the one way to get a snapshot) and history.
export { openTable, type OpenTableOptions } from "./table/open.js";
export { Snapshot } from "./table/snapshot.js";
export { readHistory, type HistoryEntry, type HistoryOptions } from "./table/history.js";
export type * from "./log/actions.js";
export type { StructType, StructField, DataType, PrimitiveType, Scalar, DecimalValue } from "./schema/types.js";

// Reads.
export { readTable, readBatches, readRows, type ReadOptions } from "./scan/read.js";
export { planScan, type ScanPlan, type ScanOptions, type PlannedFile } from "./scan/plan.js";

// The change data feed.
export { readChanges, readChangeBatches, readChangeRows, type ReadChangesOptions } from "./changes/read-changes.js";
export { planChanges, type ChangesOptions, type ChangePlan } from "./changes/change-plan.js";
export type { ChangeType } from "./changes/change-columns.js";

// Writes, row-level changes and table properties.
export { writeTable, type WriteTableOptions, type WriteTableResult, type WriteMode } from "./write/write-table.js";
export type { WriteData } from "./write/write-input.js";
export type { ParquetCompression } from "./parquet/writer.js";
export * from "./dml/index.js";
export { setTableProperties, type SetTablePropertiesOptions, type SetTablePropertiesResult } from "./write/table-properties.js";
export { Transaction, type TransactionOptions, type CommitResult } from "./write/transaction.js";

// Maintenance.
export { vacuum, type VacuumOptions, type VacuumResult } from "./write/vacuum.js";
export { optimize, type OptimizeOptions, type OptimizeResult } from "./write/optimize.js";
export { createCheckpoint, type CreateCheckpointOptions, type CheckpointInfo } from "./write/checkpoint-write.js";
