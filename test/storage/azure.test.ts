/**
 * AzureStore against Azurite: the shared conformance suite (50-blob List Blobs pages, so the
 * 1500-key listings follow ~30 markers each; the 50-way If-None-Match race; awkward keys — and
 * UTF-8 order, which Azurite itself does not keep) and a 3-blob-page test of every start-after
 * position, plus Azure specifics: block uploads (also create-only), container creation, prefixes,
 * auth failures. SharedKey, SAS and bearer request shapes are in azure-config.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AlreadyExistsError, NotFoundError, StorageError } from "../../src/core/errors.js";
import { AzureStore, type AzureStoreOptions } from "../../src/core/storage/azure.js";
import { azuriteAvailability, startAzurite, type AzuriteServer } from "../helpers/servers/azurite.js";
import { listAll, putAll, smallPagesTest, storeConformance } from "./conformance.js";
import { counting } from "./conformance-data.js";

const availability = azuriteAvailability();
let azurite: AzuriteServer | undefined;
const container = `azure-test-${Date.now().toString(36)}`;
let stores = 0;

function az(options: Partial<AzureStoreOptions> = {}): AzureStore {
  return new AzureStore({
    container,
    useEmulator: true,
    endpoint: `${(azurite as AzuriteServer).blobUrl}/devstoreaccount1`,
    ...options,
    client: { retryInitialBackoffMs: 5, ...options.client },
  });
}

beforeAll(async () => {
  if (!availability.available) return;
  azurite = await startAzurite();
  await az().createContainer();
});
afterAll(async () => {
  await azurite?.stop();
});

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe.skipIf(!availability.available)("AzureStore (Azurite)", () => {
  storeConformance("AzureStore", async (seed) => {
    const store = az({ prefix: `conformance/t${++stores}`, client: { listPageSize: 50 } });
    await putAll(store, seed);
    return store;
  });

  smallPagesTest(() => az({ prefix: "pages", client: { listPageSize: 3 } }));

  it("uploads large bodies as blocks, create-only too", async () => {
    const store = az({ prefix: "blocks", multipartThresholdBytes: 1024 * 1024, blockSizeBytes: 256 * 1024 });
    const big = Uint8Array.from({ length: 1024 * 1024 + 1000 }, (_, i) => (i * 13) % 256);
    await store.put("data/part-0.parquet", big);
    expect(Buffer.compare(Buffer.from(await store.get("data/part-0.parquet")), Buffer.from(big))).toBe(0);
    await store.putIfAbsent("data/part-1.parquet", big);
    await expect(store.putIfAbsent("data/part-1.parquet", big)).rejects.toBeInstanceOf(AlreadyExistsError);
    expect([...(await store.get("data/part-1.parquet", { range: { suffix: 3 } }))]).toEqual([...big.subarray(-3)]);
  });

  it("creates containers idempotently and reports a missing container as NotFound", async () => {
    const other = az({ container: "fresh-container" });
    await expect(other.get("x")).rejects.toBeInstanceOf(NotFoundError);
    await other.createContainer();
    await other.createContainer();
    await other.put("x", "1");
    expect(text(await other.get("x"))).toBe("1");
  });

  it("refuses a wrong account key with a StorageError (403)", async () => {
    const store = az({ accountKey: btoa("not the key") });
    const error = await store.get("anything").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).status).toBe(403);
    expect((error as Error).message).toMatch(/AuthorizationFailure|AuthenticationFailed|Authoriz/);
  });

  it("roots stores at prefixes and lists keys relative to them", async () => {
    const a = az({ prefix: "iso/a" });
    const ab = az({ prefix: "/iso/a-b/" });
    await a.put("x", "1");
    await ab.put("x", counting(5));
    expect((await listAll(a, "")).map((m) => m.key)).toEqual(["x"]);
    expect(ab.root).toBe(`az://${container}/iso/a-b`);
    expect((await listAll(az(), "iso/")).map((m) => m.key)).toEqual(["iso/a-b/x", "iso/a/x"]);
    const meta = await ab.head("x");
    expect(meta.size).toBe(5);
    expect(meta.etag).toMatch(/^"/);
    await putAll(a, new Map(["b", "c", "d"].map((k) => [k, counting(1)])));
    expect((await listAll(a, "", "b")).map((m) => m.key)).toEqual(["c", "d", "x"]);
  });
});
