/**
 * The browser entry ("delta-edge/browser"): the read side of the core library — opening tables
 * over HTTP (static hosting, CORS-enabled buckets, the Worker's /objects endpoint) or from a
 * private S3-compatible bucket (PresignedS3Store: URLs presigned by the Worker, no keys in the
 * page; or S3Store with keys the user typed), snapshots, time travel and history — without the
 * write path, so bundles stay small (budgets: test/browser/bundle-budget.test.ts).
 */
export * from "../core/public-errors.js";
export { HttpStore, type HttpStoreOptions } from "../core/storage/http.js";
export { MemoryStore } from "../core/storage/memory.js";
export { CachingStore, type CachingStoreOptions } from "../core/storage/cache.js";
export { CountingStore } from "../core/storage/counting.js";
export { storeFromUrl } from "../core/storage/url.js";
export { PresignedS3Store, type PresignedS3StoreOptions } from "../core/storage/presigned-s3.js";
export { S3Store, type S3StoreOptions } from "../core/storage/s3.js";
export type { ObjectStore } from "../core/storage/object-store.js";
export { openTable, type OpenTableOptions } from "../core/table/open.js";
export { Snapshot } from "../core/table/snapshot.js";
export { readHistory, type HistoryEntry } from "../core/table/history.js";
export { readTable, readBatches, readRows, type ReadOptions } from "../core/scan/read.js";
export { planScan } from "../core/scan/plan.js";
export { planChanges, type ChangesOptions, type ChangePlan } from "../core/changes/change-plan.js";
export { readChanges, readChangeBatches, readChangeRows, type ReadChangesOptions } from "../core/changes/read-changes.js";
