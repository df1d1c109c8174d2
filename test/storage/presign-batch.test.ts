/**
 * PresignClient's batching against a fake signer (no servers): requests asked for in the same
 * task share one POST, `prepare` signs a whole list at once, at most `maxPerCall` requests go in
 * one POST, identical requests in flight are signed once, URLs are reused until shortly before
 * they expire (by the client's clock), `forget` drops them, and a refusal reaches every caller
 * of the batch with the signer's message.
 */
import { describe, expect, it } from "vitest";
import { PresignClient, signerEndpoint } from "../../src/core/storage/presign-batch.js";
import type { PresignItem, PresignRequestBody } from "../../src/core/storage/s3-presign.js";

/** A fake signer: URL = method + key, with the given lifetime; records each POST's requests. */
function fakeSigner(options: { expiresIn?: number; status?: number } = {}) {
  const posts: PresignItem[][] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    expect(request.url).toBe("https://signer.example/base/api/presign");
    expect(request.method).toBe("POST");
    const body = (await request.json()) as PresignRequestBody;
    posts.push(body.requests);
    if (options.status !== undefined) return Response.json({ error: { code: "FORBIDDEN", message: "no" } }, { status: options.status });
    const urls = body.requests.map((r) => `https://bucket.example/${r.method}/${r.method === "LIST" ? r.prefix : r.key}?n=${posts.length}`);
    return Response.json({ urls, expiresIn: options.expiresIn ?? 300, expiresAt: 0 });
  };
  return { posts, fetch: fetchFn };
}

const get = (key: string): PresignItem => ({ method: "GET", key });

describe("PresignClient", () => {
  it("signs requests made in the same task in one POST and reuses their URLs", async () => {
    const signer = fakeSigner();
    const client = new PresignClient({ signer: "https://signer.example/base/", bucket: "lake", fetch: signer.fetch });
    const urls = await Promise.all([client.sign(get("a")), client.sign(get("b")), client.sign({ method: "LIST", prefix: "t/" }), client.sign(get("a"))]);
    expect(signer.posts).toEqual([[get("a"), get("b"), { method: "LIST", prefix: "t/" }]]);
    expect(urls).toEqual(["https://bucket.example/GET/a?n=1", "https://bucket.example/GET/b?n=1", "https://bucket.example/LIST/t/?n=1", "https://bucket.example/GET/a?n=1"]);
    expect(await client.sign(get("b"))).toBe("https://bucket.example/GET/b?n=1");
    expect(await client.sign({ method: "HEAD", key: "b" })).toBe("https://bucket.example/HEAD/b?n=2");
    expect(client.stats()).toEqual({ calls: 2, urls: 4 });
  });

  it("prepares a list in as few POSTs as the cap allows, skipping what is signed or in flight", async () => {
    const signer = fakeSigner();
    const client = new PresignClient({ signer: "https://signer.example/base", bucket: "lake", fetch: signer.fetch, maxPerCall: 4 });
    await client.sign(get("k0"));
    const pendingOne = client.sign(get("k1")); // queued for the next task; prepare takes it along
    await client.prepare(Array.from({ length: 10 }, (_, i) => get(`k${i}`)));
    expect(signer.posts.map((p) => p.length)).toEqual([1, 4, 4, 1]);
    expect(signer.posts.slice(1).flat().map((r) => (r as { key: string }).key).sort()).toEqual(["k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9"]);
    expect(await pendingOne).toBe("https://bucket.example/GET/k1?n=2");
    await client.prepare([get("k3"), get("k9")]);
    await new Promise((ok) => setTimeout(ok, 5));
    expect(signer.posts).toHaveLength(4);
  });

  it("re-signs before expiry by its own clock, and after forget()", async () => {
    let now = 1_000_000;
    const signer = fakeSigner({ expiresIn: 300 });
    const client = new PresignClient({ signer: "https://signer.example/base", bucket: "lake", fetch: signer.fetch, now: () => now });
    expect(await client.sign(get("a"))).toMatch(/n=1$/);
    now += 239_000; // 300 s lifetime, reused until 60 s before the end
    expect(await client.sign(get("a"))).toMatch(/n=1$/);
    now += 2_000;
    expect(await client.sign(get("a"))).toMatch(/n=2$/);
    client.forget();
    expect(await client.sign(get("a"))).toMatch(/n=3$/);
  });

  it("hands a refusal to every request of the batch, with the signer's message", async () => {
    const signer = fakeSigner({ status: 403 });
    const client = new PresignClient({ signer: "https://signer.example/base", bucket: "lake", fetch: signer.fetch });
    const results = await Promise.allSettled([client.sign(get("a")), client.sign(get("b"))]);
    expect(signer.posts).toHaveLength(1);
    for (const r of results) {
      expect(r.status).toBe("rejected");
      expect(String((r as PromiseRejectedResult).reason.message)).toMatch(/^the signer refused to sign: FORBIDDEN: no/);
    }
    await expect(client.prepare([get("c")])).rejects.toMatchObject({ status: 403 });
  });

  it("finds the endpoint of a signer URL", () => {
    expect(signerEndpoint("https://w.example")).toBe("https://w.example/api/presign");
    expect(signerEndpoint("https://w.example/sub/")).toBe("https://w.example/sub/api/presign");
    expect(signerEndpoint("https://w.example/api/presign?x=1")).toBe("https://w.example/api/presign");
    expect(() => signerEndpoint("ftp://w.example")).toThrow(/http\(s\)/);
  });
});
