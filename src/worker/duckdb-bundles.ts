/**
 * GET|HEAD /duckdb/<version>/<file>: duckdb-wasm's worker scripts and wasm for the explorer's SQL
 * box, read from the R2 bucket at `<DUCKDB_PREFIX><version>/<file>` (default prefix `_duckdb/`,
 * outside any table folder). They cannot be static assets: the wasm (34 MB) is over the Workers
 * limit of 25 MiB per asset file. Served with the types browsers insist on (a worker script must
 * be JavaScript, `WebAssembly.instantiateStreaming` wants application/wasm) and cached for a year
 * (the version is in the path). Public like the page itself: library code, no table data, so no
 * read token. Only duckdb-wasm's own file names are served. scripts/duckdb-bundles.mjs uploads
 * them (`npm start` does it for its local bucket).
 */
import { NotFoundError } from "../core/errors.js";
import type { Env } from "./env.js";
import { HttpError } from "./http.js";

/** The file names served (duckdb-wasm's browser bundles), with their content types. */
const FILES = /^duckdb-(?:(?:mvp|eh|coi)\.wasm|browser-(?:mvp|eh|coi)\.worker\.js|browser-coi\.pthread\.worker\.js)$/;
const VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?$/;

/** The bucket prefix of the bundles ("_duckdb/" unless DUCKDB_PREFIX says otherwise). */
export function duckdbPrefix(env: Env): string {
  const parts = (env.DUCKDB_PREFIX ?? "_duckdb").split("/").filter((s) => s !== "");
  return parts.length === 0 ? "" : `${parts.join("/")}/`;
}

/** Serves one bundle file (segments: the path segments after /duckdb/). */
export async function duckdbBundleRoute(request: Request, env: Env, segments: readonly string[]): Promise<Response> {
  const [version, file, ...rest] = segments;
  if (version === undefined || file === undefined || rest.length > 0 || !VERSION.test(version) || !FILES.test(file)) {
    throw new HttpError(404, "NOT_FOUND", `no duckdb-wasm bundle file at /duckdb/${segments.join("/")}`);
  }
  const key = `${duckdbPrefix(env)}${version}/${file}`;
  const object = request.method === "HEAD" ? await env.TABLES.head(key) : await env.TABLES.get(key);
  if (object === null) {
    throw new NotFoundError(`duckdb-wasm ${version} is not in the bucket (upload its bundles with scripts/duckdb-bundles.mjs)`, { path: `/duckdb/${version}/${file}` });
  }
  const headers = {
    "Content-Type": file.endsWith(".wasm") ? "application/wasm" : "text/javascript; charset=utf-8",
    "Content-Length": String(object.size),
    "Cache-Control": "public, max-age=31536000, immutable",
    ETag: object.httpEtag,
  };
  const body = "body" in object && object.body !== undefined ? (object.body as ReadableStream<Uint8Array>) : null;
  return new Response(request.method === "HEAD" ? null : body, { status: 200, headers });
}
