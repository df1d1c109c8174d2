/**
 * Folder assets/: pipeline I/O managers on the public read/write API. Must not import runtime code
 * (node/, worker/) or the parquet libraries.
 *
 * The asset I/O layer (re-exports only): dagster-deltalake's ideas for TypeScript pipelines — a
 * Delta Lake I/O manager and table resource, a blob I/O manager, partition definitions, and a
 * small asset()/materialize() runner.
 */
export { assetKey, keyString, type AssetKey, type AssetKeyLike } from "./asset-key.js";
export type { InputContext, IOManager, LoadAs, Metadata, OutputContext, PartitionSelection } from "./context.js";
export {
  deltaLakeIOManager,
  deltaTableResource,
  type DeltaLakeIOManager,
  type DeltaLakeIOManagerOptions,
  type DeltaTableResource,
  type DeltaTableResourceOptions,
} from "./delta-io-manager.js";
export type { AssetWriteMode, DeltaMaterialization, DeltaOutput, DeltaWriteConfig, WriterProperties } from "./delta-write.js";
export type { DeltaMergeConfig, MergeType } from "./merge-config.js";
export type { DeltaInput } from "./delta-read.js";
export { blobIOManager, type BlobFormat, type BlobIOManager, type BlobIOManagerOptions, type BlobMaterialization } from "./blob-io-manager.js";
export {
  storageOptionStrings,
  type AzureStorageConfig,
  type ClientStorageConfig,
  type GcsStorageConfig,
  type LocalStorageConfig,
  type S3StorageConfig,
  type StorageConfig,
  type StorageOptions,
  type TableRoot,
} from "./storage-config.js";
export { DEFAULT_SCHEMA, tableSlice, type TableSlice, type SlicePartitions } from "./table-slice.js";
export { partitionFilter, type PartitionFilter } from "./partition-filter.js";
export {
  dynamicPartitions,
  keysInRange,
  multiPartitions,
  staticPartitions,
  type DimensionDefinition,
  type DynamicPartitionsDefinition,
  type DynamicPartitionsOptions,
  type MultiPartitionsDefinition,
  type PartitionsDefinition,
  type StaticPartitionsDefinition,
} from "./partitions/definitions.js";
export {
  dailyPartitions,
  hourlyPartitions,
  monthlyPartitions,
  timeWindowPartitions,
  weeklyPartitions,
  type TimeUnit,
  type TimeWindow,
  type TimeWindowPartitionsDefinition,
  type TimeWindowPartitionsOptions,
  type ZonedWindow,
} from "./partitions/time-window.js";
export { asset, sourceAsset, type AssetDefinition, type AssetExecutionContext, type AssetIn, type AssetOptions, type ComputeFn, type SourceAssetOptions } from "./runner/asset.js";
export { materialize, type Materialization, type MaterializeOptions, type MaterializeResult } from "./runner/materialize.js";
export {
  allPartitionsMapping,
  identityMapping,
  multiToSingleDimensionMapping,
  staticMapping,
  timeWindowMapping,
  type PartitionMapping,
} from "./runner/partition-mapping.js";
