/**
 * 8 writers x 25 appends on Azure Blob Storage (Azurite), configured like delta-rs
 * (AZURE_STORAGE_USE_EMULATOR=true, AZURITE_BLOB_STORAGE_URL): commits are create-only Put Blob
 * requests (If-None-Match: *; Azurite answers 409, Azure 412: both mean another writer won).
 * Fails under CI=true when Azurite is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectLogStore } from "../../src/core/logstore/select.js";
import type { AzureStore } from "../../src/core/storage/azure.js";
import { storeFromUrl } from "../../src/core/storage/url.js";
import { azuriteAvailability, startAzurite, type AzuriteServer } from "../helpers/servers/azurite.js";
import { checkRace, raceAppends } from "./race.js";

const availability = azuriteAvailability();
let azurite: AzuriteServer | undefined;

beforeAll(async () => {
  if (!availability.available) return;
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite?.stop();
});

describe.skipIf(!availability.available)("8 writers x 25 appends, Azure Blob (Azurite)", () => {
  it("end at version 200 with every row once", { timeout: 120_000 }, async () => {
    const env = { AZURE_STORAGE_USE_EMULATOR: "true", AZURITE_BLOB_STORAGE_URL: (azurite as AzuriteServer).blobUrl };
    const store = storeFromUrl({ url: "az://race/tables/t", env }) as AzureStore;
    await store.createContainer();
    expect(selectLogStore({ store }).name).toBe("put-if-absent");
    const t = Date.now();
    await checkRace(store, await raceAppends({ store }));
    console.log(`Azurite: ${Date.now() - t} ms`);
  });
});
