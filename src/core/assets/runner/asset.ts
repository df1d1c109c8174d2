/**
 * Asset definitions for the small runner: `asset()` (a key, inputs with metadata, definition
 * metadata such as `partition_expr`, a partitions definition, the I/O manager's resource key and
 * the compute function) and `sourceAsset()` (a table produced elsewhere, only ever loaded).
 */
import { InvalidInputError } from "../../errors.js";
import type { TimeWindow } from "../partitions/time-window.js";
import { assetKey, keyString, type AssetKey, type AssetKeyLike } from "../asset-key.js";
import type { LoadAs, Metadata } from "../context.js";
import type { PartitionsDefinition } from "../partitions/definitions.js";
import type { PartitionMapping } from "./partition-mapping.js";

/** One input of an asset. */
export interface AssetIn {
  /** Upstream asset key (default: the input's name). */
  key?: AssetKeyLike | undefined;
  /** Input metadata: `columns`, `version`, `timestamp`. */
  metadata?: Metadata | undefined;
  /** Table, RecordBatch stream or rows (Delta inputs; default the I/O manager's). */
  loadAs?: LoadAs | undefined;
  partitionMapping?: PartitionMapping | undefined;
}

/** What an asset's compute function receives besides its inputs. */
export interface AssetExecutionContext {
  assetKey: AssetKey;
  /** The partition key when the run writes exactly one partition. */
  partitionKey: string | undefined;
  /** All partition keys of the run (empty for an unpartitioned asset). */
  partitionKeys: readonly string[];
  /** For time-window partitions: [start of the first, end of the last] selected window. */
  partitionTimeWindow: TimeWindow | undefined;
  /** For one multi-partition key: its value per dimension. */
  keysByDimension: Readonly<Record<string, string>> | undefined;
  resources: Readonly<Record<string, unknown>>;
  metadata: Metadata;
  log(message: string): void;
}

/** The compute function of an asset. */
export type ComputeFn = (context: AssetExecutionContext, inputs: Record<string, any>) => unknown;

/** Options of {@link asset}. */
export interface AssetOptions {
  /** Last element of the key (or give `key`). */
  name?: string | undefined;
  key?: AssetKeyLike | undefined;
  /** Prepended to `name` (the schema of a Delta table). */
  keyPrefix?: AssetKeyLike | undefined;
  ins?: Readonly<Record<string, AssetIn>> | undefined;
  metadata?: Metadata | undefined;
  partitionsDef?: PartitionsDefinition | undefined;
  /** Resource key of the I/O manager storing the output (default "io_manager"). */
  ioManagerKey?: string | undefined;
  description?: string | undefined;
  compute: ComputeFn;
}

/** A resolved input. */
export interface ResolvedIn {
  key: AssetKey;
  metadata: Metadata;
  loadAs: LoadAs | undefined;
  partitionMapping: PartitionMapping | undefined;
}

/** An asset (or source asset) definition. */
export interface AssetDefinition {
  readonly key: AssetKey;
  readonly ins: Readonly<Record<string, ResolvedIn>>;
  readonly metadata: Metadata;
  readonly partitionsDef: PartitionsDefinition | undefined;
  readonly ioManagerKey: string;
  readonly description: string | undefined;
  /** Undefined for a source asset. */
  readonly compute: ComputeFn | undefined;
}

/** Defines an asset. */
export function asset(options: AssetOptions): AssetDefinition {
  if (typeof options.compute !== "function") throw new InvalidInputError("asset: compute must be a function");
  const key = keyOf(options);
  const ins: Record<string, ResolvedIn> = {};
  for (const [name, input] of Object.entries(options.ins ?? {})) {
    ins[name] = {
      key: assetKey(input.key ?? name),
      metadata: input.metadata ?? {},
      loadAs: input.loadAs,
      partitionMapping: input.partitionMapping,
    };
  }
  return {
    key,
    ins,
    metadata: options.metadata ?? {},
    partitionsDef: options.partitionsDef,
    ioManagerKey: options.ioManagerKey ?? "io_manager",
    description: options.description,
    compute: options.compute,
  };
}

/** Options of {@link sourceAsset}. */
export interface SourceAssetOptions {
  key: AssetKeyLike;
  metadata?: Metadata | undefined;
  partitionsDef?: PartitionsDefinition | undefined;
  ioManagerKey?: string | undefined;
  description?: string | undefined;
}

/** A table produced outside the runner; assets can load it as an input. */
export function sourceAsset(options: SourceAssetOptions): AssetDefinition {
  return {
    key: assetKey(options.key),
    ins: {},
    metadata: options.metadata ?? {},
    partitionsDef: options.partitionsDef,
    ioManagerKey: options.ioManagerKey ?? "io_manager",
    description: options.description,
    compute: undefined,
  };
}

function keyOf(options: AssetOptions): AssetKey {
  if (options.key !== undefined) {
    if (options.name !== undefined || options.keyPrefix !== undefined) throw new InvalidInputError(`asset ${keyString(assetKey(options.key))}: give key, or name with keyPrefix, not both`);
    return assetKey(options.key);
  }
  if (options.name === undefined) throw new InvalidInputError("asset: give a name or a key");
  const prefix = options.keyPrefix === undefined ? [] : [...assetKey(options.keyPrefix)];
  return assetKey([...prefix, options.name]);
}
