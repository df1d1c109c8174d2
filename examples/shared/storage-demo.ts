/**
 * The storage-configuration examples' common part. Each shows a typed storage config as a user
 * writes it, the delta-rs option names it becomes, what the store layer parses from them, and the
 * commit strategy it selects (put-if-absent, unsafe-rename, copy-if-absent, dynamodb). Then it
 * runs a small asset pipeline: against the real service when the environment points at one
 * (DELTA_EDGE_EXAMPLES_S3_ENDPOINT + _S3_BUCKET for S3, DELTA_EDGE_EXAMPLES_AZURITE_URL for
 * Azurite — the examples test sets these to moto and Azurite), otherwise against the local
 * examples folder, saying so: a local folder cannot exercise S3 or Azure settings.
 */
import type { Table } from "apache-arrow";
import {
  asset,
  deltaLakeIOManager,
  materialize,
  staticPartitions,
  storageOptionStrings,
  type ClientStorageConfig,
  type S3StorageConfig,
  type StorageConfig,
} from "../../src/core/assets/index.js";
import { selectLogStore } from "../../src/core/logstore/select.js";
import { azureConfig } from "../../src/core/storage/azure-config.js";
import { S3Store } from "../../src/core/storage/s3.js";
import { s3Config } from "../../src/core/storage/s3-config.js";
import { irisRows, irisTable } from "./iris.js";
import type { ExampleContext } from "./setup.js";

/** Where the pipeline runs when a service is configured. */
export interface RemoteTarget {
  rootUri: string;
  storageOptions: StorageConfig;
  clientOptions?: ClientStorageConfig;
  /** Setup the service needs first (a bucket's lock table, a container). */
  prepare?: () => Promise<void>;
}

/** Prints the configuration of `config` (see the module comment). */
export function showConfiguration(ctx: ExampleContext, config: StorageConfig, client?: ClientStorageConfig): void {
  ctx.log(`typed config: ${JSON.stringify(config)}${client ? ` + client ${JSON.stringify(client)}` : ""}`);
  const options = storageOptionStrings(config, client);
  ctx.log(`delta-rs options: ${JSON.stringify(mask(options))}`);
  if ("s3" in config) {
    const parsed = s3Config({ options });
    ctx.log(`S3 store config: ${JSON.stringify(mask(parsed as Record<string, unknown>))}`);
    // The strategy depends on the commit settings only: placeholder credentials and the default
    // endpoint let it be shown for configs with "<your-endpoint>" placeholders.
    const { endpoint: _endpoint, ...rest } = parsed;
    const store = new S3Store({ accessKeyId: "EXAMPLE", secretAccessKey: "example", ...rest, bucket: "example-bucket", prefix: "warehouse/iris/iris_dataset" });
    const logStore = selectLogStore({ store });
    const why = "reason" in logStore ? ` (${String((logStore as { reason: unknown }).reason)})` : "";
    ctx.log(`commits would use the "${logStore.name}" strategy${why}`);
  } else if ("azure" in config) {
    ctx.log(`Azure store config: ${JSON.stringify(mask(azureConfig({ options }) as Record<string, unknown>))}`);
  }
}

/** The S3 service the environment points at, if any. */
export function s3Target(name: string, extra: S3StorageConfig = {}): RemoteTarget | undefined {
  const endpoint = process.env["DELTA_EDGE_EXAMPLES_S3_ENDPOINT"];
  const bucket = process.env["DELTA_EDGE_EXAMPLES_S3_BUCKET"];
  if (!endpoint || !bucket) return undefined;
  const env = (k: string): string | undefined => process.env[k] || undefined;
  const s3: S3StorageConfig = {
    endpoint,
    ...pick("accessKeyId", env("AWS_ACCESS_KEY_ID")),
    ...pick("secretAccessKey", env("AWS_SECRET_ACCESS_KEY")),
    ...pick("region", env("AWS_REGION")),
    ...extra,
  };
  return {
    rootUri: `s3://${bucket}/${process.env["DELTA_EDGE_EXAMPLES_S3_PREFIX"] ?? "delta-edge-examples"}/${name}`,
    storageOptions: { s3 },
    ...(endpoint.startsWith("http:") ? { clientOptions: { allowHttp: true } } : {}),
  };
}

/** Runs the demo pipeline at `target`, or at the local folder when there is none. */
export async function runPipeline(ctx: ExampleContext, target: RemoteTarget | undefined, service: string): Promise<void> {
  if (target === undefined) ctx.log(`no ${service} endpoint configured: running the same assets against the local folder ${ctx.root}`);
  else {
    ctx.log(`running against ${target.rootUri}`);
    await target.prepare?.();
  }
  const io = deltaLakeIOManager(
    target === undefined
      ? { rootUri: ctx.root, storageOptions: { local: {} }, schema: "iris" }
      : { rootUri: target.rootUri, storageOptions: target.storageOptions, clientOptions: target.clientOptions, schema: "iris", env: process.env },
  );
  const species = staticPartitions(["Iris-setosa", "Iris-versicolor"]);
  const irisDataset = asset({ name: "iris_dataset", partitionsDef: species, metadata: { partition_expr: "species" }, compute: (c) => irisTable(irisRows([c.partitionKey as string], 10)) });
  const irisSummary = asset({
    name: "iris_summary",
    ins: { iris_dataset: { metadata: { columns: ["species", "petal_length_cm"] } } },
    compute: (_c, { iris_dataset }) => {
      const t = iris_dataset as Table;
      const lengths = t.getChild("petal_length_cm")?.toArray() as Float64Array;
      return [{ rows: t.numRows, mean_petal_length_cm: Math.round((lengths.reduce((a, b) => a + b, 0) / t.numRows) * 100) / 100 }];
    },
  });
  for (const key of species.keys()) ctx.report(await materialize({ assets: [irisDataset], resources: { io_manager: io }, partitionKey: key }));
  ctx.report(await materialize({ assets: [irisDataset, irisSummary], resources: { io_manager: io }, selection: ["iris_summary"] }));
}

function pick<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

function mask(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, /secret|sas|account_?key|token/i.test(k) && !/key_?id/i.test(k) ? "***" : v && typeof v === "object" ? mask(v as Record<string, unknown>) : v]),
  );
}
