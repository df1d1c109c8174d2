/**
 * What an I/O manager is told when it stores an asset's output or loads it as an input: the
 * asset key, the metadata in force (the asset's definition metadata — `partition_expr`, `schema`,
 * `mode` — and the input's own — `columns`) and the partitions concerned. The runner
 * (runner/materialize.ts) builds these; other orchestrators can build them too.
 */
import type { AssetKey } from "./asset-key.js";
import type { PartitionsDefinition } from "./partitions/definitions.js";

/** Metadata values as given by users. */
export type Metadata = Readonly<Record<string, unknown>>;

/** Partitions of one asset: its definition and the keys selected. */
export interface PartitionSelection {
  def: PartitionsDefinition;
  /** Selected keys (non-empty), in definition order. */
  keys: readonly string[];
}

/** How loaded table data is handed to the asset. */
export type LoadAs = "table" | "batches" | "rows";

/** Context of {@link IOManager.handleOutput}. */
export interface OutputContext {
  assetKey: AssetKey;
  /** The asset's definition metadata. */
  metadata: Metadata;
  /** The partitions being written, when the asset is partitioned. */
  partitions?: PartitionSelection | undefined;
  log?: ((message: string) => void) | undefined;
}

/** Context of {@link IOManager.loadInput}. */
export interface InputContext {
  /** The upstream asset's key. */
  assetKey: AssetKey;
  /** The input's metadata (`columns`, `version`, `timestamp`). */
  metadata: Metadata;
  /** The upstream asset's definition metadata (`partition_expr`, `schema`). */
  upstreamMetadata: Metadata;
  /** The upstream partitions to load, when the upstream asset is partitioned. */
  partitions?: PartitionSelection | undefined;
  /** Default "table". */
  loadAs?: LoadAs | undefined;
  log?: ((message: string) => void) | undefined;
}

/** Stores outputs and loads inputs. `handleOutput` may return metadata for the materialization. */
export interface IOManager {
  handleOutput(context: OutputContext, value: unknown): Promise<Record<string, unknown> | undefined>;
  loadInput(context: InputContext): Promise<unknown>;
}
