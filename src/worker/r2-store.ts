/**
 * R2BindingStore: an ObjectStore over a Cloudflare Workers R2 bucket binding (`env.BUCKET`), the
 * native way for a Worker to reach R2 — no signing, no HTTP. Ranged reads map to R2's
 * `{offset, length}` / `{suffix}`, listing loops on `truncated` with cursors (pages may come back
 * short), and `putIfAbsent` is one conditional put with `onlyIf: {etagDoesNotMatch: "*"}`, which R2
 * (and Miniflare's simulator) checks and applies atomically; a `null` result means the key exists.
 * The binding has no copy, so there is no copy-if-absent here. Keys longer than R2's 1024 bytes
 * are refused as InvalidInputError before any request. The binding is typed structurally
 * (R2BucketLike) so that neither @cloudflare/workers-types nor Miniflare is needed to compile.
 */
import { AlreadyExistsError, DeltaError, InvalidInputError, NotFoundError, StorageError } from "../core/errors.js";
import { bodyBytes, isEmptyRange, resolveRange, type ByteRange, type GetOptions, type ListOptions, type ObjectMeta, type ObjectStore, type PutBody } from "../core/storage/object-store.js";
import { normalizePrefix, prefixedRoot } from "../core/storage/s3-url.js";

/** The parts of an R2 object's metadata this store reads. */
export interface R2ObjectLike {
  key: string;
  size: number;
  etag: string;
  httpEtag: string;
  uploaded: Date;
}

/** An R2 object with its body. */
export interface R2ObjectBodyLike extends R2ObjectLike {
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** An R2 range: `{offset, length?}`, `{offset?, length}` or `{suffix}`. */
export type R2RangeLike = { offset: number; length?: number } | { offset?: number; length: number } | { suffix: number };

/** One page of an R2 listing. */
export interface R2ListLike {
  objects: R2ObjectLike[];
  truncated: boolean;
  cursor?: string;
}

/** The subset of the Workers `R2Bucket` binding this store uses. */
export interface R2BucketLike {
  head(key: string): Promise<R2ObjectLike | null>;
  get(key: string, options?: { range?: R2RangeLike }): Promise<R2ObjectBodyLike | R2ObjectLike | null>;
  put(key: string, value: ArrayBuffer | ArrayBufferView | string, options?: { onlyIf?: { etagDoesNotMatch?: string } }): Promise<R2ObjectLike | null>;
  delete(keys: string | string[]): Promise<void>;
  list(options?: { prefix?: string; cursor?: string; startAfter?: string; limit?: number }): Promise<R2ListLike>;
}

/** Options of {@link R2BindingStore}. */
export interface R2BindingStoreOptions {
  /** The bucket binding (`env.BUCKET`), or Miniflare's `getR2Bucket()` proxy in tests. */
  bucket: R2BucketLike;
  /** Name shown in `root` and error messages, as `r2://<name>/<prefix>` (default `bucket`). */
  name?: string;
  /** Key prefix of the table root inside the bucket. */
  prefix?: string;
  /** Keys per listing page (1..1000, default 1000). */
  listPageSize?: number;
}

/** An ObjectStore over a Workers R2 binding. */
export class R2BindingStore implements ObjectStore {
  readonly root: string;
  readonly writable = true;
  readonly listable = true;
  private readonly bucket: R2BucketLike;
  private readonly prefix: string;
  private readonly pageSize: number;

  constructor(options: R2BindingStoreOptions) {
    this.bucket = options.bucket;
    this.prefix = normalizePrefix(options.prefix);
    this.root = prefixedRoot("r2", options.name ?? "bucket", this.prefix);
    this.pageSize = options.listPageSize ?? 1000;
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1 || this.pageSize > 1000) {
      throw new InvalidInputError(`listPageSize must be an integer in 1..1000, got ${options.listPageSize}`, { path: this.root });
    }
  }

  async get(key: string, options: GetOptions = {}): Promise<Uint8Array> {
    options.signal?.throwIfAborted();
    const range = options.range;
    if (range !== undefined && isEmptyRange(range)) {
      await this.head(key);
      return new Uint8Array(0);
    }
    const r2Range = range === undefined ? undefined : toR2Range(range);
    let object: R2ObjectBodyLike | R2ObjectLike | null;
    try {
      object = await this.bucket.get(this.full(key), r2Range === undefined ? undefined : { range: r2Range });
    } catch (cause) {
      if (range === undefined) throw this.failure("get", key, cause);
      // R2 refuses some ranges past the end (with an unspecific error); the contract clamps them.
      const meta = await this.head(key);
      const [start, end] = resolveRange(range, meta.size);
      if (start >= end) return new Uint8Array(0);
      throw this.failure("get", key, cause);
    }
    if (object === null) throw new NotFoundError("object not found", { path: this.pathOf(key) });
    if (!("arrayBuffer" in object)) throw new StorageError("R2 returned an object without a body", { path: this.pathOf(key) });
    return new Uint8Array(await object.arrayBuffer());
  }

  async head(key: string): Promise<ObjectMeta> {
    let object: R2ObjectLike | null;
    try {
      object = await this.bucket.head(this.full(key));
    } catch (cause) {
      throw this.failure("head", key, cause);
    }
    if (object === null) throw new NotFoundError("object not found", { path: this.pathOf(key) });
    return this.meta(object, key);
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectMeta> {
    let cursor: string | undefined;
    for (;;) {
      options.signal?.throwIfAborted();
      const request: { prefix: string; limit: number; cursor?: string; startAfter?: string } = {
        prefix: this.prefix + prefix,
        limit: this.pageSize,
      };
      if (cursor !== undefined) request.cursor = cursor;
      else if (options.startAfter !== undefined) request.startAfter = this.prefix + options.startAfter;
      let page: R2ListLike;
      try {
        page = await this.bucket.list(request);
      } catch (cause) {
        throw this.failure("list", prefix, cause);
      }
      for (const object of page.objects) yield this.meta(object, object.key.slice(this.prefix.length));
      if (!page.truncated) return;
      if (page.cursor === undefined) throw new StorageError("truncated R2 listing without a cursor", { path: this.root });
      cursor = page.cursor;
    }
  }

  async put(key: string, body: PutBody): Promise<void> {
    try {
      await this.bucket.put(this.full(key), bodyBytes(body));
    } catch (cause) {
      throw this.failure("put", key, cause);
    }
  }

  async putIfAbsent(key: string, body: PutBody): Promise<void> {
    let result: R2ObjectLike | null;
    try {
      result = await this.bucket.put(this.full(key), bodyBytes(body), { onlyIf: { etagDoesNotMatch: "*" } });
    } catch (cause) {
      throw this.failure("conditional put", key, cause);
    }
    if (result === null) throw new AlreadyExistsError("object already exists", { path: this.pathOf(key) });
  }

  async delete(key: string): Promise<void> {
    try {
      await this.bucket.delete(this.full(key));
    } catch (cause) {
      throw this.failure("delete", key, cause);
    }
  }

  private full(key: string): string {
    if (key === "") throw new InvalidInputError("invalid object key (empty)", { path: this.root });
    const full = this.prefix + key;
    const bytes = utf8Length(full);
    if (bytes > R2_MAX_KEY_BYTES) {
      throw new InvalidInputError(`object key is ${bytes} bytes, over R2's limit of ${R2_MAX_KEY_BYTES} (a long partition value or table name?)`, {
        path: this.pathOf(key),
      });
    }
    return full;
  }

  private pathOf(key: string): string {
    return `${this.root}/${key}`;
  }

  private meta(object: R2ObjectLike, key: string): ObjectMeta {
    const uploaded = object.uploaded instanceof Date ? object.uploaded.getTime() : Date.parse(String(object.uploaded));
    return { key, size: object.size, lastModified: Number.isNaN(uploaded) ? 0 : uploaded, etag: object.httpEtag };
  }

  private failure(operation: string, key: string, cause: unknown): DeltaError {
    return r2Failure(operation, this.pathOf(key), cause);
  }
}

/** Runs a call on an R2 binding; its failures (a missing object is null, not a failure) become StorageErrors. */
export async function callR2<T>(operation: string, path: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    throw r2Failure(operation, path, cause);
  }
}

function r2Failure(operation: string, path: string, cause: unknown): DeltaError {
  if (cause instanceof DeltaError) return cause;
  const message = cause instanceof Error ? cause.message : String(cause);
  return new StorageError(`R2 ${operation} failed: ${message}`, { path, cause });
}

/** R2's limit on object key length, in UTF-8 bytes. */
export const R2_MAX_KEY_BYTES = 1024;

/** The UTF-8 length of a string (lone surrogates count 3, as TextEncoder writes U+FFFD). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function toR2Range(range: ByteRange): R2RangeLike {
  if ("suffix" in range) return { suffix: range.suffix };
  return range.length === undefined ? { offset: range.offset } : { offset: range.offset, length: range.length };
}
