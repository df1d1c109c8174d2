/**
 * The one request loop of every fetch-based store (HTTP, S3, GCS, Azure, DynamoDB): a per-attempt
 * timeout (TIMEOUT, the whole request including its body) and an optional time-to-headers limit
 * (CONNECT_TIMEOUT), both through AbortSignal and combined with the caller's signal; retries of
 * transient failures — 408, 429, 5xx, network errors (a fetch that throws, e.g. a connection
 * reset), timeouts, and bodies that end early or do not match Content-Length / Content-Range —
 * with capped exponential backoff and full jitter (Retry-After honoured up to the cap) until
 * MAX_RETRIES or the overall deadline RETRY_TIMEOUT. Only requests the caller marks idempotent
 * are retried: a conditional create never is (if its response was lost, the object may exist
 * because of our own write, which only the caller can settle by reading it back). Bodies are read
 * inside the attempt, so a cut body is retried like any other transient failure; the response
 * handed back carries the complete, checked body. The caller's abort ends everything at once
 * with the caller's reason. Knows nothing of any service's XML or JSON.
 */
import { DeltaError, StorageError } from "../errors.js";
import { resolveRange, type ByteRange } from "./object-store.js";
import type { ClientConfig } from "./storage-options.js";

/** One request, built afresh (and re-signed) for every attempt. */
export interface OutgoingRequest {
  url: string;
  init: RequestInit;
}

/** Options of {@link Transport.send}. */
export interface SendOptions {
  /** Safe to repeat after a transient failure (GET, HEAD, LIST, DELETE, unconditional PUT). */
  idempotent: boolean;
  /** The caller's signal: aborting it stops the request and any retry, with the caller's reason. */
  signal?: AbortSignal | undefined;
  /** What to name in errors: a URL without credentials or signatures, or `s3://bucket/key`. */
  path: string;
  /** Extra statuses retried for this request even when it is not idempotent (409 for a conditional S3 put). */
  retryStatuses?: readonly number[];
  /** The byte range a GET asked for: a 206 answer must hold exactly it (shorter only at the end of the object). */
  range?: ByteRange | undefined;
  /** Leave the body unread (a probe that needs headers only): no body checks, no retry of a cut body. */
  headersOnly?: boolean;
}

/** The retry and timeout settings with their defaults (object_store's, except CONNECT_TIMEOUT: off). */
export const RETRY_DEFAULTS = {
  /** TIMEOUT: one attempt, from sending to the last body byte; 0 = none. */
  timeoutMs: 30_000,
  /** CONNECT_TIMEOUT: one attempt, from sending to the response headers; 0 = none. */
  connectTimeoutMs: 0,
  /** MAX_RETRIES: attempts after the first. */
  retries: 10,
  /** BACKOFF_CONFIG.INIT_BACKOFF. */
  retryInitialBackoffMs: 100,
  /** BACKOFF_CONFIG.MAX_BACKOFF: no single wait is longer (Retry-After included). */
  retryMaxBackoffMs: 15_000,
  /** BACKOFF_CONFIG.BASE. */
  retryBase: 2,
  /** RETRY_TIMEOUT: no retry starts, and no retry runs, past this long after the first attempt. */
  retryTimeoutMs: 180_000,
};

/** Resolved settings of a {@link Transport}. */
export type RetrySettings = typeof RETRY_DEFAULTS;

const attemptsOfResponse = new WeakMap<Response, number>();

/** How many attempts produced this response (1 unless it came from the transport after retries). */
export function attemptsOf(response: Response): number {
  return attemptsOfResponse.get(response) ?? 1;
}

/** " (after N attempts)" when a request took more than one, for error messages. */
export function attemptsSuffix(attempts: number): string {
  return attempts > 1 ? ` (after ${attempts} attempts)` : "";
}

/** A transient failure of one attempt (status, network, timeout or a bad body). */
class Transient extends Error {
  constructor(
    message: string,
    readonly source: unknown,
  ) {
    super(message);
  }
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** Sends requests with timeouts and bounded retries. */
export class Transport {
  private readonly fetchFn: typeof fetch;
  readonly settings: RetrySettings;
  private readonly userAgent: string | undefined;

  constructor(options: { fetch?: typeof fetch | undefined; client?: ClientConfig | undefined }) {
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    const c = options.client ?? {};
    this.settings = {
      timeoutMs: c.timeoutMs ?? RETRY_DEFAULTS.timeoutMs,
      connectTimeoutMs: c.connectTimeoutMs ?? RETRY_DEFAULTS.connectTimeoutMs,
      retries: c.retries ?? RETRY_DEFAULTS.retries,
      retryInitialBackoffMs: c.retryInitialBackoffMs ?? RETRY_DEFAULTS.retryInitialBackoffMs,
      retryMaxBackoffMs: c.retryMaxBackoffMs ?? RETRY_DEFAULTS.retryMaxBackoffMs,
      retryBase: c.retryBase ?? RETRY_DEFAULTS.retryBase,
      retryTimeoutMs: c.retryTimeoutMs ?? RETRY_DEFAULTS.retryTimeoutMs,
    };
    this.userAgent = c.userAgent;
  }

  /** The retry budget (attempts after the first) of idempotent requests. */
  get retries(): number {
    return this.settings.retries;
  }

  /**
   * Sends a request built by `build` (called once per attempt, so signatures stay fresh) and
   * returns the first response that is not retried, its body already read and checked. A
   * transient status left after the last retry is returned as is ({@link attemptsOf} tells how
   * many attempts it took); network failures, timeouts and cut bodies left then become a
   * StorageError naming `options.path` and the attempts. The caller's abort is rethrown as is.
   */
  async send(build: () => Promise<OutgoingRequest> | OutgoingRequest, options: SendOptions): Promise<Response> {
    const s = this.settings;
    const started = Date.now();
    const deadline = started + s.retryTimeoutMs;
    let method = "GET";
    for (let attempt = 0; ; attempt++) {
      options.signal?.throwIfAborted();
      const { url, init } = await build();
      method = init.method ?? "GET";
      // A retry never runs past the deadline; the first attempt has TIMEOUT alone.
      const limit = attempt === 0 ? s.timeoutMs : Math.max(1, Math.min(s.timeoutMs > 0 ? s.timeoutMs : Infinity, deadline - Date.now()));
      let failure: Transient;
      try {
        const response = await this.attempt(url, init, limit, options);
        const status = response.status;
        const forced = options.retryStatuses?.includes(status) === true;
        if (!forced && status !== 408 && status !== 429 && status < 500) {
          attemptsOfResponse.set(response, attempt + 1);
          return response;
        }
        const delay = this.backoffMs(attempt, response.headers.get("Retry-After"));
        if (!(forced ? attempt < s.retries : this.mayRetry(options, attempt, deadline, delay))) {
          attemptsOfResponse.set(response, attempt + 1);
          return response;
        }
        await response.body?.cancel().catch(() => undefined);
        await sleep(delay, options.signal);
        continue;
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason ?? error;
        if (!(error instanceof Transient)) throw error;
        failure = error;
      }
      const delay = this.backoffMs(attempt);
      if (!this.mayRetry(options, attempt, deadline, delay)) {
        throw new StorageError(`${method} request ${failure.message}${attemptsSuffix(attempt + 1)}`, { path: options.path, cause: failure.source });
      }
      await sleep(delay, options.signal);
    }
  }

  /** Whether another attempt may follow this one after waiting `delay` ms. */
  private mayRetry(options: SendOptions, attempt: number, deadline: number, delay: number): boolean {
    return options.idempotent && attempt < this.settings.retries && Date.now() + delay < deadline;
  }

  /** One attempt: fetch under its timeouts, then read and check the body (unless headersOnly). */
  private async attempt(url: string, init: RequestInit, limitMs: number, options: SendOptions): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.userAgent !== undefined && !headers.has("User-Agent")) headers.set("User-Agent", this.userAgent);
    const timeout = limitMs > 0 && Number.isFinite(limitMs) ? AbortSignal.timeout(limitMs) : undefined;
    const connect = this.settings.connectTimeoutMs > 0 ? new AbortController() : undefined;
    const timer = connect === undefined ? undefined : setTimeout(() => connect.abort(new DOMException("no response headers in time", "TimeoutError")), this.settings.connectTimeoutMs);
    const signal = combine([options.signal, timeout, connect?.signal]);
    const timedOut = (): string | undefined => {
      if (timeout?.aborted) return `timed out after ${limitMs} ms`;
      if (connect?.signal.aborted) return `got no response headers within ${this.settings.connectTimeoutMs} ms`;
      return undefined;
    };
    let response: Response;
    try {
      response = await this.fetchFn(url, { ...init, headers, ...(signal ? { signal } : {}) });
    } catch (cause) {
      if (options.signal?.aborted || cause instanceof DeltaError) throw cause;
      throw new Transient(timedOut() ?? `failed: ${describe(cause)}`, cause);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
    if (options.headersOnly === true || init.method === "HEAD" || response.body === null || NULL_BODY_STATUSES.has(response.status)) return response;
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (cause) {
      if (options.signal?.aborted) throw cause;
      // An error answer whose body broke still says what it says.
      if (!response.ok) bytes = new Uint8Array(0);
      else throw new Transient(`${timedOut() ?? "failed while reading the body"}: ${describe(cause)}`, cause);
    }
    if (response.ok) {
      const problem = bodyProblem(response, bytes, options.range);
      if (problem !== undefined) throw new Transient(`returned a bad body: ${problem}`, undefined);
    }
    return new Response(NULL_BODY_STATUSES.has(response.status) ? null : (bytes as BodyInit), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  }

  private backoffMs(attempt: number, retryAfter?: string | null): number {
    return backoffDelay(this.settings, attempt, retryAfter);
  }
}

/**
 * The wait before retry number `attempt + 1`: full jitter (uniform in [0, ceiling)) over the
 * capped exponential `min(MAX_BACKOFF, INIT_BACKOFF * BASE^attempt)`, raised to a Retry-After
 * hint but never above MAX_BACKOFF.
 */
export function backoffDelay(
  settings: Pick<RetrySettings, "retryInitialBackoffMs" | "retryMaxBackoffMs" | "retryBase">,
  attempt: number,
  retryAfter?: string | null,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(settings.retryMaxBackoffMs, settings.retryInitialBackoffMs * settings.retryBase ** attempt);
  const jittered = random() * ceiling;
  const hinted = retryAfterMs(retryAfter);
  return hinted === undefined ? jittered : Math.max(jittered, Math.min(hinted, settings.retryMaxBackoffMs));
}

/** A Retry-After value (seconds or an HTTP date) in ms from now; undefined when absent or invalid. */
export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === "") return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Parses `Content-Range: bytes a-b/total` (total may be `*`). */
function contentRange(header: string | null): { start: number; end: number; total: number | undefined } | undefined {
  const m = header === null ? null : /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(header);
  if (m === null) return undefined;
  return { start: Number(m[1]), end: Number(m[2]) + 1, total: m[3] === "*" ? undefined : Number(m[3]) };
}

/**
 * Why a successful body cannot be trusted, or undefined: fewer (or more) bytes than Content-Length
 * says, a 206 whose bytes do not match its Content-Range, or a Content-Range other than the range
 * asked for (shorter only where the object ends). Length checks are skipped for content-encoded
 * bodies (their Content-Length counts encoded bytes) and for cross-origin browser responses, which
 * may hide Content-Encoding (the browser's fetch itself fails on a body shorter than announced).
 */
export function bodyProblem(response: Response, bytes: Uint8Array, range: ByteRange | undefined): string | undefined {
  const encoding = response.headers.get("Content-Encoding");
  if (encoding !== null && encoding.trim().toLowerCase() !== "identity") return undefined;
  const got = bytes.byteLength;
  const length = response.headers.get("Content-Length");
  if (length !== null && /^\s*\d+\s*$/.test(length) && Number(length) !== got && response.type !== "cors" && response.type !== "opaque") {
    return `${got} bytes where Content-Length says ${Number(length)}`;
  }
  if (response.status !== 206 || range === undefined) return undefined;
  const cr = contentRange(response.headers.get("Content-Range"));
  if (cr === undefined) {
    const asked = "suffix" in range ? range.suffix : range.length;
    return asked !== undefined && got > asked ? `${got} bytes for a range of ${asked}` : undefined;
  }
  if (cr.end - cr.start !== got) return `${got} bytes where Content-Range says ${cr.end - cr.start}`;
  if (cr.total !== undefined) {
    const [start, end] = resolveRange(range, cr.total);
    if (cr.start !== start || cr.end !== end) return `bytes ${cr.start}-${cr.end - 1} of ${cr.total} where ${start}-${end - 1} were asked for`;
    return undefined;
  }
  if ("offset" in range && (cr.start !== range.offset || (range.length !== undefined && got > range.length))) {
    return `bytes ${cr.start}-${cr.end - 1} where ${range.offset}${range.length === undefined ? "-" : `-${range.offset + range.length - 1}`} were asked for`;
  }
  return undefined;
}

function combine(signals: readonly (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  if (present.length <= 1) return present[0];
  if (typeof AbortSignal.any === "function") return AbortSignal.any(present);
  const controller = new AbortController();
  const forward = (s: AbortSignal): void => controller.abort(s.reason);
  for (const s of present) {
    if (s.aborted) forward(s);
    else s.addEventListener("abort", () => forward(s), { once: true });
  }
  return controller.signal;
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** A one-line description of an error and its cause. */
export function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}
