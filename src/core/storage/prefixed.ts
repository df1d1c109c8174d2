/**
 * A view of an ObjectStore's keys under a prefix, with keys reported relative to it: how
 * `memory://name/a/b` reaches the keys under `a/b/` of the named MemoryStore, and how an asset
 * I/O manager given one store (memory, a counting wrapper, an R2 binding) reaches each table at
 * `<schema>/<table>` below it.
 */
import { prepareReads, type GetOptions, type ListOptions, type ObjectMeta, type ObjectStore, type PutBody } from "./object-store.js";

/** The store of `prefix` ("a/b", empty segments ignored) inside `inner`; `inner` itself for an empty prefix. */
export function prefixedStore(inner: ObjectStore, prefix: string): ObjectStore {
  const clean = prefix.split("/").filter((p) => p !== "").join("/");
  return clean === "" ? inner : new PrefixedStore(inner, clean);
}

/** A view of `inner`'s keys under `prefix/` (`prefix` non-empty, without leading or trailing `/`). */
export class PrefixedStore implements ObjectStore {
  readonly root: string;
  readonly writable: boolean;
  readonly listable: boolean;
  private readonly inner: ObjectStore;
  private readonly prefix: string;

  constructor(inner: ObjectStore, prefix: string) {
    this.inner = inner;
    this.prefix = `${prefix}/`;
    this.root = `${inner.root.replace(/\/+$/, "")}/${prefix}`;
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

  prepareReads(keys: readonly string[]): Promise<void> {
    return prepareReads(this.inner, keys.map((k) => this.prefix + k));
  }
}
