/**
 * Public surface of the storage layer: the ObjectStore contract, the fetch-only backends (memory,
 * read-only http), the wrappers (request counting, range cache) and URL-based store selection.
 * Runtime-specific backends (local files, R2 bindings) live outside src/core and register
 * themselves through registerStoreFactory.
 */
export * from "./object-store.js";
export { MemoryStore, compareKeys, type MemoryStoreOptions } from "./memory.js";
export { HttpStore, rangeHeader, type HttpStoreOptions } from "./http.js";
export { CountingStore, type StoreOp, type StoreOperation, type StoreStats } from "./counting.js";
export { CachingStore, defaultCacheable, type CacheStats, type CachingStoreOptions } from "./cache.js";
export {
  BARE_PATH_SCHEME,
  clearMemoryStores,
  namedMemoryStore,
  registerStoreFactory,
  storeFromUrl,
  unregisterStoreFactory,
  urlScheme,
  type StoreFactory,
  type StoreFromUrlOptions,
} from "./url.js";
