/**
 * MemoryStore: an in-process ObjectStore over a Map. Used by tests, by the browser for scratch
 * tables, and as the reference behaviour for the storage conformance suite. putIfAbsent is atomic
 * because JavaScript runs one callback at a time and the check and the set happen in one tick.
 */
import { AlreadyExistsError, NotFoundError } from "../errors.js";
import {
  bodyBytes,
  resolveRange,
  type GetOptions,
  type ListOptions,
  type ObjectMeta,
  type ObjectStore,
  type PutBody,
} from "./object-store.js";

interface Entry {
  bytes: Uint8Array;
  lastModified: number;
  etag: string;
}

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Name shown in error messages, as `memory://<name>`. */
  name?: string;
  /** Clock used for lastModified (ms since epoch); defaults to Date.now. */
  now?: () => number;
}

/** An ObjectStore held in memory. */
export class MemoryStore implements ObjectStore {
  readonly root: string;
  readonly writable = true;
  readonly listable = true;
  private readonly objects = new Map<string, Entry>();
  private readonly now: () => number;
  private etagCounter = 0;

  constructor(options: MemoryStoreOptions = {}) {
    this.root = `memory://${options.name ?? "default"}`;
    this.now = options.now ?? Date.now;
  }

  async get(key: string, options: GetOptions = {}): Promise<Uint8Array> {
    const entry = this.entry(key);
    const [start, end] = resolveRange(options.range, entry.bytes.byteLength);
    return entry.bytes.slice(start, end);
  }

  async head(key: string): Promise<ObjectMeta> {
    const entry = this.entry(key);
    return { key, size: entry.bytes.byteLength, lastModified: entry.lastModified, etag: entry.etag };
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectMeta> {
    const keys = [...this.objects.keys()]
      .filter((k) => k.startsWith(prefix) && (options.startAfter === undefined || compareKeys(k, options.startAfter) > 0))
      .sort(compareKeys);
    for (const key of keys) {
      const entry = this.objects.get(key);
      if (entry) yield { key, size: entry.bytes.byteLength, lastModified: entry.lastModified, etag: entry.etag };
    }
  }

  async put(key: string, body: PutBody): Promise<void> {
    this.set(key, body);
  }

  async putIfAbsent(key: string, body: PutBody): Promise<void> {
    if (this.objects.has(key)) throw new AlreadyExistsError("object already exists", { path: `${this.root}/${key}` });
    this.set(key, body);
  }

  async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }

  /** Sets an object's last-modified time (tests of timestamp time travel use this). */
  setLastModified(key: string, lastModified: number): void {
    this.entry(key).lastModified = lastModified;
  }

  private set(key: string, body: PutBody): void {
    // Copy into a plain Uint8Array so that later mutation of the caller's buffer cannot change
    // stored bytes. (Uint8Array.prototype.slice on a Node Buffer makes a Buffer, whose own slice()
    // in get() would then hand out views of the stored bytes.)
    const bytes = typeof body === "string" ? bodyBytes(body) : new Uint8Array(body);
    this.objects.set(key, { bytes, lastModified: this.now(), etag: `"m${++this.etagCounter}"` });
  }

  private entry(key: string): Entry {
    const entry = this.objects.get(key);
    if (!entry) throw new NotFoundError("object not found", { path: `${this.root}/${key}` });
    return entry;
  }
}

/** Orders keys by UTF-8 bytes, as S3, R2 and Azure list them. */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const ea = utf8.encode(a);
  const eb = utf8.encode(b);
  const n = Math.min(ea.length, eb.length);
  for (let i = 0; i < n; i++) {
    const d = (ea[i] as number) - (eb[i] as number);
    if (d !== 0) return d;
  }
  return ea.length - eb.length;
}
const utf8 = new TextEncoder();
