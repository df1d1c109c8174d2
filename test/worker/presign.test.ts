/**
 * The Worker's POST /api/presign in Miniflare: it signs only what PRESIGN_ALLOW names (buckets and
 * key prefixes, segment-aware, listings included), reads only, within the per-call cap and the
 * body limit, with the read token when one is set; its URLs verify (independent SigV4 check)
 * for their method and key only, expire after PRESIGN_EXPIRES_SECONDS, and carry no secret;
 * disabled and misconfigured Workers say so. (Reading a bucket through it: presigned-s3.test.ts
 * and test/browser/presign.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleWorker, startWorker, type RunningWorker } from "../../scripts/worker-dev.mjs";
import { miniflareAvailability } from "../helpers/servers/miniflare-r2.js";
import { BUCKET_KEYS } from "../helpers/signed-bucket.js";
import { verifySigV4 } from "../helpers/sigv4-verify.js";
import { startTestWorker, type TestWorker } from "./worker-server.js";

const availability = miniflareAvailability();
const READ_TOKEN = "presign-reader";
const SECRETS = new Map([[BUCKET_KEYS.accessKeyId, BUCKET_KEYS.secretAccessKey]]);
const SETTINGS = {
  AWS_ENDPOINT_URL: "https://s3.example.test",
  AWS_REGION: "eu-central-1",
  AWS_ACCESS_KEY_ID: BUCKET_KEYS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: BUCKET_KEYS.secretAccessKey,
  PRESIGN_ALLOW: "lake/tables/events, lake/tables/other/ public",
  PRESIGN_EXPIRES_SECONDS: "120",
  PRESIGN_MAX_REQUESTS: "3",
};
let w: TestWorker;
let bare: RunningWorker; // no presign settings
let broken: RunningWorker; // PRESIGN_ALLOW but no secret key

beforeAll(async () => {
  if (!availability.available) return;
  const modules = await bundleWorker();
  [w, bare, broken] = await Promise.all([
    startTestWorker({ READ_TOKEN, ...SETTINGS }),
    startWorker({ modules, bindings: {} }),
    startWorker({ modules, bindings: { PRESIGN_ALLOW: "lake", AWS_ACCESS_KEY_ID: "x" } }),
  ]);
});
afterAll(async () => {
  await Promise.all([w?.stop(), bare?.dispose(), broken?.dispose()]);
});

const post = (body: unknown, token: string | null = READ_TOKEN, target: { url: string } = w) =>
  fetch(new URL("api/presign", target.url), {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(token === null ? {} : { Authorization: `Bearer ${token}` }) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const errorOf = async (r: Response) => ((await r.json()) as { error: { code: string; message: string } }).error;

describe.skipIf(!availability.available)("Worker API: POST /api/presign", () => {
  it("signs GET, HEAD and listings under the allowed prefixes; the URLs verify for their method only and expire", async () => {
    const started = Date.now();
    const res = await post({
      bucket: "lake",
      requests: [
        { method: "GET", key: "tables/events/_delta_log/00000000000000000000.json" },
        { method: "HEAD", key: "tables/other/part-0.parquet" },
        { method: "LIST", prefix: "tables/events/_delta_log/", startAfter: "tables/events/_delta_log/00000000000000000003.zzzz", maxKeys: 50 },
      ],
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const body = (await res.json()) as { urls: string[]; expiresIn: number; expiresAt: number };
    expect(body.expiresIn).toBe(120);
    expect(body.expiresAt).toBeGreaterThanOrEqual(started + 119_000);
    expect(body.urls).toHaveLength(3);
    const [get, head, list] = body.urls.map((u) => new URL(u)) as [URL, URL, URL];
    expect(get.pathname).toBe("/lake/tables/events/_delta_log/00000000000000000000.json");
    expect(list.searchParams.get("prefix")).toBe("tables/events/_delta_log/");
    expect(list.searchParams.get("max-keys")).toBe("50");
    for (const u of [get, head, list]) {
      expect(u.origin).toBe("https://s3.example.test");
      expect(u.searchParams.get("X-Amz-Expires")).toBe("120");
      expect(u.searchParams.get("X-Amz-Credential")).toMatch(/^AKIADELTAEDGETEST01\/\d{8}\/eu-central-1\/s3\/aws4_request$/);
      expect(u.toString()).not.toContain(encodeURIComponent(BUCKET_KEYS.secretAccessKey));
      expect(u.toString()).not.toContain(BUCKET_KEYS.secretAccessKey);
    }
    const check = (method: string, u: URL, at = Date.now()) => verifySigV4({ method, url: u.pathname + u.search, headers: { host: u.host, range: "bytes=0-99" } }, SECRETS, at);
    expect(check("GET", get)).toMatchObject({ ok: true, presigned: true });
    expect(check("HEAD", head)).toMatchObject({ ok: true });
    expect(check("GET", list)).toMatchObject({ ok: true });
    // Only what was asked: a GET URL is not a PUT or DELETE URL, nor one for another key.
    expect(check("PUT", get)).toMatchObject({ code: "SignatureDoesNotMatch" });
    expect(check("DELETE", get)).toMatchObject({ code: "SignatureDoesNotMatch" });
    expect(check("GET", head)).toMatchObject({ code: "SignatureDoesNotMatch" });
    const other = new URL(get);
    other.pathname = "/lake/tables/events/_delta_log/00000000000000000001.json";
    expect(check("GET", other)).toMatchObject({ code: "SignatureDoesNotMatch" });
    expect(check("GET", get, Date.now() + 121_000)).toMatchObject({ code: "AccessDenied", message: "Request has expired" });
  });

  it("refuses buckets, keys and listings outside PRESIGN_ALLOW (by whole path segments)", async () => {
    const refused = async (requests: unknown[], bucket = "lake") => {
      const res = await post({ bucket, requests });
      return { status: res.status, ...(await errorOf(res)) };
    };
    expect(await refused([{ method: "GET", key: "x" }], "other")).toMatchObject({ status: 403, code: "PRESIGN_FORBIDDEN", message: expect.stringMatching(/bucket "other"/) });
    expect(await refused([{ method: "GET", key: "tables/events-private/a.parquet" }])).toMatchObject({ status: 403, code: "PRESIGN_FORBIDDEN" });
    expect(await refused([{ method: "GET", key: "tables/secret.json" }])).toMatchObject({ status: 403, message: expect.stringMatching(/requests\[0\]: key "tables\/secret.json" lies outside/) });
    expect(await refused([{ method: "LIST", prefix: "tables/events" }])).toMatchObject({ status: 403, message: expect.stringMatching(/listing prefix/) });
    expect(await refused([{ method: "LIST", prefix: "" }])).toMatchObject({ status: 403 });
    expect(await refused([{ method: "GET", key: "tables/events/../secret.json" }])).toMatchObject({ status: 400, code: "INVALID_INPUT" });
    expect(await refused([{ method: "PUT", key: "tables/events/x" }])).toMatchObject({ status: 400, message: expect.stringMatching(/GET, HEAD or LIST \(reads only\)/) });
    expect(await refused([{ method: "DELETE", key: "tables/events/x" }])).toMatchObject({ status: 400 });
    expect(await refused([{ method: "GET", key: "tables/events/a\nb" }])).toMatchObject({ status: 400, message: expect.stringMatching(/control characters/) });
    expect(await refused([{ method: "GET", key: `tables/events/${"x".repeat(1100)}` }])).toMatchObject({ status: 400 });
    expect(await refused([{ method: "LIST", prefix: "tables/events/", maxKeys: 5000 }])).toMatchObject({ status: 400 });
    expect(await refused([{ method: "GET", key: "a" }, { method: "GET", key: "b" }, { method: "GET", key: "c" }, { method: "GET", key: "d" }])).toMatchObject({
      status: 413,
      message: expect.stringMatching(/at most 3 \(PRESIGN_MAX_REQUESTS\)/),
    });
    expect(await refused([])).toMatchObject({ status: 400 });
    // A whole bucket when the entry names no prefix.
    expect((await post({ bucket: "public", requests: [{ method: "LIST", prefix: "" }] })).status).toBe(200);
  });

  it("needs the read token when one is set, JSON, POST and a bounded body", async () => {
    const ok = { bucket: "lake", requests: [{ method: "GET", key: "tables/events/a" }] };
    expect((await post(ok, null)).status).toBe(401);
    expect((await post(ok, "wrong")).status).toBe(403);
    expect((await post("{not json")).status).toBe(400);
    const text = await fetch(new URL("api/presign", w.url), { method: "POST", headers: { Authorization: `Bearer ${READ_TOKEN}`, "Content-Type": "text/plain" }, body: "{}" });
    expect(text.status).toBe(415);
    const get = await fetch(new URL("api/presign", w.url), { headers: { Authorization: `Bearer ${READ_TOKEN}` } });
    expect(get.status).toBe(405);
    expect((await post(JSON.stringify({ ...ok, padding: "x".repeat(1024 * 1024) }))).status).toBe(413);
    // Browsers on other origins may call it (preflight for JSON with a bearer token).
    const preflight = await fetch(new URL("api/presign", w.url), {
      method: "OPTIONS",
      headers: { Origin: "https://page.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type" },
    });
    expect(preflight.headers.get("Access-Control-Allow-Methods")).toContain("POST");
    expect(preflight.headers.get("Access-Control-Allow-Headers")).toMatch(/Authorization/);
  });

  it("is off unless configured, and names the missing setting when misconfigured", async () => {
    const off = await post({ bucket: "lake", requests: [{ method: "GET", key: "a" }] }, null, bare);
    expect(off.status).toBe(403);
    expect(await errorOf(off)).toMatchObject({ code: "PRESIGN_DISABLED", message: expect.stringMatching(/PRESIGN_ALLOW/) });
    const bad = await post({ bucket: "lake", requests: [{ method: "GET", key: "a" }] }, null, broken);
    expect(bad.status).toBe(500);
    expect(await errorOf(bad)).toMatchObject({ code: "PRESIGN_MISCONFIGURED", message: expect.stringMatching(/AWS_SECRET_ACCESS_KEY is not set/) });
  });
});
