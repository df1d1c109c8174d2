/**
 * selectLogStore: which strategy each store and configuration gets (delta-rs's order: copy header,
 * then DynamoDB, then conditional put, then the unsafe-rename opt-out, else a refusal that says how
 * to configure a safe strategy), the DynamoDB tablePath, and that writes are refused before any
 * data file is written. No network: stores are only constructed.
 */
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/core/errors.js";
import { CopyIfAbsentLogStore } from "../../src/core/logstore/copy-if-absent.js";
import { DynamoDbLogStore } from "../../src/core/logstore/dynamodb.js";
import { RefusingLogStore } from "../../src/core/logstore/refusing.js";
import { dynamoTablePath, repairIncomplete, selectLogStore } from "../../src/core/logstore/select.js";
import { UnsafeRenameLogStore } from "../../src/core/logstore/unsafe-rename.js";
import { DynamoDbClient } from "../../src/core/storage/dynamodb.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import type { ObjectStore } from "../../src/core/storage/object-store.js";
import { storeFromUrl } from "../../src/core/storage/url.js";
import { writeTable } from "../../src/core/write/write-table.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { RACE_SCHEMA, logKeys } from "./race.js";

const AWS = { AWS_ACCESS_KEY_ID: "k", AWS_SECRET_ACCESS_KEY: "s", AWS_REGION: "eu-west-1" };
const s3 = (options: Record<string, string> = {}, url = "s3://bucket/path/to/table"): ObjectStore => storeFromUrl({ url, options: { ...AWS, ...options } });
const nameOf = (store: ObjectStore): string => selectLogStore({ store }).name;

describe("selectLogStore", () => {
  it("gives every store with a create-only put the put-if-absent strategy", () => {
    expect(nameOf(new MemoryStore())).toBe("put-if-absent");
    expect(nameOf(new LocalStore({ root: "/tmp/x" }))).toBe("put-if-absent");
    expect(nameOf(storeFromUrl({ url: "az://c/t", options: { AZURE_STORAGE_USE_EMULATOR: "true" } }))).toBe("put-if-absent");
    expect(nameOf(storeFromUrl({ url: "gs://b/t", options: { GOOGLE_HMAC_ACCESS_ID: "a", GOOGLE_HMAC_SECRET: "b" } }))).toBe("put-if-absent");
    expect(nameOf(s3())).toBe("put-if-absent");
    expect(nameOf(s3({ AWS_CONDITIONAL_PUT: "etag" }))).toBe("put-if-absent");
  });

  it("uses a copy header when AWS_COPY_IF_NOT_EXISTS is set (R2)", () => {
    const r2 = selectLogStore({ store: s3({ AWS_COPY_IF_NOT_EXISTS: "header: cf-copy-destination-if-none-match: *" }) });
    expect(r2).toBeInstanceOf(CopyIfAbsentLogStore);
    expect((r2 as CopyIfAbsentLogStore).condition).toEqual({ header: "cf-copy-destination-if-none-match", value: "*" });
    const status = selectLogStore({ store: s3({ copy_if_not_exists: "header-with-status: x-copy-if: none: 409" }) }) as CopyIfAbsentLogStore;
    expect(status.condition).toEqual({ header: "x-copy-if", value: "none", status: 409 });
  });

  it("uses the DynamoDB lock for AWS_S3_LOCKING_PROVIDER=dynamodb, with delta-rs's defaults", () => {
    const store = s3({ AWS_S3_LOCKING_PROVIDER: "dynamodb", AWS_ENDPOINT_URL: "http://127.0.0.1:9", AWS_ALLOW_HTTP: "true" });
    const logStore = selectLogStore({ store }) as DynamoDbLogStore;
    expect(logStore).toBeInstanceOf(DynamoDbLogStore);
    expect(logStore.lockTable.tableName).toBe("delta_log");
    expect(logStore.lockTable.tablePath).toBe("s3://bucket/path/to/table");
    expect(logStore.lockTable.client.endpoint).toBe("http://127.0.0.1:9"); // S3's endpoint, http allowed like S3's
    expect(logStore.lockTable.client.region).toBe("eu-west-1");
    const custom = selectLogStore({
      store: s3({ AWS_S3_LOCKING_PROVIDER: "dynamodb", DELTA_DYNAMO_TABLE_NAME: "locks", AWS_ENDPOINT_URL_DYNAMODB: "https://ddb.example", AWS_REGION_DYNAMODB: "us-west-2" }),
    }) as DynamoDbLogStore;
    expect([custom.lockTable.tableName, custom.lockTable.client.endpoint, custom.lockTable.client.region]).toEqual(["locks", "https://ddb.example", "us-west-2"]);
  });

  it("follows delta-rs's precedence: copy header, then DynamoDB, then conditional put", () => {
    const all = { AWS_COPY_IF_NOT_EXISTS: "header: cf-copy-destination-if-none-match: *", AWS_S3_LOCKING_PROVIDER: "dynamodb", AWS_CONDITIONAL_PUT: "etag" };
    expect(nameOf(s3(all))).toBe("copy-if-absent");
    expect(nameOf(s3({ AWS_S3_LOCKING_PROVIDER: "dynamodb", AWS_CONDITIONAL_PUT: "etag" }))).toBe("dynamodb");
    // A safe strategy wins over the unsafe opt-out.
    expect(nameOf(s3({ AWS_S3_ALLOW_UNSAFE_RENAME: "true" }))).toBe("put-if-absent");
    expect(nameOf(s3({ AWS_S3_ALLOW_UNSAFE_RENAME: "true", AWS_CONDITIONAL_PUT: "disabled" }))).toBe("unsafe-rename");
  });

  it("refuses to commit when no safe strategy is configured, saying how to configure one", async () => {
    const logStore = selectLogStore({ store: s3({ AWS_CONDITIONAL_PUT: "disabled" }) });
    expect(logStore).toBeInstanceOf(RefusingLogStore);
    const err = await logStore.writeCommit({ version: 3, body: "x" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    const message = (err as Error).message;
    for (const setting of ["AWS_CONDITIONAL_PUT=etag", "AWS_COPY_IF_NOT_EXISTS", "AWS_S3_LOCKING_PROVIDER=dynamodb", "AWS_S3_ALLOW_UNSAFE_RENAME=true"]) {
      expect(message).toContain(setting);
    }
    expect(message).toContain("s3://bucket/path/to/table");
    expect((err as InvalidInputError).version).toBe(3);
    expect(() => logStore.checkCanCommit?.()).toThrow(InvalidInputError);
    expect(nameOf(s3({ AWS_COPY_IF_NOT_EXISTS: "multipart" }))).toBe("refused");
  });

  it("refuses before writing any data file", async () => {
    const store = new MemoryStore();
    const logStore = selectLogStore({ store, commit: { conditionalPut: "disabled" } });
    await expect(writeTable({ store, data: [{ id: 1, writer: 0 }], schema: RACE_SCHEMA, logStore })).rejects.toThrow(/refusing to write/);
    expect(await logKeys(store)).toEqual([]);
    const all: string[] = [];
    for await (const m of store.list("")) all.push(m.key);
    expect(all).toEqual([]);
  });

  it("never builds an unsafe-rename store unless it is explicitly allowed", () => {
    expect(() => new UnsafeRenameLogStore({ store: new MemoryStore(), allowUnsafeRename: false })).toThrow(/AWS_S3_ALLOW_UNSAFE_RENAME=true/);
    expect(selectLogStore({ store: new MemoryStore(), commit: { allowUnsafeRename: true, conditionalPut: "disabled" } })).toBeInstanceOf(UnsafeRenameLogStore);
  });

  it("takes explicit settings over the store's, for wrapped stores and for string options", () => {
    const store = s3();
    expect(selectLogStore({ store, options: { AWS_CONDITIONAL_PUT: "disabled", AWS_S3_ALLOW_UNSAFE_RENAME: "true" } }).name).toBe("unsafe-rename");
    expect(selectLogStore({ store, env: { AWS_COPY_IF_NOT_EXISTS: "header: If-None-Match: *", HOME: "/x" } }).name).toBe("copy-if-absent");
    expect(selectLogStore({ store: new MemoryStore(), commit: { copyIfNotExists: { kind: "header", header: "h", value: "*" } } }).name).toBe("refused");
    // Environment settings of S3 do not apply to other backends.
    expect(selectLogStore({ store: new MemoryStore(), env: { AWS_CONDITIONAL_PUT: "disabled" } }).name).toBe("put-if-absent");
  });

  it("refuses the DynamoDB lock without credentials, and plain http DynamoDB unless allowed", () => {
    const anonymous = storeFromUrl({ url: "s3://bucket/t", options: { AWS_SKIP_SIGNATURE: "true", AWS_S3_LOCKING_PROVIDER: "dynamodb" } });
    expect(selectLogStore({ store: anonymous }).name).toBe("refused");
    expect(() => new DynamoDbClient({ endpoint: "http://127.0.0.1:1", accessKeyId: "a", secretAccessKey: "b" })).toThrow(/AWS_ALLOW_HTTP/);
    expect(() => selectLogStore({ store: s3({ AWS_S3_LOCKING_PROVIDER: "dynamodb", AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:1" }) })).toThrow(/AWS_ALLOW_HTTP/);
  });

  it("repairIncomplete is free for strategies without a lock table", async () => {
    expect(await repairIncomplete({ store: new MemoryStore() })).toBeUndefined();
    expect(await repairIncomplete({ store: s3() })).toBeUndefined();
  });
});

describe("dynamoTablePath", () => {
  it("is the table URI delta-rs uses: no trailing slash, path percent-encoded like a URL", () => {
    expect(dynamoTablePath(s3())).toBe("s3://bucket/path/to/table");
    expect(dynamoTablePath(s3({}, "s3://bucket/table/"))).toBe("s3://bucket/table");
    expect(dynamoTablePath(s3({}, "s3://bucket"))).toBe("s3://bucket");
    expect(dynamoTablePath(s3({}, "s3a://bucket/t"))).toBe("s3://bucket/t"); // pass tableUri to keep s3a
    expect(dynamoTablePath(s3(), "s3a://bucket/t/")).toBe("s3a://bucket/t");
    const odd = storeFromUrl({ url: "s3://bucket/my%20table/é=1", options: AWS });
    expect(dynamoTablePath(odd)).toBe(new URL("s3://bucket/my table/é=1").href);
  });
});
