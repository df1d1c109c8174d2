/**
 * Loading an asset input from its Delta table (the I/O manager's loadInput): only the columns the
 * input's `columns` metadata names (the scan fetches only their column chunks), only the rows of
 * the upstream partitions asked for (several static keys, whole time ranges, every partition for
 * an unpartitioned downstream), optionally at a `version` or `timestamp`. Hands the data over as
 * an Arrow Table, a stream of RecordBatches, or row objects.
 */
import type { RecordBatch, Table } from "apache-arrow";
import { InvalidInputError, NotFoundError } from "../errors.js";
import type { LogStore } from "../logstore/log-store.js";
import { repairIncomplete } from "../logstore/select.js";
import { snapshotSchema } from "../scan/plan.js";
import type { ObjectStore } from "../storage/object-store.js";
import { readBatches, readRows, readTable, type ReadOptions } from "../scan/read.js";
import { isNoTableError, openTable } from "../table/open.js";
import type { Snapshot } from "../table/snapshot.js";
import { keyString } from "./asset-key.js";
import type { InputContext, LoadAs } from "./context.js";
import { partitionFilter } from "./partition-filter.js";
import { locationOf, storeAt, type TableRoot } from "./storage-config.js";
import { tableSlice } from "./table-slice.js";

/** What {@link readAssetInput} returns, by `loadAs`. */
export type DeltaInput = Table | AsyncIterable<RecordBatch> | Record<string, unknown>[];

/** The read settings of a Delta Lake I/O manager. */
export interface DeltaReadConfig {
  schema?: string | undefined;
  loadAs?: LoadAs | undefined;
  logStore?: ((store: ObjectStore) => LogStore) | undefined;
}

/** Loads one input (see the module comment). */
export async function readAssetInput(root: TableRoot, config: DeltaReadConfig, context: InputContext): Promise<DeltaInput> {
  const name = keyString(context.assetKey);
  const slice = tableSlice({
    assetKey: context.assetKey,
    metadata: context.upstreamMetadata,
    configSchema: config.schema,
    partitions: context.partitions,
    inputMetadata: context.metadata,
  });
  const path = `${slice.schema}/${slice.table}`;
  const store = storeAt(root, path);
  const uri = locationOf(root, path);
  const version = context.metadata["version"];
  const timestamp = context.metadata["timestamp"];
  if (version !== undefined && typeof version !== "number") throw new InvalidInputError(`input ${name}: metadata "version" must be a number`);
  if (timestamp !== undefined && typeof timestamp !== "string" && typeof timestamp !== "number" && !(timestamp instanceof Date)) {
    throw new InvalidInputError(`input ${name}: metadata "timestamp" must be an ISO string, epoch milliseconds or a Date`);
  }
  let snapshot: Snapshot;
  try {
    // A commit a DynamoDB-locked writer left half done becomes visible first (no request otherwise).
    await repairIncomplete({ store, ...(config.logStore ? { logStore: config.logStore(store) } : {}) });
    snapshot = await openTable({ store, version, timestamp });
  } catch (err) {
    if (isNoTableError(err)) {
      throw new NotFoundError(`asset ${name} has no Delta table at ${uri}: materialize it first`, { path: uri, cause: err });
    }
    throw err;
  }
  const schema = snapshotSchema(snapshot);
  if (slice.columns) {
    const missing = slice.columns.filter((c) => !schema.fields.some((f) => f.name === c));
    if (missing.length > 0) {
      throw new InvalidInputError(`input ${name} selects column(s) ${missing.join(", ")} that table ${uri} does not have (columns: ${schema.fields.map((f) => f.name).join(", ")})`, {
        path: uri,
        version: snapshot.version,
      });
    }
  }
  const where = slice.partitions ? partitionFilter(slice.partitions, schema, name).text : undefined;
  const options: ReadOptions = { store, snapshot, ...(slice.columns ? { columns: slice.columns } : {}), ...(where !== undefined ? { where } : {}) };
  const loadAs = context.loadAs ?? config.loadAs ?? "table";
  context.log?.(`${name}: loading version ${snapshot.version} of ${uri}${slice.columns ? ` columns ${slice.columns.join(", ")}` : ""}${where ? ` where ${where}` : ""} as ${loadAs}`);
  switch (loadAs) {
    case "table":
      return readTable(options);
    case "batches":
      return readBatches(options);
    case "rows": {
      const rows: Record<string, unknown>[] = [];
      for await (const row of readRows(options)) rows.push(row);
      return rows;
    }
    default:
      throw new InvalidInputError(`input ${name}: loadAs must be "table", "batches" or "rows", got ${JSON.stringify(loadAs)}`);
  }
}
