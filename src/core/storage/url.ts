/**
 * url.ts: picks an ObjectStore from a URL. Core knows `memory://name[/prefix]` (a process-wide
 * registry of named MemoryStores, so equal names share one store), `http(s)://` (read-only
 * HttpStore: `header.<Name>` options become request headers, the client keys set its timeouts and
 * retries), `s3://` and `s3a://` (S3Store), `gs://` (GcsStore) and `az://`, `azure://`, `adl://`,
 * `abfs[s]://` (AzureStore), configured from delta-rs option names. Everything else — `file://`
 * and bare paths (registered by src/node), bindings — comes from factories registered with
 * {@link registerStoreFactory}; an unregistered scheme is an UnsupportedFeatureError naming it.
 */
import { InvalidInputError, UnsupportedFeatureError } from "../errors.js";
import { AzureStore } from "./azure.js";
import { AZURE_SCHEMES, azureConfig, parseAzureUrl } from "./azure-config.js";
import { GcsStore, gcsConfig } from "./gcs.js";
import { HttpStore } from "./http.js";
import { MemoryStore } from "./memory.js";
import type { ObjectStore } from "./object-store.js";
import { PrefixedStore } from "./prefixed.js";
import { S3Store } from "./s3.js";
import { s3Config } from "./s3-config.js";
import { clientConfig } from "./storage-options.js";
import { parseBucketUrl } from "./s3-url.js";

/** Options of {@link storeFromUrl} (also what a {@link StoreFactory} receives). */
export interface StoreFromUrlOptions {
  /** `memory://name`, `https://host/table`, `s3://bucket/prefix`, `file:///tmp/t`, `/tmp/t`, ... */
  url: string;
  /** Backend settings using delta-rs names (AWS_REGION, AZURE_STORAGE_ACCOUNT_NAME, ...); unknown keys are errors. */
  options?: Record<string, string>;
  /** Environment variables (e.g. process.env): known names are read, others ignored; `options` win. */
  env?: Record<string, string | undefined>;
  /** The fetch used by HTTP-based backends. */
  fetch?: typeof fetch;
}

/** Builds a store for one URL of a registered scheme. */
export type StoreFactory = (options: StoreFromUrlOptions) => ObjectStore;

/** The scheme name under which a factory for bare paths (no `scheme:`) is registered. */
export const BARE_PATH_SCHEME = "";

const factories = new Map<string, StoreFactory>();
const memoryStores = new Map<string, MemoryStore>();

/**
 * Registers (or replaces) the factory for a URL scheme, given without the colon (`"s3"`, `"file"`),
 * or {@link BARE_PATH_SCHEME} for plain paths. Registered factories take precedence over the
 * built-in `memory` and `http(s)` handling.
 */
export function registerStoreFactory(scheme: string, factory: StoreFactory): void {
  factories.set(scheme.toLowerCase(), factory);
}

/** Removes a registered factory (tests use this to restore the defaults). */
export function unregisterStoreFactory(scheme: string): void {
  factories.delete(scheme.toLowerCase());
}

/** The scheme of a URL (lower case, no colon), or {@link BARE_PATH_SCHEME} for a plain path. */
export function urlScheme(url: string): string {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url);
  // A single letter is a Windows drive (C:\data), not a scheme.
  return match?.[1] !== undefined && match[1].length > 1 ? match[1].toLowerCase() : BARE_PATH_SCHEME;
}

/** Returns the ObjectStore for a URL (see the module comment for the schemes understood). */
export function storeFromUrl(options: StoreFromUrlOptions): ObjectStore {
  const scheme = urlScheme(options.url);
  const factory = factories.get(scheme);
  if (factory !== undefined) return factory(options);
  if (scheme === "memory") return memoryStoreFromUrl(options.url);
  const cloud = cloudStoreFromUrl(scheme, options);
  if (cloud !== undefined) return cloud;
  if (scheme === "http" || scheme === "https") {
    const headers: Record<string, string> = {};
    const rest: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.options ?? {})) {
      if (name.toLowerCase().startsWith("header.")) headers[name.slice("header.".length)] = value;
      else rest[name] = value;
    }
    const client = clientConfig("http", { options: rest, env: options.env });
    return new HttpStore({ url: options.url, headers, client, ...(options.fetch ? { fetch: options.fetch } : {}) });
  }
  if (scheme === BARE_PATH_SCHEME) {
    throw new UnsupportedFeatureError("storage:path", "plain paths need a local-file store: import delta-edge/node", { path: options.url });
  }
  throw new UnsupportedFeatureError(
    `storage:${scheme}`,
    `no object store for scheme "${scheme}://" in this runtime (register one with registerStoreFactory)`,
    { path: options.url },
  );
}

/** The S3, GCS and Azure stores of their URL schemes (undefined for other schemes). */
function cloudStoreFromUrl(scheme: string, options: StoreFromUrlOptions): ObjectStore | undefined {
  const sources = { options: options.options, env: options.env };
  const fetchOption = options.fetch === undefined ? {} : { fetch: options.fetch };
  if (scheme === "s3" || scheme === "s3a") {
    const { bucket, prefix } = parseBucketUrl(options.url, ["s3", "s3a"]);
    return new S3Store({ ...s3Config(sources), bucket, prefix, ...fetchOption });
  }
  if (scheme === "gs") {
    const { bucket, prefix } = parseBucketUrl(options.url, ["gs"]);
    return new GcsStore({ ...gcsConfig(sources), bucket, prefix, ...fetchOption });
  }
  if ((AZURE_SCHEMES as readonly string[]).includes(scheme)) {
    const location = parseAzureUrl(options.url);
    const config = azureConfig(sources);
    if (location.account !== undefined && config.accountName !== undefined && location.account !== config.accountName) {
      throw new InvalidInputError(
        `the URL names account "${location.account}" but AZURE_STORAGE_ACCOUNT_NAME is "${config.accountName}"`,
        { path: options.url },
      );
    }
    const account = location.account ?? config.accountName;
    return new AzureStore({
      ...config,
      ...(account !== undefined ? { accountName: account } : {}),
      container: location.container,
      prefix: location.prefix,
      ...fetchOption,
    });
  }
  return undefined;
}

/** The shared MemoryStore of a name (created on first use); `memory://<name>` URLs resolve to it. */
export function namedMemoryStore(name: string): MemoryStore {
  let store = memoryStores.get(name);
  if (store === undefined) {
    store = new MemoryStore({ name });
    memoryStores.set(name, store);
  }
  return store;
}

/** Forgets every named MemoryStore (for test isolation). */
export function clearMemoryStores(): void {
  memoryStores.clear();
}

/** `memory://name` is the named store; `memory://name/a/b` is a view of its keys under `a/b/`. */
function memoryStoreFromUrl(url: string): ObjectStore {
  const rest = url.replace(/^memory:\/\//i, "").replace(/^memory:/i, "");
  const slash = rest.indexOf("/");
  const name = decodeURIComponent(slash < 0 ? rest : rest.slice(0, slash));
  if (name === "") throw new InvalidInputError("memory URL needs a name (memory://name)", { path: url });
  const prefix = slash < 0 ? "" : rest.slice(slash + 1).split("/").filter((s) => s !== "").map(decodeURIComponent).join("/");
  const store = namedMemoryStore(name);
  return prefix === "" ? store : new PrefixedStore(store, prefix);
}
