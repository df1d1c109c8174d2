/**
 * The Worker's HTTP surface in Miniflare: bearer auth (401 without a token, 403 with a wrong one,
 * reads gated only when READ_TOKEN is set, writes refused when WRITE_TOKEN is unset), JSON errors
 * and statuses for unknown tables and routes, CORS (preflight, exposed headers, origin lists),
 * the TABLES_PREFIX root, and /objects as a browser reader needs it: Range (206, suffix,
 * open-ended, clamped, 416), HEAD, ETag and 304, odd keys.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { HttpStore } from "../../src/core/storage/http.js";
import type { R2BucketLike } from "../../src/worker/r2-store.js";
import { openTable } from "../../src/core/table/open.js";
import { CONFORMANCE, memoryStoreFromDir } from "../helpers/conformance.js";
import { miniflareAvailability } from "../helpers/servers/miniflare-r2.js";
import { bundleWorker, startWorker, type RunningWorker } from "../../scripts/worker-dev.mjs";
import { postRows, startTestWorker, WRITE_TOKEN, type TestWorker } from "./worker-server.js";

const availability = miniflareAvailability();
const READ_TOKEN = "reader-token";
let w: TestWorker; // READ_TOKEN set
let open: RunningWorker; // no WRITE_TOKEN, a TABLES_PREFIX, a CORS origin list
let file: { path: string; size: number };

const read = { auth: READ_TOKEN };

beforeAll(async () => {
  if (!availability.available) return;
  w = await startTestWorker({ READ_TOKEN });
  const rows = [
    { id: 1, region: "a%b=c ü" },
    { id: 2, region: "plain" },
  ];
  expect((await postRows(w, "http/t", rows, "partitionBy=region")).status).toBe(200);
  const files = (await (await w.api("api/tables/http/t/files", read)).json()) as { path: string; size: number }[];
  file = files.find((f) => f.path.startsWith("region=a")) as { path: string; size: number };
  open = await startWorker({
    modules: await bundleWorker(),
    bindings: { WRITE_TOKEN: "", TABLES_PREFIX: "/root/sub/", CORS_ORIGIN: "https://a.example, https://b.example" },
  });
  const bucket = (await open.mf.getR2Bucket("TABLES")) as unknown as R2BucketLike;
  const local = memoryStoreFromDir(join(CONFORMANCE, "golden/data-reader-primitives/delta"));
  for await (const meta of local.list("")) {
    const bytes = new Uint8Array(await local.get(meta.key));
    await bucket.put(`root/sub/g/prims/${meta.key}`, bytes);
    await bucket.put(`elsewhere/g/hidden/${meta.key}`, bytes);
  }
});
afterAll(async () => {
  await w?.stop();
  await open?.dispose();
});

const errorOf = async (r: Response) => ((await r.json()) as { error: { code: string; message: string } }).error;
const objectUrl = (path: string) => `objects/http/t/${path.split("/").map(encodeURIComponent).join("/")}`;

describe.skipIf(!availability.available)("Worker API: HTTP surface (Miniflare + R2)", () => {
  it("reads need a token when READ_TOKEN is set: 401 without, 403 wrong, read or write token accepted", async () => {
    const none = await w.api("api/tables");
    expect(none.status).toBe(401);
    expect(none.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
    expect(none.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(await errorOf(none)).toMatchObject({ code: "UNAUTHORIZED" });
    expect((await w.api("api/tables", { headers: { Authorization: "Basic abc" } })).status).toBe(401);
    const wrong = await w.api("api/tables", { auth: "nope" });
    expect(wrong.status).toBe(403);
    expect(await errorOf(wrong)).toMatchObject({ code: "FORBIDDEN" });
    expect((await w.api("api/tables", read)).status).toBe(200);
    expect((await w.api("api/tables/http/t/rows", { auth: true })).status).toBe(200);
    expect((await w.api(objectUrl(file.path))).status).toBe(401);
    expect((await w.api(objectUrl(file.path), read)).status).toBe(200);
  });

  it("writes need the write token: 401 without, 403 with the read token or a wrong one", async () => {
    const post = (auth?: string) =>
      w.api("api/tables/http/w?mode=append", { method: "POST", headers: { "Content-Type": "application/x-ndjson" }, body: '{"id":1}\n', ...(auth === undefined ? {} : { auth }) });
    expect((await post()).status).toBe(401);
    expect((await post(READ_TOKEN)).status).toBe(403);
    expect((await post(`${WRITE_TOKEN}x`)).status).toBe(403);
    expect((await post(WRITE_TOKEN)).status).toBe(200);
    const maintenance = await w.api("api/tables/http/w/maintenance", { method: "POST", auth: READ_TOKEN, body: '{"op":"checkpoint"}' });
    expect(maintenance.status).toBe(403);
  });

  it("unknown tables, routes and methods: 404, 405 and 400 as JSON errors", async () => {
    for (const path of ["api/tables/http/missing", "api/tables/http/missing/rows", "api/tables/http/missing/history", "api/tables/http/missing/files", "api/tables/nope/t"]) {
      const r = await w.api(path, read);
      expect(r.status, path).toBe(404);
      expect(r.headers.get("Content-Type")).toMatch(/^application\/json/);
      expect((await errorOf(r)).code).toBe("NOT_FOUND");
    }
    for (const path of ["api/nothing", "api/tables/http", "api/tables/http/t/nope", "api/tables/http/t/rows/x", "elsewhere"]) expect((await w.api(path, read)).status, path).toBe(404);
    const put = await w.api("api/tables/http/t", { method: "PUT", auth: true, body: "x" });
    expect(put.status).toBe(405);
    expect(put.headers.get("Allow")).toBe("GET, POST, OPTIONS");
    expect((await w.api("api/tables/http/t/rows", { method: "POST", auth: true })).status).toBe(405);
    expect((await w.api(objectUrl(file.path), { method: "POST", auth: true })).status).toBe(405);
    // URL parsing resolves %2E%2E as "..": such paths never reach a table route.
    expect((await w.api("api/tables/%2E%2E/t", read)).status).toBe(404);
    expect((await w.api("api/tables/http/a%00b", read)).status).toBe(400);
    expect((await w.api("api/tables/http/a%2Fb", read)).status).toBe(400);
    expect((await w.api("api/tables/http/%E0%A4%A", read)).status).toBe(400);
  });

  it("CORS: OPTIONS preflights need no token; responses expose Content-Range and ETag", async () => {
    const pre = await w.api("api/tables/http/t", {
      method: "OPTIONS",
      headers: { Origin: "https://page.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(pre.headers.get("Access-Control-Allow-Methods")).toContain("POST");
    expect(pre.headers.get("Access-Control-Allow-Headers")).toMatch(/Authorization.*Content-Type.*Range/);
    const get = await w.api(objectUrl(file.path), { ...read, headers: { Origin: "https://page.example", Range: "bytes=0-3" } });
    expect(get.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(get.headers.get("Access-Control-Expose-Headers")).toMatch(/Content-Range.*ETag/);
  });

  it("/objects serves ranges: 206 with Content-Range, suffix, open-ended, clamped; 416 past the end", async () => {
    const url = objectUrl(file.path);
    const full = await w.api(url, read);
    expect(full.status).toBe(200);
    expect(full.headers.get("Content-Length")).toBe(String(file.size));
    expect(full.headers.get("Accept-Ranges")).toBe("bytes");
    const bytes = new Uint8Array(await full.arrayBuffer());
    expect(bytes.byteLength).toBe(file.size);
    const range = async (header: string) => {
      const r = await w.api(url, { ...read, headers: { Range: header } });
      return { status: r.status, contentRange: r.headers.get("Content-Range"), body: new Uint8Array(await r.arrayBuffer()) };
    };
    const n = file.size;
    expect(await range("bytes=0-3")).toEqual({ status: 206, contentRange: `bytes 0-3/${n}`, body: bytes.slice(0, 4) });
    expect(await range("bytes=-8")).toEqual({ status: 206, contentRange: `bytes ${n - 8}-${n - 1}/${n}`, body: bytes.slice(n - 8) });
    expect(await range("bytes=10-")).toEqual({ status: 206, contentRange: `bytes 10-${n - 1}/${n}`, body: bytes.slice(10) });
    expect(await range(`bytes=${n - 2}-${n + 100}`)).toEqual({ status: 206, contentRange: `bytes ${n - 2}-${n - 1}/${n}`, body: bytes.slice(n - 2) });
    expect(await range(`bytes=-${n + 100}`)).toEqual({ status: 206, contentRange: `bytes 0-${n - 1}/${n}`, body: bytes });
    for (const unsatisfiable of [`bytes=${n}-`, `bytes=${n + 5}-${n + 9}`, "bytes=-0"]) {
      const r = await range(unsatisfiable);
      expect(r.status, unsatisfiable).toBe(416);
      expect(r.contentRange).toBe(`bytes */${n}`);
    }
    for (const ignored of ["bytes=abc", "bytes=0-1,4-5", "items=0-3", "bytes=5-2"]) expect((await range(ignored)).status, ignored).toBe(200);
  });

  it("/objects: HEAD, ETag and If-None-Match, 404s and refused keys", async () => {
    const url = objectUrl(file.path);
    const head = await w.api(url, { ...read, method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("Content-Length")).toBe(String(file.size));
    const etag = head.headers.get("ETag") as string;
    expect(etag).toMatch(/^".+"$/);
    expect(head.headers.get("Last-Modified")).toMatch(/GMT$/);
    expect((await w.api(url, { ...read, headers: { "If-None-Match": etag } })).status).toBe(304);
    expect((await w.api(url, { ...read, headers: { "If-None-Match": '"other"' } })).status).toBe(200);
    expect((await w.api("objects/http/t/nothing.parquet", read)).status).toBe(404);
    expect((await w.api("objects/http/t/nothing.parquet", { ...read, method: "HEAD" })).status).toBe(404);
    expect((await w.api("objects/http/t/nothing.parquet", { ...read, headers: { Range: "bytes=0-3" } })).status).toBe(404);
    expect((await w.api("objects/%2E%2E/%2E%2E/secrets", read)).status).toBe(404); // URL parsing resolves "..": no escape from /objects
    expect((await w.api("objects/http//t/_delta_log/00000000000000000000.json", read)).status).toBe(400);
    expect((await w.api("objects/http/t%2F_delta_log/00000000000000000000.json", read)).status).toBe(400);
  });

  it("an HttpStore with the read token reads a table with odd partition keys through /objects", async () => {
    const store = new HttpStore({ url: `${w.url}objects/http/t`, headers: { Authorization: `Bearer ${READ_TOKEN}` } });
    const snapshot = await openTable({ store });
    expect(snapshot.files().map((f) => f.partitionValues.region).sort()).toEqual(["a%b=c ü", "plain"]);
    expect((await w.api(objectUrl(file.path), read)).status).toBe(200);
  });

  it("without WRITE_TOKEN writes are refused; TABLES_PREFIX roots tables and objects; CORS origin lists", async () => {
    const post = await fetch(`${open.url}api/tables/g/new`, { method: "POST", headers: { "Content-Type": "application/x-ndjson", Authorization: "Bearer anything" }, body: '{"id":1}\n' });
    expect(post.status).toBe(403);
    expect(await errorOf(post)).toMatchObject({ code: "WRITES_DISABLED" });
    expect(await (await fetch(`${open.url}api/tables`)).json()).toEqual({ schemas: [{ name: "g", tables: [{ name: "prims", path: "g/prims" }] }] });
    expect(((await (await fetch(`${open.url}api/tables/g/prims`)).json()) as { version: number }).version).toBe(0);
    expect((await fetch(`${open.url}objects/g/prims/_delta_log/00000000000000000000.json`)).status).toBe(200);
    expect((await fetch(`${open.url}objects/root/sub/g/prims/_delta_log/00000000000000000000.json`)).status).toBe(404);
    const allowed = await fetch(`${open.url}api/tables`, { headers: { Origin: "https://b.example" } });
    expect(allowed.headers.get("Access-Control-Allow-Origin")).toBe("https://b.example");
    expect(allowed.headers.get("Vary")).toContain("Origin");
    const other = await fetch(`${open.url}api/tables`, { method: "OPTIONS", headers: { Origin: "https://evil.example" } });
    expect(other.status).toBe(204);
    expect(other.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });
});
