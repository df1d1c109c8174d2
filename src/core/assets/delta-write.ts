/**
 * Storing an asset output in its Delta table (the I/O manager's handleOutput): a partitioned
 * output replaces exactly its partitions in one commit (writeTable's replaceWhere with the
 * partition predicate), after every row was checked to lie inside them; a new table is created
 * partitioned by the partition columns, with `tableConfig` as its properties. Mode "merge"
 * merges the output into the table instead (mergeInto, settings from merge-config.ts, confined
 * to the output's partitions); a table that does not exist yet is created from the output.
 * Returns the materialization metadata: table URI, version, rows, bytes, columns with types,
 * predicate (and the merge's predicate and metrics).
 */
import type { RecordBatch, Table } from "apache-arrow";
import { InvalidInputError } from "../errors.js";
import type { LogStore } from "../logstore/log-store.js";
import { selectLogStore } from "../logstore/select.js";
import { bindPredicate, snapshotSchema } from "../scan/plan.js";
import { arrowSchemaToDelta } from "../schema/arrow-schema.js";
import { dataTypeText } from "../schema/schema-json.js";
import type { StructType } from "../schema/types.js";
import type { ObjectStore } from "../storage/object-store.js";
import { openTable, openTableIfExists } from "../table/open.js";
import type { Snapshot } from "../table/snapshot.js";
import type { ParquetCompression } from "../parquet/writer.js";
import { writeTable, type WriteMode } from "../write/write-table.js";
import { mergeInto, type MergeMetrics } from "../dml/merge/merge.js";
import { normalizeData, type WriteData } from "../write/write-input.js";
import { keyString } from "./asset-key.js";
import type { OutputContext } from "./context.js";
import { checkedInMemory, checkedStream, partitionCheck } from "./partition-check.js";
import { partitionFilter } from "./partition-filter.js";
import { mergeSettings, withinPartitions, type DeltaMergeConfig, type MergeSettings } from "./merge-config.js";
import { locationOf, storeAt, type TableRoot } from "./storage-config.js";
import { partitionColumnsOf, tableSlice } from "./table-slice.js";

/** Parquet writer settings (dagster's writer_properties). */
export interface WriterProperties {
  compression?: ParquetCompression | undefined;
  /** Start a new data file past this many bytes. */
  targetFileSize?: number | undefined;
  maxRowGroupSize?: number | undefined;
}

/** How outputs are stored: writeTable's modes, or "merge" (an upsert by key, see merge-config.ts). */
export type AssetWriteMode = WriteMode | "merge";

/** The write settings of a Delta Lake I/O manager. */
export interface DeltaWriteConfig {
  schema?: string | undefined;
  mode?: AssetWriteMode | undefined;
  /** Mode "merge": predicate and clauses (per asset also `merge_*` metadata). */
  mergeConfig?: DeltaMergeConfig | undefined;
  schemaMode?: "merge" | "overwrite" | undefined;
  overwriteSchema?: boolean | undefined;
  customMetadata?: Readonly<Record<string, string>> | undefined;
  writerProperties?: WriterProperties | undefined;
  tableConfig?: Readonly<Record<string, string>> | undefined;
  logStore?: ((store: ObjectStore) => LogStore) | undefined;
}

/** Materialization metadata of a Delta output. */
export type DeltaMaterialization = {
  tableUri: string;
  schema: string;
  table: string;
  /** "unchanged": a merge that changed no row (nothing committed). */
  status: "committed" | "skipped" | "ignored" | "unchanged";
  version: number;
  mode: AssetWriteMode;
  /** Rows and bytes of the files this write added (a merge: rows inserted + updated). */
  numRows: number;
  sizeBytes: number;
  filesAdded: number;
  filesRemoved: number;
  columns: { name: string; type: string }[];
  partitionColumns: string[];
  partitionKeys?: string[];
  /** The partition predicate: what was replaced (overwrite) and what every row satisfied. */
  predicate?: string;
  tableProperties: Record<string, string>;
  /** How the commit was made visible: put-if-absent, copy-if-absent, dynamodb, unsafe-rename. */
  commitStrategy: string;
  /** Mode "merge" into an existing table: the merge condition used (with the partition predicate). */
  mergePredicate?: string;
  /** Mode "merge" into an existing table: the merge type (or "clauses") and the MERGE's metrics. */
  mergeType?: MergeSettings["mergeType"];
  mergeMetrics?: MergeMetrics;
};

const MODES: readonly AssetWriteMode[] = ["error", "append", "overwrite", "ignore", "merge"];

/** Writes one output (see the module comment). */
export async function writeAssetOutput(root: TableRoot, config: DeltaWriteConfig, context: OutputContext, value: unknown): Promise<DeltaMaterialization> {
  const name = keyString(context.assetKey);
  const md = context.metadata;
  const slice = tableSlice({ assetKey: context.assetKey, metadata: md, configSchema: config.schema, partitions: context.partitions });
  const path = `${slice.schema}/${slice.table}`;
  const store = storeAt(root, path);
  const tableUri = locationOf(root, path);
  const mode = (md["mode"] ?? config.mode ?? "overwrite") as AssetWriteMode;
  if (!MODES.includes(mode)) throw new InvalidInputError(`asset ${name}: unknown mode ${JSON.stringify(mode)} (${MODES.join(", ")})`);
  const schemaMode = resolveSchemaMode(md, config, name);
  const customMetadata = (md["custom_metadata"] ?? config.customMetadata) as Record<string, string> | undefined;
  checkValue(value, name);
  if (schemaMode === "overwrite" && slice.partitions) {
    throw new InvalidInputError(`asset ${name}: overwriting the schema replaces the whole table, but a partitioned output replaces only its partitions; use schemaMode "merge"`);
  }

  const merge = mode === "merge" ? mergeSettings(md, config.mergeConfig, name) : undefined;
  const snapshot = await tryOpen(store);
  if (merge && snapshot && schemaMode !== undefined) throw new InvalidInputError(`asset ${name}: mode "merge" does not change the table's schema; drop schemaMode (${schemaMode})`);
  const tableSchema = snapshot && schemaMode !== "overwrite" ? snapshotSchema(snapshot) : undefined;
  // A merge source has the columns its rows name, not the table's with nulls (a missing key is an error).
  const input = await normalizeData(value as WriteData, merge && tableSchema ? namedFields(tableSchema, value) : tableSchema);
  let data: AsyncIterable<RecordBatch> = input.batches;
  let predicate: string | undefined;
  let settings = merge;
  if (slice.partitions) {
    const schema = tableSchema ?? (input.arrowSchema ? arrowSchemaToDelta(input.arrowSchema) : undefined);
    if (schema === undefined) throw new InvalidInputError(`asset ${name}: the output is empty and table ${tableUri} does not exist yet, so it cannot be created`);
    const filter = partitionFilter(slice.partitions, schema, name);
    predicate = filter.text;
    const check = partitionCheck({
      schema,
      predicate: bindPredicate(filter.text, schema, { path: tableUri, version: snapshot?.version ?? 0 }),
      text: filter.text,
      assetName: name,
      keys: slice.partitions.keys,
      columns: partitionColumnsOf(slice),
    });
    data = inMemory(value) ? await checkedInMemory(data, check) : checkedStream(data, check);
    if (merge) settings = withinPartitions(merge, partitionFilter(slice.partitions, schema, name, merge.targetAlias).text);
  }
  const wp = config.writerProperties ?? {};
  // The commit strategy the store's settings select (or the configured one), named in the metadata.
  const logStore = config.logStore ? config.logStore(store) : selectLogStore({ store });
  const common = {
    ...(customMetadata ? { userMetadata: JSON.stringify(customMetadata) } : {}),
    ...(wp.compression ? { compression: wp.compression } : {}),
    ...(wp.targetFileSize ? { targetFileSize: wp.targetFileSize } : {}),
    ...(wp.maxRowGroupSize ? { maxRowGroupSize: wp.maxRowGroupSize } : {}),
    logStore,
  };
  let result: { status: DeltaMaterialization["status"]; version: number; rows: number; bytes: number; filesAdded: number; filesRemoved: number };
  let merged: { metrics: MergeMetrics; settings: MergeSettings } | undefined;
  if (settings && snapshot) {
    const r = await mergeInto({ store, snapshot, source: data, on: settings.predicate, sourceAlias: settings.sourceAlias, targetAlias: settings.targetAlias, ...clausesOf(settings), ...common });
    const m = r.metrics;
    result = { status: r.status, version: r.version, rows: m.numTargetRowsInserted + m.numTargetRowsUpdated, bytes: m.numAddedBytes, filesAdded: m.numAddedFiles, filesRemoved: m.numRemovedFiles };
    merged = { metrics: m, settings };
  } else {
    const w = await writeTable({
      store,
      data,
      // a merge into a table that does not exist yet creates it from the output
      mode: mode === "merge" ? "error" : mode,
      ...(predicate !== undefined && mode === "overwrite" ? { replaceWhere: predicate } : {}),
      ...(slice.partitions && !snapshot ? { partitionBy: partitionColumnsOf(slice) } : {}),
      ...(schemaMode ? { schemaMode } : {}),
      ...(config.tableConfig ? { configuration: config.tableConfig } : {}),
      name: slice.table,
      ...common,
    });
    result = { status: w.status, version: w.version, rows: w.rows, bytes: w.bytes, filesAdded: w.files.length, filesRemoved: w.removedFiles };
  }
  const after = await openTable({ store, version: result.version });
  const out: DeltaMaterialization = {
    tableUri,
    schema: slice.schema,
    table: slice.table,
    status: result.status,
    version: result.version,
    mode,
    numRows: result.rows,
    sizeBytes: result.bytes,
    filesAdded: result.filesAdded,
    filesRemoved: result.filesRemoved,
    columns: snapshotSchema(after).fields.map((f) => ({ name: f.name, type: dataTypeText(f.type, { mapSeparator: "," }) })),
    partitionColumns: [...after.partitionColumns],
    tableProperties: { ...after.properties },
    commitStrategy: logStore.name,
  };
  if (slice.partitions) out.partitionKeys = [...slice.partitions.keys];
  if (predicate !== undefined) out.predicate = predicate;
  if (merged) {
    out.mergePredicate = merged.settings.predicate;
    out.mergeType = merged.settings.mergeType;
    out.mergeMetrics = merged.metrics;
  }
  context.log?.(`${name}: ${result.status} version ${result.version} of ${tableUri} (${result.rows} rows${predicate ? `, ${predicate}` : ""})`);
  return out;
}

/** The schema's fields that row objects name (other outputs carry their own schema). */
function namedFields(schema: StructType, value: unknown): StructType {
  if (!Array.isArray(value) || value.some((r) => typeof r !== "object" || r === null)) return schema;
  const keys = new Set((value as Record<string, unknown>[]).flatMap((r) => Object.keys(r)));
  return { kind: "struct", fields: schema.fields.filter((f) => keys.has(f.name)) };
}

function clausesOf(s: MergeSettings): Pick<MergeSettings, "whenMatched" | "whenNotMatched" | "whenNotMatchedBySource"> {
  return { whenMatched: s.whenMatched, whenNotMatched: s.whenNotMatched, whenNotMatchedBySource: s.whenNotMatchedBySource };
}

function resolveSchemaMode(md: Readonly<Record<string, unknown>>, config: DeltaWriteConfig, name: string): "merge" | "overwrite" | undefined {
  const legacy = md["overwrite_schema"] === true || config.overwriteSchema === true;
  const mode = md["schema_mode"] ?? config.schemaMode ?? (legacy ? "overwrite" : undefined);
  if (mode !== undefined && mode !== "merge" && mode !== "overwrite") throw new InvalidInputError(`asset ${name}: schemaMode must be "merge" or "overwrite", got ${JSON.stringify(mode)}`);
  if (legacy && mode !== "overwrite") throw new InvalidInputError(`asset ${name}: overwriteSchema contradicts schemaMode "${String(mode)}"`);
  return mode as "merge" | "overwrite" | undefined;
}

/** Opens the table, or undefined when it does not exist yet. */
export function tryOpen(store: ObjectStore): Promise<Snapshot | undefined> {
  return openTableIfExists({ store });
}

function inMemory(value: unknown): boolean {
  return Array.isArray(value) || (typeof value === "object" && value !== null && "numRows" in value);
}

function checkValue(value: unknown, name: string): void {
  if (value === undefined || value === null) {
    throw new InvalidInputError(`asset ${name} returned ${String(value)}: the Delta Lake I/O manager stores an Arrow Table or RecordBatch, an (async) iterable of RecordBatches, or an array of row objects`);
  }
  const ok =
    Array.isArray(value) ||
    (typeof value === "object" && ("numRows" in value || Symbol.asyncIterator in value || Symbol.iterator in value));
  if (!ok || typeof value === "string") {
    throw new InvalidInputError(`the Delta Lake I/O manager has no handler for a ${typeof value} (${describe(value)}) returned by asset ${name}; it stores Arrow Tables, RecordBatches, (async) iterables of RecordBatches and arrays of row objects`);
  }
}

function describe(value: unknown): string {
  if (typeof value === "object" && value !== null) return (value as object).constructor?.name ?? "object";
  return String(value).slice(0, 40);
}

/** Arrow data types the writer accepts (re-exported for callers' annotations). */
export type DeltaOutput = Table | RecordBatch | AsyncIterable<RecordBatch> | Iterable<RecordBatch> | readonly Record<string, unknown>[];
