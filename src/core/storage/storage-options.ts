/**
 * String storage options, as delta-rs and object_store spell them: the known keys of every backend
 * (canonical env-style names plus lower-case aliases, matched case-insensitively), how explicit
 * options and environment variables combine (explicit wins; an unknown explicit key is an
 * InvalidInputError naming it, an unknown env var is ignored), value parsers that name the option
 * on bad input, the one reader that turns resolved options into a typed config
 * ({@link readOptionFields}: a table of field -> option name and parser), and the two
 * backend-neutral typed configs: {@link ClientConfig} and
 * {@link LocalConfig}. Backend configs (s3Config, azureConfig, gcsConfig) build on this; plain
 * http(s) tables take the client keys alone (`HTTP_` prefix in the environment).
 */
import { InvalidInputError } from "../errors.js";

/** Where string options come from. */
export interface OptionSources {
  /** Explicit options (`--option KEY=VALUE`, `storageOptions`): an unknown key is an error. */
  options?: Record<string, string | undefined> | undefined;
  /** Environment variables: only known names are read, anything else is ignored. */
  env?: Record<string, string | undefined> | undefined;
}

/** The backends whose keys are tabled here. */
export type OptionScope = "s3" | "azure" | "gcs" | "local" | "http";

type Table = Record<string, readonly string[]>;

/** S3 keys (also used for R2 and other S3-compatible endpoints). Canonical name -> aliases. */
const S3_KEYS: Table = {
  AWS_ENDPOINT_URL: ["aws_endpoint", "endpoint_url", "endpoint"],
  AWS_REGION: ["region"],
  AWS_DEFAULT_REGION: ["default_region"],
  AWS_ACCESS_KEY_ID: ["access_key_id"],
  AWS_SECRET_ACCESS_KEY: ["secret_access_key"],
  AWS_SESSION_TOKEN: ["aws_token", "session_token", "token"],
  AWS_VIRTUAL_HOSTED_STYLE_REQUEST: ["virtual_hosted_style_request"],
  AWS_FORCE_PATH_STYLE: ["force_path_style"],
  AWS_SKIP_SIGNATURE: ["skip_signature"],
  AWS_REQUEST_PAYER: ["request_payer"],
  AWS_UNSIGNED_PAYLOAD: ["unsigned_payload"],
  AWS_S3_ALLOW_UNSAFE_RENAME: [],
  AWS_COPY_IF_NOT_EXISTS: ["copy_if_not_exists"],
  AWS_CONDITIONAL_PUT: ["conditional_put"],
  AWS_S3_LOCKING_PROVIDER: [],
  DELTA_DYNAMO_TABLE_NAME: [],
  DELTA_DYNAMO_BILLING_MODE: [],
  DELTA_DYNAMO_MAX_ELAPSED_REQUEST_TIME: [],
  AWS_ENDPOINT_URL_DYNAMODB: [],
  AWS_REGION_DYNAMODB: [],
  AWS_ACCESS_KEY_ID_DYNAMODB: [],
  AWS_SECRET_ACCESS_KEY_DYNAMODB: [],
  AWS_SESSION_TOKEN_DYNAMODB: [],
};

/** Azure Blob keys. */
const AZURE_KEYS: Table = {
  AZURE_STORAGE_ACCOUNT_NAME: ["account_name"],
  AZURE_STORAGE_ACCOUNT_KEY: ["azure_storage_access_key", "azure_storage_master_key", "access_key", "account_key", "master_key"],
  AZURE_STORAGE_SAS_KEY: ["azure_storage_sas_token", "sas_key", "sas_token"],
  AZURE_STORAGE_TOKEN: ["bearer_token", "token"],
  AZURE_STORAGE_USE_EMULATOR: ["use_emulator"],
  AZURITE_BLOB_STORAGE_URL: [],
  AZURE_STORAGE_ENDPOINT: ["azure_endpoint", "endpoint"],
  AZURE_SKIP_SIGNATURE: ["skip_signature"],
};

/** Google Cloud Storage keys (HMAC keys for the S3-compatible XML API). */
const GCS_KEYS: Table = {
  GOOGLE_HMAC_ACCESS_ID: ["hmac_access_id", "google_access_key_id"],
  GOOGLE_HMAC_SECRET: ["hmac_secret", "google_secret_access_key"],
  GOOGLE_ENDPOINT_URL: ["endpoint_url", "endpoint"],
  GOOGLE_SKIP_SIGNATURE: ["skip_signature"],
};

/** Local file system keys. */
const LOCAL_KEYS: Table = {
  MOUNT_ALLOW_UNSAFE_RENAME: ["allow_unsafe_rename"],
};

/**
 * Client keys shared by every HTTP backend; each also accepted with the backend's prefix
 * (aws_/azure_/google_/http_), which environment variables need. Timeouts and retries are
 * explained in retry.ts (defaults there: RETRY_DEFAULTS).
 */
const CLIENT_KEYS: Table = {
  ALLOW_HTTP: [],
  TIMEOUT: [],
  CONNECT_TIMEOUT: [],
  USER_AGENT: [],
  MAX_RETRIES: [],
  RETRY_TIMEOUT: [],
  "BACKOFF_CONFIG.INIT_BACKOFF": [],
  "BACKOFF_CONFIG.MAX_BACKOFF": [],
  "BACKOFF_CONFIG.BASE": [],
  LIST_PAGE_SIZE: [],
  MULTIPART_THRESHOLD: [],
  MULTIPART_PART_SIZE: [],
  // Connection tuning of object_store's reqwest client: accepted, no effect under fetch.
  POOL_IDLE_TIMEOUT: [],
  POOL_MAX_IDLE_PER_HOST: [],
  HTTP1_ONLY: [],
  HTTP2_ONLY: [],
  HTTP2_KEEP_ALIVE_INTERVAL: [],
  HTTP2_KEEP_ALIVE_TIMEOUT: [],
  HTTP2_KEEP_ALIVE_WHILE_IDLE: [],
  RANDOMIZE_ADDRESSES: [],
  DEFAULT_CONTENT_TYPE: [],
};

/**
 * Credential-chain and tooling names that fetch-based stores cannot use (profiles, instance
 * metadata, role assumption, service principals, service-account files). They are accepted and
 * ignored so that a shell's usual AWS_/AZURE_/GOOGLE_ variables never break a run; pass explicit
 * keys (AWS_ACCESS_KEY_ID, AZURE_STORAGE_ACCOUNT_KEY, GOOGLE_HMAC_ACCESS_ID, ...) instead.
 */
const IGNORED_KEYS: readonly string[] = [
  "AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_EC2_METADATA_DISABLED",
  "AWS_EC2_METADATA_TIMEOUT", "AWS_METADATA_ENDPOINT", "AWS_IMDSV1_FALLBACK", "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME", "AWS_IAM_ROLE_ARN", "AWS_IAM_ROLE_SESSION_NAME", "AWS_S3_ASSUME_ROLE_ARN",
  "AWS_S3_ROLE_SESSION_NAME", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CA_BUNDLE", "AWS_FORCE_CREDENTIAL_LOAD", "AWS_SDK_LOAD_CONFIG",
  "AWS_PAGER", "AWS_DEFAULT_OUTPUT", "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE", "AWS_S3_POOL_IDLE_TIMEOUT_SECONDS",
  "AWS_STS_POOL_IDLE_TIMEOUT_SECONDS", "AWS_S3_GET_INTERNAL_SERVER_ERROR_RETRIES", "AWS_EXECUTION_ENV",
  "AWS_S3_EXPRESS", "AWS_CHECKSUM_ALGORITHM", "AWS_DISABLE_TAGGING", "AWS_BUCKET", "AWS_BUCKET_NAME",
  "AZURE_STORAGE_CLIENT_ID", "AZURE_CLIENT_ID", "AZURE_STORAGE_CLIENT_SECRET", "AZURE_CLIENT_SECRET",
  "AZURE_STORAGE_TENANT_ID", "AZURE_TENANT_ID", "AZURE_STORAGE_AUTHORITY_ID", "AZURE_AUTHORITY_ID",
  "AZURE_AUTHORITY_HOST", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_USE_AZURE_CLI", "AZURE_MSI_ENDPOINT",
  "AZURE_OBJECT_ID", "AZURE_MSI_RESOURCE_ID", "AZURE_USE_FABRIC_ENDPOINT", "AZURE_CONTAINER_NAME",
  "AZURE_DISABLE_TAGGING", "AZURE_STORAGE_CONNECTION_STRING", "GOOGLE_SERVICE_ACCOUNT", "GOOGLE_SERVICE_ACCOUNT_PATH",
  "GOOGLE_SERVICE_ACCOUNT_KEY", "GOOGLE_APPLICATION_CREDENTIALS", "GOOGLE_BUCKET", "GOOGLE_BUCKET_NAME",
  "GOOGLE_CLOUD_PROJECT",
];

const SCOPE_TABLES: Record<OptionScope, Table> = { s3: S3_KEYS, azure: AZURE_KEYS, gcs: GCS_KEYS, local: LOCAL_KEYS, http: {} };
const CLIENT_PREFIX: Record<OptionScope, string> = { s3: "aws_", azure: "azure_", gcs: "google_", local: "", http: "http_" };

/** Lower-case alias -> canonical name, for one scope (its own keys, client keys, ignored keys). */
function aliasMap(scope: OptionScope): Map<string, string> {
  const map = new Map<string, string>();
  const add = (canonical: string, alias: string): void => {
    if (!map.has(alias.toLowerCase())) map.set(alias.toLowerCase(), canonical);
  };
  for (const [canonical, aliases] of Object.entries(SCOPE_TABLES[scope])) {
    add(canonical, canonical);
    for (const alias of aliases) add(canonical, alias);
  }
  if (scope !== "local") {
    for (const canonical of Object.keys(CLIENT_KEYS)) {
      add(canonical, canonical);
      add(canonical, CLIENT_PREFIX[scope] + canonical);
    }
  }
  for (const name of IGNORED_KEYS) add("", name);
  return map;
}

const ENV_PREFIXES = ["aws_", "azure_", "azurite_", "google_", "delta_", "mount_", "http_"];

const ALIASES = new Map<OptionScope, Map<string, string>>();
const EVERY_KEY = new Set<string>();
for (const scope of Object.keys(SCOPE_TABLES) as OptionScope[]) {
  const map = aliasMap(scope);
  ALIASES.set(scope, map);
  for (const alias of map.keys()) EVERY_KEY.add(alias);
}
for (const canonical of Object.keys(CLIENT_KEYS)) for (const p of ["aws_", "azure_", "google_", "http_"]) EVERY_KEY.add(p + canonical.toLowerCase());

/** One resolved option: its value and the key it was given under (for error messages). */
export interface ResolvedOption {
  value: string;
  /** The key as the caller spelled it (`AWS_REGION`, `region`, ...). */
  key: string;
  source: "option" | "env";
}

/** Options of one scope, keyed by canonical name. */
export type ResolvedOptions = Map<string, ResolvedOption>;

/**
 * Resolves string options for one backend. Explicit options override env vars. An explicit key
 * no backend knows is an InvalidInputError naming it; a key known to another backend only (say
 * AZURE_STORAGE_ACCOUNT_NAME for an s3:// table) is ignored, as are unknown env vars. Two spellings
 * of one key with different values (AWS_REGION and region) are an error naming both.
 */
export function resolveOptions(scope: OptionScope, sources: OptionSources): ResolvedOptions {
  const aliases = ALIASES.get(scope) as Map<string, string>;
  const out: ResolvedOptions = new Map();
  const take = (entries: Record<string, string | undefined>, source: "option" | "env"): void => {
    const seen = new Map<string, ResolvedOption>();
    for (const [key, value] of Object.entries(entries)) {
      if (value === undefined) continue;
      const lower = key.toLowerCase();
      // Env vars count only under a backend prefix (a stray TIMEOUT or USER_AGENT is not ours).
      if (source === "env" && !ENV_PREFIXES.some((p) => lower.startsWith(p))) continue;
      const canonical = aliases.get(lower);
      if (canonical === undefined) {
        if (source === "option" && !EVERY_KEY.has(lower)) {
          throw new InvalidInputError(`unknown storage option "${key}"`);
        }
        continue;
      }
      if (canonical === "") continue;
      const earlier = seen.get(canonical);
      if (earlier !== undefined && earlier.value !== value) {
        throw new InvalidInputError(`storage options "${earlier.key}" and "${key}" both set ${canonical} to different values`);
      }
      const resolved: ResolvedOption = { value, key, source };
      seen.set(canonical, resolved);
      out.set(canonical, resolved);
    }
  };
  take(sources.env ?? {}, "env");
  take(sources.options ?? {}, "option");
  return out;
}

/** Whether a key (any spelling, any backend) is a known storage option. */
export function isKnownStorageOption(key: string): boolean {
  return EVERY_KEY.has(key.toLowerCase());
}

/** Parses a boolean option (true/false, 1/0, yes/no, on/off); names the option when invalid. */
export function parseBool(option: ResolvedOption): boolean {
  const v = option.value.trim().toLowerCase();
  if (["true", "1", "yes", "on", "y", "t"].includes(v)) return true;
  if (["false", "0", "no", "off", "n", "f", ""].includes(v)) return false;
  throw new InvalidInputError(`storage option "${option.key}" must be true or false, got "${option.value}"`);
}

/** Parses a non-negative integer option. */
export function parseCount(option: ResolvedOption, min = 0): number {
  const v = option.value.trim();
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min) {
    throw new InvalidInputError(`storage option "${option.key}" must be an integer >= ${min}, got "${option.value}"`);
  }
  return n;
}

const DURATION_UNITS: Record<string, number> = {
  ms: 1, msec: 1, millis: 1, millisecond: 1, milliseconds: 1,
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hr: 3_600_000, hour: 3_600_000, hours: 3_600_000,
};

/** Parses a duration like `30s`, `500ms`, `2 minutes`, `1m 30s` (humantime, as object_store) to ms. */
export function parseDuration(option: ResolvedOption): number {
  const parts = option.value.trim().toLowerCase().split(/(?<=[a-z])\s*(?=\d)/);
  let total = 0;
  for (const part of parts) {
    const match = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/.exec(part.trim());
    const unit = match?.[2] === undefined ? undefined : DURATION_UNITS[match[2]];
    if (match === null || unit === undefined) {
      throw new InvalidInputError(`storage option "${option.key}" must be a duration such as 30s or 500ms, got "${option.value}"`);
    }
    total += Number(match[1]) * unit;
  }
  return Math.round(total);
}

/** Parses a byte size: a plain number of bytes or with a unit (KiB, MiB, GiB, KB, MB, GB). */
export function parseBytes(option: ResolvedOption): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?$/i.exec(option.value.trim());
  const units: Record<string, number> = { b: 1, kb: 1e3, kib: 1024, mb: 1e6, mib: 1024 ** 2, gb: 1e9, gib: 1024 ** 3 };
  if (match === null) throw new InvalidInputError(`storage option "${option.key}" must be a size such as 16MiB, got "${option.value}"`);
  return Math.round(Number(match[1]) * (units[(match[2] ?? "b").toLowerCase()] ?? 1));
}

/** The trimmed text of an option; a blank value counts as unset (undefined). */
function parseText(option: ResolvedOption): string | undefined {
  return option.value.trim() || undefined;
}

/** The trimmed text of option `name`, or undefined when it is unset or blank. */
export function optionText(opts: ResolvedOptions, name: string): string | undefined {
  const option = opts.get(name);
  return option === undefined ? undefined : parseText(option);
}

/**
 * How one config field is read: the canonical name of a text option (trimmed; blank counts as
 * unset), or the name and a parser (a parser's undefined leaves the field unset).
 */
export type OptionField<T> = (T extends string ? string : never) | readonly [name: string, parse: (option: ResolvedOption) => T | undefined];

/** A config's fields and the options they are read from, in the order they are read. */
export type OptionFields<C> = { [K in keyof C]?: OptionField<NonNullable<C[K]>> };

/**
 * Sets every field of `config` whose option is given, parsed (parsers name the option on bad
 * input), in table order; fields whose option is unset, or parses to undefined, stay unset.
 */
export function readOptionFields<C extends object>(opts: ResolvedOptions, config: C, fields: OptionFields<C>): C {
  for (const [field, spec] of Object.entries(fields) as [string, OptionField<unknown>][]) {
    const [name, parse] = typeof spec === "string" ? [spec, parseText] : spec;
    const option = opts.get(name);
    const value = option === undefined ? undefined : parse(option);
    if (value !== undefined) (config as Record<string, unknown>)[field] = value;
  }
  return config;
}

/** Sets `config.client` to the backend's client settings when any is given; returns config. */
export function withClientConfig<C extends { client?: ClientConfig }>(scope: OptionScope, opts: ResolvedOptions, config: C): C {
  const client = clientConfig(scope, opts);
  if (Object.keys(client).length > 0) config.client = client;
  return config;
}

/** HTTP client settings shared by the S3, GCS and Azure stores. */
export interface ClientConfig {
  /** Allow plain `http://` endpoints (ALLOW_HTTP / AWS_ALLOW_HTTP / allow_http). Default false. */
  allowHttp?: boolean;
  /** Per-attempt timeout in ms, from sending to the last body byte (TIMEOUT, e.g. `30s`). Default 30 000; 0 disables. */
  timeoutMs?: number;
  /** Per-attempt limit in ms on the wait for response headers (CONNECT_TIMEOUT). Default 0 (none). */
  connectTimeoutMs?: number;
  /** User-Agent header (USER_AGENT); browsers ignore it. */
  userAgent?: string;
  /** Retries of idempotent requests after a transient failure (MAX_RETRIES; 0 disables). Default 10. */
  retries?: number;
  /** First backoff in ms (BACKOFF_CONFIG.INIT_BACKOFF). Default 100. */
  retryInitialBackoffMs?: number;
  /** Largest backoff in ms (BACKOFF_CONFIG.MAX_BACKOFF). Default 15 000. */
  retryMaxBackoffMs?: number;
  /** Backoff multiplier (BACKOFF_CONFIG.BASE). Default 2. */
  retryBase?: number;
  /** Overall deadline in ms: no retry starts or runs past it, counted from the first attempt (RETRY_TIMEOUT). Default 180 000. */
  retryTimeoutMs?: number;
  /** Keys per listing page (LIST_PAGE_SIZE; S3 max-keys, Azure maxresults). Default 1000. */
  listPageSize?: number;
}

/** Parses the client settings of one backend's options. */
export function clientConfig(scope: OptionScope, sources: OptionSources | ResolvedOptions): ClientConfig {
  const opts = sources instanceof Map ? sources : resolveOptions(scope, sources);
  return readOptionFields<ClientConfig>(opts, {}, {
    allowHttp: ["ALLOW_HTTP", parseBool],
    timeoutMs: ["TIMEOUT", parseDuration],
    connectTimeoutMs: ["CONNECT_TIMEOUT", parseDuration],
    userAgent: ["USER_AGENT", (o) => o.value],
    retries: ["MAX_RETRIES", parseCount],
    retryTimeoutMs: ["RETRY_TIMEOUT", parseDuration],
    retryInitialBackoffMs: ["BACKOFF_CONFIG.INIT_BACKOFF", parseDuration],
    retryMaxBackoffMs: ["BACKOFF_CONFIG.MAX_BACKOFF", parseDuration],
    retryBase: ["BACKOFF_CONFIG.BASE", parseBackoffBase],
    listPageSize: ["LIST_PAGE_SIZE", parseListPageSize],
  });
}

function parseBackoffBase(option: ResolvedOption): number {
  const base = Number(option.value);
  if (!(base >= 1)) throw new InvalidInputError(`storage option "${option.key}" must be a number >= 1, got "${option.value}"`);
  return base;
}

function parseListPageSize(option: ResolvedOption): number {
  const size = parseCount(option, 1);
  if (size > 5000) throw new InvalidInputError(`storage option "${option.key}" must be at most 5000, got "${option.value}"`);
  return size;
}

/** Settings of the local-file store. */
export interface LocalConfig {
  /** MOUNT_ALLOW_UNSAFE_RENAME: commit by rename without an atomicity guarantee (single writer). */
  allowUnsafeRename?: boolean;
}

/** Parses local-file store options. */
export function localConfig(sources: OptionSources): LocalConfig {
  return readOptionFields<LocalConfig>(resolveOptions("local", sources), {}, { allowUnsafeRename: ["MOUNT_ALLOW_UNSAFE_RENAME", parseBool] });
}
