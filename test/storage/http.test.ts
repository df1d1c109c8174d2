/**
 * HttpStore: the read-only conformance subset against the loopback static server serving folders
 * pre-filled through LocalStore, plus HTTP specifics — exact Range headers on the wire, hosts that
 * ignore Range or refuse HEAD, auth headers, status mapping, injected fetch and URL encoding.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeltaError, InvalidInputError, NotFoundError, StorageError } from "../../src/core/errors.js";
import { HttpStore, rangeHeader } from "../../src/core/storage/http.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { startStaticServer, type StaticServer } from "../helpers/static-server.js";
import { putAll, storeConformance } from "./conformance.js";
import { ODD_KEYS, bodyOf, counting } from "./conformance-data.js";

let root: string;
let server: StaticServer;
let folders = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "delta-edge-http-"));
  server = await startStaticServer({ root });
});
afterAll(async () => {
  await server?.stop();
  await rm(root, { recursive: true, force: true });
});

/** A fresh folder under the served root, filled through LocalStore; returns its URL. */
async function served(seed: ReadonlyMap<string, Uint8Array>, base = () => server.url): Promise<string> {
  const folder = `t${++folders} with space`;
  await putAll(new LocalStore({ root: join(root, folder) }), seed);
  return `${base()}/${encodeURIComponent(folder)}`;
}

storeConformance("HttpStore", async (seed) => new HttpStore({ url: await served(seed) }), { readOnly: true, listable: false });

describe("HttpStore", () => {
  it("sends exact Range headers and encodes each key segment", async () => {
    const url = await served(new Map([["_delta_log/a b%=+#?é.json", counting(50)]]));
    const store = new HttpStore({ url: `${url}/` });
    server.reset();
    await store.get("_delta_log/a b%=+#?é.json", { range: { offset: 10, length: 5 } });
    await store.get("_delta_log/a b%=+#?é.json", { range: { suffix: 8 } });
    await store.get("_delta_log/a b%=+#?é.json", { range: { offset: 40 } });
    await store.get("_delta_log/a b%=+#?é.json");
    expect(server.requests.map((r) => r.range)).toEqual(["bytes=10-14", "bytes=-8", "bytes=40-", undefined]);
    expect(server.requests.map((r) => r.status)).toEqual([206, 206, 206, 200]);
    expect(server.requests[0]?.path).toMatch(/\/_delta_log\/a%20b%25%3D%2B%23%3F%C3%A9\.json$/);
    expect(rangeHeader({ offset: 0, length: 1 })).toBe("bytes=0-0");
  });

  it("slices locally when the server ignores Range (200)", async () => {
    const naiveRoot = await mkdtemp(join(tmpdir(), "delta-edge-naive-"));
    const naive = await startStaticServer({ root: naiveRoot, ignoreRange: true });
    try {
      await new LocalStore({ root: naiveRoot }).put("x.bin", counting(100));
      const store = new HttpStore({ url: naive.url });
      expect([...(await store.get("x.bin", { range: { offset: 5, length: 3 } }))]).toEqual([5, 6, 7]);
      expect([...(await store.get("x.bin", { range: { suffix: 2 } }))]).toEqual([98, 99]);
      expect((await store.get("x.bin", { range: { offset: 500 } })).byteLength).toBe(0);
      expect(naive.requests.every((r) => r.status === 200)).toBe(true);
    } finally {
      await naive.stop();
      await rm(naiveRoot, { recursive: true, force: true });
    }
  });

  it.each([403, 405])("falls back to a one-byte GET when HEAD answers %i", async (status) => {
    const dir = await mkdtemp(join(tmpdir(), "delta-edge-nohead-"));
    const host = await startStaticServer({ root: dir, headStatus: status });
    try {
      const local = new LocalStore({ root: dir });
      await local.put("x.bin", counting(1234));
      await local.put("empty", new Uint8Array(0));
      const store = new HttpStore({ url: host.url });
      const meta = await store.head("x.bin");
      expect(meta.size).toBe(1234);
      expect(meta.lastModified).toBeGreaterThan(0);
      expect(meta.etag).toMatch(/^"/);
      expect((await store.head("empty")).size).toBe(0);
      await expect(store.head("missing")).rejects.toBeInstanceOf(NotFoundError);
      expect(host.requests.filter((r) => r.method === "GET").map((r) => r.range)).toEqual(["bytes=0-0", "bytes=0-0", "bytes=0-0"]);
    } finally {
      await host.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("sends configured headers and maps statuses to errors", async () => {
    const dir = await mkdtemp(join(tmpdir(), "delta-edge-auth-"));
    const host = await startStaticServer({ root: dir, authorization: "Bearer s3cret" });
    try {
      await new LocalStore({ root: dir }).put("x", "hello");
      const good = new HttpStore({ url: host.url, headers: { Authorization: "Bearer s3cret" } });
      expect(new TextDecoder().decode(await good.get("x"))).toBe("hello");
      const bad = new HttpStore({ url: host.url });
      const error = await bad.get("x").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect((error as StorageError).status).toBe(401);
      expect((error as StorageError).message).toContain(`${host.url}/x`);
    } finally {
      await host.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("uses an injected fetch, keeps a query string and reads Last-Modified", async () => {
    const seen: { url: string; range: string | null; method: string }[] = [];
    const fakeFetch: typeof fetch = async (input, init) => {
      const headers = new Headers(init?.headers);
      seen.push({ url: String(input), range: headers.get("Range"), method: init?.method ?? "GET" });
      if (String(input).includes("gone")) return new Response("no", { status: 404 });
      if (String(input).includes("boom")) return new Response("no", { status: 503, statusText: "Service Unavailable" });
      return new Response("abcdef".slice(1, 4), {
        status: 206,
        headers: { "Content-Range": "bytes 1-3/6", "Content-Length": "3", "Last-Modified": "Wed, 21 Oct 2015 07:28:00 GMT" },
      });
    };
    const store = new HttpStore({ url: "https://cdn.example/tables/t1?sig=abc", fetch: fakeFetch, client: { retryInitialBackoffMs: 1, retryMaxBackoffMs: 2 } });
    expect(store.root).toBe("https://cdn.example/tables/t1");
    expect(new TextDecoder().decode(await store.get("k 1", { range: { offset: 1, length: 3 } }))).toBe("bcd");
    expect(seen[0]).toEqual({ url: "https://cdn.example/tables/t1/k%201?sig=abc", range: "bytes=1-3", method: "GET" });
    expect((await store.head("k")).lastModified).toBe(Date.UTC(2015, 9, 21, 7, 28));
    await expect(store.get("gone")).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.get("boom")).rejects.toThrow(/503 Service Unavailable \(after 11 attempts\) \(path https:\/\/cdn.example\/tables\/t1\/boom\)$/);
    await expect(store.get("../escape")).rejects.toBeInstanceOf(InvalidInputError);
  });

  it("wraps network failures in StorageError and passes aborts through", async () => {
    const store = new HttpStore({ url: "http://127.0.0.1:9/", fetch: async () => Promise.reject(new TypeError("fetch failed")), client: { retries: 2, retryInitialBackoffMs: 1 } });
    await expect(store.get("x")).rejects.toBeInstanceOf(StorageError);
    const live = new HttpStore({ url: await served(new Map([["y", bodyOf("y")]])) });
    const controller = new AbortController();
    controller.abort();
    const error = await live.get("y", { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(DeltaError);
    expect((error as Error).name).toBe("AbortError");
  });

  it("refuses listing with code UNSUPPORTED and writes as read-only", async () => {
    const store = new HttpStore({ url: await served(new Map()) });
    expect(() => store.list("_delta_log/")).toThrow(DeltaError);
    try {
      store.list("");
    } catch (error) {
      expect((error as DeltaError).code).toBe("UNSUPPORTED");
      expect((error as Error).message).toMatch(/no listing/);
    }
    await expect(store.put("a", "b")).rejects.toThrow(/http store is read-only/);
    await expect(store.delete("a")).rejects.toMatchObject({ code: "READ_ONLY" });
  });

  it("serves every awkward key written by LocalStore", async () => {
    const store = new HttpStore({ url: await served(new Map(ODD_KEYS.map((k) => [k, bodyOf(k)]))) });
    for (const key of ODD_KEYS) expect((await store.head(key)).size, key).toBe(bodyOf(key).byteLength);
  });
});
