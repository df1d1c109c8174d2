/**
 * The Worker's log-level read routes: the table listing (`<schema>/<table>/` folders under the
 * root that hold a `_delta_log/`), and per table the same JSON as the CLI's `info`, `history` and
 * `files` (shared builders in core/table/summary.ts; `files` is a JSON array here, one element
 * per NDJSON line of the CLI).
 */
import { NotFoundError } from "../core/errors.js";
import { planScan } from "../core/scan/plan.js";
import { readHistory } from "../core/table/history.js";
import { openTable } from "../core/table/open.js";
import type { Snapshot } from "../core/table/snapshot.js";
import { fileSummary, historyRows, tableInfo } from "../core/table/summary.js";
import type { ObjectStore } from "../core/storage/object-store.js";
import { rootPrefix, type Env, type WorkerBucket } from "./env.js";
import { callR2 } from "./r2-store.js";
import { HttpError, intParam, jsonResponse, stringParam } from "./http.js";

/** One table of the listing. */
export interface TableEntry {
  name: string;
  /** `<schema>/<table>`, relative to the root (also the `/objects/` prefix of its files). */
  path: string;
}

/** GET /api/tables: `{schemas: [{name, tables: [{name, path}]}]}`, sorted, schemas without tables left out. */
export async function listTablesRoute(env: Env): Promise<Response> {
  const root = rootPrefix(env);
  const schemas: { name: string; tables: TableEntry[] }[] = [];
  for (const schemaPrefix of await folders(env.TABLES, root)) {
    const schema = schemaPrefix.slice(root.length, -1);
    const candidates = await folders(env.TABLES, schemaPrefix);
    const flags = await Promise.all(candidates.map((t) => hasObjects(env.TABLES, `${t}_delta_log/`)));
    const tables = candidates
      .filter((_, i) => flags[i] === true)
      .map((t) => {
        const name = t.slice(schemaPrefix.length, -1);
        return { name, path: `${schema}/${name}` };
      });
    if (tables.length > 0) schemas.push({ name: schema, tables });
  }
  return jsonResponse({ schemas });
}

/** Sub-folders (delimited prefixes, with their trailing slash) directly under a prefix. */
async function folders(bucket: WorkerBucket, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await callR2("list", prefix, () => bucket.list({ prefix, delimiter: "/", limit: 1000, ...(cursor === undefined ? {} : { cursor }) }));
    out.push(...(page.delimitedPrefixes ?? []));
    if (!page.truncated || page.cursor === undefined) break;
    cursor = page.cursor;
  }
  return out.sort();
}

async function hasObjects(bucket: WorkerBucket, prefix: string): Promise<boolean> {
  const page = await callR2("list", prefix, () => bucket.list({ prefix, limit: 1 }));
  return page.objects.length > 0;
}

/** Opens the snapshot that ?version= / ?timestamp= select (exclusive). */
export async function snapshotFromQuery(store: ObjectStore, params: URLSearchParams): Promise<Snapshot> {
  const version = intParam(params, "version");
  const timestamp = stringParam(params, "timestamp");
  if (version !== undefined && timestamp !== undefined) throw new HttpError(400, "INVALID_INPUT", "give either version or timestamp, not both");
  return openTable({ store, version, timestamp });
}

/** GET /api/tables/:schema/:table: the CLI's `info` JSON. */
export async function infoRoute(store: ObjectStore, params: URLSearchParams): Promise<Response> {
  return jsonResponse(tableInfo(await snapshotFromQuery(store, params)));
}

/** GET .../history?limit=: the CLI's `history` JSON (newest first). */
export async function historyRoute(store: ObjectStore, params: URLSearchParams): Promise<Response> {
  const limit = intParam(params, "limit");
  const entries = await readHistory({ store, limit });
  // A missing table has no commits: answer 404 rather than an empty history.
  if (entries.length === 0 && limit !== 0) throw new NotFoundError("table not found (no commits in _delta_log)", { path: store.root });
  return jsonResponse(historyRows(entries));
}

/** GET .../files?version=&timestamp=&where=: a JSON array of the CLI's `files` lines. */
export async function filesRoute(store: ObjectStore, params: URLSearchParams): Promise<Response> {
  const snapshot = await snapshotFromQuery(store, params);
  const where = stringParam(params, "where");
  const files = where === undefined ? snapshot.files() : planScan(snapshot, { where }).files.map((f) => f.add);
  return jsonResponse(files.map(fileSummary));
}
