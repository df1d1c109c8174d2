/**
 * Creating tables: version 0 holds commitInfo, protocol and metaData (UUID id, parquet format,
 * schemaString, partition columns, configuration, createdTime); the protocol is the lowest that
 * supports the schema and properties; column mapping gets ids and physical names; refused
 * features write nothing; tableExists tells the API layer what `mode` needs to know.
 */
import { describe, expect, it } from "vitest";
import { ProtocolError, UnsupportedFeatureError } from "../../src/core/errors.js";
import type { Metadata } from "../../src/core/log/actions.js";
import { COLUMN_MAPPING_ID_KEY, COLUMN_MAPPING_PHYSICAL_NAME_KEY } from "../../src/core/schema/column-mapping.js";
import { parseSchema } from "../../src/core/schema/schema-json.js";
import type { StructType } from "../../src/core/schema/types.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { ENGINE_INFO } from "../../src/core/write/commit-info.js";
import { chooseProtocol, createTable, newTableMetadata, tableExists } from "../../src/core/write/table-create.js";
import { Transaction } from "../../src/core/write/transaction.js";
import { SCHEMA, commitLines, fakeAdd, logKeys } from "./helpers.js";

const withType = (name: string, type: StructType["fields"][number]["type"]): StructType => ({
  kind: "struct",
  fields: [...SCHEMA.fields, { name, type, nullable: true, metadata: {} }],
});

describe("createTable", () => {
  it("writes version 0: commitInfo first, then protocol (1,2) and metaData", async () => {
    const store = new MemoryStore();
    expect(await tableExists({ store })).toBe(false);
    const result = await createTable({ store, schema: SCHEMA, partitionColumns: ["part"], name: "events", description: "all events", configuration: { "delta.appendOnly": "true" }, now: () => 1_700_000_000_000, createdTime: 1_700_000_000_000 });
    expect(result).toMatchObject({ status: "committed", version: 0, attempts: 1 });
    expect(await tableExists({ store })).toBe(true);
    const [info, protocol, metaData, ...rest] = await commitLines(store, 0);
    expect(rest).toEqual([]);
    expect(info?.commitInfo).toMatchObject({
      timestamp: 1_700_000_000_000,
      operation: "CREATE TABLE",
      operationParameters: { isManaged: "false", description: "all events", partitionBy: '["part"]', properties: '{"delta.appendOnly":"true"}' },
      isBlindAppend: true,
      engineInfo: ENGINE_INFO,
      txnId: result.txnId,
    });
    expect(info?.commitInfo).not.toHaveProperty("readVersion");
    expect(protocol).toEqual({ protocol: { minReaderVersion: 1, minWriterVersion: 2 } });
    const m = metaData?.metaData as unknown as Metadata;
    expect(m.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(m).toMatchObject({ name: "events", description: "all events", format: { provider: "parquet", options: {} }, partitionColumns: ["part"], configuration: { "delta.appendOnly": "true" }, createdTime: 1_700_000_000_000 });
    expect(parseSchema(m.schemaString)).toEqual(SCHEMA);
    const snapshot = await loadSnapshot({ store });
    expect(snapshot.version).toBe(0);
    expect(snapshot.numFiles).toBe(0);
  });

  it("commits data files with the create (CREATE TABLE AS SELECT)", async () => {
    const store = new MemoryStore();
    await createTable({ store, schema: SCHEMA, adds: [fakeAdd("a.parquet"), fakeAdd("b.parquet")] });
    expect((await commitLines(store, 0))[0]?.commitInfo?.operation).toBe("CREATE TABLE AS SELECT");
    expect((await loadSnapshot({ store })).files().map((f) => f.path)).toEqual(["a.parquet", "b.parquet"]);
  });

  it("refuses features it cannot honour, writing nothing", async () => {
    const store = new MemoryStore();
    const err = await createTable({ store, schema: SCHEMA, configuration: { "delta.enableRowTracking": "true" } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedFeatureError);
    expect((err as UnsupportedFeatureError).feature).toBe("rowTracking");
    const bad = await createTable({ store, schema: SCHEMA, protocol: { minReaderVersion: 3, minWriterVersion: 5 } }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ProtocolError);
    const constrained = await createTable({ store, schema: SCHEMA, configuration: { "delta.constraints.c": "id > 0" }, adds: [fakeAdd("x")] }).catch((e: unknown) => e);
    expect((constrained as UnsupportedFeatureError).feature).toBe("checkConstraints");
    expect(await logKeys(store)).toEqual([]);
  });

  it("assigns column mapping ids, physical names and maxColumnId", async () => {
    const store = new MemoryStore();
    const nested: StructType = withType("s", { kind: "struct", fields: [{ name: "x", type: { kind: "primitive", name: "integer" }, nullable: true, metadata: {} }] });
    await createTable({ store, schema: nested, partitionColumns: ["part"], configuration: { "delta.columnMapping.mode": "name" } });
    const snapshot = await loadSnapshot({ store });
    expect(snapshot.protocol).toEqual({ minReaderVersion: 2, minWriterVersion: 5 });
    const schema = parseSchema(snapshot.metadata.schemaString);
    const ids = [...schema.fields.map((f) => f.metadata[COLUMN_MAPPING_ID_KEY])];
    expect(ids).toEqual([1, 2, 3, 4]);
    const inner = schema.fields[3]!.type as StructType;
    expect(inner.fields[0]!.metadata[COLUMN_MAPPING_ID_KEY]).toBe(5);
    expect(String(schema.fields[0]!.metadata[COLUMN_MAPPING_PHYSICAL_NAME_KEY])).toMatch(/^col-[0-9a-f-]{36}$/);
    expect(snapshot.properties["delta.columnMapping.maxColumnId"]).toBe("5");
    // Adds must key partition values by the physical name.
    const physical = String(schema.fields[2]!.metadata[COLUMN_MAPPING_PHYSICAL_NAME_KEY]);
    const byLogical = await new Transaction({ store, snapshot, operation: "WRITE" }).addFiles([fakeAdd("a", { part: "p" })]).commit().catch((e: unknown) => e);
    expect((byLogical as Error).message).toMatch(/partitionValues must have exactly the keys/);
    const ok = await new Transaction({ store, snapshot, operation: "WRITE" }).addFiles([{ ...fakeAdd("a"), partitionValues: { [physical]: "p" } }]).commit();
    expect(ok.status).toBe("committed");
  });
});

describe("chooseProtocol", () => {
  const meta = (schema: StructType, configuration: Record<string, string> = {}) => newTableMetadata({ schema, configuration });
  it("uses legacy versions while they suffice", () => {
    expect(chooseProtocol({ metadata: meta(SCHEMA) })).toEqual({ minReaderVersion: 1, minWriterVersion: 2 });
    expect(chooseProtocol({ metadata: meta(SCHEMA, { "delta.enableChangeDataFeed": "true" }) })).toEqual({ minReaderVersion: 1, minWriterVersion: 4 });
    expect(chooseProtocol({ metadata: meta(SCHEMA, { "delta.columnMapping.mode": "id" }) })).toEqual({ minReaderVersion: 2, minWriterVersion: 5 });
  });

  it("switches to table features for features only they express, listing every feature in use", () => {
    expect(chooseProtocol({ metadata: meta(withType("t", { kind: "primitive", name: "timestamp_ntz" })) })).toEqual({
      minReaderVersion: 3,
      minWriterVersion: 7,
      readerFeatures: ["timestampNtz"],
      writerFeatures: ["timestampNtz"],
    });
    expect(chooseProtocol({ metadata: meta(SCHEMA, { "delta.enableInCommitTimestamps": "true", "delta.appendOnly": "true" }) })).toEqual({
      minReaderVersion: 1,
      minWriterVersion: 7,
      writerFeatures: ["appendOnly", "inCommitTimestamp"],
    });
    expect(chooseProtocol({ metadata: meta(withType("v", { kind: "primitive", name: "variant" }), { "delta.enableDeletionVectors": "true", "delta.enableChangeDataFeed": "true" }) })).toEqual({
      minReaderVersion: 3,
      minWriterVersion: 7,
      readerFeatures: ["deletionVectors", "variantType"],
      writerFeatures: ["changeDataFeed", "deletionVectors", "variantType"],
    });
    expect(chooseProtocol({ metadata: meta(SCHEMA), hasDomainMetadata: true })).toEqual({ minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ["domainMetadata"] });
  });

  it("creates tables our reader opens, with domain metadata and v2 checkpoint policy", async () => {
    const store = new MemoryStore();
    await createTable({ store, schema: SCHEMA, configuration: { "delta.checkpointPolicy": "v2" }, domainMetadata: [{ domain: "com.example", configuration: "{}" }] });
    const snapshot = await loadSnapshot({ store });
    expect(snapshot.protocol).toEqual({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ["v2Checkpoint"], writerFeatures: ["domainMetadata", "v2Checkpoint"] });
    expect([...snapshot.domainMetadata().keys()]).toEqual(["com.example"]);
  });
});
