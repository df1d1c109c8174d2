/**
 * S3Store request shape and failure handling with an injected fetch: SigV4 canonical paths for
 * awkward keys (property test against an independent RFC 3986 encoder), signed headers, retries
 * only for idempotent requests (409 alone for conditional puts), 412 as AlreadyExists, timeouts
 * and caller aborts, copy-if-absent headers, 200-with-error answers, multipart completion
 * quirks, listing pagination and key decoding, and the XML reader itself.
 */
import { AwsV4Signer } from "aws4fetch";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AlreadyExistsError, DeltaError, NotFoundError, StorageError } from "../../src/core/errors.js";
import { S3Store, type S3StoreOptions } from "../../src/core/storage/s3.js";
import { decodeXmlEntities, parseXml } from "../../src/core/storage/s3-xml.js";

interface Seen {
  method: string;
  url: string;
  headers: Headers;
  body: string;
}

type Responder = (req: Seen, index: number) => Response | Promise<Response>;

function harness(respond: Responder, options: Partial<S3StoreOptions> = {}): { seen: Seen[]; store: S3Store } {
  const seen: Seen[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    const raw = init?.body;
    const body = raw === undefined || raw === null ? "" : typeof raw === "string" ? raw : new TextDecoder().decode(raw as Uint8Array);
    const req = { method: init?.method ?? "GET", url: String(input), headers: new Headers(init?.headers), body };
    seen.push(req);
    if (init?.signal?.aborted) throw init.signal.reason;
    return respond(req, seen.length - 1);
  };
  const store = new S3Store({
    bucket: "bkt",
    prefix: "tables/t 1",
    endpoint: "https://s3.example.com",
    region: "eu-west-1",
    accessKeyId: "AKID",
    secretAccessKey: "secret",
    fetch: fetchFn,
    ...options,
    client: { retryInitialBackoffMs: 1, retryMaxBackoffMs: 2, ...options.client },
  });
  return { seen, store };
}

const ok = (): Response => new Response("");

/** AWS's canonical URI encoding of a key, written independently: UTF-8 bytes, unreserved kept. */
function awsEncode(key: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(key)) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~/]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

describe("S3Store URL encoding and signing", () => {
  it("sends each key in the exact form SigV4 signs, for any key (property)", async () => {
    const { store } = harness(ok);
    const segment = fc
      .string({ unit: fc.oneof(fc.constantFrom(" ", "%", "=", "+", "#", "?", "&", "!", "'", "(", ")", "*", "~", ":", "é", "😀", "日"), fc.string({ unit: "grapheme", maxLength: 1 })), minLength: 1, maxLength: 8 })
      .filter((s) => s !== "." && s !== ".." && !s.includes("/"));
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 3 }), async (segments) => {
        const key = segments.join("/");
        const url = store.urlOf(key);
        const parsed = new URL(url);
        // The server decodes the path back to exactly our key ...
        const decoded = parsed.pathname.split("/").slice(2).map(decodeURIComponent).join("/");
        expect(decoded).toBe(`tables/t 1/${key}`);
        // ... and aws4fetch signs the canonical URI AWS computes from that key.
        const signer = new AwsV4Signer({ url, accessKeyId: "a", secretAccessKey: "s", service: "s3", region: "r" });
        expect(signer.encodedPath).toBe(`/bkt/${awsEncode(`tables/t 1/${key}`)}`);
      }),
      { numRuns: 300 },
    );
  });

  it("signs with the region and service, sends the session token and unsigned payload", async () => {
    const { seen, store } = harness(ok, { sessionToken: "TOKEN", requestPayer: true });
    await store.putIfAbsent("_delta_log/00000000000000000000.json", "{}");
    const req = seen[0] as Seen;
    expect(req.method).toBe("PUT");
    expect(req.url).toBe("https://s3.example.com/bkt/tables/t%201/_delta_log/00000000000000000000.json");
    expect(req.headers.get("If-None-Match")).toBe("*");
    expect(req.headers.get("x-amz-security-token")).toBe("TOKEN");
    expect(req.headers.get("x-amz-request-payer")).toBe("requester");
    expect(req.headers.get("x-amz-content-sha256")).toBe("UNSIGNED-PAYLOAD");
    const auth = req.headers.get("Authorization") ?? "";
    expect(auth).toMatch(/^AWS4-HMAC-SHA256 Credential=AKID\/\d{8}\/eu-west-1\/s3\/aws4_request, /);
    expect(auth).toContain("SignedHeaders=host;if-none-match;x-amz-content-sha256;x-amz-date;x-amz-request-payer;x-amz-security-token,");
    expect(req.body).toBe("{}");
  });

  it("sends ranges, including suffix ranges, and slices when the server ignores them", async () => {
    const { seen, store } = harness(() => new Response("0123456789"));
    expect(new TextDecoder().decode(await store.get("k", { range: { suffix: 3 } }))).toBe("789");
    expect(new TextDecoder().decode(await store.get("k", { range: { offset: 2, length: 3 } }))).toBe("234");
    expect(seen.map((r) => r.headers.get("Range"))).toEqual(["bytes=-3", "bytes=2-4"]);
  });

  it("sends unsigned requests when signing is skipped", async () => {
    const { seen, store } = harness(ok, { skipSignature: true, accessKeyId: undefined as unknown as string });
    await store.get("k");
    expect(seen[0]?.headers.get("Authorization")).toBeNull();
  });
});

describe("S3Store retries and failures", () => {
  it("retries idempotent requests on 5xx, 429 and network errors", async () => {
    const answers = [503, 429, 500];
    const { seen, store } = harness((_, i) => (i < answers.length ? new Response("busy", { status: answers[i] as number }) : new Response("data")));
    expect(new TextDecoder().decode(await store.get("k"))).toBe("data");
    expect(seen).toHaveLength(4);
    let calls = 0;
    const flaky = harness(() => {
      if (++calls < 3) throw new TypeError("fetch failed");
      return new Response(null, { status: 204 });
    });
    await flaky.store.delete("k");
    expect(calls).toBe(3);
  });

  it("gives up after the retry budget with a StorageError carrying the status", async () => {
    const { seen, store } = harness(() => new Response("<Error><Code>SlowDown</Code><Message>Reduce</Message></Error>", { status: 503 }), {
      client: { retries: 2 },
    });
    const error = await store.head("k").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).status).toBe(503);
    expect(seen).toHaveLength(3);
    const get = await store.get("k").catch((e: unknown) => e);
    expect((get as Error).message).toMatch(/HTTP 503.*SlowDown: Reduce.*s3:\/\/bkt\/tables\/t 1\/k/);
  });

  it("never retries a conditional create on 5xx or a network error", async () => {
    const { seen, store } = harness(() => new Response("oops", { status: 500 }));
    await expect(store.putIfAbsent("k", "x")).rejects.toBeInstanceOf(StorageError);
    expect(seen).toHaveLength(1);
    const net = harness(() => {
      throw new TypeError("socket hang up");
    });
    await expect(net.store.putIfAbsent("k", "x")).rejects.toThrow(/socket hang up/);
    expect(net.seen).toHaveLength(1);
  });

  it("retries 409 ConditionalRequestConflict a bounded number of times, maps 412 to AlreadyExists", async () => {
    const conflict = (): Response => new Response("<Error><Code>ConditionalRequestConflict</Code></Error>", { status: 409 });
    const { seen, store } = harness((_, i) => (i < 2 ? conflict() : ok()));
    await store.putIfAbsent("k", "x");
    expect(seen).toHaveLength(3);
    const always = harness(conflict, { client: { retries: 3 } });
    const error = await always.store.putIfAbsent("k", "x").catch((e: unknown) => e);
    expect((error as StorageError).status).toBe(409);
    expect(always.seen).toHaveLength(4);
    const exists = harness(() => new Response("<Error><Code>PreconditionFailed</Code></Error>", { status: 412 }));
    const lost = await exists.store.putIfAbsent("_delta_log/1.json", "x").catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(AlreadyExistsError);
    expect((lost as Error).message).toContain("s3://bkt/tables/t 1/_delta_log/1.json");
  });

  it("times out through AbortSignal and passes the caller's abort through untouched", async () => {
    // A server that never answers: only the signal ends the request.
    const fetchFn: typeof fetch = (_input, init) =>
      new Promise((_, reject) => {
        const signal = init?.signal as AbortSignal;
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener("abort", () => reject(signal.reason));
      });
    const store = new S3Store({ bucket: "b", accessKeyId: "a", secretAccessKey: "s", fetch: fetchFn, client: { timeoutMs: 30, retries: 1, retryInitialBackoffMs: 1 } });
    const error = await store.get("k").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toMatch(/timed out after 30 ms \(after 2 attempts\)/);
    const controller = new AbortController();
    const pending = store.get("k", { signal: controller.signal }).catch((e: unknown) => e);
    controller.abort();
    const aborted = await pending;
    expect(aborted).not.toBeInstanceOf(DeltaError);
    expect((aborted as Error).name).toBe("AbortError");
  });

  it("treats a missing key as NotFound and a 404 delete as done", async () => {
    const { store } = harness(() => new Response("<Error><Code>NoSuchKey</Code></Error>", { status: 404 }));
    await expect(store.get("k")).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.delete("k")).resolves.toBeUndefined();
  });
});

describe("S3Store copy primitives", () => {
  it("sends CopyObject with the source and the configured create-only header", async () => {
    const { seen, store } = harness(() => new Response("<CopyObjectResult><ETag>x</ETag></CopyObjectResult>"));
    await store.copyIfAbsent("_delta_log/.tmp/a b.json", "_delta_log/00000000000000000001.json", {
      header: "cf-copy-destination-if-none-match",
      value: "*",
    });
    const req = seen[0] as Seen;
    expect(req.method).toBe("PUT");
    expect(req.url).toBe("https://s3.example.com/bkt/tables/t%201/_delta_log/00000000000000000001.json");
    expect(req.headers.get("x-amz-copy-source")).toBe("bkt/tables/t%201/_delta_log/.tmp/a%20b.json");
    expect(req.headers.get("cf-copy-destination-if-none-match")).toBe("*");
    expect(req.headers.get("Authorization")).toContain("cf-copy-destination-if-none-match");
    await store.copyIfAbsent("a", "b");
    expect(seen[1]?.headers.get("If-None-Match")).toBe("*");
  });

  it("maps the condition's status to AlreadyExists and 200-with-error to StorageError", async () => {
    const exists = harness(() => new Response("", { status: 412 }));
    await expect(exists.store.copyIfAbsent("a", "b")).rejects.toBeInstanceOf(AlreadyExistsError);
    expect(exists.seen).toHaveLength(1);
    const custom = harness(() => new Response("", { status: 409 }));
    await expect(custom.store.copyIfAbsent("a", "b", { header: "x-exists-check", value: "1", status: 409 })).rejects.toBeInstanceOf(AlreadyExistsError);
    const late = harness(() => new Response("<Error><Code>InternalError</Code><Message>late</Message></Error>"));
    await expect(late.store.copy("a", "b")).rejects.toThrow(/COPY failed: InternalError: late/);
  });

  it("renames by copy then delete", async () => {
    const { seen, store } = harness(() => new Response(""));
    await store.rename("from", "to");
    expect(seen.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual(["PUT /bkt/tables/t%201/to", "DELETE /bkt/tables/t%201/from"]);
  });
});

describe("S3Store multipart uploads", () => {
  const MiB = 1024 * 1024;
  const options = { multipartThresholdBytes: 5 * MiB, multipartPartSizeBytes: 5 * MiB };

  it("uploads parts, retries a completion that answered 200 with an error, and sends the part list", async () => {
    let completes = 0;
    const { seen, store } = harness((req) => {
      const url = new URL(req.url);
      if (req.method === "POST" && url.searchParams.has("uploads")) return new Response("<InitiateMultipartUploadResult><UploadId>U&amp;1</UploadId></InitiateMultipartUploadResult>");
      if (req.method === "PUT") return new Response("", { headers: { ETag: `"e${url.searchParams.get("partNumber")}"` } });
      if (++completes === 1) return new Response("<Error><Code>InternalError</Code></Error>");
      return new Response("<CompleteMultipartUploadResult/>");
    }, options);
    await store.put("big.bin", new Uint8Array(11 * MiB));
    const parts = seen.filter((r) => r.method === "PUT");
    expect(parts.map((r) => new URL(r.url).searchParams.get("partNumber")).sort()).toEqual(["1", "2", "3"]);
    expect(parts.every((r) => new URL(r.url).searchParams.get("uploadId") === "U&1")).toBe(true);
    const complete = seen.filter((r) => r.method === "POST" && new URL(r.url).searchParams.has("uploadId"));
    expect(complete).toHaveLength(2);
    expect(complete[0]?.body).toContain("<Part><PartNumber>3</PartNumber><ETag>&quot;e3&quot;</ETag></Part>");
  });

  it("accepts NoSuchUpload on completion when the object is there, and aborts on failure", async () => {
    const size = 6 * MiB;
    const { store } = harness((req) => {
      const url = new URL(req.url);
      if (req.method === "POST" && url.searchParams.has("uploads")) return new Response("<R><UploadId>U</UploadId></R>");
      if (req.method === "PUT") return new Response("", { headers: { ETag: '"e"' } });
      if (req.method === "HEAD") return new Response(null, { headers: { "Content-Length": String(size) } });
      return new Response("<Error><Code>NoSuchUpload</Code></Error>", { status: 404 });
    }, options);
    await store.put("big.bin", new Uint8Array(size));
    const failing = harness((req) => {
      if (req.method === "POST") return new Response("<R><UploadId>U</UploadId></R>");
      if (req.method === "PUT") return new Response("<Error><Code>AccessDenied</Code></Error>", { status: 403 });
      return new Response(null, { status: 204 });
    }, options);
    await expect(failing.store.put("big.bin", new Uint8Array(size))).rejects.toThrow(/UploadPart .* 403/);
    const abort = failing.seen.find((r) => r.method === "DELETE");
    expect(abort && new URL(abort.url).searchParams.get("uploadId")).toBe("U");
  });
});

describe("S3Store listing", () => {
  it("follows continuation tokens, uses start-after once, decodes url-encoded keys and entities", async () => {
    const pages = [
      `<ListBucketResult><IsTruncated>true</IsTruncated><EncodingType>url</EncodingType>
        <Contents><Key>tables/t+1/a+b%2Bc</Key><Size>3</Size><LastModified>2024-01-02T03:04:05.000Z</LastModified><ETag>&quot;x&quot;</ETag></Contents>
        <NextContinuationToken>tok/1+=</NextContinuationToken></ListBucketResult>`,
      `<?xml version="1.0"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><IsTruncated>false</IsTruncated>
        <Contents><Key>tables/t 1/é &amp; &lt;&#233;&#x1F600;</Key><Size>0</Size></Contents></ListBucketResult>`,
    ];
    const { seen, store } = harness((_, i) => new Response(pages[i]), { client: { listPageSize: 7 } });
    const listed = [];
    for await (const meta of store.list("", { startAfter: "a" })) listed.push(meta);
    expect(listed).toEqual([
      { key: "a b+c", size: 3, lastModified: Date.UTC(2024, 0, 2, 3, 4, 5), etag: '"x"' },
      { key: "é & <é😀", size: 0, lastModified: 0 },
    ]);
    const [first, second] = seen.map((r) => new URL(r.url).searchParams);
    expect(first?.get("start-after")).toBe("tables/t 1/a");
    expect(first?.get("max-keys")).toBe("7");
    expect(first?.get("prefix")).toBe("tables/t 1/");
    expect(second?.get("continuation-token")).toBe("tok/1+=");
    expect(second?.has("start-after")).toBe(false);
  });

  it("refuses a truncated page without a token and a non-listing answer", async () => {
    const { store } = harness(() => new Response("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>"));
    await expect((async () => { for await (const _ of store.list("")) void _; })()).rejects.toThrow(/continuation token/);
    const odd = harness(() => new Response("<Html/>"));
    await expect((async () => { for await (const _ of odd.store.list("")) void _; })()).rejects.toThrow(/unexpected listing response/);
  });
});

describe("XML reader", () => {
  it("reads elements, attributes, entities, CDATA and comments", () => {
    const doc = parseXml(`<?xml version="1.0"?><!-- c --><R a="1 &amp; 2" b='x'><K>a&lt;b</K><E/><C><![CDATA[<raw>&amp;]]></C></R>`);
    expect(doc.name).toBe("R");
    expect(doc.attributes).toEqual({ a: "1 & 2", b: "x" });
    expect(doc.children.map((c) => [c.name, c.text])).toEqual([["K", "a<b"], ["E", ""], ["C", "<raw>&amp;"]]);
    expect(decodeXmlEntities("&#65;&#x42;&quot;&apos;&unknown;")).toBe(`AB"'&unknown;`);
  });

  it("rejects malformed documents with a StorageError", () => {
    for (const bad of ["<a><b></a>", "<a>", "no xml", "<a></a></b>", "<!-- open"]) expect(() => parseXml(bad), bad).toThrow(StorageError);
  });
});
