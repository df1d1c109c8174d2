/**
 * The Worker HTTP API of DESIGN.md: routing, authorization, CORS and error mapping around the
 * route handlers. Every response (errors included) carries CORS headers; OPTIONS is answered as a
 * preflight without auth. Paths outside /api and /objects go to the static-assets binding when
 * there is one (the demo explorer), else 404.
 *
 *   GET  /api/tables                                   tables.ts
 *   GET  /api/tables/:schema/:table[/history|/files]   tables.ts
 *   GET  /api/tables/:schema/:table/rows               rows.ts
 *   GET  /api/tables/:schema/:table/changes            changes.ts
 *   POST /api/tables/:schema/:table[/maintenance]      write.ts
 *   POST /api/tables/:schema/:table/delete|update|merge|restore   dml.ts
 *   GET|POST /api/tables/:schema/:table/ingest[/flush|/rejected]  ingest/route.ts (the table's DeltaIngest object)
 *   POST /api/presign                                  presign.ts
 *   GET|HEAD /objects/<key>                            objects.ts
 *   GET|HEAD /duckdb/<version>/<file>                  duckdb-bundles.ts (public)
 */
import { InvalidInputError } from "../core/errors.js";
import { authorize } from "./auth.js";
import { checkName, tableStore, type Env } from "./env.js";
import { errorResponse, HttpError, preflight, withCors } from "./http.js";
import { INGEST_METHODS, ingestRoute } from "./ingest/route.js";
import { objectRoute } from "./objects.js";
import { duckdbBundleRoute } from "./duckdb-bundles.js";
import { dmlRoute, type DmlAction } from "./dml.js";
import { presignRoute } from "./presign.js";
import { rowsRoute } from "./rows.js";
import { changesRoute } from "./changes.js";
import { filesRoute, historyRoute, infoRoute, listTablesRoute } from "./tables.js";
import { maintenanceRoute, writeRoute } from "./write.js";

/** Handles one request of the API (never throws: failures become JSON error responses). */
export async function handleApiRequest(request: Request, env: Env): Promise<Response> {
  if (request.method === "OPTIONS") return preflight(request, env.CORS_ORIGIN);
  let response: Response;
  try {
    response = await route(request, env);
  } catch (error) {
    response = errorResponse(error);
  }
  return withCors(request, response, env.CORS_ORIGIN);
}

async function route(request: Request, env: Env): Promise<Response> {
  const url = new URL(request.url);
  const segments = url.pathname.split("/").slice(1);
  const [head, second] = segments;
  if (head === "objects" && segments.length >= 2) {
    allow(request, ["GET", "HEAD"]);
    await authorize(request, env, "read");
    return objectRoute(request, env, segments.slice(1));
  }
  if (head === "api" && second === "presign" && segments.length === 2) {
    allow(request, ["POST"]);
    await authorize(request, env, "read");
    return presignRoute(request, env);
  }
  if (head === "duckdb") {
    allow(request, ["GET", "HEAD"]);
    return duckdbBundleRoute(request, env, segments.slice(1));
  }
  if (head !== "api" || second !== "tables") {
    if (env.ASSETS !== undefined && head !== "api" && head !== "objects") return env.ASSETS.fetch(request);
    throw new HttpError(404, "NOT_FOUND", `no route for ${request.method} ${url.pathname}`);
  }
  const rest = segments.slice(2);
  if (rest.length === 0 || (rest.length === 1 && rest[0] === "")) {
    allow(request, ["GET"]);
    await authorize(request, env, "read");
    return listTablesRoute(env);
  }
  const [rawSchema, rawTable, action, ...extra] = rest;
  if (rawSchema === undefined || rawTable === undefined || (extra.length > 0 && action !== "ingest")) throw new HttpError(404, "NOT_FOUND", `no route for ${url.pathname}`);
  const schema = checkName("schema", decodeSegment(rawSchema));
  const table = checkName("table", decodeSegment(rawTable));
  const store = tableStore(env, schema, table);
  const params = url.searchParams;
  switch (action ?? "") {
    case "":
      allow(request, ["GET", "POST"]);
      if (request.method === "POST") {
        await authorize(request, env, "write");
        return writeRoute(request, env, store, params);
      }
      await authorize(request, env, "read");
      return infoRoute(store, params);
    case "history":
    case "files":
    case "rows":
      allow(request, ["GET"]);
      await authorize(request, env, "read");
      return action === "history" ? historyRoute(store, params) : action === "files" ? filesRoute(store, params) : rowsRoute(store, params);
    case "changes":
      allow(request, ["GET"]);
      await authorize(request, env, "read");
      return changesRoute(store, params);
    case "maintenance":
      allow(request, ["POST"]);
      await authorize(request, env, "write");
      return maintenanceRoute(request, env, store);
    case "delete":
    case "update":
    case "merge":
    case "restore":
      allow(request, ["POST"]);
      await authorize(request, env, "write");
      return dmlRoute(action as DmlAction, request, env, store, params);
    case "ingest": {
      const sub = extra.join("/");
      const methods = INGEST_METHODS[sub];
      if (methods === undefined) throw new HttpError(404, "NOT_FOUND", `no route for ${url.pathname}`);
      allow(request, methods);
      await authorize(request, env, request.method === "GET" ? "read" : "write");
      return ingestRoute(request, env, { schema, table }, sub);
    }
    default:
      throw new HttpError(404, "NOT_FOUND", `no route for ${url.pathname}`);
  }
}

function allow(request: Request, methods: readonly string[]): void {
  if (!methods.includes(request.method)) {
    throw new HttpError(405, "METHOD_NOT_ALLOWED", `${request.method} is not allowed here; use ${methods.join(" or ")}`, {
      Allow: [...methods, "OPTIONS"].join(", "),
    });
  }
}

function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new InvalidInputError(`invalid percent-encoding in '${raw}'`);
  }
}
