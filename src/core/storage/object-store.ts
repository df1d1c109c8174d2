/**
 * The ObjectStore contract: the only way delta-edge code touches bytes. Keys are relative to the
 * store's root (normally a table root) and use "/" separators; the store owns URL encoding.
 * Every backend (memory, http, s3, r2-binding, azure, local files) implements this and passes the
 * shared storage conformance suite in test/storage.
 */
import { NotFoundError } from "../errors.js";
import type { S3CommitOptions } from "./s3-config.js";

/** A byte range: `{offset, length?}` (length absent = to the end) or `{suffix}` (last N bytes). */
export type ByteRange = { offset: number; length?: number } | { suffix: number };

/** Metadata of one stored object. */
export interface ObjectMeta {
  /** Key relative to the store root. */
  key: string;
  /** Size in bytes. */
  size: number;
  /** Last-modified time in milliseconds since the epoch (0 when the backend cannot tell). */
  lastModified: number;
  /** Opaque entity tag when the backend has one. */
  etag?: string;
  /**
   * True for a store's own in-progress file (e.g. LocalStore's `.delta-edge-tmp-*` before its
   * rename): listed only with `includeTemporary`, left behind only by a writer that died, and
   * deletable by its key (vacuum reclaims them).
   */
  temporary?: true;
}

/** Options of `get`. */
export interface GetOptions {
  range?: ByteRange;
  signal?: AbortSignal;
}

/** Options of `list`. */
export interface ListOptions {
  /** Only keys strictly greater than this one (lexicographic, by UTF-8 bytes / code units). */
  startAfter?: string;
  signal?: AbortSignal;
  /**
   * Also list the store's own temporary files (ObjectMeta.temporary), which every other listing
   * hides. Stores that keep no temporary files ignore it. Only vacuum asks for them.
   */
  includeTemporary?: boolean;
}

/** The body of a put: bytes or a string (UTF-8). */
export type PutBody = Uint8Array | string;

/**
 * One object store. `list` yields objects sorted by key, paginating internally. `putIfAbsent`
 * throws AlreadyExistsError when the key exists (atomically: exactly one of N racing callers wins).
 * `get` and `head` throw NotFoundError for a missing key; `delete` is idempotent.
 */
/** What a store tells the commit strategy choice about its location (see ObjectStore.commitTarget). */
export interface CommitTarget {
  /** Parsed commit settings (AWS_CONDITIONAL_PUT, AWS_S3_LOCKING_PROVIDER, ...), when configured. */
  readonly commit: S3CommitOptions | undefined;
  /** delta-rs's table URI of the location (`scheme://bucket/prefix`, path percent-encoded, no trailing slash). */
  readonly tableUri: string;
  /** The region of the endpoint (the DynamoDB client's default region). */
  readonly region: string | undefined;
  /** Whether the endpoint is plain http (the DynamoDB client then allows http too). */
  readonly httpEndpoint: boolean;
}

export interface ObjectStore {
  /** Human-readable root of this store (a URL), used in error messages. */
  readonly root: string;
  /** Whether this store can write (http stores are read-only). */
  readonly writable: boolean;
  /** Whether this store can list keys (plain http hosting cannot). */
  readonly listable: boolean;
  get(key: string, options?: GetOptions): Promise<Uint8Array>;
  head(key: string): Promise<ObjectMeta>;
  list(prefix: string, options?: ListOptions): AsyncIterable<ObjectMeta>;
  put(key: string, body: PutBody): Promise<void>;
  putIfAbsent(key: string, body: PutBody): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Optional hint: the caller is about to `get` these keys (any ranges). A store whose requests
   * need preparing (PresignedS3Store has each URL signed by a signing service) prepares them all
   * in one round trip instead of one per request; stores without such a cost need not implement
   * it. Never changes what a later request returns. Call it through {@link prepareReads}.
   */
  prepareReads?(keys: readonly string[]): Promise<void>;
  /**
   * Optional capability of S3-compatible stores: what the commit strategy choice
   * (logstore/select.ts) needs to know about the location, so it never imports a backend class.
   */
  commitTarget?(): CommitTarget;
}

/** Gives a store the hint that these keys are about to be read (see ObjectStore.prepareReads). */
export async function prepareReads(store: ObjectStore, keys: readonly string[]): Promise<void> {
  if (keys.length > 0 && store.prepareReads !== undefined) await store.prepareReads(keys);
}

/** Encodes a put body to bytes. */
export function bodyBytes(body: PutBody): Uint8Array {
  return typeof body === "string" ? new TextEncoder().encode(body) : body;
}

/** Resolves a range against an object size to [start, end) (end exclusive), clamped. */
export function resolveRange(range: ByteRange | undefined, size: number): [number, number] {
  if (range === undefined) return [0, size];
  if ("suffix" in range) return [Math.max(0, size - range.suffix), size];
  const start = Math.min(range.offset, size);
  const end = range.length === undefined ? size : Math.min(size, range.offset + range.length);
  return [start, Math.max(start, end)];
}

/** Whether a range asks for no bytes at all (`{suffix: 0}`, a length of 0 or less). */
export function isEmptyRange(range: ByteRange): boolean {
  return "suffix" in range ? range.suffix <= 0 : range.length !== undefined && range.length <= 0;
}

/** ObjectMeta from HTTP response headers (Last-Modified, ETag), with the size given by the caller. */
export function objectMetaFromHeaders(key: string, size: number, headers: Headers): ObjectMeta {
  const modified = Date.parse(headers.get("Last-Modified") ?? "");
  const meta: ObjectMeta = { key, size, lastModified: Number.isNaN(modified) ? 0 : modified };
  const etag = headers.get("ETag");
  if (etag !== null) meta.etag = etag;
  return meta;
}

/** Whether a key exists (a HEAD; NotFoundError means no, other errors are thrown). */
export async function objectExists(store: ObjectStore, key: string): Promise<boolean> {
  try {
    await store.head(key);
    return true;
  } catch (err) {
    if (err instanceof NotFoundError) return false;
    throw err;
  }
}

/** A key's bytes, or undefined when it does not exist. */
export async function getIfExists(store: ObjectStore, key: string): Promise<Uint8Array | undefined> {
  try {
    return await store.get(key);
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
}

/**
 * Base of the stores that wrap another one (caching, counting): the inner store and its root,
 * writability and listability, which a wrapper keeps unless it overrides them.
 */
export abstract class StoreWrapper {
  constructor(readonly inner: ObjectStore) {}

  get root(): string {
    return this.inner.root;
  }

  get writable(): boolean {
    return this.inner.writable;
  }

  get listable(): boolean {
    return this.inner.listable;
  }
}
