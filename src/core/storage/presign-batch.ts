/**
 * The client side of a signing service (`POST <signer>/api/presign`, see s3-presign.ts): turns
 * the requests a store is about to make into presigned URLs, in batches. Requests asked for in
 * the same task (before the next macrotask) go out in one POST, and `prepare` signs a whole plan
 * step at once (every commit of a log segment, every data file of a scan window), so a scan costs
 * one signing round trip instead of one per request. URLs are cached until shortly before they
 * expire (a GET URL serves every range of its key), deduplicated while in flight, and at most
 * `maxPerCall` requests go in one POST. Fetch-only.
 */
import { StorageError } from "../errors.js";
import { presignItemId, type PresignItem, type PresignRequestBody, type PresignResponseBody } from "./s3-presign.js";
import { describe, Transport } from "./retry.js";
import type { ClientConfig } from "./storage-options.js";

/** Options of {@link PresignClient}. */
export interface PresignClientOptions {
  /** The signer: a base URL (`https://worker.example`, posts to `<base>/api/presign`) or the endpoint itself. */
  signer: string;
  bucket: string;
  /** Bearer token for the signer (its READ_TOKEN), when it needs one. */
  token?: string | undefined;
  fetch?: typeof fetch | undefined;
  /** Requests per POST at most (default 500, the Worker's default PRESIGN_MAX_REQUESTS). */
  maxPerCall?: number | undefined;
  /** Timeouts and retries of the signing requests themselves. */
  client?: ClientConfig | undefined;
  /** Clock in ms (tests). */
  now?: (() => number) | undefined;
}

/** Counters of a {@link PresignClient}. */
export interface PresignStats {
  /** POSTs sent to the signer. */
  calls: number;
  /** URLs received. */
  urls: number;
}

/** URLs cached at most (the oldest are dropped first). */
const MAX_CACHED = 10_000;

interface Waiting {
  item: PresignItem;
  promise: Promise<string>;
  resolve(url: string): void;
  reject(error: unknown): void;
}

/** Presigns requests through a signing service, in batches, with a URL cache. */
export class PresignClient {
  readonly endpoint: string;
  private readonly options: PresignClientOptions;
  private readonly transport: Transport;
  private readonly maxPerCall: number;
  private readonly now: () => number;
  private readonly cache = new Map<string, { url: string; reuseUntil: number }>();
  private readonly pending = new Map<string, Waiting>();
  private readonly inFlight = new Map<string, Promise<string>>();
  private scheduled = false;
  private counters: PresignStats = { calls: 0, urls: 0 };

  constructor(options: PresignClientOptions) {
    this.options = options;
    this.endpoint = signerEndpoint(options.signer);
    this.transport = new Transport({ fetch: options.fetch, client: options.client });
    this.maxPerCall = Math.max(1, Math.floor(options.maxPerCall ?? 500));
    this.now = options.now ?? Date.now;
  }

  /** Signing calls and URLs so far. */
  stats(): PresignStats {
    return { ...this.counters };
  }

  /** The URL for one request: cached, joined to a batch in flight, or signed in the next batch. */
  sign(item: PresignItem): Promise<string> {
    const id = presignItemId(item);
    const cached = this.cache.get(id);
    if (cached !== undefined && cached.reuseUntil > this.now()) return Promise.resolve(cached.url);
    const flying = this.inFlight.get(id) ?? this.pending.get(id)?.promise;
    if (flying !== undefined) return flying;
    const waiting = this.enqueue(id, item);
    if (!this.scheduled) {
      this.scheduled = true;
      setTimeout(() => void this.flush(), 0);
    }
    return waiting.promise;
  }

  /** Signs every request not yet signed now, in as few POSTs as the per-call cap allows. */
  async prepare(items: readonly PresignItem[]): Promise<void> {
    const promises = items.map((item) => {
      const id = presignItemId(item);
      const cached = this.cache.get(id);
      if (cached !== undefined && cached.reuseUntil > this.now()) return undefined;
      return this.inFlight.get(id) ?? this.pending.get(id)?.promise ?? this.enqueue(id, item).promise;
    });
    const flush = this.flush();
    await Promise.all([flush, ...promises]);
  }

  /** Forgets every cached URL (after the bucket refused one: they were all signed alike). */
  forget(): void {
    this.cache.clear();
  }

  private enqueue(id: string, item: PresignItem): Waiting {
    let resolve!: (url: string) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<string>((ok, fail) => {
      resolve = ok;
      reject = fail;
    });
    promise.catch(() => undefined); // rejections reach the callers that await it
    const waiting: Waiting = { item, promise, resolve, reject };
    this.pending.set(id, waiting);
    return waiting;
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = [...this.pending];
    this.pending.clear();
    const calls: Promise<void>[] = [];
    for (let i = 0; i < batch.length; i += this.maxPerCall) calls.push(this.call(batch.slice(i, i + this.maxPerCall)));
    await Promise.all(calls);
  }

  private async call(batch: Array<[string, Waiting]>): Promise<void> {
    for (const [id, w] of batch) this.inFlight.set(id, w.promise);
    try {
      const sentAt = this.now();
      const body = await this.post({ bucket: this.options.bucket, requests: batch.map(([, w]) => w.item) });
      if (!Array.isArray(body.urls) || body.urls.length !== batch.length || typeof body.expiresIn !== "number") {
        throw new StorageError(`the signer answered with ${Array.isArray(body.urls) ? body.urls.length : "no"} URLs for ${batch.length} requests`, { path: this.endpoint });
      }
      // Reuse a URL while well inside its lifetime (timed by our clock from before the request).
      const lifetime = body.expiresIn * 1000;
      const reuseUntil = sentAt + lifetime - Math.max(1000, Math.min(60_000, lifetime / 5));
      batch.forEach(([id, w], i) => {
        const url = body.urls[i] as string;
        this.remember(id, url, reuseUntil);
        w.resolve(url);
      });
    } catch (error) {
      for (const [, w] of batch) w.reject(error);
    } finally {
      for (const [id] of batch) this.inFlight.delete(id);
    }
  }

  private remember(id: string, url: string, reuseUntil: number): void {
    this.cache.delete(id);
    this.cache.set(id, { url, reuseUntil });
    if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
  }

  private async post(request: PresignRequestBody): Promise<PresignResponseBody> {
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (this.options.token !== undefined && this.options.token !== "") headers["Authorization"] = `Bearer ${this.options.token}`;
    this.counters.calls++;
    let res: Response;
    try {
      res = await this.transport.send(() => ({ url: this.endpoint, init: { method: "POST", headers, body: JSON.stringify(request) } }), {
        idempotent: true,
        path: this.endpoint,
      });
    } catch (cause) {
      throw new StorageError(`cannot reach the signer: ${describe(cause)} (is it running, and does it allow this origin by CORS?)`, { path: this.endpoint, cause });
    }
    const text = await res.text().catch(() => "");
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!res.ok) throw signerRefusal(res.status, body, this.endpoint);
    if (typeof body !== "object" || body === null) throw new StorageError("the signer's answer is not JSON", { path: this.endpoint, status: res.status });
    const answer = body as PresignResponseBody;
    this.counters.urls += Array.isArray(answer.urls) ? answer.urls.length : 0;
    return answer;
  }
}

/** The signing endpoint of a signer URL: itself when it ends in /api/presign, else `<signer>/api/presign`. */
export function signerEndpoint(signer: string): string {
  let url: URL;
  try {
    url = new URL(signer);
  } catch (cause) {
    throw new StorageError(`invalid signer URL "${signer}"`, { path: signer, cause });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new StorageError(`the signer must be an http(s) URL, got "${signer}"`, { path: signer });
  url.search = "";
  url.hash = "";
  if (!url.pathname.endsWith("/api/presign")) url.pathname = `${url.pathname.replace(/\/+$/, "")}/api/presign`;
  return url.toString();
}

function signerRefusal(status: number, body: unknown, endpoint: string): StorageError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const detail = typeof error?.message === "string" ? `${typeof error.code === "string" ? `${error.code}: ` : ""}${error.message}` : `HTTP ${status}`;
  const what =
    status === 401
      ? "the signer needs a read token (its READ_TOKEN)"
      : status === 403
        ? "the signer refused to sign"
        : status === 413 || status === 400
          ? "the signer refused the request"
          : "signing failed";
  return new StorageError(`${what}: ${detail}`, { path: endpoint, status });
}
