/**
 * S3Store against moto_server: the shared conformance suite (50-key ListObjectsV2 pages, so the
 * 1500-key listings follow ~30 continuation tokens each; the 50-way If-None-Match race; awkward
 * keys) and a 3-key-page test of every start-after position, plus S3 specifics: multipart
 * uploads, copy/copyIfAbsent/rename, prefixes, errors. (moto scans the whole bucket per listing
 * call, so 7-key pages over 1500 keys would take most of a minute.)
 */
import { describe, expect, it } from "vitest";
import { AlreadyExistsError, NotFoundError } from "../../src/core/errors.js";
import { S3Store, type S3StoreOptions } from "../../src/core/storage/s3.js";
import { MOTO_CREDENTIALS, motoForFile } from "../helpers/servers/moto.js";
import { listAll, putAll, smallPagesTest, storeConformance } from "./conformance.js";
import { ODD_KEYS, bodyOf, counting } from "./conformance-data.js";

const { availability, bucket, server: moto } = motoForFile("s3-test");
let stores = 0;


function s3(options: Partial<S3StoreOptions> = {}): S3Store {
  return new S3Store({
    bucket,
    endpoint: moto().endpoint,
    ...MOTO_CREDENTIALS,
    ...options,
    client: { allowHttp: true, retryInitialBackoffMs: 5, ...options.client },
  });
}

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe.skipIf(!availability.available)("S3Store (moto)", () => {
  storeConformance("S3Store", async (seed) => {
    // A bucket per store keeps moto's listings (which scan the whole bucket) cheap.
    const own = `${bucket}-c${++stores}`;
    await moto().createBucket(own);
    const store = s3({ bucket: own, prefix: `conformance/t${stores}`, client: { listPageSize: 50 } });
    await putAll(store, seed);
    return store;
  });

  smallPagesTest(() => s3({ prefix: "pages", client: { listPageSize: 3 } }));

  it("uploads large bodies in parts and reads them back exactly", async () => {
    const store = s3({ prefix: "multipart", multipartThresholdBytes: 6 * 1024 * 1024, multipartPartSizeBytes: 5 * 1024 * 1024 });
    const big = Uint8Array.from({ length: 11 * 1024 * 1024 + 123 }, (_, i) => (i * 31) % 256);
    await store.put("data/part-0.parquet", big);
    expect((await store.head("data/part-0.parquet")).size).toBe(big.byteLength);
    const back = await store.get("data/part-0.parquet");
    expect(Buffer.compare(Buffer.from(back), Buffer.from(big))).toBe(0);
    expect([...(await store.get("data/part-0.parquet", { range: { suffix: 4 } }))]).toEqual([...big.subarray(-4)]);
  });

  it("copies, copies-if-absent and renames (copy + delete)", async () => {
    const store = s3({ prefix: "copy" });
    await store.put("_delta_log/.tmp/a b+c.json", "commit");
    await store.copyIfAbsent("_delta_log/.tmp/a b+c.json", "_delta_log/00000000000000000000.json");
    expect(text(await store.get("_delta_log/00000000000000000000.json"))).toBe("commit");
    await store.copy("_delta_log/.tmp/a b+c.json", "copied é.json");
    expect(text(await store.get("copied é.json"))).toBe("commit");
    await store.rename("copied é.json", "renamed=1.json");
    await expect(store.head("copied é.json")).rejects.toBeInstanceOf(NotFoundError);
    expect(text(await store.get("renamed=1.json"))).toBe("commit");
    await expect(store.copy("missing.json", "x.json")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("roots stores at prefixes and lists keys relative to them", async () => {
    const a = s3({ prefix: "iso/a" });
    const ab = s3({ prefix: "/iso/a-b/" });
    await a.put("x", "1");
    await ab.put("x", "2");
    expect((await listAll(a, "")).map((m) => m.key)).toEqual(["x"]);
    expect(ab.root).toBe(`s3://${bucket}/iso/a-b`);
    const whole = s3();
    expect((await listAll(whole, "iso/")).map((m) => m.key)).toEqual(["iso/a-b/x", "iso/a/x"]);
  });

  it("round-trips awkward keys in the prefix itself", async () => {
    const store = s3({ prefix: "odd prefix/é=1+2%" });
    for (const key of ODD_KEYS.slice(0, 6)) await store.put(key, bodyOf(key));
    expect((await listAll(store, "odd/")).length).toBe(6);
    await store.putIfAbsent("c.bin", counting(3));
    await expect(store.putIfAbsent("c.bin", counting(3))).rejects.toBeInstanceOf(AlreadyExistsError);
  });

  it("has DynamoDB on the same endpoint (for the LogStore layer)", async () => {
    const server = moto();
    const res = await server.client(MOTO_CREDENTIALS, "dynamodb").fetch(`${server.endpoint}/`, {
      method: "POST",
      headers: { "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810.ListTables" },
      body: "{}",
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveProperty("TableNames");
  });

  it("reports a missing bucket as NotFound naming the key", async () => {
    const store = s3({ bucket: "no-such-bucket-here" });
    await expect(store.get("k")).rejects.toThrow(/s3:\/\/no-such-bucket-here\/k/);
    await expect(listAll(store, "")).rejects.toBeInstanceOf(NotFoundError);
  });
});
