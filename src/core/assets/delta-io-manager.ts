/**
 * deltaLakeIOManager: dagster-deltalake's I/O manager for TypeScript pipelines. Each asset is a
 * Delta table at `<root>/<schema>/<table>`; outputs are written by delta-write.ts (partitions
 * replaced exactly, in one commit) and inputs read by delta-read.ts (column and partition
 * selection). deltaTableResource gives an asset direct access to one table, like dagster's
 * DeltaTableResource.
 */
import { InvalidInputError } from "../errors.js";
import { readBatches, readRows, readTable, type ReadOptions } from "../scan/read.js";
import type { ObjectStore } from "../storage/object-store.js";
import { repairIncomplete } from "../logstore/select.js";
import { openTable } from "../table/open.js";
import type { Snapshot } from "../table/snapshot.js";
import type { IOManager, LoadAs } from "./context.js";
import { readAssetInput } from "./delta-read.js";
import { writeAssetOutput, type DeltaWriteConfig } from "./delta-write.js";
import { checkRoot, storeAt, type ClientStorageConfig, type StorageOptions, type TableRoot } from "./storage-config.js";

/** Options of {@link deltaLakeIOManager}. */
export interface DeltaLakeIOManagerOptions extends TableRoot, DeltaWriteConfig {
  /** How inputs are handed over unless the input says otherwise (default "table"). */
  loadAs?: LoadAs | undefined;
}

/** A Delta Lake I/O manager. */
export interface DeltaLakeIOManager extends IOManager {
  readonly kind: "deltalake";
  /** The store of one table (`<schema>/<table>` below the root). */
  tableStore(path: string): ObjectStore;
}

/**
 * Creates a Delta Lake I/O manager. Defaults: mode "overwrite" (per asset: `mode` metadata),
 * schema `public`. `tableConfig` becomes the properties of tables it creates; `customMetadata`
 * goes into each commit's userMetadata (as JSON); `writerProperties` sets compression and sizes.
 */
export function deltaLakeIOManager(options: DeltaLakeIOManagerOptions): DeltaLakeIOManager {
  checkRoot(options, "deltaLakeIOManager");
  if (options.schema !== undefined && (typeof options.schema !== "string" || options.schema === "")) {
    throw new InvalidInputError("deltaLakeIOManager: schema must be a non-empty string");
  }
  const known = new Set(["compression", "targetFileSize", "maxRowGroupSize"]);
  for (const k of Object.keys(options.writerProperties ?? {})) {
    if (!known.has(k)) throw new InvalidInputError(`deltaLakeIOManager: unknown writerProperties key "${k}" (${[...known].join(", ")})`);
  }
  for (const [k, v] of Object.entries(options.tableConfig ?? {})) {
    if (typeof v !== "string") throw new InvalidInputError(`deltaLakeIOManager: tableConfig "${k}" must be a string`);
  }
  const root: TableRoot = options;
  return {
    kind: "deltalake",
    tableStore: (path) => storeAt(root, path),
    handleOutput: (context, value) => writeAssetOutput(root, options, context, value),
    loadInput: (context) => readAssetInput(root, options, context),
  };
}

/** Options of {@link deltaTableResource}. */
export interface DeltaTableResourceOptions {
  /** The table's location: `s3://bucket/dw/iris/iris_dataset`, a local path, `memory://...`. */
  url?: string | undefined;
  /** Or a store rooted at the table. */
  store?: ObjectStore | undefined;
  storageOptions?: StorageOptions | undefined;
  clientOptions?: ClientStorageConfig | undefined;
  env?: Record<string, string | undefined> | undefined;
  /** Time travel: load this version... */
  version?: number | undefined;
  /** ...or the version current at this time. */
  timestamp?: string | number | Date | undefined;
}

/** One Delta table as a resource: `load()` opens the snapshot; reads take scan options. */
export interface DeltaTableResource {
  readonly kind: "deltatable";
  readonly store: ObjectStore;
  readonly url: string;
  load(): Promise<Snapshot>;
  readTable(options?: Omit<ReadOptions, "store">): ReturnType<typeof readTable>;
  readBatches(options?: Omit<ReadOptions, "store">): ReturnType<typeof readBatches>;
  readRows(options?: Omit<ReadOptions, "store">): ReturnType<typeof readRows>;
}

/** Creates a resource for one table (dagster's DeltaTableResource, plus timestamp time travel). */
export function deltaTableResource(options: DeltaTableResourceOptions): DeltaTableResource {
  const root: TableRoot = {
    rootUri: options.url,
    store: options.store,
    storageOptions: options.storageOptions,
    clientOptions: options.clientOptions,
    env: options.env,
  };
  checkRoot(root, "deltaTableResource");
  const store = storeAt(root, "");
  const at = { version: options.version, timestamp: options.timestamp };
  const withDefaults = (o: Omit<ReadOptions, "store"> = {}): ReadOptions => ({
    ...o,
    store,
    ...(o.snapshot === undefined && o.version === undefined && o.timestamp === undefined ? at : {}),
  });
  return {
    kind: "deltatable",
    store,
    url: options.url ?? store.root,
    load: async () => {
      await repairIncomplete({ store });
      return openTable({ store, ...at });
    },
    readTable: (o) => readTable(withDefaults(o)),
    readBatches: (o) => readBatches(withDefaults(o)),
    readRows: (o) => readRows(withDefaults(o)),
  };
}
