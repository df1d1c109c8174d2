/**
 * storeFromUrl and the scheme registry: shared named memory stores and prefixed views, http(s)
 * stores with header options, clear errors for unregistered schemes, and the Node entry point
 * registering LocalStore for file:// URLs and plain paths (relative to the working directory).
 */
import { afterAll, describe, expect, it } from "vitest";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { UnsupportedFeatureError } from "../../src/core/errors.js";
import { HttpStore } from "../../src/core/storage/http.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import {
  BARE_PATH_SCHEME,
  clearMemoryStores,
  namedMemoryStore,
  registerStoreFactory,
  storeFromUrl,
  unregisterStoreFactory,
  urlScheme,
} from "../../src/core/storage/url.js";
import { LocalStore, openStore } from "../../src/node/index.js";
import { listAll } from "./conformance.js";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe("storeFromUrl", () => {
  it("shares one MemoryStore per name and views prefixes of it", async () => {
    clearMemoryStores();
    const a = storeFromUrl({ url: "memory://shared" });
    const b = storeFromUrl({ url: "memory://shared" });
    expect(a).toBe(b);
    expect(a).toBeInstanceOf(MemoryStore);
    expect(storeFromUrl({ url: "memory://other" })).not.toBe(a);
    const table = storeFromUrl({ url: "memory://shared/public/events" });
    expect(table.root).toBe("memory://shared/public/events");
    await table.put("_delta_log/00000000000000000000.json", "{}");
    expect((await listAll(a, "")).map((m) => m.key)).toEqual(["public/events/_delta_log/00000000000000000000.json"]);
    expect((await listAll(table, "_delta_log/", "_delta_log/0")).map((m) => m.key)).toEqual(["_delta_log/00000000000000000000.json"]);
    expect((await table.head("_delta_log/00000000000000000000.json")).key).toBe("_delta_log/00000000000000000000.json");
    expect(namedMemoryStore("shared")).toBe(a);
    clearMemoryStores();
    expect(storeFromUrl({ url: "memory://shared" })).not.toBe(a);
  });

  it("builds read-only http stores with header options and the given fetch", async () => {
    const calls: [string, string | null][] = [];
    const fetchFn: typeof fetch = async (input, init) => {
      calls.push([String(input), new Headers(init?.headers).get("Authorization")]);
      return new Response("ok", { status: 200 });
    };
    const store = storeFromUrl({ url: "https://cdn.example/t", options: { "header.Authorization": "Bearer x" }, fetch: fetchFn });
    expect(store).toBeInstanceOf(HttpStore);
    expect(store.writable).toBe(false);
    await store.get("_delta_log/_last_checkpoint");
    expect(calls).toEqual([["https://cdn.example/t/_delta_log/_last_checkpoint", "Bearer x"]]);
    expect(storeFromUrl({ url: "HTTP://cdn.example/t" })).toBeInstanceOf(HttpStore);
  });

  it("names unsupported schemes and lets factories be registered", () => {
    for (const scheme of ["hdfs", "wasbs", "ftp"]) {
      const error = (() => {
        try {
          storeFromUrl({ url: `${scheme}://bucket/prefix` });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(UnsupportedFeatureError);
      expect((error as Error).message).toContain(`"${scheme}://"`);
    }
    const made: string[] = [];
    registerStoreFactory("S3", ({ url, options }) => {
      made.push(`${url} ${options?.["AWS_REGION"]}`);
      return new MemoryStore({ name: "fake-s3" });
    });
    try {
      expect(storeFromUrl({ url: "s3://bucket/t", options: { AWS_REGION: "eu-west-1" } }).root).toBe("memory://fake-s3");
      expect(made).toEqual(["s3://bucket/t eu-west-1"]);
    } finally {
      unregisterStoreFactory("s3");
    }
    // Back to the built-in S3 store, which wants credentials.
    expect(() => storeFromUrl({ url: "s3://bucket/t" })).toThrow(/no credentials/);
  });

  it("parses schemes, treating drive letters as paths", () => {
    expect(urlScheme("s3://b/p")).toBe("s3");
    expect(urlScheme("file:///tmp/x")).toBe("file");
    expect(urlScheme("/tmp/x")).toBe(BARE_PATH_SCHEME);
    expect(urlScheme("relative/dir")).toBe(BARE_PATH_SCHEME);
    expect(urlScheme("C:\\data\\t")).toBe(BARE_PATH_SCHEME);
  });
});

describe("openStore (node)", () => {
  it("opens file:// URLs, absolute and relative paths as LocalStores", async () => {
    const dir = await mkdtemp(join(tmpdir(), "delta-edge-url-"));
    dirs.push(dir);
    const table = join(dir, "my table");
    const viaUrl = openStore(pathToFileURL(table).href);
    expect(viaUrl).toBeInstanceOf(LocalStore);
    await viaUrl.put("_delta_log/00000000000000000000.json", "{}");
    expect(await readFile(join(table, "_delta_log/00000000000000000000.json"), "utf8")).toBe("{}");
    const viaPath = openStore(table) as LocalStore;
    expect(viaPath.directory).toBe(table);
    const viaRelative = openStore({ url: relative(process.cwd(), table) }) as LocalStore;
    expect(viaRelative.directory).toBe(table);
    expect((await listAll(viaRelative, "")).map((m) => m.key)).toEqual(["_delta_log/00000000000000000000.json"]);
    expect(storeFromUrl({ url: table })).toBeInstanceOf(LocalStore);
    expect(openStore("memory://from-node")).toBeInstanceOf(MemoryStore);
  });
});
