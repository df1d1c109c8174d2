/**
 * Deterministic fault injection for tests: a {@link FaultPlan} decides, from a seed, whether the
 * n-th request for one resource fails and how (the decision depends on the seed, the resource and
 * how many times it was asked for before, never on timing or interleaving, so a run is
 * reproducible under concurrency). Used by the flaky static server (static-server.ts), by
 * {@link faultyFetch} (a fetch wrapper for tests against moto and Azurite) and by
 * {@link FaultyObjectStore} (an ObjectStore wrapper for property tests).
 */
import { StorageError } from "../../src/core/errors.js";
import { StoreWrapper, type GetOptions, type ListOptions, type ObjectMeta, type ObjectStore, type PutBody } from "../../src/core/storage/object-store.js";

/** What can go wrong with one HTTP request. */
export type HttpFault =
  /** 500 Internal Server Error, nothing done. */
  | "500"
  /** 503 Service Unavailable, nothing done. */
  | "503"
  /** 429 Too Many Requests with `Retry-After: 0`, nothing done. */
  | "429"
  /** The connection is reset before any response (the request did not reach the service). */
  | "reset"
  /** The response's headers arrive (with the full Content-Length) but the body is cut short. */
  | "cut"
  /** The request is carried out, then its response is lost (a connection reset after the fact). */
  | "lost";

/** A 32-bit FNV-1a hash of a string. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A uniform number in [0, 1) determined by a seed and a label (a hash with a final mix). */
export function seededUniform(seed: number, label: string): number {
  let h = fnv1a(`${seed}|${label}`);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

/** Options of {@link FaultPlan}. */
export interface FaultPlanOptions<K extends string> {
  seed: number;
  /** Probability that one request fails, in [0, 1]. */
  rate: number;
  /** The kinds of failure, chosen uniformly (by the seed) for a failing request. */
  kinds: readonly K[];
}

/** Decides faults deterministically per (seed, resource, occurrence). */
export class FaultPlan<K extends string> {
  private readonly seen = new Map<string, number>();
  /** How many faults of each kind were injected. */
  readonly injected = new Map<K, number>();
  /** How many decisions were made (requests seen). */
  decisions = 0;
  private enabled = true;

  constructor(readonly options: FaultPlanOptions<K>) {}

  /** The fault for the next request for `resource` (undefined: let it through). */
  next(resource: string, allowed: readonly K[] = this.options.kinds): K | undefined {
    const n = this.seen.get(resource) ?? 0;
    this.seen.set(resource, n + 1);
    this.decisions++;
    if (!this.enabled) return undefined;
    const kinds = this.options.kinds.filter((k) => allowed.includes(k));
    if (kinds.length === 0 || seededUniform(this.options.seed, `${resource}#${n}`) >= this.options.rate) return undefined;
    const kind = kinds[Math.floor(seededUniform(this.options.seed + 1, `${resource}#${n}`) * kinds.length)] as K;
    this.injected.set(kind, (this.injected.get(kind) ?? 0) + 1);
    return kind;
  }

  /** Total faults injected. */
  get total(): number {
    let sum = 0;
    for (const n of this.injected.values()) sum += n;
    return sum;
  }

  /** Turns injection off (requests still counted) or back on. */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
  }
}

/** A connection reset as Node's fetch reports it (TypeError "fetch failed" with an ECONNRESET cause). */
export function connectionReset(): TypeError {
  const cause = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
  return new TypeError("fetch failed", { cause });
}

/** A response whose body is cut after `keep` bytes: the stream errors, as undici's does on a short body. */
function cutResponse(res: Response, bytes: Uint8Array): Response {
  const keep = Math.floor(bytes.byteLength / 2);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (keep > 0) controller.enqueue(bytes.slice(0, keep));
      controller.error(new TypeError("terminated", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) }));
    },
  });
  return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
}

/** A response whose body is short but ends cleanly (a proxy that truncated it); headers unchanged. */
function shortResponse(res: Response, bytes: Uint8Array): Response {
  return new Response(bytes.slice(0, Math.floor(bytes.byteLength / 2)), { status: res.status, statusText: res.statusText, headers: res.headers });
}

/** Options of {@link faultyFetch}. */
export interface FaultyFetchOptions {
  plan: FaultPlan<HttpFault>;
  /** The fetch to wrap (default globalThis.fetch). */
  inner?: typeof fetch;
  /** Whether a cut body errors (like a reset mid-body, the default) or ends cleanly short. */
  cleanCut?: boolean;
  /** Which requests may fail (default all). */
  eligible?: (method: string, url: URL) => boolean;
}

/**
 * Wraps a fetch so that requests fail as the plan says: 500/503/429 answered without reaching the
 * service, resets before it, cut bodies, and "lost" responses (the service acted, the client saw a
 * reset). The resource of a request is its method and URL without the query's signature values.
 */
export function faultyFetch(options: FaultyFetchOptions): typeof fetch {
  const inner = options.inner ?? ((input, init) => globalThis.fetch(input, init));
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const method = request.method;
    const eligible = options.eligible?.(method, url) ?? true;
    const range = request.headers.get("Range") ?? request.headers.get("x-ms-range") ?? "";
    const resource = stableResource(`${method} ${url.pathname}?${stableQuery(url)} ${range}`);
    const fault = eligible ? options.plan.next(resource) : undefined;
    if (fault === "500" || fault === "503") return new Response("<Error><Code>InternalError</Code></Error>", { status: Number(fault) });
    if (fault === "429") return new Response("slow down", { status: 429, headers: { "Retry-After": "0" } });
    if (fault === "reset") throw connectionReset();
    const res = await inner(input, init);
    if (fault === "lost") {
      await res.body?.cancel();
      throw connectionReset();
    }
    if (fault === "cut" && res.body !== null && method !== "HEAD") {
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (bytes.byteLength === 0) return new Response(null, { status: res.status, headers: res.headers });
      return options.cleanCut ? shortResponse(res, bytes) : cutResponse(res, bytes);
    }
    return res;
  };
}

/**
 * A resource name with random parts (UUIDs of data and temp files) replaced, so that a run's
 * decisions repeat from one run to the next: files of the same shape share one occurrence counter.
 */
export function stableResource(resource: string): string {
  return resource.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "<uuid>");
}

/** The query string without values that change per attempt (signatures, dates). */
function stableQuery(url: URL): string {
  const params = [...url.searchParams].filter(([k]) => !/^(x-amz-|sig|se|st|sv|sp|sr)$/i.test(k) && !k.toLowerCase().startsWith("x-amz-"));
  return params.map(([k, v]) => `${k}=${v}`).join("&");
}

/** What can go wrong with one ObjectStore call. */
export type StoreFault =
  /** The call fails with a StorageError before reaching the store. */
  | "error"
  /** The call is carried out, then fails with a StorageError (a lost response). Writes only. */
  | "lost"
  /**
   * A get returns fewer bytes than asked (a short read), on anything but `.json` files: a torn
   * commit file can only be caught by the log reader's own line checks, tested with the log.
   */
  | "short"
  /** A listing fails with a StorageError part way through. */
  | "list-error";

/** Options of {@link FaultyObjectStore}. */
export interface FaultyObjectStoreOptions {
  plan: FaultPlan<StoreFault>;
  /** Extra delay per call in ms (0..latencyMs, from the seed), to shuffle concurrent calls. Default 0. */
  latencyMs?: number;
}

/**
 * An ObjectStore wrapper that injects faults from a plan: errors before a call, lost responses
 * after a successful write (put, putIfAbsent, delete), short reads, failing listings, and latency.
 * Every injected error is a StorageError (as a real backend reports exhausted retries).
 */
export class FaultyObjectStore extends StoreWrapper implements ObjectStore {
  private calls = 0;
  constructor(
    inner: ObjectStore,
    readonly options: FaultyObjectStoreOptions,
  ) {
    super(inner);
  }

  private async delay(): Promise<void> {
    const max = this.options.latencyMs ?? 0;
    if (max <= 0) return;
    const ms = Math.floor(seededUniform(this.options.plan.options.seed + 2, `latency#${this.calls++}`) * (max + 1));
    await new Promise((resolve) => setTimeout(resolve, ms));
  }

  private fail(op: string, key: string, what: string): StorageError {
    return new StorageError(`injected ${what} on ${op}`, { path: `${this.root}/${key}` });
  }

  async get(key: string, options?: GetOptions): Promise<Uint8Array> {
    await this.delay();
    const mayBeShort = options?.range !== undefined || !key.endsWith(".json");
    const fault = this.options.plan.next(stableResource(`get ${key}`), mayBeShort ? ["error", "short"] : ["error"]);
    if (fault === "error") throw this.fail("get", key, "error");
    const bytes = await this.inner.get(key, options);
    if (fault === "short" && bytes.byteLength > 0) return bytes.slice(0, bytes.byteLength - 1 - Math.floor(bytes.byteLength / 3));
    return bytes;
  }

  async head(key: string): Promise<ObjectMeta> {
    await this.delay();
    if (this.options.plan.next(stableResource(`head ${key}`), ["error"]) === "error") throw this.fail("head", key, "error");
    return this.inner.head(key);
  }

  async *list(prefix: string, options?: ListOptions): AsyncIterable<ObjectMeta> {
    await this.delay();
    const fault = this.options.plan.next(`list ${prefix}`, ["error", "list-error"]);
    if (fault === "error") throw this.fail("list", prefix, "error");
    let n = 0;
    for await (const meta of this.inner.list(prefix, options)) {
      if (fault === "list-error" && n++ >= 1) throw this.fail("list", prefix, "listing failure");
      yield meta;
    }
    if (fault === "list-error") throw this.fail("list", prefix, "listing failure");
  }

  async put(key: string, body: PutBody): Promise<void> {
    await this.write("put", key, () => this.inner.put(key, body));
  }

  async putIfAbsent(key: string, body: PutBody): Promise<void> {
    await this.write("putIfAbsent", key, () => this.inner.putIfAbsent(key, body));
  }

  async delete(key: string): Promise<void> {
    await this.write("delete", key, () => this.inner.delete(key));
  }

  private async write(op: string, key: string, run: () => Promise<void>): Promise<void> {
    await this.delay();
    const fault = this.options.plan.next(stableResource(`${op} ${key}`), ["error", "lost"]);
    if (fault === "error") throw this.fail(op, key, "error");
    await run();
    if (fault === "lost") throw this.fail(op, key, "lost response");
  }
}
