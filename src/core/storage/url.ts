/**
 * url.ts: picks an ObjectStore from a URL. Core knows `memory://name[/prefix]` (a process-wide
 * registry of named MemoryStores, so equal names share one store) and `http(s)://` (read-only
 * HttpStore). Everything else — `file://` and bare paths (registered by src/node), `s3://`,
 * `az://`, `gs://`, bindings — comes from factories registered with {@link registerStoreFactory};
 * an unregistered scheme is an UnsupportedFeatureError naming it.
 */
import { InvalidInputError, UnsupportedFeatureError } from "../errors.js";
import { HttpStore } from "./http.js";
import { MemoryStore } from "./memory.js";
import type { GetOptions, ListOptions, ObjectMeta, ObjectStore, PutBody } from "./object-store.js";

/** Options of {@link storeFromUrl} (also what a {@link StoreFactory} receives). */
export interface StoreFromUrlOptions {
  /** `memory://name`, `https://host/table`, `s3://bucket/prefix`, `file:///tmp/t`, `/tmp/t`, ... */
  url: string;
  /** Backend settings using delta-rs names (AWS_REGION, AZURE_STORAGE_ACCOUNT_NAME, ...). */
  options?: Record<string, string>;
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
  if (scheme === "http" || scheme === "https") {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.options ?? {})) {
      if (name.toLowerCase().startsWith("header.")) headers[name.slice("header.".length)] = value;
    }
    return new HttpStore({ url: options.url, headers, ...(options.fetch ? { fetch: options.fetch } : {}) });
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

/** A view of another store's keys under `prefix/`, with keys reported relative to it. */
class PrefixedStore implements ObjectStore {
  readonly root: string;
  readonly writable: boolean;
  readonly listable: boolean;
  private readonly inner: ObjectStore;
  private readonly prefix: string;

  constructor(inner: ObjectStore, prefix: string) {
    this.inner = inner;
    this.prefix = `${prefix}/`;
    this.root = `${inner.root}/${prefix}`;
    this.writable = inner.writable;
    this.listable = inner.listable;
  }

  get(key: string, options?: GetOptions): Promise<Uint8Array> {
    return this.inner.get(this.prefix + key, options);
  }

  async head(key: string): Promise<ObjectMeta> {
    return { ...(await this.inner.head(this.prefix + key)), key };
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectMeta> {
    const inner: ListOptions = { ...options };
    if (options.startAfter !== undefined) inner.startAfter = this.prefix + options.startAfter;
    for await (const meta of this.inner.list(this.prefix + prefix, inner)) {
      yield { ...meta, key: meta.key.slice(this.prefix.length) };
    }
  }

  put(key: string, body: PutBody): Promise<void> {
    return this.inner.put(this.prefix + key, body);
  }

  putIfAbsent(key: string, body: PutBody): Promise<void> {
    return this.inner.putIfAbsent(this.prefix + key, body);
  }

  delete(key: string): Promise<void> {
    return this.inner.delete(this.prefix + key);
  }
}
