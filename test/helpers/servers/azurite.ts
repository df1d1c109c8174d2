/**
 * Azurite (blob service only) for tests: in memory, `--loose`, `--skipApiVersionCheck`, no
 * telemetry, on 127.0.0.1 with an ephemeral port (Azurite prints the port it bound), run from a
 * temporary folder removed on stop. Runs the azurite npm package with this Node.
 */
import { createRequire } from "node:module";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { requireServer, startProcess, type Availability } from "./process.js";

/** A running Azurite blob service. */
export interface AzuriteServer {
  /** Blob service URL without the account, e.g. http://127.0.0.1:41234 (AZURITE_BLOB_STORAGE_URL). */
  blobUrl: string;
  stop(): Promise<void>;
}

let mainScript: string | undefined;

/** Whether Azurite can run here; throws under CI=true when it cannot. */
export function azuriteAvailability(): Availability {
  let reason: string | undefined;
  try {
    const require = createRequire(import.meta.url);
    const pkg = require.resolve("azurite/package.json");
    const bin = (require(pkg) as { bin: Record<string, string> }).bin["azurite-blob"];
    if (bin === undefined) throw new Error("azurite has no azurite-blob binary");
    mainScript = join(dirname(pkg), bin);
  } catch (error) {
    reason = `the azurite package is not installed (${(error as Error).message.split("\n")[0]}); run npm install`;
  }
  return requireServer("Azurite (blob)", reason);
}

/** Starts azurite-blob in memory on 127.0.0.1 with an ephemeral port. */
export async function startAzurite(): Promise<AzuriteServer> {
  if (mainScript === undefined && !azuriteAvailability().available) throw new Error("azurite is not available");
  const workspace = mkdtempSync(join(tmpdir(), "delta-edge-azurite-"));
  try {
    const server = await startProcess({
      name: "azurite-blob",
      command: process.execPath,
      args: [
        mainScript as string,
        "--blobHost", "127.0.0.1",
        "--blobPort", "0",
        "--inMemoryPersistence",
        "--loose",
        "--skipApiVersionCheck",
        "--disableTelemetry",
        "--disableProductStyleUrl",
      ],
      cwd: workspace, // --location cannot be combined with in-memory mode; keep any stray files here
      ready: /successfully listens on (http:\/\/127\.0\.0\.1:\d+)/,
    });
    return {
      blobUrl: server.url,
      stop: async () => {
        await server.stop();
        rmSync(workspace, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(workspace, { recursive: true, force: true });
    throw error;
  }
}
