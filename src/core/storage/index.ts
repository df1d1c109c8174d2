/**
 * Folder storage/: objects, ranges, listings and conditional puts over fetch, one file per
 * backend. Knows nothing of Delta: must not import log/, table/, scan/, write/ or any other Delta
 * folder.
 *
 * The "delta-edge/storage" entry, the public surface of the storage layer: the ObjectStore
 * contract, the fetch-only backends (memory, read-only http, S3/R2/MinIO, GCS, Azure Blob,
 * presigned S3 reads, with the presign signer and client), their typed configs and
 * delta-rs string options, the retry defaults of the fetch-based stores, the wrappers (request
 * counting, range cache) and URL-based store selection.
 * Runtime-specific backends (local files, R2 bindings) live outside src/core and register
 * themselves through registerStoreFactory.
 */
export type { ByteRange, GetOptions, ListOptions, ObjectMeta, ObjectStore, PutBody } from "./object-store.js";
export type { TableLocation } from "./table-location.js";
export { MemoryStore, type MemoryStoreOptions } from "./memory.js";
export { HttpStore, type HttpStoreOptions } from "./http.js";
export { RETRY_DEFAULTS, type RetrySettings } from "./retry.js";
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
export { S3Store, S3_DIALECT, type CopyCondition, type PresignInput, type S3Dialect, type S3Request, type S3StoreOptions } from "./s3.js";
export { PresignedS3Store, type PresignedS3StoreOptions } from "./presigned-s3.js";
export { PresignClient, signerEndpoint, type PresignClientOptions, type PresignStats } from "./presign-batch.js";
export {
  MAX_LIST_KEYS,
  MAX_PRESIGN_SECONDS,
  presignS3,
  type PresignItem,
  type PresignRequestBody,
  type PresignResponseBody,
  type PresignS3Options,
} from "./s3-presign.js";
export {
  copyConditionOf,
  parseCopyIfNotExists,
  s3Config,
  type CopyIfNotExists,
  type DynamoConfig,
  type S3CommitOptions,
  type S3Config,
} from "./s3-config.js";
export { GcsStore, GCS_DIALECT, GCS_ENDPOINT, gcsConfig, type GcsConfig, type GcsStoreOptions } from "./gcs.js";
export { AzureStore, AZURE_API_VERSION, type AzureRequest, type AzureStoreOptions } from "./azure.js";
export {
  AZURITE_ACCOUNT,
  AZURITE_DEFAULT_URL,
  AZURITE_KEY,
  AZURE_SCHEMES,
  azureConfig,
  parseAzureUrl,
  type AzureConfig,
  type AzureLocation,
} from "./azure-config.js";
export { parseBucketUrl, type BucketLocation } from "./s3-url.js";
export {
  clientConfig,
  isKnownStorageOption,
  localConfig,
  resolveOptions,
  type ClientConfig,
  type LocalConfig,
  type OptionScope,
  type OptionSources,
  type ResolvedOption,
  type ResolvedOptions,
} from "./storage-options.js";
