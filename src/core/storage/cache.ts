/**
 * CachingStore: wraps any ObjectStore with a byte-bounded LRU cache of `get` results. Cached
 * segments are remembered per key as absolute byte ranges (plus suffix reads while the object size
 * is unknown), so a ranged read inside a cached full object or a cached larger range is served
 * without a request. Identical concurrent gets share one inner request; writes and deletes made
 * through the cache invalidate their key. Only immutable objects should be cached, hence the
 * `cacheable` option (by default everything except `_delta_log/_last_checkpoint`).
 */
import { prepareReads, resolveRange, type ByteRange, type GetOptions, type ListOptions, type ObjectMeta, type ObjectStore, type PutBody, StoreWrapper } from "./object-store.js";

/** Options of {@link CachingStore}. */
export interface CachingStoreOptions {
  /** Upper bound of cached bytes (default 64 MiB). Results larger than this are not cached. */
  maxBytes?: number;
  /** Which keys may be cached (default: all but `_delta_log/_last_checkpoint`, which is rewritten). */
  cacheable?: (key: string) => boolean;
}

/** Counters of a {@link CachingStore}. */
export interface CacheStats {
  hits: number;
  misses: number;
  /** Gets that joined an identical request already in flight. */
  deduplicated: number;
  /** Bytes currently held. */
  bytes: number;
  /** Segments currently held. */
  segments: number;
}

/** Default `cacheable`: every key except a `_last_checkpoint` pointer (it changes in place). */
export function defaultCacheable(key: string): boolean {
  return key !== "_delta_log/_last_checkpoint" && !key.endsWith("/_delta_log/_last_checkpoint");
}

/** A cached run of bytes: at an absolute offset, or the last `suffix` bytes while size is unknown. */
type Segment = { key: string; start: number; bytes: Uint8Array } | { key: string; suffix: number; bytes: Uint8Array };

interface Entry {
  size?: number;
  segments: Segment[];
}

interface Flight {
  key: string;
  promise: Promise<Uint8Array>;
  controller: AbortController;
  waiters: number;
  stale: boolean;
  settled: boolean;
  cached: boolean;
}

/** An ObjectStore wrapper caching `get` results in a byte-bounded LRU. */
export class CachingStore extends StoreWrapper implements ObjectStore {
  private readonly maxBytes: number;
  private readonly cacheable: (key: string) => boolean;
  private readonly entries = new Map<string, Entry>();
  /** Every cached segment, least recently used first. */
  private readonly lru = new Set<Segment>();
  private readonly flights = new Map<string, Flight>();
  private counters = { hits: 0, misses: 0, deduplicated: 0, bytes: 0 };

  constructor(inner: ObjectStore, options: CachingStoreOptions = {}) {
    super(inner);
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.cacheable = options.cacheable ?? defaultCacheable;
  }

  /** Hit, miss and size counters. */
  cacheStats(): CacheStats {
    return { ...this.counters, segments: this.lru.size };
  }

  /** Drops every cached segment (in-flight requests complete but are not cached). */
  clear(): void {
    for (const key of [...this.entries.keys()]) this.invalidate(key);
  }

  async get(key: string, options: GetOptions = {}): Promise<Uint8Array> {
    const cacheable = this.cacheable(key);
    const hit = cacheable ? this.lookup(key, options.range) : undefined;
    if (hit !== undefined) {
      this.counters.hits++;
      return hit;
    }
    const id = `${key}\u0000${rangeId(options.range)}`;
    let flight = this.flights.get(id);
    if (flight === undefined) {
      this.counters.misses++;
      flight = this.start(id, key, options.range, cacheable);
    } else {
      this.counters.deduplicated++;
    }
    return this.wait(id, flight, options.signal);
  }

  async head(key: string): Promise<ObjectMeta> {
    return this.inner.head(key);
  }

  list(prefix: string, options?: ListOptions): AsyncIterable<ObjectMeta> {
    return this.inner.list(prefix, options);
  }

  /** Forwards the read hint for the keys with nothing cached yet. */
  prepareReads(keys: readonly string[]): Promise<void> {
    return prepareReads(this.inner, keys.filter((k) => !this.entries.has(k)));
  }

  async put(key: string, body: PutBody): Promise<void> {
    return this.write(key, () => this.inner.put(key, body));
  }

  async putIfAbsent(key: string, body: PutBody): Promise<void> {
    return this.write(key, () => this.inner.putIfAbsent(key, body));
  }

  async delete(key: string): Promise<void> {
    return this.write(key, () => this.inner.delete(key));
  }

  /** Forgets everything cached or in flight for one key. */
  invalidate(key: string): void {
    const entry = this.entries.get(key);
    if (entry) for (const segment of [...entry.segments]) this.evict(segment);
    this.entries.delete(key);
    for (const [id, flight] of this.flights) {
      if (flight.key === key) {
        flight.stale = true;
        this.flights.delete(id);
      }
    }
  }

  private async write(key: string, run: () => Promise<void>): Promise<void> {
    this.invalidate(key);
    try {
      await run();
    } finally {
      this.invalidate(key); // a read that raced the write may have cached old bytes
    }
  }

  private start(id: string, key: string, range: ByteRange | undefined, cacheable: boolean): Flight {
    const controller = new AbortController();
    const options: GetOptions = { signal: controller.signal };
    if (range !== undefined) options.range = range;
    const flight: Flight = { key, controller, waiters: 0, stale: false, settled: false, cached: false, promise: Promise.resolve(new Uint8Array(0)) };
    const done = (): void => {
      flight.settled = true;
      if (this.flights.get(id) === flight) this.flights.delete(id); // before any waiter resumes
    };
    flight.promise = this.inner.get(key, options).then(
      (bytes) => {
        done();
        if (cacheable && !flight.stale) flight.cached = this.insert(key, range, bytes);
        return bytes;
      },
      (error: unknown) => {
        done();
        throw error;
      },
    );
    this.flights.set(id, flight);
    return flight;
  }

  /** Waits for a flight on behalf of one caller; the inner request aborts only when all callers did. */
  private async wait(id: string, flight: Flight, signal: AbortSignal | undefined): Promise<Uint8Array> {
    flight.waiters++;
    const shared = (bytes: Uint8Array): Uint8Array => (flight.cached || flight.waiters > 1 ? bytes.slice() : bytes);
    if (signal === undefined) return shared(await flight.promise);
    signal.throwIfAborted();
    let onAbort: () => void = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        if (--flight.waiters === 0 && !flight.settled) {
          if (this.flights.get(id) === flight) this.flights.delete(id);
          flight.controller.abort(signal.reason);
        }
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      return shared(await Promise.race([flight.promise, aborted]));
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  /** A copy of the requested bytes when the cache covers them. */
  private lookup(key: string, range: ByteRange | undefined): Uint8Array | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    let want: [number, number] | undefined;
    if (entry.size !== undefined) want = resolveRange(range, entry.size);
    else if (range !== undefined && !("suffix" in range) && range.length !== undefined) want = [range.offset, range.offset + range.length];
    for (const segment of entry.segments) {
      let bytes: Uint8Array | undefined;
      if ("start" in segment) {
        if (want !== undefined && segment.start <= want[0] && segment.start + segment.bytes.byteLength >= want[1]) {
          bytes = segment.bytes.subarray(want[0] - segment.start, want[1] - segment.start);
        }
      } else if (range !== undefined && "suffix" in range && segment.suffix >= range.suffix) {
        bytes = segment.bytes.subarray(Math.max(0, segment.bytes.byteLength - range.suffix));
      }
      if (bytes !== undefined) {
        this.lru.delete(segment); // most recently used now
        this.lru.add(segment);
        return bytes.slice();
      }
    }
    return undefined;
  }

  /** Remembers a get result; returns whether it was kept. */
  private insert(key: string, range: ByteRange | undefined, bytes: Uint8Array): boolean {
    if (bytes.byteLength > this.maxBytes) return false;
    let size: number | undefined;
    let segment: Segment;
    if (range === undefined) {
      size = bytes.byteLength;
      segment = { key, start: 0, bytes };
    } else if ("suffix" in range) {
      if (bytes.byteLength < range.suffix) size = bytes.byteLength; // the whole object
      segment = size !== undefined ? { key, start: 0, bytes } : { key, suffix: range.suffix, bytes };
    } else {
      if (bytes.byteLength === 0) return false; // at or past the end: says nothing useful
      if (range.length === undefined || bytes.byteLength < range.length) size = range.offset + bytes.byteLength;
      segment = { key, start: range.offset, bytes };
    }
    let entry = this.entries.get(key);
    if (entry !== undefined && size !== undefined && entry.size !== undefined && entry.size !== size) {
      this.invalidate(key); // the object changed under us; start over
      entry = undefined;
    }
    if (entry === undefined) {
      entry = { segments: [] };
      this.entries.set(key, entry);
    }
    if (size !== undefined) entry.size = size;
    if (entry.size !== undefined) {
      const total = entry.size;
      if ("suffix" in segment) segment = { key, start: total - bytes.byteLength, bytes };
      for (const old of [...entry.segments]) {
        if ("suffix" in old) this.replace(old, { key, start: total - old.bytes.byteLength, bytes: old.bytes });
      }
    }
    for (const old of [...entry.segments]) if (covers(segment, old)) this.evict(old);
    if (entry.segments.some((old) => covers(old, segment))) return true;
    this.entries.set(key, entry); // evicting the last old segment may have dropped the entry
    entry.segments.push(segment);
    this.lru.add(segment);
    this.counters.bytes += bytes.byteLength;
    while (this.counters.bytes > this.maxBytes) {
      const oldest = this.lru.values().next().value;
      if (oldest === undefined) break;
      this.evict(oldest);
    }
    return this.lru.has(segment);
  }

  /** Swaps a suffix segment for its absolute form, keeping its place in the LRU order. */
  private replace(old: Segment, next: Segment): void {
    const entry = this.entries.get(old.key);
    if (entry === undefined) return;
    entry.segments[entry.segments.indexOf(old)] = next;
    const order = [...this.lru];
    this.lru.clear();
    for (const s of order) this.lru.add(s === old ? next : s);
  }

  private evict(segment: Segment): void {
    if (!this.lru.delete(segment)) return;
    this.counters.bytes -= segment.bytes.byteLength;
    const entry = this.entries.get(segment.key);
    if (entry === undefined) return;
    entry.segments = entry.segments.filter((s) => s !== segment);
    if (entry.segments.length === 0) this.entries.delete(segment.key);
  }
}

/** Whether segment `a` holds every byte of `b` (both absolute, or both suffixes). */
function covers(a: Segment, b: Segment): boolean {
  if ("start" in a && "start" in b) return a.start <= b.start && a.start + a.bytes.byteLength >= b.start + b.bytes.byteLength;
  if ("suffix" in a && "suffix" in b) return a.suffix >= b.suffix;
  return false;
}

function rangeId(range: ByteRange | undefined): string {
  if (range === undefined) return "all";
  if ("suffix" in range) return `-${range.suffix}`;
  return `${range.offset}-${range.length ?? ""}`;
}
