/**
 * Storage settings of the asset layer, shaped like dagster-deltalake's S3Config / AzureConfig /
 * GcsConfig / LocalConfig / ClientConfig but typed in camelCase, and turned into the delta-rs
 * option names the stores understand (AWS_S3_ALLOW_UNSAFE_RENAME, AZURE_STORAGE_USE_EMULATOR,
 * ALLOW_HTTP, ...). `storageOptions` is either `{ s3: {...} }`-style (one provider) or a plain
 * record of delta-rs names. Also opens the store of one table below a root URI or a given store.
 */
import { InvalidInputError } from "../errors.js";
import type { ObjectStore } from "../storage/object-store.js";
import { storeFromUrl, urlScheme, BARE_PATH_SCHEME } from "../storage/url.js";
import { prefixedStore } from "../storage/prefixed.js";

/** HTTP client settings (dagster's ClientConfig); durations are seconds or strings like "30s". */
export interface ClientStorageConfig {
  allowHttp?: boolean;
  timeout?: number | string;
  connectTimeout?: number | string;
  userAgent?: string;
  maxRetries?: number;
  retryTimeout?: number | string;
  poolIdleTimeout?: number | string;
  http1Only?: boolean;
  http2Only?: boolean;
}

/** S3 and S3-compatible (R2, MinIO) settings. */
export interface S3StorageConfig {
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Session token. */
  token?: string;
  region?: string;
  /** Custom endpoint for non-AWS S3, e.g. `https://<account>.r2.cloudflarestorage.com`. */
  endpoint?: string;
  virtualHostedStyleRequest?: boolean;
  skipSignature?: boolean;
  /** Single writer only: commit without an atomic put-if-absent. */
  allowUnsafeRename?: boolean;
  /** e.g. `header: cf-copy-destination-if-none-match: *` (Cloudflare R2). */
  copyIfNotExists?: string;
  conditionalPut?: "etag" | "disabled";
  /** `dynamodb`: coordinate commits through a DynamoDB lock table (delta-rs S3DynamoDbLogStore). */
  lockingProvider?: "dynamodb";
  dynamoTableName?: string;
  dynamoEndpoint?: string;
  client?: ClientStorageConfig;
}

/** Azure Blob settings. */
export interface AzureStorageConfig {
  accountName?: string;
  accountKey?: string;
  sasKey?: string;
  /** Bearer token. */
  token?: string;
  /** Use Azurite (devstoreaccount1 and its well-known key, http://127.0.0.1:10000 unless emulatorUrl). */
  useEmulator?: boolean;
  emulatorUrl?: string;
  endpoint?: string;
  client?: ClientStorageConfig;
}

/** Google Cloud Storage settings (HMAC keys for the XML API). */
export interface GcsStorageConfig {
  hmacAccessId?: string;
  hmacSecret?: string;
  endpoint?: string;
  client?: ClientStorageConfig;
}

/** Local folder settings. */
export interface LocalStorageConfig {
  allowUnsafeRename?: boolean;
}

/** One provider's typed settings. */
export type StorageConfig = { s3: S3StorageConfig } | { azure: AzureStorageConfig } | { gcs: GcsStorageConfig } | { local: LocalStorageConfig };

/** Typed settings or a record of delta-rs option names. */
export type StorageOptions = StorageConfig | Readonly<Record<string, string>>;

const S3_NAMES: Record<keyof Omit<S3StorageConfig, "client">, string> = {
  accessKeyId: "AWS_ACCESS_KEY_ID",
  secretAccessKey: "AWS_SECRET_ACCESS_KEY",
  token: "AWS_SESSION_TOKEN",
  region: "AWS_REGION",
  endpoint: "AWS_ENDPOINT_URL",
  virtualHostedStyleRequest: "AWS_VIRTUAL_HOSTED_STYLE_REQUEST",
  skipSignature: "AWS_SKIP_SIGNATURE",
  allowUnsafeRename: "AWS_S3_ALLOW_UNSAFE_RENAME",
  copyIfNotExists: "AWS_COPY_IF_NOT_EXISTS",
  conditionalPut: "AWS_CONDITIONAL_PUT",
  lockingProvider: "AWS_S3_LOCKING_PROVIDER",
  dynamoTableName: "DELTA_DYNAMO_TABLE_NAME",
  dynamoEndpoint: "AWS_ENDPOINT_URL_DYNAMODB",
};
const AZURE_NAMES: Record<keyof Omit<AzureStorageConfig, "client">, string> = {
  accountName: "AZURE_STORAGE_ACCOUNT_NAME",
  accountKey: "AZURE_STORAGE_ACCOUNT_KEY",
  sasKey: "AZURE_STORAGE_SAS_KEY",
  token: "AZURE_STORAGE_TOKEN",
  useEmulator: "AZURE_STORAGE_USE_EMULATOR",
  emulatorUrl: "AZURITE_BLOB_STORAGE_URL",
  endpoint: "AZURE_STORAGE_ENDPOINT",
};
const GCS_NAMES: Record<keyof Omit<GcsStorageConfig, "client">, string> = {
  hmacAccessId: "GOOGLE_HMAC_ACCESS_ID",
  hmacSecret: "GOOGLE_HMAC_SECRET",
  endpoint: "GOOGLE_ENDPOINT_URL",
};
const LOCAL_NAMES: Record<keyof LocalStorageConfig, string> = { allowUnsafeRename: "MOUNT_ALLOW_UNSAFE_RENAME" };
const CLIENT_NAMES: Record<keyof ClientStorageConfig, string> = {
  allowHttp: "ALLOW_HTTP",
  timeout: "TIMEOUT",
  connectTimeout: "CONNECT_TIMEOUT",
  userAgent: "USER_AGENT",
  maxRetries: "MAX_RETRIES",
  retryTimeout: "RETRY_TIMEOUT",
  poolIdleTimeout: "POOL_IDLE_TIMEOUT",
  http1Only: "HTTP1_ONLY",
  http2Only: "HTTP2_ONLY",
};
const DURATIONS = new Set(["timeout", "connectTimeout", "retryTimeout", "poolIdleTimeout"]);
const PROVIDERS = { s3: S3_NAMES, azure: AZURE_NAMES, gcs: GCS_NAMES, local: LOCAL_NAMES } as const;
type Provider = keyof typeof PROVIDERS;

/** The provider of typed settings, or undefined for a record of option names. */
export function storageProvider(options: StorageOptions | undefined): Provider | undefined {
  if (options === undefined) return undefined;
  const keys = Object.keys(options);
  const only = keys[0];
  if (keys.length === 1 && only !== undefined && only in PROVIDERS && typeof (options as Record<string, unknown>)[only] === "object") return only as Provider;
  if (keys.some((k) => k in PROVIDERS)) throw new InvalidInputError(`storageOptions: give exactly one provider ({ s3 }, { azure }, { gcs } or { local }) or a record of option names, got keys ${keys.join(", ")}`);
  return undefined;
}

/** Flattens typed settings plus client settings into delta-rs option names (values as strings). */
export function storageOptionStrings(options: StorageOptions | undefined, client?: ClientStorageConfig): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (names: Record<string, string>, values: object, what: string): void => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) continue;
      if (k === "client" && what !== "client") {
        put(CLIENT_NAMES, v as object, "client");
        continue;
      }
      const name = names[k];
      if (name === undefined) throw new InvalidInputError(`unknown ${what} storage setting "${k}" (known: ${Object.keys(names).join(", ")})`);
      if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") throw new InvalidInputError(`${what} storage setting "${k}" must be a string, number or boolean`);
      out[name] = what === "client" && DURATIONS.has(k) && typeof v === "number" ? `${v}s` : String(v);
    }
  };
  const provider = storageProvider(options);
  if (provider !== undefined) put(PROVIDERS[provider], (options as Record<string, object>)[provider] as object, provider);
  else if (options !== undefined) {
    for (const [k, v] of Object.entries(options)) {
      if (typeof v !== "string") throw new InvalidInputError(`storage option "${k}" must be a string`);
      out[k] = v;
    }
  }
  if (client !== undefined) put(CLIENT_NAMES, client, "client");
  return out;
}

const SCHEMES: Record<Provider, readonly string[]> = {
  s3: ["s3", "s3a"],
  azure: ["az", "azure", "adl", "abfs", "abfss"],
  gcs: ["gs"],
  local: ["file", BARE_PATH_SCHEME, "memory"],
};

/** Where tables live: a root URI (with storage settings) or a store. */
export interface TableRoot {
  /** `s3://bucket/warehouse`, `az://container/dw`, `/data/dw`, `file:///data/dw`, `memory://name`. */
  rootUri?: string | undefined;
  /** A store whose root is the warehouse root (instead of rootUri). */
  store?: ObjectStore | undefined;
  storageOptions?: StorageOptions | undefined;
  clientOptions?: ClientStorageConfig | undefined;
  /** Environment variables read by the backends (e.g. process.env); explicit options win. */
  env?: Record<string, string | undefined> | undefined;
  fetch?: typeof fetch | undefined;
}

/** Checks a root: exactly one of rootUri and store, settings that fit the URI's scheme. */
export function checkRoot(root: TableRoot, what: string): void {
  if ((root.rootUri === undefined) === (root.store === undefined)) throw new InvalidInputError(`${what}: give either rootUri or store`);
  if (root.rootUri !== undefined && (typeof root.rootUri !== "string" || root.rootUri.trim() === "")) throw new InvalidInputError(`${what}: rootUri must be a non-empty string`);
  const provider = storageProvider(root.storageOptions);
  if (provider !== undefined && root.rootUri !== undefined) {
    const scheme = urlScheme(root.rootUri);
    if (!SCHEMES[provider].includes(scheme)) {
      throw new InvalidInputError(`${what}: storageOptions are for ${provider}, but rootUri ${root.rootUri} is ${scheme === BARE_PATH_SCHEME ? "a local path" : `a ${scheme}:// URL`}`);
    }
  }
  storageOptionStrings(root.storageOptions, root.clientOptions);
}

/** The location (URI) of `<root>/<path>`. */
export function locationOf(root: TableRoot, path: string): string {
  const base = root.rootUri ?? (root.store as ObjectStore).root;
  return path === "" ? base : `${base.replace(/\/+$/, "")}/${path}`;
}

/** The store of `<root>/<path>`. */
export function storeAt(root: TableRoot, path: string): ObjectStore {
  if (root.store !== undefined) return prefixedStore(root.store, path);
  return storeFromUrl({
    url: locationOf(root, path),
    options: storageOptionStrings(root.storageOptions, root.clientOptions),
    ...(root.env !== undefined ? { env: root.env } : {}),
    ...(root.fetch !== undefined ? { fetch: root.fetch } : {}),
  });
}
