/**
 * The Worker's row-level change routes (the CLI's `delete`, `update`, `merge`, `restore`), each
 * one commit through core/dml, answering with the CLI's JSON: `{status, version, ...metrics}`
 * (status "unchanged" when no row changed and nothing was committed).
 *
 *   POST .../delete   JSON {"where": EXPR}                     (`"true"` deletes every row)
 *   POST .../update   JSON {"set": {col: EXPR} | "col = EXPR, ...", "where"?: EXPR}
 *   POST .../restore  JSON {"version": N} | {"timestamp": ISO | ms}
 *   POST .../merge?on=EXPR&clauses=JSON[&sourceAlias=&targetAlias=]
 *        body: the source rows, by Content-Type as for writes (body.ts; a CSV or NDJSON body
 *        has only the columns it names: core/util/named-columns.ts);
 *        clauses: {"whenMatched": [...], "whenNotMatched": [...], "whenNotMatchedBySource": [...]}
 *        in core/dml/merge/clauses.ts's shape, e.g. [{"action": "updateAll"}].
 *
 * Unknown keys are refused (a typo must not widen a delete). Bad input is a 400 before anything
 * is committed; a lost race after the retries is a 409 (STATUS_OF_CODE).
 */
import type { RecordBatch } from "apache-arrow";
import { InvalidInputError } from "../core/errors.js";
import { parseAssignments } from "../core/dml/assignments.js";
import { deleteRows } from "../core/dml/delete.js";
import type { DmlResult } from "../core/dml/dml-commit.js";
import type { MergeClauses } from "../core/dml/merge/clauses.js";
import { mergeInto } from "../core/dml/merge/merge.js";
import { restoreTable } from "../core/dml/restore.js";
import { updateRows } from "../core/dml/update.js";
import { snapshotSchema } from "../core/scan/plan.js";
import type { ObjectStore } from "../core/storage/object-store.js";
import { loadSnapshot } from "../core/table/snapshot-load.js";
import { bodyBatches, bodyFormat, jsonObjectBody, limitedBody, type BodyFormat, type TextBodyLimits } from "./body.js";
import { maxBodyBytes, textBodyLimits, WORKER_TARGET_FILE_SIZE, type Env } from "./env.js";
import { jsonResponse, stringParam } from "./http.js";
import { namedColumnBatches } from "../core/util/named-columns.js";
import type { StructType } from "../core/schema/types.js";

/** The row-level routes, by path action. */
export type DmlAction = "delete" | "update" | "merge" | "restore";

const USAGE: Record<Exclude<DmlAction, "merge">, string> = {
  delete: '{"where": "EXPR"}',
  update: '{"set": {"col": "EXPR"}, "where": "EXPR"} (where optional; set may also be "col = EXPR, ...")',
  restore: '{"version": N} or {"timestamp": "ISO-8601" | ms}',
};

const CLAUSE_KINDS = new Set(["whenMatched", "whenNotMatched", "whenNotMatchedBySource"]);

/** POST .../delete|update|merge|restore (write access already checked). */
export async function dmlRoute(action: DmlAction, request: Request, env: Env, store: ObjectStore, params: URLSearchParams): Promise<Response> {
  if (action === "merge") return summary(await mergeRoute(request, env, store, params));
  const body = await jsonObjectBody(request, maxBodyBytes(env), action, USAGE[action]);
  switch (action) {
    case "delete": {
      known(body, action, ["where"]);
      const where = text(body, "where", action);
      if (where === undefined) throw new InvalidInputError(`delete needs "where" (use "true" to delete every row): ${USAGE.delete}`);
      return summary(await deleteRows({ store, where, targetFileSize: WORKER_TARGET_FILE_SIZE }));
    }
    case "update": {
      known(body, action, ["set", "where"]);
      return summary(await updateRows({ store, set: assignments(body.set), where: text(body, "where", action), targetFileSize: WORKER_TARGET_FILE_SIZE }));
    }
    case "restore": {
      known(body, action, ["version", "timestamp"]);
      const { version, timestamp } = body;
      if (version !== undefined && (typeof version !== "number" || !Number.isSafeInteger(version) || version < 0)) throw new InvalidInputError("restore: version must be a non-negative integer");
      if (timestamp !== undefined && typeof timestamp !== "string" && typeof timestamp !== "number") throw new InvalidInputError("restore: timestamp must be an ISO-8601 string or milliseconds since the epoch");
      if ((version === undefined) === (timestamp === undefined)) throw new InvalidInputError(`restore needs either version or timestamp: ${USAGE.restore}`);
      return summary(await restoreTable({ store, version, timestamp }));
    }
  }
}

async function mergeRoute(request: Request, env: Env, store: ObjectStore, params: URLSearchParams): Promise<DmlResult<object>> {
  const on = stringParam(params, "on");
  const raw = stringParam(params, "clauses");
  if (on === undefined || raw === undefined) throw new InvalidInputError('merge needs ?on=EXPR and ?clauses={"whenMatched": [...], "whenNotMatched": [...], "whenNotMatchedBySource": [...]} (JSON)');
  for (const key of params.keys()) {
    if (!["on", "clauses", "sourceAlias", "targetAlias"].includes(key)) throw new InvalidInputError(`merge: unknown query parameter '${key}' (on, clauses, sourceAlias, targetAlias)`);
  }
  let clauses: unknown;
  try {
    clauses = JSON.parse(raw);
  } catch {
    throw new InvalidInputError("merge: clauses must be JSON (URL-encoded), e.g. {\"whenMatched\": [{\"action\": \"updateAll\"}]}");
  }
  if (typeof clauses !== "object" || clauses === null || Array.isArray(clauses)) throw new InvalidInputError("merge: clauses must be a JSON object of clause lists");
  for (const key of Object.keys(clauses)) {
    if (!CLAUSE_KINDS.has(key)) throw new InvalidInputError(`merge: unknown clause kind '${key}' (${[...CLAUSE_KINDS].join(", ")})`);
  }
  const format = bodyFormat(request.headers.get("Content-Type"));
  const body = limitedBody(request, maxBodyBytes(env));
  // the source is typed by the target's schema (a missing table is a 404 here, before the body is read)
  const target = snapshotSchema(await loadSnapshot({ store }));
  return mergeInto({
    store,
    ...(clauses as MergeClauses),
    source: mergeSource(body, format, target, textBodyLimits(env)),
    on,
    sourceAlias: stringParam(params, "sourceAlias"),
    targetAlias: stringParam(params, "targetAlias"),
    targetFileSize: WORKER_TARGET_FILE_SIZE,
  });
}

/** The body's rows as the MERGE source: typed by the target, text with only the columns it names. */
function mergeSource(body: ReadableStream<Uint8Array>, format: BodyFormat, target: StructType, limits: TextBodyLimits): AsyncIterable<RecordBatch> {
  if (format !== "csv" && format !== "ndjson") return bodyBatches(body, format, target, limits);
  return namedColumnBatches({ format, bytes: body, target, source: "request body", ...limits, parse: (bytes, schema, paths) => bodyBatches(bytes, format, schema, limits, paths) });
}

function summary(result: DmlResult<object>): Response {
  return jsonResponse({ status: result.status, version: result.version, ...result.metrics });
}

function known(body: Record<string, unknown>, action: string, keys: readonly string[]): void {
  for (const k of Object.keys(body)) {
    if (!keys.includes(k)) throw new InvalidInputError(`${action}: unknown key "${k}" in the body; send ${USAGE[action as Exclude<DmlAction, "merge">]}`);
  }
}

function text(body: Record<string, unknown>, name: string, action: string): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new InvalidInputError(`${action}: ${name} must be an expression string`);
  return v;
}

/** `set` as an object of column -> expression, or the CLI's "col = EXPR, ..." text. */
function assignments(set: unknown): Record<string, string> {
  if (typeof set === "string") return parseAssignments(set);
  if (typeof set !== "object" || set === null || Array.isArray(set) || Object.keys(set).length === 0) throw new InvalidInputError(`update needs a non-empty "set": ${USAGE.update}`);
  for (const [col, expr] of Object.entries(set)) if (typeof expr !== "string") throw new InvalidInputError(`update: set.${col} must be an expression string`);
  return set as Record<string, string>;
}
