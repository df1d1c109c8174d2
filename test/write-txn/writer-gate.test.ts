/**
 * The writer protocol gate and the table rules around it: features delta-edge honours, features it
 * refuses (the error names the feature and the log stays unchanged), row-constraint features that
 * only block new rows while active, append-only tables, removes of deletion-vector files, and
 * reconcile-key validation of the staged actions.
 */
import { describe, expect, it } from "vitest";
import { InvalidInputError, ProtocolError, UnsupportedFeatureError } from "../../src/core/errors.js";
import type { Metadata, Protocol } from "../../src/core/log/actions.js";
import { serializeSchema } from "../../src/core/schema/schema-json.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { checkWritable, validateNewProtocol, writerFeaturesOf } from "../../src/core/write/protocol-writer.js";
import { Transaction, type TransactionOptions } from "../../src/core/write/transaction.js";
import { SCHEMA, fakeAdd, logKeys } from "./helpers.js";

const METADATA: Metadata = {
  id: "00000000-0000-0000-0000-000000000001",
  format: { provider: "parquet", options: {} },
  schemaString: serializeSchema(SCHEMA),
  partitionColumns: [],
  configuration: {},
  createdTime: 0,
};

/** A table written by "another engine": version 0 with the given protocol and metadata, one file. */
async function foreignTable(protocol: Protocol, metadata: Partial<Metadata> = {}, extraLines: object[] = []): Promise<MemoryStore> {
  const store = new MemoryStore();
  const lines = [{ protocol }, { metaData: { ...METADATA, ...metadata } }, { add: fakeAdd("f1.parquet") }, ...extraLines];
  await store.put("_delta_log/00000000000000000000.json", lines.map((l) => JSON.stringify(l)).join("\n"));
  return store;
}

async function tryWrite(store: MemoryStore, stage: (t: Transaction) => void, options: Partial<TransactionOptions> = {}): Promise<unknown> {
  const snapshot = await loadSnapshot({ store });
  const t = new Transaction({ store, snapshot, operation: "WRITE", ...options });
  stage(t);
  return t.commit().catch((e: unknown) => e);
}

const append = (t: Transaction) => t.addFiles([fakeAdd("new.parquet")]);

describe("refused writer features", () => {
  const refused: [string, Protocol, Partial<Metadata>][] = [
    ["rowTracking", { minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ["domainMetadata", "rowTracking"] }, {}],
    ["clustering", { minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ["domainMetadata", "clustering"] }, {}],
    ["icebergCompatV2", { minReaderVersion: 2, minWriterVersion: 7, writerFeatures: ["columnMapping", "icebergCompatV2"] }, { configuration: { "delta.enableIcebergCompatV2": "true" } }],
    ["someFutureFeature", { minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ["someFutureFeature"] }, {}],
    ["writerVersion8", { minReaderVersion: 1, minWriterVersion: 8 }, {}],
    ["checkConstraints", { minReaderVersion: 1, minWriterVersion: 3 }, { configuration: { "delta.constraints.positive": "id > 0" } }],
    ["generatedColumns", { minReaderVersion: 1, minWriterVersion: 4 }, { schemaString: serializeSchema({ kind: "struct", fields: [{ ...SCHEMA.fields[0]!, metadata: { "delta.generationExpression": "1" } }] }) }],
    ["invariants", { minReaderVersion: 1, minWriterVersion: 2 }, { schemaString: serializeSchema({ kind: "struct", fields: [{ ...SCHEMA.fields[0]!, metadata: { "delta.invariants": '{"expression":{"expression":"id > 0"}}' } }] }) }],
    ["identityColumns", { minReaderVersion: 1, minWriterVersion: 6 }, { schemaString: serializeSchema({ kind: "struct", fields: [{ ...SCHEMA.fields[0]!, metadata: { "delta.identity.start": 1, "delta.identity.step": 1 } }] }) }],
    ["catalogManaged", { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ["catalogManaged"], writerFeatures: ["catalogManaged"] }, {}],
  ];
  for (const [feature, protocol, metadata] of refused) {
    it(`refuses to append to a table with ${feature}, leaving the log unchanged`, async () => {
      const store = await foreignTable(protocol, metadata);
      const before = await logKeys(store);
      const snapshot = await loadSnapshot({ store, skipProtocolCheck: true });
      const err = await new Transaction({ store, snapshot, operation: "WRITE" }).addFiles([fakeAdd("n.parquet")]).commit().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnsupportedFeatureError);
      expect((err as UnsupportedFeatureError).feature).toBe(feature);
      expect(await logKeys(store)).toEqual(before);
    });
  }

  it("row-constraint features allow commits that add no rows, and rows the caller validated", async () => {
    const store = await foreignTable({ minReaderVersion: 1, minWriterVersion: 3 }, { configuration: { "delta.constraints.positive": "id > 0" } });
    const s = await loadSnapshot({ store });
    expect(await tryWrite(store, (t) => t.removeFile(s.files()[0]!))).toMatchObject({ status: "committed" });
    expect(await tryWrite(store, append, { validated: ["checkConstraints"] })).toMatchObject({ status: "committed" });
  });

  it("supported-but-inactive features do not block (legacy (1,6), v7 lists)", async () => {
    for (const protocol of [
      { minReaderVersion: 1, minWriterVersion: 6 },
      { minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ["invariants", "checkConstraints", "generatedColumns", "identityColumns", "changeDataFeed", "icebergCompatV1", "allowColumnDefaults"] },
      { minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ["rowTracking", "domainMetadata"] },
    ]) {
      const metadata = protocol.writerFeatures?.includes("rowTracking") ? { configuration: { "delta.rowTrackingSuspended": "true" } } : {};
      const store = await foreignTable(protocol, metadata);
      expect(await tryWrite(store, append)).toMatchObject({ status: "committed", version: 1 });
    }
  });

  it("honours the supported features", async () => {
    const protocol = {
      minReaderVersion: 3,
      minWriterVersion: 7,
      readerFeatures: ["deletionVectors", "timestampNtz", "v2Checkpoint", "vacuumProtocolCheck", "typeWidening", "variantType", "columnMapping"],
      writerFeatures: ["deletionVectors", "timestampNtz", "v2Checkpoint", "vacuumProtocolCheck", "typeWidening", "variantType", "columnMapping", "appendOnly", "domainMetadata", "checkpointProtection", "inCommitTimestamp"],
    };
    const store = await foreignTable(protocol);
    expect(await tryWrite(store, append)).toMatchObject({ status: "committed", version: 1 });
  });
});

describe("change data feed", () => {
  const cdf = { minReaderVersion: 1, minWriterVersion: 4 };
  it("allows appends and whole-file removes, refuses row rewrites without cdc files", async () => {
    const store = await foreignTable(cdf, { configuration: { "delta.enableChangeDataFeed": "true" } });
    expect(await tryWrite(store, append)).toMatchObject({ status: "committed" });
    const s = await loadSnapshot({ store });
    const rewrite = (t: Transaction) => t.removeFile(s.files()[0]!).addFiles([fakeAdd("rewritten.parquet")]);
    const err = await tryWrite(store, rewrite, { rewritesRows: true });
    expect(err).toBeInstanceOf(UnsupportedFeatureError);
    expect((err as UnsupportedFeatureError).feature).toBe("changeDataFeed");
    const withCdc = (t: Transaction) => rewrite(t).addCdcFiles([{ path: "_change_data/c.parquet", partitionValues: {}, size: 5, dataChange: false }]);
    expect(await tryWrite(store, withCdc, { rewritesRows: true })).toMatchObject({ status: "committed" });
    expect(await tryWrite(store, (t) => t.removeFile(s.files()[1]!))).toMatchObject({ status: "committed" });
  });
});

describe("append-only tables", () => {
  it("refuse removes with dataChange=true, naming delta.appendOnly; allow rearrangements", async () => {
    const store = await foreignTable({ minReaderVersion: 1, minWriterVersion: 2 }, { configuration: { "delta.appendOnly": "true" } });
    const s = await loadSnapshot({ store });
    const before = await logKeys(store);
    const err = await tryWrite(store, (t) => t.removeFile(s.files()[0]!));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as Error).message).toMatch(/delta\.appendOnly/);
    expect(await logKeys(store)).toEqual(before);
    const compact = (t: Transaction) => t.removeFile(s.files()[0]!, { dataChange: false }).addFiles([fakeAdd("compacted.parquet", { dataChange: false })]);
    expect(await tryWrite(store, compact)).toMatchObject({ status: "committed" });
    expect(await tryWrite(store, append)).toMatchObject({ status: "committed" });
  });

  it("a commit that turns append-only on cannot remove data in the same commit", async () => {
    const store = await foreignTable({ minReaderVersion: 1, minWriterVersion: 2 });
    const s = await loadSnapshot({ store });
    const err = await tryWrite(store, (t) => t.setMetadata({ ...s.metadata, configuration: { "delta.appendOnly": "true" } }).removeFile(s.files()[0]!));
    expect(err).toBeInstanceOf(InvalidInputError);
  });
});

describe("deletion vectors", () => {
  const dv = { storageType: "i", pathOrInlineDv: "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L", sizeInBytes: 40, cardinality: 6 };
  const dvProtocol = { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ["deletionVectors"], writerFeatures: ["deletionVectors"] };

  it("a remove of a file with a DV carries the DV (removeFile), and one without it is refused", async () => {
    const store = await foreignTable(dvProtocol, { configuration: { "delta.enableDeletionVectors": "true" } }, [
      { add: { ...fakeAdd("dv.parquet"), deletionVector: dv } },
    ]);
    const s = await loadSnapshot({ store });
    const dvFile = s.files().find((f) => f.path === "dv.parquet")!;
    const bare = await tryWrite(store, (t) => t.removeFiles([{ path: "dv.parquet", dataChange: true, deletionTimestamp: 1 }]));
    expect(bare).toBeInstanceOf(InvalidInputError);
    expect((bare as Error).message).toMatch(/deletion vector/);
    expect(await tryWrite(store, (t) => t.removeFile(dvFile))).toMatchObject({ status: "committed" });
    expect((await loadSnapshot({ store })).files().map((f) => f.path)).toEqual(["f1.parquet"]);
  });

  it("new DVs need delta.enableDeletionVectors=true", async () => {
    const store = await foreignTable(dvProtocol);
    const err = await tryWrite(store, (t) => t.addFiles([{ ...fakeAdd("x.parquet"), deletionVector: dv }]));
    expect(err).toBeInstanceOf(InvalidInputError);
  });
});

describe("action validation", () => {
  it("refuses duplicate reconcile keys, wrong partition values and system domains", async () => {
    const store = await foreignTable({ minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ["domainMetadata"] });
    const dup = await tryWrite(store, (t) => t.addFiles([fakeAdd("same.parquet"), fakeAdd("same.parquet")]));
    expect(dup).toBeInstanceOf(InvalidInputError);
    const partitioned = await tryWrite(store, (t) => t.addFiles([fakeAdd("p.parquet", { part: "a" })]));
    expect((partitioned as Error).message).toMatch(/partitionValues must have exactly the keys \[\]/);
    const system = await tryWrite(store, (t) => t.setDomainMetadata({ domain: "delta.rowTracking", configuration: "{}" }));
    expect((system as Error).message).toMatch(/system-controlled/);
    const idChange = await tryWrite(store, (t) => t.setMetadata({ ...METADATA, id: "another" }));
    expect((idChange as Error).message).toMatch(/metaData.id cannot change/);
    expect(await logKeys(store)).toEqual(["_delta_log/00000000000000000000.json"]);
  });

  it("type changes are refused on type-widening tables; adding a column is fine", async () => {
    const protocol = { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ["typeWidening"], writerFeatures: ["typeWidening"] };
    const store = await foreignTable(protocol);
    const s = await loadSnapshot({ store });
    const widened = serializeSchema({ kind: "struct", fields: [{ ...SCHEMA.fields[0]!, type: { kind: "primitive", name: "double" } }, ...SCHEMA.fields.slice(1)] });
    const err = await tryWrite(store, (t) => t.setMetadata({ ...s.metadata, schemaString: widened }));
    expect((err as UnsupportedFeatureError).feature).toBe("typeWidening");
    const added = serializeSchema({ kind: "struct", fields: [...SCHEMA.fields, { name: "extra", type: { kind: "primitive", name: "integer" }, nullable: true, metadata: {} }] });
    expect(await tryWrite(store, (t) => t.setMetadata({ ...s.metadata, schemaString: added }))).toMatchObject({ status: "committed" });
  });
});

describe("gate helpers", () => {
  it("expands legacy writer versions", () => {
    expect([...writerFeaturesOf({ minReaderVersion: 1, minWriterVersion: 2 })].sort()).toEqual(["appendOnly", "invariants"]);
    expect(writerFeaturesOf({ minReaderVersion: 2, minWriterVersion: 5 }).has("columnMapping")).toBe(true);
    expect(writerFeaturesOf({ minReaderVersion: 1, minWriterVersion: 1 }).size).toBe(0);
  });

  it("validates protocols delta-edge writes", () => {
    expect(() => validateNewProtocol({ minReaderVersion: 3, minWriterVersion: 5 })).toThrow(ProtocolError);
    expect(() => validateNewProtocol({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ["timestampNtz"], writerFeatures: [] })).toThrow(/also be a writer feature/);
    expect(() => validateNewProtocol({ minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ["appendOnly"] })).not.toThrow();
  });

  it("checks reader features too (a writer must read the table)", () => {
    expect(() => checkWritable({ protocol: { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ["mystery"], writerFeatures: ["mystery"] }, metadata: METADATA })).toThrow(UnsupportedFeatureError);
  });
});

describe("protocol changes", () => {
  it("upgrades keep every feature; dropping one is refused", async () => {
    const store = await foreignTable({ minReaderVersion: 2, minWriterVersion: 5 });
    const before = await logKeys(store);
    const dropped = await tryWrite(store, (t) => t.setProtocol({ minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ["appendOnly", "invariants", "checkConstraints", "changeDataFeed", "generatedColumns", "columnMapping"] }));
    expect((dropped as Error).message).toMatch(/drops reader feature 'columnMapping'/);
    const droppedWriter = await tryWrite(store, (t) => t.setProtocol({ minReaderVersion: 2, minWriterVersion: 4 }));
    expect((droppedWriter as Error).message).toMatch(/drops writer feature 'columnMapping'/);
    expect(await logKeys(store)).toEqual(before);
    const upgrade = { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ["columnMapping", "timestampNtz"], writerFeatures: ["appendOnly", "invariants", "checkConstraints", "changeDataFeed", "generatedColumns", "columnMapping", "timestampNtz"] };
    expect(await tryWrite(store, (t) => t.setProtocol(upgrade))).toMatchObject({ status: "committed" });
  });
});
