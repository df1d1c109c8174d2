/**
 * `npm run examples` end to end: builds and runs every example against a temp folder, with the
 * S3 examples pointed at moto (S3 + DynamoDB) and the Azure one at Azurite when those can run
 * here (under CI=true they must). Then every table the run left — each Delta table found under
 * the folder, plus the remote ones, copied down — is checked independently with pyarrow
 * (check_delta_tables.py): each live file readable, stats and partition values agreeing with
 * the data; and the row counts agree with delta-edge's own reader.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import "../../src/node/index.js";
import { storeFromUrl } from "../../src/core/storage/url.js";
import { storageOptionStrings, type StorageConfig } from "../../src/core/assets/index.js";
import { readTable } from "../../src/core/scan/read.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { PYTHON } from "../helpers/oracle.js";
import { MOTO_CREDENTIALS, motoAvailability, startMoto, type MotoServer } from "../helpers/servers/moto.js";
import { azuriteAvailability, startAzurite, type AzuriteServer } from "../helpers/servers/azurite.js";

const ROOT = resolve(import.meta.dirname, "../..");
const CHECKER = resolve(import.meta.dirname, "check_delta_tables.py");
const moto = motoAvailability();
const azurite = azuriteAvailability();
let motoServer: MotoServer | undefined;
let azuriteServer: AzuriteServer | undefined;
const bucket = `examples-${Date.now().toString(36)}`;

beforeAll(async () => {
  if (moto.available) {
    motoServer = await startMoto();
    await motoServer.createBucket(bucket);
  }
  if (azurite.available) azuriteServer = await startAzurite();
});
afterAll(async () => {
  await motoServer?.stop();
  await azuriteServer?.stop();
});

interface TableRecord {
  example: string;
  asset: string;
  uri: string;
}

function run(command: string, args: string[], env: Record<string, string | undefined>): Promise<{ code: number; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: ROOT, env });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", fail);
    child.on("close", (code) => done({ code: code ?? -1, output }));
  });
}

/** Folders holding a `_delta_log` below `dir`. */
function deltaTables(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    const path = join(dir, e.name);
    if (e.name === "_delta_log") out.push(dir);
    else out.push(...deltaTables(path));
  }
  return out;
}

function remoteOptions(uri: string): Record<string, string> {
  const config: StorageConfig = uri.startsWith("s3://")
    ? { s3: { endpoint: motoServer?.endpoint ?? "", ...MOTO_CREDENTIALS } }
    : { azure: { useEmulator: true, emulatorUrl: azuriteServer?.blobUrl ?? "" } };
  return storageOptionStrings(config, { allowHttp: true });
}

/** Copies a remote table's objects into a local folder. */
async function download(uri: string, into: string): Promise<void> {
  const store = storeFromUrl({ url: uri, options: remoteOptions(uri) });
  for await (const meta of store.list("")) {
    const path = join(into, meta.key);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, await store.get(meta.key));
  }
}

describe("npm run examples", () => {
  it("exits 0, and every table it leaves passes pyarrow's independent check", async () => {
    const root = mkdtempSync(join(tmpdir(), "delta-edge-examples-test-"));
    const env: Record<string, string | undefined> = { ...process.env, DELTA_EDGE_EXAMPLES_ROOT: root };
    if (motoServer) {
      Object.assign(env, {
        DELTA_EDGE_EXAMPLES_S3_ENDPOINT: motoServer.endpoint,
        DELTA_EDGE_EXAMPLES_S3_BUCKET: bucket,
        AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
        AWS_REGION: MOTO_CREDENTIALS.region,
      });
    }
    if (azuriteServer) env["DELTA_EDGE_EXAMPLES_AZURITE_URL"] = azuriteServer.blobUrl;
    const result = await run("npm", ["run", "--silent", "examples"], env);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/tables:/);
    const tables = JSON.parse(readFileSync(join(root, "tables.json"), "utf8")) as TableRecord[];

    // Every table under the folder is listed (and printed), and every listed local table exists.
    const local = tables.filter((t) => !/^[a-z0-9]+:\/\//.test(t.uri)).map((t) => t.uri);
    expect(deltaTables(root).sort()).toEqual([...local].sort());
    for (const t of tables) expect(result.output).toContain(t.uri);
    const remote = tables.filter((t) => /^(s3|az):\/\//.test(t.uri));
    expect(remote.filter((t) => t.uri.startsWith("s3://"))).toHaveLength(motoServer ? 8 : 0);
    expect(remote.filter((t) => t.uri.startsWith("az://"))).toHaveLength(azuriteServer ? 2 : 0);
    expect(local.length).toBeGreaterThanOrEqual(18);
    if (motoServer) {
      // The S3 settings really chose the commit strategies on moto.
      for (const [example, strategy] of [["09-s3-unsafe-rename", "unsafe-rename"], ["10-s3-dynamodb-locking", "dynamodb"], ["11-r2-copy-header", "copy-if-absent"], ["12-s3-custom-endpoint", "put-if-absent"]]) {
        expect(result.output).toMatch(new RegExp(`\\[${example}\\] iris_dataset partition Iris-setosa: .*, ${strategy} commit -> s3://`));
      }
    }

    const copies = mkdtempSync(join(tmpdir(), "delta-edge-examples-remote-"));
    const checked: { dir: string; uri: string }[] = local.map((dir) => ({ dir, uri: dir }));
    for (const [i, t] of remote.entries()) {
      const dir = join(copies, String(i));
      await download(t.uri, dir);
      checked.push({ dir, uri: t.uri });
    }
    const py = spawnSync(PYTHON, [CHECKER, ...checked.map((c) => c.dir)], { encoding: "utf8", maxBuffer: 1 << 28 });
    expect(py.status, py.stderr).toBe(0);
    const reports = py.stdout.trim().split("\n").map((l) => JSON.parse(l) as { path: string; files: number; rows: number; errors: string[] });
    expect(reports).toHaveLength(checked.length);
    for (const [i, r] of reports.entries()) {
      const { dir, uri } = checked[i] as { dir: string; uri: string };
      expect(r.errors, uri).toEqual([]);
      expect(r.files, uri).toBeGreaterThan(0);
      const ours = await readTable({ store: new LocalStore({ root: dir }) });
      expect(ours.numRows, uri).toBe(r.rows);
    }
    expect(existsSync(join(root, "07-multiple-io-managers", "blobs", "iris_plots"))).toBe(true);
  }, 300_000);
});
