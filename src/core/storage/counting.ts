/**
 * CountingStore: wraps any ObjectStore and records every request it forwards — how many of each
 * kind, bytes read and written, and an ordered log of operations with their key and range — so
 * tests and benchmarks can assert exactly which objects a read touched. It changes no behaviour.
 */
import { prepareReads, type ByteRange, type GetOptions, type ListOptions, type ObjectMeta, type ObjectStore, type PutBody, StoreWrapper } from "./object-store.js";

/** The kinds of request a store serves. */
export type StoreOp = "get" | "head" | "list" | "put" | "putIfAbsent" | "delete";

/** One logged request. `key` is the prefix for `list`; `bytes` is read (get) or written (put). */
export interface StoreOperation {
  op: StoreOp;
  key: string;
  range?: ByteRange;
  bytes: number;
  /** The error code (DeltaError `code`, or the error name) when the request failed. */
  error?: string;
}

/** Request counts and byte totals of a {@link CountingStore}. */
export interface StoreStats {
  get: number;
  head: number;
  /** One per `list` call that was iterated (internal pagination is not counted separately). */
  list: number;
  put: number;
  putIfAbsent: number;
  delete: number;
  /** All requests together. */
  requests: number;
  /** Bytes returned by `get`. */
  bytesRead: number;
  /** Bytes sent by `put` and `putIfAbsent` (also when putIfAbsent lost). */
  bytesWritten: number;
}

/** An ObjectStore wrapper that counts and logs the requests it forwards to `inner`. */
export class CountingStore extends StoreWrapper implements ObjectStore {
  private log: StoreOperation[] = [];

  constructor(inner: ObjectStore) {
    super(inner);
  }

  /** Counts and byte totals since construction or the last {@link reset}. */
  stats(): StoreStats {
    const s: StoreStats = { get: 0, head: 0, list: 0, put: 0, putIfAbsent: 0, delete: 0, requests: 0, bytesRead: 0, bytesWritten: 0 };
    for (const o of this.log) {
      s[o.op]++;
      s.requests++;
      if (o.op === "get") s.bytesRead += o.bytes;
      else if (o.op === "put" || o.op === "putIfAbsent") s.bytesWritten += o.bytes;
    }
    return s;
  }

  /** The logged requests in the order they were issued (copies). */
  operations(): StoreOperation[] {
    return this.log.map((o) => ({ ...o }));
  }

  /** Forgets all counts and the log. */
  reset(): void {
    this.log = [];
  }

  async get(key: string, options?: GetOptions): Promise<Uint8Array> {
    const entry = this.record("get", key, 0, options?.range);
    const bytes = await this.track(entry, this.inner.get(key, options));
    entry.bytes = bytes.byteLength;
    return bytes;
  }

  async head(key: string): Promise<ObjectMeta> {
    return this.track(this.record("head", key, 0), this.inner.head(key));
  }

  async *list(prefix: string, options?: ListOptions): AsyncIterable<ObjectMeta> {
    const entry = this.record("list", prefix, 0);
    try {
      yield* this.inner.list(prefix, options);
    } catch (error) {
      entry.error = errorCode(error);
      throw error;
    }
  }

  async put(key: string, body: PutBody): Promise<void> {
    return this.track(this.record("put", key, byteLength(body)), this.inner.put(key, body));
  }

  async putIfAbsent(key: string, body: PutBody): Promise<void> {
    return this.track(this.record("putIfAbsent", key, byteLength(body)), this.inner.putIfAbsent(key, body));
  }

  async delete(key: string): Promise<void> {
    return this.track(this.record("delete", key, 0), this.inner.delete(key));
  }

  /** Forwards the read hint (not a request: not counted). */
  prepareReads(keys: readonly string[]): Promise<void> {
    return prepareReads(this.inner, keys);
  }

  private record(op: StoreOp, key: string, bytes: number, range?: ByteRange): StoreOperation {
    const entry: StoreOperation = { op, key, bytes };
    if (range !== undefined) entry.range = { ...range };
    this.log.push(entry);
    return entry;
  }

  private async track<T>(entry: StoreOperation, promise: Promise<T>): Promise<T> {
    try {
      return await promise;
    } catch (error) {
      entry.error = errorCode(error);
      throw error;
    }
  }
}

function byteLength(body: PutBody): number {
  return typeof body === "string" ? new TextEncoder().encode(body).byteLength : body.byteLength;
}

function errorCode(error: unknown): string {
  if (typeof error === "object" && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string") return code;
    const name = (error as { name?: unknown }).name;
    if (typeof name === "string") return name;
  }
  return "ERROR";
}
