/**
 * Azure configuration and request shape, without a server: option names and aliases, emulator
 * defaults, credential conflicts, URL forms, the SharedKey string-to-sign (checked against an
 * independent HMAC), SAS and bearer requests, suffix reads (HEAD + pinned ranged GET), and the
 * UTF-8 reordering of UTF-16-ordered listings (property test).
 */
import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AlreadyExistsError, InvalidInputError } from "../../src/core/errors.js";
import { AzureStore } from "../../src/core/storage/azure.js";
import { canonicalizedResource, stringToSign } from "../../src/core/storage/azure-auth.js";
import { AZURITE_KEY, azureConfig, parseAzureUrl } from "../../src/core/storage/azure-config.js";
import { Utf8Reorder } from "../../src/core/storage/azure-list.js";
import { byUtf8 } from "./conformance-data.js";

interface Seen {
  method: string;
  url: string;
  headers: Headers;
}

function recorder(respond: (req: Seen) => Response = () => new Response(null, { status: 201 })): { seen: Seen[]; fetch: typeof fetch } {
  const seen: Seen[] = [];
  return {
    seen,
    fetch: async (input, init) => {
      const req = { method: init?.method ?? "GET", url: String(input), headers: new Headers(init?.headers) };
      seen.push(req);
      return respond(req);
    },
  };
}

describe("azureConfig", () => {
  it("reads delta-rs names and object_store aliases", () => {
    expect(
      azureConfig({
        options: { AZURE_STORAGE_ACCOUNT_NAME: "acct", azure_storage_access_key: "a2V5", use_emulator: "false", azure_allow_http: "true" },
      }),
    ).toEqual({ accountName: "acct", accountKey: "a2V5", useEmulator: false, client: { allowHttp: true } });
    expect(azureConfig({ options: { account_name: "a", AZURE_STORAGE_SAS_TOKEN: "sv=1" } })).toEqual({ accountName: "a", sasToken: "sv=1" });
    expect(azureConfig({ env: { AZURE_STORAGE_USE_EMULATOR: "true", AZURITE_BLOB_STORAGE_URL: "http://localhost:10001/" } })).toEqual({
      useEmulator: true,
      endpoint: "http://localhost:10001/devstoreaccount1",
    });
    expect(() => azureConfig({ options: { AZURE_STORAGE_ACCOUNT: "typo" } })).toThrow(/"AZURE_STORAGE_ACCOUNT"/);
  });

  it("refuses two kinds of credentials at once, naming both", () => {
    const error = (() => {
      try {
        azureConfig({ options: { account_key: "a2V5", sas_key: "sv=1" } });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error?.message).toMatch(/"account_key" and "sas_key"/);
  });

  it("parses table URLs", () => {
    expect(parseAzureUrl("az://container/a/b/")).toEqual({ container: "container", prefix: "a/b/" });
    expect(parseAzureUrl("abfss://fs@myacct.dfs.core.windows.net/x%20y")).toEqual({ container: "fs", account: "myacct", prefix: "x y/" });
    expect(parseAzureUrl("abfs://fs@myacct.blob.core.windows.net")).toEqual({ container: "fs", account: "myacct", prefix: "" });
    expect(parseAzureUrl("abfss://fs/t")).toEqual({ container: "fs", prefix: "t/" });
    expect(() => parseAzureUrl("az://Bad_Container/t")).toThrow(InvalidInputError);
    expect(() => parseAzureUrl("abfss://fs@example.com/t")).toThrow(/account name/);
    expect(() => parseAzureUrl("s3://b/t")).toThrow(InvalidInputError);
  });

  it("needs an account, credentials and https (the emulator allows http)", () => {
    expect(() => new AzureStore({ container: "c", accountKey: "a2V5" })).toThrow(/AZURE_STORAGE_ACCOUNT_NAME/);
    expect(() => new AzureStore({ container: "c", accountName: "a" })).toThrow(/AZURE_STORAGE_ACCOUNT_KEY/);
    expect(() => new AzureStore({ container: "c", accountName: "a", accountKey: "a2V5", endpoint: "http://127.0.0.1:1/a" })).toThrow(/AZURE_ALLOW_HTTP/);
    const emulator = new AzureStore({ container: "c", useEmulator: true });
    expect(emulator.endpoint).toBe("http://127.0.0.1:10000/devstoreaccount1");
    expect(emulator.urlOf("k")).toBe("http://127.0.0.1:10000/devstoreaccount1/c/k");
    expect(() => new AzureStore({ container: "c", useEmulator: true, client: { allowHttp: false } })).toThrow(/AZURE_ALLOW_HTTP/);
    expect(new AzureStore({ container: "c", accountName: "a", skipSignature: true }).writable).toBe(true);
  });
});

describe("AzureStore requests", () => {
  it("signs with SharedKey over the documented string-to-sign", async () => {
    const { seen, fetch } = recorder();
    const store = new AzureStore({ container: "c", useEmulator: true, fetch });
    await store.putIfAbsent("dir/a b+c.json", "hello");
    const req = seen[0] as Seen;
    const url = new URL(req.url);
    expect(url.pathname).toBe("/devstoreaccount1/c/dir/a%20b%2Bc.json");
    const expected = [
      "PUT", "", "", "5", "", "", "", "", "", "*", "", "",
      `x-ms-blob-type:BlockBlob\nx-ms-date:${req.headers.get("x-ms-date")}\nx-ms-version:${req.headers.get("x-ms-version")}`,
      "/devstoreaccount1/devstoreaccount1/c/dir/a%20b%2Bc.json",
    ].join("\n");
    expect(stringToSign("PUT", url, req.headers, "devstoreaccount1", 5)).toBe(expected);
    const mac = createHmac("sha256", Buffer.from(AZURITE_KEY, "base64")).update(expected, "utf8").digest("base64");
    expect(req.headers.get("Authorization")).toBe(`SharedKey devstoreaccount1:${mac}`);
    expect(req.headers.get("If-None-Match")).toBe("*");
  });

  it("canonicalizes query parameters: lower-case names, sorted, decoded values", () => {
    const url = new URL("https://a.blob.core.windows.net/c?restype=container&comp=list&prefix=x%20y%2B&Marker=m%3D1");
    expect(canonicalizedResource(url, "a")).toBe("/a/c\ncomp:list\nmarker:m=1\nprefix:x y+\nrestype:container");
  });

  it("appends a SAS token instead of signing, and sends bearer tokens", async () => {
    const sas = recorder(() => new Response("<EnumerationResults><Blobs/></EnumerationResults>"));
    const store = new AzureStore({ container: "c", accountName: "acct", sasToken: "?sv=2023&sig=abc%2B", fetch: sas.fetch });
    for await (const _ of store.list("p/")) void _;
    expect(sas.seen[0]?.url).toBe("https://acct.blob.core.windows.net/c?restype=container&comp=list&prefix=p%2F&maxresults=1000&sv=2023&sig=abc%2B");
    expect(sas.seen[0]?.headers.get("Authorization")).toBeNull();
    const bearer = recorder(() => new Response("x"));
    await new AzureStore({ container: "c", accountName: "acct", bearerToken: "tok", fetch: bearer.fetch }).get("k");
    expect(bearer.seen[0]?.headers.get("Authorization")).toBe("Bearer tok");
  });

  it("reads a suffix with HEAD, then a ranged GET pinned to the ETag", async () => {
    const { seen, fetch } = recorder((req) =>
      req.method === "HEAD"
        ? new Response(null, { headers: { "Content-Length": "100", ETag: '"0x1"' } })
        : new Response(new Uint8Array([97, 98, 99]), { status: 206 }),
    );
    const store = new AzureStore({ container: "c", useEmulator: true, fetch });
    expect([...(await store.get("k", { range: { suffix: 3 } }))]).toEqual([97, 98, 99]);
    expect(seen.map((r) => [r.method, r.headers.get("x-ms-range"), r.headers.get("If-Match")])).toEqual([
      ["HEAD", null, null],
      ["GET", "bytes=97-99", '"0x1"'],
    ]);
  });

  it("maps 409 and 412 on a create-only put to AlreadyExistsError", async () => {
    for (const status of [409, 412]) {
      const { fetch } = recorder(() => new Response("<Error><Code>BlobAlreadyExists</Code></Error>", { status }));
      const store = new AzureStore({ container: "c", useEmulator: true, fetch });
      await expect(store.putIfAbsent("k", "x")).rejects.toBeInstanceOf(AlreadyExistsError);
    }
  });
});

describe("Utf8Reorder", () => {
  it("turns any UTF-16-ordered sequence into UTF-8 order (property)", () => {
    const char = fc.oneof(
      fc.constantFrom("a", "z", "/", "é", "\uE000", "\uFF5A", "\uFFFF", "😀", "𝄞", "\u{10FFFF}"),
      fc.string({ unit: "grapheme", maxLength: 1 }),
    );
    const key = fc.array(char, { minLength: 1, maxLength: 6 }).map((cs) => cs.join(""));
    fc.assert(
      fc.property(fc.uniqueArray(key, { maxLength: 40 }), (keys) => {
        const utf16 = [...keys].sort();
        const reorder = new Utf8Reorder<{ key: string }>();
        const out: string[] = [];
        for (const k of utf16) out.push(...reorder.push({ key: k }).map((m) => m.key));
        out.push(...reorder.flush().map((m) => m.key));
        expect(out).toEqual([...keys].sort(byUtf8));
      }),
      { numRuns: 300 },
    );
  });
});
