/**
 * The "delta-edge/worker" package entry: the core library plus the Worker-only pieces (the R2
 * binding store, the HTTP API handler, the DeltaIngest Durable Object and the ingest queue
 * consumer) for code running in a Worker. It has no side effects and
 * also loads in Node. The deployable Worker is main.ts (wrangler.toml's `main`): workerd accepts
 * only handlers as named exports of a Worker's main module, so the library cannot be it.
 */
export * from "../core/index.js";
export { R2BindingStore, type R2BindingStoreOptions, type R2BucketLike } from "./r2-store.js";
export { handleApiRequest } from "./api.js";
export { useWorkerParquetWasm } from "./wasm.js";
export type { Env, WorkerBucket } from "./env.js";
export { DeltaIngest } from "./ingest/object.js";
export { consumeIngestQueue, type IngestMessage } from "./ingest/queue.js";
export { DEFAULT_INGEST_SETTINGS, ingestSettings, type IngestEnv, type IngestSettings } from "./ingest/settings.js";
