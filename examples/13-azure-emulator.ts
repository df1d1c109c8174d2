/**
 * Reference: "Working with locally running storage (emulators)". The page's
 * `AzureConfig(use_emulator=True, client=ClientConfig(allow_http=True))` does not exist in
 * dagster-deltalake; here it does: `{ azure: { useEmulator: true, client: { allowHttp: true } } }`
 * uses Azurite's well-known account and key over plain http (http://127.0.0.1:10000 unless
 * `emulatorUrl`). With DELTA_EDGE_EXAMPLES_AZURITE_URL set (the examples test starts Azurite), the
 * pipeline runs in a container there; otherwise against the local folder.
 */
import type { AzureStore } from "../src/core/storage/azure.js";
import { storeFromUrl } from "../src/core/storage/url.js";
import { storageOptionStrings, type StorageConfig } from "../src/core/assets/index.js";
import { runPipeline, showConfiguration, type RemoteTarget } from "./shared/storage-demo.js";
import { runIfMain, type ExampleContext } from "./shared/setup.js";

export async function main(ctx: ExampleContext): Promise<void> {
  showConfiguration(ctx, { azure: { useEmulator: true, client: { allowHttp: true } } });
  const url = process.env["DELTA_EDGE_EXAMPLES_AZURITE_URL"];
  let target: RemoteTarget | undefined;
  if (url) {
    const storageOptions: StorageConfig = { azure: { useEmulator: true, emulatorUrl: url, client: { allowHttp: true } } };
    const container = process.env["DELTA_EDGE_EXAMPLES_AZURE_CONTAINER"] ?? "delta-edge-examples";
    target = {
      rootUri: `az://${container}/${ctx.name}`,
      storageOptions,
      prepare: async () => {
        const store = storeFromUrl({ url: `az://${container}`, options: storageOptionStrings(storageOptions) }) as AzureStore;
        await store.createContainer();
      },
    };
  }
  await runPipeline(ctx, target, "Azurite");
}

runIfMain(import.meta.url, "13-azure-emulator", main);
