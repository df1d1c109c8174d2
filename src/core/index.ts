/**
 * delta-edge core: the public API (re-exports only). Everything here runs on web APIs alone, so
 * the same code works in browsers, Cloudflare Workers and Node.
 */
export * from "./errors.js";
export * from "./storage/index.js";
export type * from "./log/actions.js";
export type { StructType, StructField, DataType, PrimitiveType, Scalar, DecimalValue } from "./schema/types.js";
export { Snapshot } from "./table/snapshot.js";
export { openTable, type OpenTableOptions } from "./table/open.js";
export { loadSnapshot, type LoadSnapshotOptions } from "./table/snapshot-load.js";
export { readHistory, type HistoryEntry, type HistoryOptions } from "./table/history.js";
export { versionAtTimestamp, parseTimestamp } from "./table/time-travel.js";
export { SUPPORTED_READER_FEATURES, REFUSED_READER_FEATURES, checkReadable } from "./table/protocol.js";
export { readTable, readBatches, readRows, type ReadOptions } from "./scan/read.js";
export { planScan, type ScanPlan, type ScanOptions, type PlannedFile } from "./scan/plan.js";
export { scanBatches, scanTable, outputSchema, type ExecuteOptions } from "./scan/execute.js";
export { formatValueJson, formatRowJson, batchRows } from "./scan/rows.js";
export { planChanges, changePlanFields, type ChangesOptions, type ChangePlan } from "./changes/change-plan.js";
export { readChanges, readChangeBatches, readChangeRows, changeBatches, type ReadChangesOptions } from "./changes/read-changes.js";
export { ChangeFeedError, type ChangeFeedRefusal } from "./changes/errors.js";
export { CHANGE_TYPE_COLUMN, COMMIT_VERSION_COLUMN, COMMIT_TIMESTAMP_COLUMN, type ChangeType } from "./changes/change-columns.js";
export * as expr from "./expr/index.js";
export * as schema from "./schema/index.js";
export { writeTable, type WriteTableOptions, type WriteTableResult, type WriteMode } from "./write/write-table.js";
export type { WriteData } from "./write/write-input.js";
export { vacuum, type VacuumOptions, type VacuumResult } from "./write/vacuum.js";
export { optimize, type OptimizeOptions, type OptimizeResult } from "./write/optimize.js";
export { createCheckpoint } from "./write/checkpoint-write.js";
export { cleanupLog } from "./write/log-cleanup.js";
export { Transaction, type TransactionOptions, type CommitResult } from "./write/transaction.js";
export { createTable, tableExists } from "./write/table-create.js";
export { setTableProperties, type SetTablePropertiesOptions, type SetTablePropertiesResult } from "./write/table-properties.js";
export * from "./dml/index.js";
export { writeDataFiles } from "./write/data-files.js";
export { setParquetWasm } from "./write/parquet-wasm.js";
export { inferSchema, rowsToRecordBatch } from "./write/rows-to-arrow.js";
export * from "./logstore/index.js";
export * as assets from "./assets/index.js";
export { createHyparquetReader, createWasmReader, type ParquetReader, type ParquetSource, type HyparquetReaderOptions, type WasmReaderOptions } from "./scan/parquet/index.js";
export { defaultReader } from "./scan/reader-choice.js";
