/**
 * The request loop shared by the fetch-based cloud stores (S3, GCS and Azure): a per-attempt
 * timeout through AbortSignal (combined with the caller's signal), and retries with exponential
 * backoff and jitter for transient failures (network errors, timeouts, 408, 429, 5xx) — but only
 * for requests the caller marks idempotent. A conditional create is never retried here: if its
 * response was lost, the object may exist because of our own write, which only the caller can
 * check. Also maps error responses (S3/Azure `<Error><Code>` bodies) to DeltaErrors.
 */
import { DeltaError, NotFoundError, StorageError } from "../errors.js";
import { child, childText, parseXml } from "./s3-xml.js";
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
  /** What to name in errors (a URL or `s3://bucket/key`). */
  path: string;
  /** Extra statuses that should be retried for this request (e.g. 409 for a conditional S3 put). */
  retryStatuses?: readonly number[];
}

const DEFAULTS = {
  timeoutMs: 30_000,
  retries: 5,
  retryInitialBackoffMs: 100,
  retryMaxBackoffMs: 15_000,
  retryBase: 2,
  retryTimeoutMs: 180_000,
};

/** Sends requests with timeouts and bounded retries. */
export class Transport {
  private readonly fetchFn: typeof fetch;
  private readonly settings: typeof DEFAULTS;
  private readonly userAgent: string | undefined;

  constructor(options: { fetch?: typeof fetch | undefined; client?: ClientConfig | undefined }) {
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    const c = options.client ?? {};
    this.settings = {
      timeoutMs: c.timeoutMs ?? DEFAULTS.timeoutMs,
      retries: c.retries ?? DEFAULTS.retries,
      retryInitialBackoffMs: c.retryInitialBackoffMs ?? DEFAULTS.retryInitialBackoffMs,
      retryMaxBackoffMs: c.retryMaxBackoffMs ?? DEFAULTS.retryMaxBackoffMs,
      retryBase: c.retryBase ?? DEFAULTS.retryBase,
      retryTimeoutMs: c.retryTimeoutMs ?? DEFAULTS.retryTimeoutMs,
    };
    this.userAgent = c.userAgent;
  }

  /** The retry budget (attempts after the first) of idempotent requests. */
  get retries(): number {
    return this.settings.retries;
  }

  /**
   * Sends a request built by `build` (called once per attempt, so signatures stay fresh) and
   * returns the first response that is not retried. Network failures and timeouts become
   * StorageErrors; the caller's own abort is rethrown as is.
   */
  async send(build: () => Promise<OutgoingRequest> | OutgoingRequest, options: SendOptions): Promise<Response> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      options.signal?.throwIfAborted();
      const { url, init } = await build();
      const timeout = this.settings.timeoutMs > 0 ? AbortSignal.timeout(this.settings.timeoutMs) : undefined;
      const signal = combine(options.signal, timeout);
      const headers = new Headers(init.headers);
      if (this.userAgent !== undefined && !headers.has("User-Agent")) headers.set("User-Agent", this.userAgent);
      const canRetry = (): boolean =>
        options.idempotent && attempt < this.settings.retries && Date.now() - started < this.settings.retryTimeoutMs;
      let response: Response;
      try {
        response = await this.fetchFn(url, { ...init, headers, ...(signal ? { signal } : {}) });
      } catch (cause) {
        if (options.signal?.aborted) throw options.signal.reason ?? cause;
        const timedOut = timeout?.aborted === true;
        if (canRetry()) {
          await this.backoff(attempt, options.signal);
          continue;
        }
        const what = timedOut ? `timed out after ${this.settings.timeoutMs} ms` : `failed: ${describe(cause)}`;
        const tries = attempt > 0 ? ` (after ${attempt + 1} attempts)` : "";
        throw new StorageError(`${init.method ?? "GET"} request ${what}${tries}`, { path: options.path, cause });
      }
      const s = response.status;
      const transient = s === 408 || s === 429 || s >= 500 || (options.retryStatuses?.includes(s) ?? false);
      const retryable = options.retryStatuses?.includes(s) === true ? attempt < this.settings.retries : canRetry();
      if (transient && retryable) {
        await response.body?.cancel().catch(() => undefined);
        await this.backoff(attempt, options.signal, response.headers.get("Retry-After"));
        continue;
      }
      return response;
    }
  }

  private async backoff(attempt: number, signal?: AbortSignal, retryAfter?: string | null): Promise<void> {
    const s = this.settings;
    const exp = Math.min(s.retryMaxBackoffMs, s.retryInitialBackoffMs * s.retryBase ** attempt);
    let delay = exp * (0.5 + Math.random() / 2);
    const hinted = retryAfter == null ? NaN : Number(retryAfter) * 1000;
    if (Number.isFinite(hinted) && hinted > delay) delay = Math.min(hinted, s.retryMaxBackoffMs);
    await sleep(delay, signal);
  }
}

/** Reads a response body, turning a timeout while streaming into a StorageError. */
export async function readBytes(response: Response, path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await response.arrayBuffer());
  } catch (cause) {
    if (cause instanceof Error && cause.name === "AbortError") throw cause;
    throw new StorageError(`reading the response body failed: ${describe(cause)}`, { path, cause });
  }
}

/** Reads a response body as text (for XML), mapping failures like {@link readBytes}. */
export async function readText(response: Response, path: string): Promise<string> {
  return new TextDecoder().decode(await readBytes(response, path));
}

/**
 * The DeltaError for a failed response: NotFoundError for 404, StorageError (with status, the
 * service's error code and message) otherwise. Consumes the body.
 */
export async function errorFromResponse(response: Response, path: string, operation: string): Promise<DeltaError> {
  const text = await response.text().catch(() => "");
  const { code, message } = parseErrorBody(text);
  const headerCode = response.headers.get("x-ms-error-code") ?? response.headers.get("x-amz-error-code") ?? undefined;
  const errorCode = code ?? headerCode;
  const detail = [errorCode, message].filter((s) => s !== undefined && s !== "").join(": ");
  const statusText = `${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
  const summary = `${operation} failed: HTTP ${statusText}${detail ? ` (${detail})` : ""}`;
  if (response.status === 404) return new NotFoundError(errorCode === undefined ? "object not found" : `not found: ${errorCode}`, { path });
  return new StorageError(summary, { path, status: response.status });
}

/** The `<Code>` and `<Message>` of an S3 or Azure XML error body (both absent when not XML). */
export function parseErrorBody(text: string): { code?: string; message?: string } {
  if (!text.trimStart().startsWith("<")) return {};
  try {
    const root = parseXml(text, "error body");
    const code = childText(root, "Code");
    const message = childText(root, "Message") ?? child(root, "Message")?.text;
    return { ...(code !== undefined ? { code } : {}), ...(message !== undefined ? { message: message.split("\n")[0] as string } : {}) };
  } catch {
    return {};
  }
}

function combine(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (typeof AbortSignal.any === "function") return AbortSignal.any([a, b]);
  const controller = new AbortController();
  const forward = (s: AbortSignal): void => controller.abort(s.reason);
  for (const s of [a, b]) {
    if (s.aborted) forward(s);
    else s.addEventListener("abort", () => forward(s), { once: true });
  }
  return controller.signal;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
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
