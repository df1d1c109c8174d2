/**
 * The Worker's /duckdb/<version>/<file> route (duckdb-wasm's bundles for the explorer, from the
 * bucket at _duckdb/<version>/<file>): public even when a read token gates the tables, served
 * with the content types browsers require (JavaScript for the worker script, application/wasm
 * for instantiateStreaming) and a year of caching; only duckdb-wasm's file names and version-like
 * folders are served, anything else is a JSON 404; a version not uploaded says how to upload it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { miniflareAvailability } from "../helpers/servers/miniflare-r2.js";
import { startTestWorker, type TestWorker } from "./worker-server.js";

const availability = miniflareAvailability();
const READ_TOKEN = "reader";
let w: TestWorker;
const WASM = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);

beforeAll(async () => {
  if (!availability.available) return;
  w = await startTestWorker({ READ_TOKEN });
  const bucket = await w.bucket();
  await bucket.put("_duckdb/1.32.0/duckdb-eh.wasm", WASM);
  await bucket.put("_duckdb/1.32.0/duckdb-browser-eh.worker.js", new TextEncoder().encode("self.x = 1;"));
  await bucket.put("_duckdb/1.32.0/secret.txt", new TextEncoder().encode("no"));
});
afterAll(async () => w?.stop());

describe.skipIf(!availability.available)("GET /duckdb/<version>/<file>", () => {
  it("serves the wasm and the worker script without a token, typed and cacheable", async () => {
    const wasm = await w.api("duckdb/1.32.0/duckdb-eh.wasm");
    expect(wasm.status).toBe(200);
    expect(wasm.headers.get("content-type")).toBe("application/wasm");
    expect(wasm.headers.get("cache-control")).toContain("immutable");
    expect(wasm.headers.get("access-control-allow-origin")).toBe("*");
    expect(new Uint8Array(await wasm.arrayBuffer())).toEqual(WASM);
    const js = await w.api("duckdb/1.32.0/duckdb-browser-eh.worker.js");
    expect(js.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(await js.text()).toBe("self.x = 1;");
    const head = await w.api("duckdb/1.32.0/duckdb-eh.wasm", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(WASM.length));
    // The tables themselves still need the read token.
    expect((await w.api("api/tables")).status).toBe(401);
  });

  it("serves nothing but duckdb-wasm's bundle files", async () => {
    for (const path of ["duckdb/1.32.0/secret.txt", "duckdb/latest/duckdb-eh.wasm", "duckdb/1.32.0", "duckdb/1.32.0/x/duckdb-eh.wasm"]) {
      const res = await w.api(path);
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
    }
    const missing = await w.api("duckdb/9.9.9/duckdb-eh.wasm");
    expect(missing.status).toBe(404);
    expect(await missing.text()).toMatch(/duckdb-wasm 9\.9\.9 is not in the bucket.*duckdb-bundles\.mjs/);
    expect((await w.api("duckdb/1.32.0/duckdb-eh.wasm", { method: "POST", body: "x" })).status).toBe(405);
  });
});
