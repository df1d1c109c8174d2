/**
 * Typed Delta log actions (PROTOCOL.md "Actions") and the one check that turns raw JSON (a parsed
 * commit line, a JSON checkpoint line, a parquet checkpoint row) into them: {@link toAction}.
 * Unknown actions and unknown fields are ignored, as the protocol asks; a known action of the
 * wrong shape (missing required fields, wrong types, integers beyond 2^53) is a ProtocolError
 * naming the file, version and line or row. Checks are shallow where the value is opaque to
 * delta-edge (commitInfo contents, stats strings) and exact where replay or a scan relies on it.
 * Must not import anything but errors.ts.
 */
import { ProtocolError } from "../errors.js";

/** `protocol`: the minimum reader/writer versions and, for v3/v7, the named table features. */
export interface Protocol {
  minReaderVersion: number;
  minWriterVersion: number;
  readerFeatures?: string[];
  writerFeatures?: string[];
}

/** `metaData`: the table's id, schema, partition columns and configuration. */
export interface Metadata {
  id: string;
  name?: string | null;
  description?: string | null;
  format: { provider: string; options?: Record<string, string> };
  /** Always a string in a readable table; null only in hand-written logs (Snapshot.schema refuses those). */
  schemaString: string;
  partitionColumns: string[];
  configuration: Record<string, string>;
  createdTime?: number | null;
}

/** A deletion-vector descriptor as it appears in add/remove actions. */
export interface DeletionVectorDescriptor {
  storageType: "u" | "i" | "p" | string;
  pathOrInlineDv: string;
  offset?: number | null;
  sizeInBytes: number;
  cardinality: number;
}

/** `add`: a data file that becomes part of the table. */
export interface AddFile {
  /** URI-encoded path, relative to the table root or absolute. */
  path: string;
  partitionValues: Record<string, string | null>;
  size: number;
  modificationTime: number;
  dataChange: boolean;
  /** JSON statistics string (may be absent; checkpoints may carry `statsParsed` instead). */
  stats?: string | null;
  /** Parsed statistics from a checkpoint's `stats_parsed` struct. */
  statsParsed?: Record<string, unknown> | null;
  /** Typed partition values from a checkpoint's `partitionValues_parsed` struct. */
  partitionValuesParsed?: Record<string, unknown> | null;
  tags?: Record<string, string> | null;
  deletionVector?: DeletionVectorDescriptor | null;
  baseRowId?: number | null;
  defaultRowCommitVersion?: number | null;
  clusteringProvider?: string | null;
}

/** `remove`: a data file that leaves the table (a tombstone). */
export interface RemoveFile {
  path: string;
  deletionTimestamp?: number | null;
  dataChange: boolean;
  extendedFileMetadata?: boolean | null;
  partitionValues?: Record<string, string | null> | null;
  size?: number | null;
  stats?: string | null;
  tags?: Record<string, string> | null;
  deletionVector?: DeletionVectorDescriptor | null;
  baseRowId?: number | null;
  defaultRowCommitVersion?: number | null;
}

/** `txn`: an application's last committed transaction version (idempotent writes). */
export interface SetTransaction {
  appId: string;
  version: number;
  lastUpdated?: number | null;
}

/** `domainMetadata`: named configuration owned by a system or user domain. */
export interface DomainMetadata {
  domain: string;
  configuration: string;
  removed: boolean;
}

/** `commitInfo`: free-form provenance; the fields below are the common ones. */
export interface CommitInfo {
  timestamp?: number;
  inCommitTimestamp?: number;
  operation?: string;
  operationParameters?: Record<string, unknown>;
  [key: string]: unknown;
}

/** `cdc`: a change-data file (read only by CDF readers). */
export interface CdcFile {
  path: string;
  partitionValues: Record<string, string | null>;
  size: number;
  dataChange: boolean;
}

/** `checkpointMetadata` (V2 checkpoints). */
export interface CheckpointMetadata {
  version: number;
  tags?: Record<string, string> | null;
}

/** `sidecar` (V2 checkpoints): a file in `_delta_log/_sidecars/` holding add/remove actions. */
export interface Sidecar {
  path: string;
  sizeInBytes: number;
  modificationTime: number;
  tags?: Record<string, string> | null;
}

/** One action; exactly one field is set. */
export interface Action {
  protocol?: Protocol;
  metaData?: Metadata;
  add?: AddFile;
  remove?: RemoveFile;
  txn?: SetTransaction;
  domainMetadata?: DomainMetadata;
  commitInfo?: CommitInfo;
  cdc?: CdcFile;
  checkpointMetadata?: CheckpointMetadata;
  sidecar?: Sidecar;
}

/** Where a raw action came from, for error messages: the log file, its version, and the line/row. */
export interface ActionSource {
  /** The log file (table root + key). */
  path: string;
  version?: number | undefined;
}

type Raw = Record<string, unknown>;

/** Action names replay knows; any other top-level key is ignored. */
const KNOWN_ACTIONS = new Set(["protocol", "metaData", "add", "remove", "txn", "domainMetadata", "commitInfo", "cdc", "checkpointMetadata", "sidecar"]);

/**
 * Checks one raw action object (a parsed log line or checkpoint row) and returns it typed. At most
 * one known action per line; unknown keys are kept and ignored.
 * @param where "line 3", "row 7": the position within the file, for messages.
 * @throws ProtocolError naming file, version, position and field when a known action has the wrong shape.
 */
export function toAction(raw: unknown, where: string, source: ActionSource): Action {
  if (!isObject(raw)) throw bad(where, `expected an action object, got ${describe(raw)}`, source);
  let known: string | undefined;
  for (const key in raw) {
    if (!KNOWN_ACTIONS.has(key)) continue;
    if (known !== undefined) throw bad(where, `holds two actions ('${known}' and '${key}'); a log line holds one`, source);
    known = key;
  }
  if (known === undefined) return raw as Action;
  const value = raw[known];
  const ctx: Ctx = { where, action: known, source };
  if (!isObject(value)) throw badField(ctx, undefined, "an object", value);
  switch (known) {
    case "add":
      checkAdd(value, ctx);
      break;
    case "remove":
      checkRemove(value, ctx);
      break;
    case "metaData":
      checkMetadata(value, ctx);
      break;
    case "protocol":
      checkProtocol(value, ctx);
      break;
    case "txn":
      str(value, "appId", ctx);
      int(value, "version", ctx);
      optInt(value, "lastUpdated", ctx);
      break;
    case "domainMetadata":
      str(value, "domain", ctx);
      str(value, "configuration", ctx);
      bool(value, "removed", ctx);
      break;
    case "cdc":
      str(value, "path", ctx);
      stringMap(value, "partitionValues", ctx, false);
      nonNegInt(value, "size", ctx);
      bool(value, "dataChange", ctx);
      optStringMap(value, "tags", ctx);
      break;
    case "checkpointMetadata":
      nonNegInt(value, "version", ctx);
      optStringMap(value, "tags", ctx);
      break;
    case "sidecar":
      str(value, "path", ctx);
      nonNegInt(value, "sizeInBytes", ctx);
      int(value, "modificationTime", ctx);
      optStringMap(value, "tags", ctx);
      break;
    // commitInfo: free-form provenance; only its being an object matters.
  }
  return raw as Action;
}

interface Ctx {
  where: string;
  action: string;
  source: ActionSource;
}

function checkAdd(v: Raw, ctx: Ctx): void {
  str(v, "path", ctx);
  stringMap(v, "partitionValues", ctx, false);
  nonNegInt(v, "size", ctx);
  int(v, "modificationTime", ctx);
  bool(v, "dataChange", ctx);
  optStr(v, "stats", ctx);
  optStringMap(v, "tags", ctx);
  optDeletionVector(v, ctx);
  optInt(v, "baseRowId", ctx);
  optInt(v, "defaultRowCommitVersion", ctx);
  optStr(v, "clusteringProvider", ctx);
}

function checkRemove(v: Raw, ctx: Ctx): void {
  str(v, "path", ctx);
  bool(v, "dataChange", ctx);
  optInt(v, "deletionTimestamp", ctx);
  optBool(v, "extendedFileMetadata", ctx);
  optStringMap(v, "partitionValues", ctx);
  optNonNegInt(v, "size", ctx);
  optStr(v, "stats", ctx);
  optStringMap(v, "tags", ctx);
  optDeletionVector(v, ctx);
  optInt(v, "baseRowId", ctx);
  optInt(v, "defaultRowCommitVersion", ctx);
}

function checkMetadata(v: Raw, ctx: Ctx): void {
  str(v, "id", ctx);
  optStr(v, "name", ctx);
  optStr(v, "description", ctx);
  const format = v.format;
  if (!isObject(format)) throw badField(ctx, "format", "an object", format);
  str(format, "provider", { ...ctx, action: `${ctx.action}.format` });
  optStringMap(format, "options", { ...ctx, action: `${ctx.action}.format` });
  // Some hand-written logs have none (null in a checkpoint): such a table opens, and reading its
  // schema fails with a ProtocolError (Snapshot.schema).
  optStr(v, "schemaString", ctx);
  const columns = v.partitionColumns;
  if (!Array.isArray(columns) || !columns.every((c) => typeof c === "string")) {
    throw badField(ctx, "partitionColumns", "an array of strings", columns);
  }
  // Required by the spec; some writers leave it out (or null in a checkpoint): no properties.
  if (v.configuration === undefined || v.configuration === null) v.configuration = {};
  else stringMap(v, "configuration", ctx, false);
  optInt(v, "createdTime", ctx);
}

function checkProtocol(v: Raw, ctx: Ctx): void {
  int(v, "minReaderVersion", ctx);
  int(v, "minWriterVersion", ctx);
  for (const name of ["readerFeatures", "writerFeatures"]) {
    const f = v[name];
    // A checkpoint row of a protocol without features holds null; the type says absent.
    if (f === null) delete v[name];
    else if (f !== undefined && (!Array.isArray(f) || !f.every((x) => typeof x === "string"))) {
      throw badField(ctx, name, "an array of strings", f);
    }
  }
}

function optDeletionVector(v: Raw, ctx: Ctx): void {
  const dv = v.deletionVector;
  if (dv === undefined || dv === null) return;
  const c = { ...ctx, action: `${ctx.action}.deletionVector` };
  if (!isObject(dv)) throw badField(ctx, "deletionVector", "an object or null", dv);
  str(dv, "storageType", c);
  str(dv, "pathOrInlineDv", c);
  optNonNegInt(dv, "offset", c);
  nonNegInt(dv, "sizeInBytes", c);
  nonNegInt(dv, "cardinality", c);
}

function str(v: Raw, key: string, ctx: Ctx): void {
  if (typeof v[key] !== "string") throw badField(ctx, key, "a string", v[key]);
}

function optStr(v: Raw, key: string, ctx: Ctx): void {
  const x = v[key];
  if (x !== undefined && x !== null && typeof x !== "string") throw badField(ctx, key, "a string or null", x);
}

function bool(v: Raw, key: string, ctx: Ctx): void {
  if (typeof v[key] !== "boolean") throw badField(ctx, key, "true or false", v[key]);
}

function optBool(v: Raw, key: string, ctx: Ctx): void {
  const x = v[key];
  if (x !== undefined && x !== null && typeof x !== "boolean") throw badField(ctx, key, "true, false or null", x);
}

/** An integer JavaScript holds exactly (|n| <= 2^53-1): larger ones would be rounded. */
function int(v: Raw, key: string, ctx: Ctx): void {
  if (!Number.isSafeInteger(v[key])) throw badField(ctx, key, "an integer within +-(2^53-1)", v[key]);
}

function optInt(v: Raw, key: string, ctx: Ctx): void {
  const x = v[key];
  if (x !== undefined && x !== null && !Number.isSafeInteger(x)) throw badField(ctx, key, "an integer within +-(2^53-1) or null", x);
}

function nonNegInt(v: Raw, key: string, ctx: Ctx): void {
  const x = v[key];
  if (!Number.isSafeInteger(x) || (x as number) < 0) throw badField(ctx, key, "a non-negative integer below 2^53", x);
}

function optNonNegInt(v: Raw, key: string, ctx: Ctx): void {
  const x = v[key];
  if (x !== undefined && x !== null && (!Number.isSafeInteger(x) || (x as number) < 0)) {
    throw badField(ctx, key, "a non-negative integer below 2^53 or null", x);
  }
}

/** A string-to-string map (values may be null: a null partition value). */
function stringMap(v: Raw, key: string, ctx: Ctx, nullable: boolean): void {
  const m = v[key];
  if (nullable && (m === undefined || m === null)) return;
  if (!isObject(m)) throw badField(ctx, key, nullable ? "an object or null" : "an object", m);
  for (const k in m) {
    const x = m[k];
    if (x !== null && typeof x !== "string") throw badField(ctx, `${key}.${k}`, "a string or null", x);
  }
}

function optStringMap(v: Raw, key: string, ctx: Ctx): void {
  stringMap(v, key, ctx, true);
}

function isObject(x: unknown): x is Raw {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function badField(ctx: Ctx, key: string | undefined, expected: string, got: unknown): ProtocolError {
  const field = key === undefined ? ctx.action : `${ctx.action}.${key}`;
  const problem = got === undefined ? `${field} is missing (expected ${expected})` : `${field} must be ${expected}, got ${describe(got)}`;
  return bad(ctx.where, problem, ctx.source);
}

function bad(where: string, problem: string, source: ActionSource): ProtocolError {
  return new ProtocolError(`corrupt log ${where}: ${problem}`, { path: source.path, version: source.version });
}

/** A short, safe description of a raw value for messages. */
function describe(x: unknown): string {
  if (x === null) return "null";
  if (typeof x === "bigint") return `${x} (beyond 2^53)`;
  if (typeof x === "object") return Array.isArray(x) ? "an array" : "an object";
  if (typeof x === "string") return JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}...` : x);
  if (typeof x === "number" && Number.isInteger(x) && !Number.isSafeInteger(x)) return `a number beyond 2^53-1 (about ${x})`;
  return `${typeof x} ${String(x)}`;
}
