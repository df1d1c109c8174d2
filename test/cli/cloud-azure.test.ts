/**
 * The CLI on `az://` (and `abfss://`) tables against Azurite, configured with delta-rs's
 * environment variables: the emulator switch (AZURE_STORAGE_USE_EMULATOR=true plus
 * AZURITE_BLOB_STORAGE_URL), or an explicit account, key and endpoint (AZURE_STORAGE_ACCOUNT_NAME,
 * AZURE_STORAGE_ACCOUNT_KEY, AZURE_STORAGE_ENDPOINT, AZURE_ALLOW_HTTP). `write`, then `info`,
 * `files`, `scan`; and a table written by the library read by the CLI. Fails under CI=true when
 * Azurite is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AzureStore } from "../../src/core/storage/azure.js";
import { AZURITE_ACCOUNT, AZURITE_KEY } from "../../src/core/storage/azure-config.js";
import { storeFromUrl } from "../../src/core/storage/url.js";
import { writeTable } from "../../src/core/write/write-table.js";
import { azuriteAvailability, startAzurite, type AzuriteServer } from "../helpers/servers/azurite.js";
import { RACE_SCHEMA } from "../logstore/race.js";
import { idsOf, ndjsonInputs, ndjsonOf, runCliOk } from "./run-cli.js";

const availability = azuriteAvailability();
let azurite: AzuriteServer | undefined;
const { input, remove } = ndjsonInputs("delta-edge-cli-az-");

/** The emulator settings delta-rs users export. */
const emulatorEnv = (): Record<string, string> => ({ AZURE_STORAGE_USE_EMULATOR: "true", AZURITE_BLOB_STORAGE_URL: (azurite as AzuriteServer).blobUrl });

beforeAll(async () => {
  if (!availability.available) return;
  azurite = await startAzurite();
  await (storeFromUrl({ url: "az://cli", env: emulatorEnv() }) as AzureStore).createContainer();
});
afterAll(async () => {
  await azurite?.stop();
  remove();
});

const [ok, ndjson, ids] = [runCliOk, ndjsonOf, idsOf];

describe.skipIf(!availability.available)("delta-edge on az:// (Azurite)", () => {
  it("writes, appends and reads back with the emulator settings", async () => {
    const table = "az://cli/tables/emulator";
    const env = emulatorEnv();
    expect(JSON.parse(await ok(["write", table, "--input", input("a.ndjson", [{ id: 1, name: "a" }, { id: 2, name: "b" }])], env))).toMatchObject({ status: "committed", version: 0, rows: 2 });
    await ok(["write", table, "--input", input("b.ndjson", [{ id: 3, name: "c" }]), "--mode", "append"], env);
    const info = JSON.parse(await ok(["info", table], env)) as { version: number; numFiles: number };
    expect([info.version, info.numFiles]).toEqual([1, 2]);
    expect(ndjson(await ok(["files", table], env))).toHaveLength(2);
    expect(ids(await ok(["scan", table], env))).toEqual([1, 2, 3]);
    // The same table through the ADLS Gen2 URL form.
    expect(ids(await ok(["scan", `abfss://cli@${AZURITE_ACCOUNT}.dfs.core.windows.net/tables/emulator`], env))).toEqual([1, 2, 3]);
  });

  it("works with an explicit account, key and endpoint", async () => {
    const table = "az://cli/tables/explicit";
    const env = {
      AZURE_STORAGE_ACCOUNT_NAME: AZURITE_ACCOUNT,
      AZURE_STORAGE_ACCOUNT_KEY: AZURITE_KEY,
      AZURE_STORAGE_ENDPOINT: `${(azurite as AzuriteServer).blobUrl}/${AZURITE_ACCOUNT}`,
      AZURE_ALLOW_HTTP: "true",
    };
    await ok(["write", table, "--input", input("c.ndjson", [{ id: 9 }])], env);
    expect(ids(await ok(["scan", table], env))).toEqual([9]);
  });

  it("reads a table the library wrote", async () => {
    const table = "az://cli/tables/library";
    const store = storeFromUrl({ url: table, env: emulatorEnv() });
    await writeTable({ store, data: [{ id: 10, writer: 0 }], schema: RACE_SCHEMA });
    await writeTable({ store, data: [{ id: 11, writer: 0 }], mode: "append" });
    expect((JSON.parse(await ok(["info", table], emulatorEnv())) as { version: number }).version).toBe(1);
    expect(ids(await ok(["scan", table, "--columns", "id"], emulatorEnv()))).toEqual([10, 11]);
  });
});
