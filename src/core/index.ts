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
export * as expr from "./expr/index.js";
export * as schema from "./schema/index.js";
