/**
 * The shared retrying transport (src/core/storage/retry.ts), through HttpStore and GcsStore with
 * fake fetches: what is retried (5xx, 408, 429, resets, timeouts, bodies cut or not matching
 * Content-Length / Content-Range) and what is not (4xx, a conditional create), the backoff
 * (full jitter, cap, Retry-After), the overall deadline, the caller's abort, error messages
 * (URL without query or signature, attempts made) and the option names (storeFromUrl, env).
 */
import { describe, expect, it } from "vitest";
import { DeltaError, InvalidInputError, NotFoundError, StorageError } from "../../src/core/errors.js";
import { GcsStore } from "../../src/core/storage/gcs.js";
import { HttpStore } from "../../src/core/storage/http.js";
import { backoffDelay, bodyProblem, retryAfterMs, RETRY_DEFAULTS } from "../../src/core/storage/retry.js";
import { storeFromUrl } from "../../src/core/storage/url.js";
import { connectionReset } from "../helpers/faults.js";

const FAST = { retryInitialBackoffMs: 1, retryMaxBackoffMs: 2 };
const DATA = new TextEncoder().encode("0123456789abcdefghij"); // 20 bytes

/** A fake origin serving DATA at any path (ranges honoured), with scripted answers for the first calls. */
function origin(script: (((request: Request) => Response | Promise<Response>) | "pass")[] = []): { fetch: typeof fetch; calls: Request[] } {
  const calls: Request[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    calls.push(request);
    const step = script[calls.length - 1];
    const scripted = step === undefined || step === "pass" ? "pass" : await step(request);
    if (scripted !== "pass") return scripted;
    return serve(request);
  };
  return { fetch: fetchFn, calls };
}

function serve(request: Request): Response {
  const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.get("Range") ?? "");
  if (range === null) return new Response(request.method === "HEAD" ? null : DATA, { headers: { "Content-Length": String(DATA.byteLength) } });
  const [start, end] =
    range[1] === "" ? [DATA.byteLength - Number(range[2]), DATA.byteLength] : [Number(range[1]), range[2] === "" ? DATA.byteLength : Math.min(DATA.byteLength, Number(range[2]) + 1)];
  return new Response(DATA.slice(start, end), {
    status: 206,
    headers: { "Content-Range": `bytes ${start}-${end - 1}/${DATA.byteLength}`, "Content-Length": String(end - start) },
  });
}

/** A body that delivers `bytes` and then breaks, as a connection reset mid-body does. */
function brokenBody(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.error(new TypeError("terminated"));
    },
  });
}

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const status = (code: number, headers: Record<string, string> = {}) => () => new Response("nope", { status: code, headers });

describe("retried: transient statuses, resets, timeouts and bad bodies", () => {
  it.each([500, 502, 503, 504, 408, 429])("retries HTTP %i on GET and HEAD", async (code) => {
    const { fetch, calls } = origin([status(code), status(code), "pass", status(code), "pass"]);
    const store = new HttpStore({ url: "https://cdn.example/t", fetch, client: FAST });
    expect(text(await store.get("a"))).toBe(text(DATA));
    expect((await store.head("a")).size).toBe(20);
    expect(calls.map((c) => c.method)).toEqual(["GET", "GET", "GET", "HEAD", "HEAD"]);
  });

  it("retries a connection reset before any answer", async () => {
    const { fetch, calls } = origin([() => Promise.reject(connectionReset()), "pass"]);
    expect(text(await new HttpStore({ url: "https://cdn.example/t", fetch, client: FAST }).get("a"))).toBe(text(DATA));
    expect(calls).toHaveLength(2);
  });

  it("retries a body that breaks off after full headers", async () => {
    const { fetch, calls } = origin([
      () => new Response(brokenBody(DATA.slice(0, 7)), { headers: { "Content-Length": "20" } }),
      "pass",
    ]);
    expect(text(await new HttpStore({ url: "https://cdn.example/t", fetch, client: FAST }).get("a"))).toBe(text(DATA));
    expect(calls).toHaveLength(2);
  });

  it("reports a body that keeps breaking as a StorageError (was a raw TypeError: terminated)", async () => {
    const { fetch, calls } = origin(Array.from({ length: 5 }, () => () => new Response(brokenBody(DATA.slice(0, 7)), { headers: { "Content-Length": "20" } })));
    const error = await new HttpStore({ url: "https://cdn.example/t", fetch, client: { ...FAST, retries: 2 } }).get("a").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toBe("GET request failed while reading the body: terminated (after 3 attempts) (path https://cdn.example/t/a)");
    expect(calls).toHaveLength(3);
  });

  it("retries a body that ends cleanly but shorter than Content-Length", async () => {
    const { fetch, calls } = origin([() => new Response(DATA.slice(0, 7), { headers: { "Content-Length": "20" } }), "pass"]);
    expect(text(await new HttpStore({ url: "https://cdn.example/t", fetch, client: FAST }).get("a"))).toBe(text(DATA));
    expect(calls).toHaveLength(2);
  });

  it("retries a 206 whose bytes or range differ from what was asked, and accepts a range cut by the end of the object", async () => {
    const short = (): Response => new Response(DATA.slice(5, 8), { status: 206, headers: { "Content-Range": "bytes 5-9/20" } });
    const wrong = (): Response => new Response(DATA.slice(0, 5), { status: 206, headers: { "Content-Range": "bytes 0-4/20" } });
    const { fetch, calls } = origin([short, wrong, "pass", "pass"]);
    const store = new HttpStore({ url: "https://cdn.example/t", fetch, client: FAST });
    expect(text(await store.get("a", { range: { offset: 5, length: 5 } }))).toBe("56789");
    expect(calls).toHaveLength(3);
    // Asking past the end: the answer is shorter, and right.
    expect(text(await store.get("a", { range: { offset: 15, length: 10 } }))).toBe("fghij");
    expect(calls).toHaveLength(4);
  });

  it("checks 206 answers for S3-style stores too (GCS through its XML API)", async () => {
    const { fetch, calls } = origin([
      () => new Response(DATA.slice(0, 3), { status: 206, headers: { "Content-Range": "bytes 0-9/20" } }),
      () => Promise.reject(connectionReset()),
      status(503),
      "pass",
    ]);
    const store = new GcsStore({ bucket: "b", accessId: "id", secret: "s", fetch, client: FAST });
    expect(text(await store.get("k", { range: { suffix: 10 } }))).toBe("abcdefghij");
    expect(calls).toHaveLength(4);
  });

  it("retries an attempt that times out, before the headers or while reading the body", async () => {
    let n = 0;
    const hanging: typeof fetch = async (input, init) => {
      n++;
      const signal = init?.signal as AbortSignal;
      if (n === 1) {
        return new Promise<Response>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
      }
      if (n === 2) {
        // Headers now, body never: the per-attempt timeout covers the body too.
        const body = new ReadableStream<Uint8Array>({ start: (c) => signal.addEventListener("abort", () => c.error(signal.reason)) });
        return new Response(body, { headers: { "Content-Length": "20" } });
      }
      return serve(new Request(input, init));
    };
    const store = new HttpStore({ url: "https://cdn.example/t", fetch: hanging, client: { ...FAST, timeoutMs: 30 } });
    expect(text(await store.get("a"))).toBe(text(DATA));
    expect(n).toBe(3);
  });

  it("limits the wait for response headers with CONNECT_TIMEOUT and names it when retries run out", async () => {
    const never: typeof fetch = (_input, init) =>
      new Promise((_, reject) => (init?.signal as AbortSignal).addEventListener("abort", () => reject((init?.signal as AbortSignal).reason)));
    const store = storeFromUrl({ url: "https://cdn.example/t", options: { connect_timeout: "20ms", timeout: "0s", max_retries: "1", "backoff_config.init_backoff": "1ms" }, fetch: never });
    const error = await store.get("a").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toMatch(/^GET request got no response headers within 20 ms \(after 2 attempts\) \(path https:\/\/cdn\.example\/t\/a\)$/);
  });
});

describe("not retried", () => {
  it("never retries 4xx answers other than 408 and 429", async () => {
    for (const code of [400, 401, 403, 404, 410, 412]) {
      const { fetch, calls } = origin([status(code)]);
      const error = await new HttpStore({ url: "https://cdn.example/t", fetch, client: FAST }).get("a").catch((e: unknown) => e);
      expect(error, String(code)).toBeInstanceOf(code === 404 || code === 410 ? NotFoundError : StorageError);
      expect(calls, String(code)).toHaveLength(1);
    }
  });

  it("never retries a conditional create: not on 5xx, a reset, or a lost response", async () => {
    for (const failure of [status(503), () => Promise.reject(connectionReset())]) {
      const { fetch, calls } = origin([failure]);
      const store = new GcsStore({ bucket: "b", accessId: "id", secret: "s", fetch, client: FAST });
      const error = await store.putIfAbsent("_delta_log/00000000000000000001.json", "{}").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect(calls).toHaveLength(1);
    }
  });

  it("retries plain PUTs (data files have unique names) and DELETEs", async () => {
    const { fetch, calls } = origin([status(500), () => new Response(null, { status: 200 }), () => Promise.reject(connectionReset()), () => new Response(null, { status: 204 })]);
    const store = new GcsStore({ bucket: "b", accessId: "id", secret: "s", fetch, client: FAST });
    await store.put("part-0001.parquet", "x");
    await store.delete("part-0001.parquet");
    expect(calls.map((c) => c.method)).toEqual(["PUT", "PUT", "DELETE", "DELETE"]);
  });
});

describe("limits, abort and messages", () => {
  it("gives up after MAX_RETRIES, naming the URL without its signed query and the attempts", async () => {
    const { fetch, calls } = origin(Array.from({ length: 10 }, () => status(503)));
    const store = new HttpStore({ url: "https://user:pw@cdn.example/t?X-Amz-Signature=s3cr3t&sv=1", fetch, client: { ...FAST, retries: 3 } });
    const error = (await store.get("_delta_log/x.json").catch((e: unknown) => e)) as StorageError;
    expect(error).toBeInstanceOf(StorageError);
    expect(error.status).toBe(503);
    expect(calls).toHaveLength(4);
    expect(error.message).toBe("HTTP 503 (after 4 attempts) (path https://cdn.example/t/_delta_log/x.json)");
    expect(calls[0]?.url).toContain("X-Amz-Signature=s3cr3t"); // sent, but never printed

    const down = origin(Array.from({ length: 10 }, () => () => Promise.reject(connectionReset())));
    const signed = new HttpStore({ url: "https://cdn.example/t?se=2030&sig=s3cr3t", fetch: down.fetch, client: { ...FAST, retries: 1 } });
    const network = (await signed.get("k").catch((e: unknown) => e)) as Error;
    expect(network.message).toBe("GET request failed: fetch failed: read ECONNRESET (after 2 attempts) (path https://cdn.example/t/k)");

    const resets = origin(Array.from({ length: 10 }, () => () => Promise.reject(connectionReset())));
    const gcs = new GcsStore({ bucket: "b", accessId: "id", secret: "s", fetch: resets.fetch, client: { ...FAST, retries: 2 } });
    const reset = (await gcs.get("k").catch((e: unknown) => e)) as Error;
    expect(reset.message).toBe("GET request failed: fetch failed: read ECONNRESET (after 3 attempts) (path gs://b/k)");
    expect(reset.message).not.toMatch(/Signature|Credential/);
  });

  it("stops at RETRY_TIMEOUT even with retries left", async () => {
    // Every answer asks for a 40 ms pause; the deadline is 50 ms: at most two attempts fit.
    const { fetch, calls } = origin(Array.from({ length: 100 }, () => status(503, { "Retry-After": "0.04" })));
    const store = new HttpStore({ url: "https://cdn.example/t", fetch, client: { retries: 100, retryInitialBackoffMs: 1, retryMaxBackoffMs: 1000, retryTimeoutMs: 50 } });
    await expect(store.get("a")).rejects.toBeInstanceOf(StorageError);
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(calls.length).toBeLessThanOrEqual(2);
  });

  it("an abort during the backoff ends the request at once with the caller's reason", async () => {
    const controller = new AbortController();
    const { fetch, calls } = origin([
      () => {
        setTimeout(() => controller.abort(), 5);
        return new Response("busy", { status: 503, headers: { "Retry-After": "60" } });
      },
    ]);
    // Retry-After asks for a minute (within the 10-minute cap): only the abort can end the wait.
    const store = new HttpStore({ url: "https://cdn.example/t", fetch, client: { retryMaxBackoffMs: 600_000 } });
    const error = await store.get("a", { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(DeltaError);
    expect((error as Error).name).toBe("AbortError");
    expect(calls).toHaveLength(1);
  });

  it("an abort while the request is in flight is not retried", async () => {
    const controller = new AbortController();
    const hang: typeof fetch = (_input, init) => {
      setTimeout(() => controller.abort(new Error("user cancelled")), 5);
      return new Promise((_, reject) => (init?.signal as AbortSignal).addEventListener("abort", () => reject((init?.signal as AbortSignal).reason)));
    };
    const store = new GcsStore({ bucket: "b", accessId: "id", secret: "s", fetch: hang, client: FAST });
    const error = await store.get("k", { signal: controller.signal }).catch((e: unknown) => e);
    expect((error as Error).message).toBe("user cancelled");
  });
});

describe("backoff", () => {
  const settings = { retryInitialBackoffMs: 100, retryMaxBackoffMs: 15_000, retryBase: 2 };

  it("uses full jitter over a capped exponential", () => {
    expect(backoffDelay(settings, 0, null, () => 0)).toBe(0);
    expect(backoffDelay(settings, 0, null, () => 0.5)).toBe(50);
    expect(backoffDelay(settings, 3, null, () => 0.5)).toBe(400);
    expect(backoffDelay(settings, 20, null, () => 0.999)).toBeCloseTo(14_985);
  });

  it("honours Retry-After (seconds or a date) within the cap", () => {
    expect(backoffDelay(settings, 0, "2", () => 0)).toBe(2000);
    expect(backoffDelay(settings, 0, "3600", () => 0)).toBe(15_000);
    expect(backoffDelay(settings, 7, "0", () => 0.5)).toBe(6400);
    expect(backoffDelay(settings, 0, "soon", () => 0.5)).toBe(50);
    expect(retryAfterMs("Wed, 21 Oct 2015 07:28:10 GMT", Date.UTC(2015, 9, 21, 7, 28, 0))).toBe(10_000);
    expect(retryAfterMs("Wed, 21 Oct 2015 07:28:10 GMT", Date.UTC(2016, 0, 1))).toBe(0);
  });

  it("has object_store's defaults", () => {
    expect(RETRY_DEFAULTS).toMatchObject({ retries: 10, retryInitialBackoffMs: 100, retryMaxBackoffMs: 15_000, retryBase: 2, retryTimeoutMs: 180_000, timeoutMs: 30_000 });
  });
});

describe("body checks", () => {
  const res = (body: Uint8Array, status: number, headers: Record<string, string>): [Response, Uint8Array] => [new Response(body as Uint8Array<ArrayBuffer>, { status, headers }), body];

  it("compares with Content-Length unless the body is content-encoded", () => {
    expect(bodyProblem(...res(DATA, 200, { "Content-Length": "20" }), undefined)).toBeUndefined();
    expect(bodyProblem(...res(DATA, 200, { "Content-Length": "21" }), undefined)).toBe("20 bytes where Content-Length says 21");
    expect(bodyProblem(...res(DATA, 200, { "Content-Length": "9", "Content-Encoding": "gzip" }), undefined)).toBeUndefined();
  });

  it("wants exactly the asked range from a 206, shorter only at the end", () => {
    const r = (cr: string, bytes: Uint8Array): [Response, Uint8Array] => res(bytes, 206, { "Content-Range": cr });
    expect(bodyProblem(...r("bytes 10-14/20", DATA.slice(10, 15)), { offset: 10, length: 5 })).toBeUndefined();
    expect(bodyProblem(...r("bytes 10-19/20", DATA.slice(10)), { offset: 10, length: 50 })).toBeUndefined();
    expect(bodyProblem(...r("bytes 15-19/20", DATA.slice(15)), { suffix: 5 })).toBeUndefined();
    expect(bodyProblem(...r("bytes 10-13/20", DATA.slice(10, 14)), { offset: 10, length: 5 })).toMatch(/10-13 of 20 where 10-14/);
    expect(bodyProblem(...r("bytes 10-14/20", DATA.slice(10, 13)), { offset: 10, length: 5 })).toMatch(/3 bytes where Content-Range says 5/);
    expect(bodyProblem(...r("bytes 10-14/*", DATA.slice(10, 15)), { offset: 11 })).toMatch(/where 11- were asked/);
    // No Content-Range visible (a cross-origin answer that does not expose it): not longer than asked.
    expect(bodyProblem(...res(DATA.slice(0, 5), 206, {}), { offset: 0, length: 5 })).toBeUndefined();
    expect(bodyProblem(...res(DATA.slice(0, 6), 206, {}), { offset: 0, length: 5 })).toMatch(/6 bytes for a range of 5/);
  });
});

describe("options", () => {
  it("reads MAX_RETRIES and friends for http(s) tables from options and HTTP_-prefixed env vars", async () => {
    const count = async (options: Record<string, string>, env: Record<string, string> = {}): Promise<number> => {
      const { fetch, calls } = origin(Array.from({ length: 20 }, () => status(500)));
      const store = storeFromUrl({ url: "https://cdn.example/t", options: { "backoff_config.init_backoff": "1ms", ...options }, env, fetch });
      await store.get("a").catch(() => undefined);
      return calls.length;
    };
    expect(await count({ max_retries: "2" })).toBe(3);
    expect(await count({ MAX_RETRIES: "0" })).toBe(1);
    expect(await count({ http_max_retries: "1" })).toBe(2);
    expect(await count({}, { HTTP_MAX_RETRIES: "3" })).toBe(4);
    expect(await count({ max_retries: "1" }, { HTTP_MAX_RETRIES: "3" })).toBe(2);
    expect(() => storeFromUrl({ url: "https://cdn.example/t", options: { http_max_retry: "1" } })).toThrow(InvalidInputError);
    expect(() => storeFromUrl({ url: "https://cdn.example/t", options: { retry_timeout: "soon" } })).toThrow(/retry_timeout/);
  });

  it("keeps header.* options as request headers", async () => {
    const { fetch, calls } = origin();
    await storeFromUrl({ url: "https://cdn.example/t", options: { "header.Authorization": "Bearer x", timeout: "5s" }, fetch }).get("a");
    expect(calls[0]?.headers.get("Authorization")).toBe("Bearer x");
  });
});
