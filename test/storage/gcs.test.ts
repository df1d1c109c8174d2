/**
 * GcsStore request shape (no GCS emulator exists here): XML API URLs, SigV4 with HMAC keys and
 * region `auto`, create-only writes with `x-goog-if-generation-match: 0` (signed, and no
 * If-None-Match), 412 as AlreadyExists, copies with `x-goog-copy-source`, ListObjectsV2 paging,
 * and the option names.
 */
import { describe, expect, it } from "vitest";
import { AlreadyExistsError, InvalidInputError } from "../../src/core/errors.js";
import { GcsStore, gcsConfig } from "../../src/core/storage/gcs.js";

interface Seen {
  method: string;
  url: string;
  headers: Headers;
}

function gcs(respond: (req: Seen) => Response = () => new Response("")): { seen: Seen[]; store: GcsStore } {
  const seen: Seen[] = [];
  const store = new GcsStore({
    bucket: "lake",
    prefix: "warehouse/events",
    accessId: "GOOG1EXAMPLE",
    secret: "hmac-secret",
    fetch: async (input, init) => {
      const req = { method: init?.method ?? "GET", url: String(input), headers: new Headers(init?.headers) };
      seen.push(req);
      return respond(req);
    },
    client: { retryInitialBackoffMs: 1 },
  });
  return { seen, store };
}

describe("GcsStore", () => {
  it("signs XML API requests with the HMAC key, region auto and service s3", async () => {
    const { seen, store } = gcs(() => new Response("abc"));
    expect(store.root).toBe("gs://lake/warehouse/events");
    await store.get("_delta_log/00000000000000000000.json", { range: { suffix: 10 } });
    const req = seen[0] as Seen;
    expect(req.url).toBe("https://storage.googleapis.com/lake/warehouse/events/_delta_log/00000000000000000000.json");
    expect(req.headers.get("Authorization")).toMatch(/^AWS4-HMAC-SHA256 Credential=GOOG1EXAMPLE\/\d{8}\/auto\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/);
    expect(req.headers.get("Range")).toBe("bytes=-10");
  });

  it("creates only if absent with x-goog-if-generation-match: 0 and maps 412 to AlreadyExists", async () => {
    const { seen, store } = gcs(() => new Response("<Error><Code>PreconditionFailed</Code></Error>", { status: 412 }));
    await expect(store.putIfAbsent("_delta_log/00000000000000000001.json", "{}")).rejects.toBeInstanceOf(AlreadyExistsError);
    const req = seen[0] as Seen;
    expect(req.method).toBe("PUT");
    expect(req.headers.get("x-goog-if-generation-match")).toBe("0");
    expect(req.headers.get("If-None-Match")).toBeNull();
    expect(req.headers.get("Authorization")).toContain("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-goog-if-generation-match,");
    expect(seen).toHaveLength(1);
  });

  it("copies with x-goog-copy-source and the generation precondition", async () => {
    const { seen, store } = gcs();
    await store.copyIfAbsent("_delta_log/.tmp/x.json", "_delta_log/00000000000000000002.json");
    expect(seen[0]?.headers.get("x-goog-copy-source")).toBe("lake/warehouse/events/_delta_log/.tmp/x.json");
    expect(seen[0]?.headers.get("x-goog-if-generation-match")).toBe("0");
    expect(seen[0]?.headers.get("x-amz-copy-source")).toBeNull();
  });

  it("lists with ListObjectsV2", async () => {
    const { seen, store } = gcs(
      () =>
        new Response(
          "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>warehouse/events/_delta_log/00000000000000000000.json</Key><Size>12</Size></Contents></ListBucketResult>",
        ),
    );
    const keys: string[] = [];
    for await (const meta of store.list("_delta_log/")) keys.push(meta.key);
    expect(keys).toEqual(["_delta_log/00000000000000000000.json"]);
    const params = new URL(seen[0]?.url ?? "").searchParams;
    expect(params.get("list-type")).toBe("2");
    expect(params.get("prefix")).toBe("warehouse/events/_delta_log/");
  });

  it("reads GOOGLE_* options and requires HMAC keys", () => {
    expect(gcsConfig({ options: { GOOGLE_HMAC_ACCESS_ID: "id", hmac_secret: "s", google_allow_http: "true", GOOGLE_ENDPOINT_URL: "http://127.0.0.1:4443" } })).toEqual({
      accessId: "id",
      secret: "s",
      endpoint: "http://127.0.0.1:4443",
      client: { allowHttp: true },
    });
    expect(gcsConfig({ env: { GOOGLE_APPLICATION_CREDENTIALS: "/x.json", GOOGLE_NEW_THING: "1" } })).toEqual({});
    expect(() => new GcsStore({ bucket: "b", accessId: "id" })).toThrow(/GOOGLE_HMAC_SECRET/);
    expect(() => new GcsStore({ bucket: "b", accessId: "id", secret: "s", endpoint: "http://127.0.0.1:1" })).toThrow(/GOOGLE_ALLOW_HTTP/);
    expect(() => gcsConfig({ options: { GOOGLE_HMAC_KEY: "x" } })).toThrow(InvalidInputError);
  });
});
