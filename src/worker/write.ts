/**
 * The Worker's write routes. POST /api/tables/:schema/:table writes the body (Arrow, Parquet,
 * NDJSON or CSV) as one commit, with the CLI `write`'s options as query parameters (mode,
 * partitionBy, replaceWhere, schemaMode) and answers with the same JSON as the CLI:
 * `{status, version, files, rows, bytes, removedFiles}`. Concurrent writers are resolved by the
 * core transaction (put-if-absent on R2, conflict checks, retries); losing after the retries is
 * a 409. POST .../maintenance runs `{op: "checkpoint" | "vacuum" | "optimize", ...options}` and
 * answers with the CLI's JSON for that command.
 */
import { InvalidInputError } from "../core/errors.js";
import { parseSchema } from "../core/schema/schema-json.js";
import type { ObjectStore } from "../core/storage/object-store.js";
import { openTableIfExists } from "../core/table/open.js";
import { createCheckpoint } from "../core/write/checkpoint-write.js";
import { optimize } from "../core/write/optimize.js";
import { vacuum } from "../core/write/vacuum.js";
import { writeTable, type WriteMode } from "../core/write/write-table.js";
import { bodyBatches, bodyFormat, jsonObjectBody, limitedBody } from "./body.js";
import { maxBodyBytes, textBodyLimits, WORKER_TARGET_FILE_SIZE, type Env } from "./env.js";
import { HttpError, jsonResponse, listParam, stringParam } from "./http.js";

const MODES: readonly WriteMode[] = ["error", "append", "overwrite", "ignore"];

/** POST /api/tables/:schema/:table: one commit from the request body. */
export async function writeRoute(request: Request, env: Env, store: ObjectStore, params: URLSearchParams): Promise<Response> {
  const mode = (stringParam(params, "mode") ?? "error") as WriteMode;
  if (!MODES.includes(mode)) throw new InvalidInputError(`unknown mode '${mode}'; use one of ${MODES.join(", ")}`);
  const schemaMode = stringParam(params, "schemaMode");
  if (schemaMode !== undefined && schemaMode !== "merge" && schemaMode !== "overwrite") throw new InvalidInputError("schemaMode must be merge or overwrite");
  const format = bodyFormat(request.headers.get("Content-Type"));
  const body = limitedBody(request, maxBodyBytes(env));
  const existing = await openTableIfExists({ store });
  const tableSchema = existing && schemaMode !== "overwrite" ? parseSchema(existing.metadata.schemaString) : undefined;
  const result = await writeTable({
    store,
    snapshot: existing ?? null, // just loaded (or found absent): the write does not replay the log again
    data: bodyBatches(body, format, tableSchema, textBodyLimits(env)),
    mode,
    partitionBy: listParam(params, "partitionBy"),
    replaceWhere: stringParam(params, "replaceWhere"),
    schemaMode,
    targetFileSize: WORKER_TARGET_FILE_SIZE,
  });
  return jsonResponse({
    status: result.status,
    version: result.version,
    files: result.files.length,
    rows: result.rows,
    bytes: result.bytes,
    removedFiles: result.removedFiles,
  });
}

/** The JSON body of a maintenance request. */
interface MaintenanceRequest {
  op?: unknown;
  version?: unknown;
  retentionHours?: unknown;
  dryRun?: unknown;
  enforceRetentionDuration?: unknown;
  targetSize?: unknown;
  where?: unknown;
}

/** POST .../maintenance: checkpoint, vacuum or optimize. */
export async function maintenanceRoute(request: Request, env: Env, store: ObjectStore): Promise<Response> {
  const body = (await jsonObjectBody(request, maxBodyBytes(env), "maintenance", '{"op": "checkpoint" | "vacuum" | "optimize", ...}')) as MaintenanceRequest;
  switch (body.op) {
    case "checkpoint":
      return jsonResponse(await createCheckpoint({ store, version: optionalNumber(body, "version", true) }));
    case "vacuum":
      return jsonResponse(
        await vacuum({
          store,
          retentionHours: optionalNumber(body, "retentionHours", false),
          dryRun: optionalBoolean(body, "dryRun"),
          enforceRetentionDuration: optionalBoolean(body, "enforceRetentionDuration"),
        }),
      );
    case "optimize": {
      const where = body.where;
      if (where !== undefined && typeof where !== "string") throw new InvalidInputError("where must be a string");
      const r = await optimize({ store, targetSize: optionalNumber(body, "targetSize", true), where });
      return jsonResponse({ version: r.version, filesRemoved: r.filesRemoved, filesAdded: r.filesAdded, partitionsOptimized: r.partitionsOptimized });
    }
    default:
      throw new HttpError(400, "INVALID_INPUT", `unknown maintenance op ${JSON.stringify(body.op ?? null)}; use checkpoint, vacuum or optimize`);
  }
}

function optionalNumber(body: MaintenanceRequest, name: "version" | "retentionHours" | "targetSize", integer: boolean): number | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || (integer && !Number.isInteger(v))) {
    throw new InvalidInputError(`${name} must be a non-negative ${integer ? "integer" : "number"}`);
  }
  return v;
}

function optionalBoolean(body: MaintenanceRequest, name: "dryRun" | "enforceRetentionDuration"): boolean | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") throw new InvalidInputError(`${name} must be true or false`);
  return v;
}
