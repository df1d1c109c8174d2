/**
 * HttpStore: a read-only ObjectStore over plain HTTP(S) hosting (a CDN, a static site, a public
 * bucket, the Worker's `/objects/` route). Uses only `fetch`. Keys are URL-encoded per path
 * segment, reads use `Range` headers (206, or 200 from servers that ignore Range, sliced locally),
 * and `head` falls back to a one-byte ranged GET where HEAD is refused. Requests go through the
 * shared retrying {@link Transport} (timeouts, retries of 5xx, 429, resets and cut bodies; every
 * request here is a read, so all are retried). Errors name the object's URL without its query
 * string (which may hold a signature or a SAS token). Static hosting cannot list, so `listable` is
 * false and `list` throws; writes throw because the store is read-only.
 */
import { DeltaError, InvalidInputError, NotFoundError, StorageError } from "../errors.js";
import { attemptsOf, attemptsSuffix, Transport } from "./retry.js";
import type { ClientConfig } from "./storage-options.js";
import { isEmptyRange, objectMetaFromHeaders, resolveRange, type ByteRange, type GetOptions, type ListOptions, type ObjectMeta } from "./object-store.js";
import { ReadOnlyStore } from "./read-only.js";

/** Options of {@link HttpStore}. */
export interface HttpStoreOptions {
  /** Base URL of the table root (a trailing slash is added when missing). A query string is kept. */
  url: string;
  /** The fetch to use (inject for tests, signing or a Worker service binding); default globalThis.fetch. */
  fetch?: typeof fetch;
  /** Headers sent with every request (for example `Authorization`). */
  headers?: Record<string, string>;
  /** Extra RequestInit merged into every request (for example `credentials`, `cache`). */
  requestInit?: RequestInit;
  /** Timeouts and retries (TIMEOUT, CONNECT_TIMEOUT, MAX_RETRIES, RETRY_TIMEOUT, BACKOFF_CONFIG.*). */
  client?: ClientConfig;
}

/** A read-only ObjectStore over HTTP(S) GET/HEAD requests. */
export class HttpStore extends ReadOnlyStore {
  readonly root: string;
  readonly listable = false;
  private readonly base: URL;
  private readonly transport: Transport;
  private readonly headers: Record<string, string>;
  private readonly requestInit: RequestInit;

  constructor(options: HttpStoreOptions) {
    super("the http store is read-only: use s3, r2, azure or a local store to write");
    let base: URL;
    try {
      base = new URL(options.url);
    } catch (cause) {
      throw new InvalidInputError("invalid http store URL", { path: options.url, cause });
    }
    if (base.protocol !== "http:" && base.protocol !== "https:") {
      throw new InvalidInputError(`http store needs an http: or https: URL, got ${base.protocol}`, { path: options.url });
    }
    if (!base.pathname.endsWith("/")) base.pathname += "/";
    base.hash = "";
    this.base = base;
    this.root = `${base.origin}${base.pathname.slice(0, -1)}`;
    this.transport = new Transport({ fetch: options.fetch, client: options.client });
    this.headers = { ...options.headers };
    this.requestInit = options.requestInit ?? {};
  }

  /** The absolute URL of a key (each path segment percent-encoded). */
  urlOf(key: string): string {
    const segments = key.split("/");
    if (key === "" || segments.some((s) => s === "" || s === "." || s === "..")) {
      throw new InvalidInputError("invalid object key (empty, '.' or '..' segment)", { path: `${this.root}/${key}` });
    }
    const encoded = segments.map(encodeURIComponent).join("/");
    return `${this.base.origin}${this.base.pathname}${encoded}${this.base.search}`;
  }

  async get(key: string, options: GetOptions = {}): Promise<Uint8Array> {
    const { range, signal } = options;
    if (range !== undefined && isEmptyRange(range)) {
      await this.head(key); // nothing to read, but a missing key must still be NotFound
      return new Uint8Array(0);
    }
    const headers: Record<string, string> = {};
    if (range !== undefined) headers["Range"] = rangeHeader(range);
    const res = await this.request(key, "GET", headers, { signal, range });
    if (res.status === 206) return new Uint8Array(await res.arrayBuffer());
    if (res.status === 416) {
      // Range starts at or beyond the end: the object exists, the clamped range is empty.
      await res.body?.cancel();
      return new Uint8Array(0);
    }
    if (res.ok) {
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (range === undefined) return bytes;
      const [start, end] = resolveRange(range, bytes.byteLength); // server ignored Range
      return bytes.slice(start, end);
    }
    throw await this.failure(key, res);
  }

  async head(key: string): Promise<ObjectMeta> {
    const res = await this.request(key, "HEAD", {});
    const length = res.headers.get("Content-Length");
    if (res.ok && length !== null) return this.meta(key, Number(length), res.headers);
    if (!res.ok && res.status !== 403 && res.status !== 405 && res.status !== 501) throw await this.failure(key, res);
    // HEAD refused (some signed URLs and hosts) or no length: ask for one byte instead.
    const probe = await this.request(key, "GET", { Range: "bytes=0-0" }, { headersOnly: true });
    if (probe.status === 206 || probe.status === 416) {
      const total = /\/(\d+)\s*$/.exec(probe.headers.get("Content-Range") ?? "")?.[1];
      await probe.body?.cancel();
      if (total !== undefined) return this.meta(key, Number(total), probe.headers);
      if (probe.status === 416) return this.meta(key, 0, probe.headers);
      throw new StorageError("ranged GET without a usable Content-Range", { path: this.pathOf(key), status: 206 });
    }
    if (probe.ok) {
      const probeLength = probe.headers.get("Content-Length");
      if (probeLength !== null) {
        await probe.body?.cancel();
        return this.meta(key, Number(probeLength), probe.headers);
      }
      const bytes = await probe.arrayBuffer().catch((cause: unknown) => {
        throw new StorageError("reading the probe's body failed", { path: this.pathOf(key), cause });
      });
      return this.meta(key, bytes.byteLength, probe.headers);
    }
    throw await this.failure(key, probe);
  }

  list(prefix: string, _options?: ListOptions): AsyncIterable<ObjectMeta> {
    throw new DeltaError(
      "UNSUPPORTED",
      `cannot list "${prefix}": static HTTP hosting has no listing; read through the log ` +
        "(_delta_log/_last_checkpoint and numbered commits) or use a listable store",
      { path: this.root },
    );
  }

  /** The URL of a key as errors name it: without the query string (it may carry credentials). */
  pathOf(key: string): string {
    return `${this.root}/${key}`;
  }

  private request(
    key: string,
    method: "GET" | "HEAD",
    extra: Record<string, string>,
    options: { signal?: AbortSignal | undefined; range?: ByteRange | undefined; headersOnly?: boolean } = {},
  ): Promise<Response> {
    const url = this.urlOf(key);
    const headers = new Headers(this.requestInit.headers);
    for (const [name, value] of Object.entries(this.headers)) headers.set(name, value);
    for (const [name, value] of Object.entries(extra)) headers.set(name, value);
    const init: RequestInit = { ...this.requestInit, method, headers };
    delete init.signal; // the transport combines the caller's signal with its timeouts
    return this.transport.send(() => ({ url, init }), {
      idempotent: true,
      signal: options.signal ?? this.requestInit.signal ?? undefined,
      path: this.pathOf(key),
      range: options.range,
      ...(options.headersOnly === true ? { headersOnly: true } : {}),
    });
  }

  private async failure(key: string, res: Response): Promise<DeltaError> {
    await res.body?.cancel();
    const path = this.pathOf(key);
    if (res.status === 404 || res.status === 410) return new NotFoundError("object not found", { path });
    const text = `${res.status}${res.statusText ? ` ${res.statusText}` : ""}`;
    return new StorageError(`HTTP ${text}${attemptsSuffix(attemptsOf(res))}`, { path, status: res.status });
  }

  private meta(key: string, size: number, headers: Headers): ObjectMeta {
    return objectMetaFromHeaders(key, size, headers);
  }
}

/** The `Range` header value of a byte range (`bytes=a-b`, `bytes=a-` or suffix `bytes=-n`). */
export function rangeHeader(range: ByteRange): string {
  if ("suffix" in range) return `bytes=-${range.suffix}`;
  if (range.length === undefined) return `bytes=${range.offset}-`;
  return `bytes=${range.offset}-${range.offset + range.length - 1}`;
}
