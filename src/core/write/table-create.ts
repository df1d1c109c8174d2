/**
 * Creating a table: version 0 holds the protocol and the metaData (a random UUID id, format
 * parquet, schemaString, partitionColumns, configuration, createdTime), optionally with the first
 * data files in the same commit. The protocol is the lowest that supports what the schema and
 * properties need: legacy versions ((1,2) by default, up to (2,6)) when they suffice, else
 * reader 3 / writer 7 with exactly the features in use. Column mapping (name or id mode) gets its
 * ids, physical names and `delta.columnMapping.maxColumnId` assigned here. The create-vs-exists
 * `mode` policy belongs to the caller: {@link tableExists} answers the question, and a create that
 * loses the race for version 0 fails with CommitConflictError.
 */
import { InvalidInputError, NotFoundError } from "../errors.js";
import type { AddFile, Metadata, Protocol } from "../log/actions.js";
import { listLogFiles } from "../log/listing.js";
import { LAST_CHECKPOINT_KEY, commitKey } from "../log/path.js";
import {
  COLUMN_MAPPING_ID_KEY,
  COLUMN_MAPPING_PHYSICAL_NAME_KEY,
  columnId,
  columnMappingMode,
} from "../schema/column-mapping.js";
import { parseSchema, serializeSchema } from "../schema/schema-json.js";
import type { DataType, StructField, StructType } from "../schema/types.js";
import type { ObjectStore } from "../storage/object-store.js";
import { activeSchemaFeatures } from "./protocol-writer.js";
import { Transaction, type CommitResult, type TransactionOptions } from "./transaction.js";

/** Options of {@link newTableMetadata}. */
export interface NewTableMetadataOptions {
  /** The schema: a StructType or a schemaString. */
  schema: StructType | string;
  partitionColumns?: readonly string[] | undefined;
  configuration?: Readonly<Record<string, string>> | undefined;
  name?: string | undefined;
  description?: string | undefined;
  /** createdTime (default Date.now()). */
  createdTime?: number | undefined;
}

/** The metaData of a new table (column mapping ids and physical names assigned when enabled). */
export function newTableMetadata(options: NewTableMetadataOptions): Metadata {
  let schema = typeof options.schema === "string" ? parseSchema(options.schema) : options.schema;
  const configuration: Record<string, string> = { ...(options.configuration ?? {}) };
  const mode = columnMappingMode(configuration);
  if (mode !== "none") {
    const assigned = assignColumnMapping(schema);
    schema = assigned.schema;
    configuration["delta.columnMapping.maxColumnId"] = String(assigned.maxColumnId);
  }
  const metadata: Metadata = {
    id: crypto.randomUUID(),
    format: { provider: "parquet", options: {} },
    schemaString: serializeSchema(schema),
    partitionColumns: [...(options.partitionColumns ?? [])],
    configuration,
    createdTime: options.createdTime ?? Date.now(),
  };
  if (options.name !== undefined) metadata.name = options.name;
  if (options.description !== undefined) metadata.description = options.description;
  return metadata;
}

/** Reader-and-writer features, and the legacy versions that imply a feature. */
const READER_WRITER = new Set(["columnMapping", "deletionVectors", "timestampNtz", "v2Checkpoint", "typeWidening", "variantType", "vacuumProtocolCheck"]);
const LEGACY_LEVEL: ReadonlyMap<string, [number, number]> = new Map([
  ["appendOnly", [1, 2]],
  ["invariants", [1, 2]],
  ["checkConstraints", [1, 3]],
  ["changeDataFeed", [1, 4]],
  ["generatedColumns", [1, 4]],
  ["columnMapping", [2, 5]],
  ["identityColumns", [1, 6]],
]);

/** Options of {@link chooseProtocol}. */
export interface ChooseProtocolOptions {
  metadata: Metadata;
  /** The create writes domain metadata. */
  hasDomainMetadata?: boolean | undefined;
}

/** The lowest protocol supporting what a new table's metadata needs. */
export function chooseProtocol({ metadata, hasDomainMetadata }: ChooseProtocolOptions): Protocol {
  const config = metadata.configuration ?? {};
  const features = new Set<string>(activeSchemaFeatures(metadata));
  const on = (key: string) => config[key] === "true";
  if (on("delta.appendOnly")) features.add("appendOnly");
  if (on("delta.enableChangeDataFeed")) features.add("changeDataFeed");
  if (columnMappingMode(config) !== "none") features.add("columnMapping");
  if (on("delta.enableDeletionVectors")) features.add("deletionVectors");
  if (on("delta.enableInCommitTimestamps")) features.add("inCommitTimestamp");
  if (on("delta.enableTypeWidening")) features.add("typeWidening");
  if (on("delta.enableRowTracking")) features.add("rowTracking").add("domainMetadata");
  if (config["delta.checkpointPolicy"] === "v2") features.add("v2Checkpoint");
  if (hasDomainMetadata) features.add("domainMetadata");
  const types = primitiveNames(parseSchema(metadata.schemaString));
  if (types.has("timestamp_ntz")) features.add("timestampNtz");
  if (types.has("variant")) features.add("variantType");
  if ([...features].every((f) => LEGACY_LEVEL.has(f))) {
    let reader = 1;
    let writer = 2;
    for (const f of features) {
      const [r, w] = LEGACY_LEVEL.get(f) as [number, number];
      reader = Math.max(reader, r);
      writer = Math.max(writer, w);
    }
    return { minReaderVersion: reader, minWriterVersion: writer };
  }
  const writerFeatures = [...features].sort();
  const readerFeatures = writerFeatures.filter((f) => READER_WRITER.has(f));
  if (readerFeatures.length === 0) return { minReaderVersion: 1, minWriterVersion: 7, writerFeatures };
  return { minReaderVersion: 3, minWriterVersion: 7, readerFeatures, writerFeatures };
}

/** Options of {@link createTableTransaction} and {@link createTable}. */
export interface CreateTableOptions extends NewTableMetadataOptions, Omit<TransactionOptions, "snapshot" | "operation"> {
  /** An explicit protocol (validated); default {@link chooseProtocol}. */
  protocol?: Protocol | undefined;
  /** User domain metadata to write at creation. */
  domainMetadata?: readonly { domain: string; configuration: string }[] | undefined;
  /** Data files committed with the create (CREATE TABLE AS SELECT). */
  adds?: readonly AddFile[] | undefined;
  /** commitInfo.operation (default "CREATE TABLE", or "CREATE TABLE AS SELECT" with adds). */
  operation?: string | undefined;
}

/** A transaction that creates the table at version 0; stage more actions, then commit. */
export function createTableTransaction(options: CreateTableOptions): Transaction {
  const metadata = newTableMetadata(options);
  const hasDomainMetadata = (options.domainMetadata?.length ?? 0) > 0;
  const protocol = options.protocol ?? chooseProtocol({ metadata, hasDomainMetadata });
  const adds = options.adds ?? [];
  const txn = new Transaction({
    ...options,
    snapshot: undefined,
    operation: options.operation ?? (adds.length > 0 ? "CREATE TABLE AS SELECT" : "CREATE TABLE"),
    operationParameters: options.operationParameters ?? {
      isManaged: "false",
      description: options.description,
      partitionBy: JSON.stringify(metadata.partitionColumns),
      properties: JSON.stringify(metadata.configuration),
    },
  });
  txn.setProtocol(protocol).setMetadata(metadata).addFiles(adds);
  for (const d of options.domainMetadata ?? []) txn.setDomainMetadata(d);
  return txn;
}

/** Creates the table (version 0). @throws CommitConflictError when version 0 already exists. */
export async function createTable(options: CreateTableOptions): Promise<CommitResult> {
  return createTableTransaction(options).commit();
}

/** Options of {@link tableExists}. */
export interface TableExistsOptions {
  store: ObjectStore;
}

/** Whether a Delta table exists at the store root (any commit or checkpoint in `_delta_log/`). */
export async function tableExists({ store }: TableExistsOptions): Promise<boolean> {
  if (store.listable) return (await listLogFiles(store, 0)).some((f) => f.info.kind === "commit" || f.info.kind === "checkpoint");
  for (const key of [commitKey(0), LAST_CHECKPOINT_KEY]) {
    try {
      await store.head(key);
      return true;
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }
  return false;
}

/** Assigns column ids and physical names to every field lacking them; returns the max id. */
export function assignColumnMapping(schema: StructType): { schema: StructType; maxColumnId: number } {
  let maxId = 0;
  const seen = (t: DataType): void => {
    if (t.kind === "struct") {
      for (const f of t.fields) {
        maxId = Math.max(maxId, columnId(f) ?? 0);
        seen(f.type);
      }
    } else if (t.kind === "array") seen(t.elementType);
    else if (t.kind === "map") {
      seen(t.keyType);
      seen(t.valueType);
    }
  };
  seen(schema);
  const mapType = (t: DataType): DataType => {
    if (t.kind === "struct") return mapStruct(t);
    if (t.kind === "array") return { ...t, elementType: mapType(t.elementType) };
    if (t.kind === "map") return { ...t, keyType: mapType(t.keyType), valueType: mapType(t.valueType) };
    return t;
  };
  const mapStruct = (s: StructType): StructType => ({
    kind: "struct",
    fields: s.fields.map((f): StructField => {
      const metadata = { ...f.metadata };
      if (columnId(f) === undefined) metadata[COLUMN_MAPPING_ID_KEY] = ++maxId;
      const name = metadata[COLUMN_MAPPING_PHYSICAL_NAME_KEY];
      if (typeof name !== "string" || name === "") metadata[COLUMN_MAPPING_PHYSICAL_NAME_KEY] = `col-${crypto.randomUUID()}`;
      return { ...f, type: mapType(f.type), metadata };
    }),
  });
  const out = mapStruct(schema);
  if (out.fields.length === 0) throw new InvalidInputError("a table needs at least one column");
  return { schema: out, maxColumnId: maxId };
}

function primitiveNames(schema: StructType): Set<string> {
  const out = new Set<string>();
  const visit = (t: DataType): void => {
    if (t.kind === "primitive") out.add(t.name);
    else if (t.kind === "struct") for (const f of t.fields) visit(f.type);
    else if (t.kind === "array") visit(t.elementType);
    else {
      visit(t.keyType);
      visit(t.valueType);
    }
  };
  visit(schema);
  return out;
}
