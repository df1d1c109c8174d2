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
  ACTION_CHECKS[known]?.(value, ctx);
  return raw as Action;
}

interface Ctx {
  where: string;
  action: string;
  source: ActionSource;
}

/** Checks one field (`key`) of a raw action object; throws a ProtocolError naming it. */
type FieldCheck = (v: Raw, key: string, ctx: Ctx) => void;
/** Checks a whole raw action object. */
type ActionCheck = (v: Raw, ctx: Ctx) => void;

/**
 * A required field's check and its nullable twin (absent or null passes), from one test and the
 * two phrasings of what was expected.
 */
function fieldChecks(test: (x: unknown) => boolean, expected: string, expectedOrNull: string): [FieldCheck, FieldCheck] {
  return [
    (v, key, ctx) => {
      if (!test(v[key])) throw badField(ctx, key, expected, v[key]);
    },
    (v, key, ctx) => {
      const x = v[key];
      if (x !== undefined && x !== null && !test(x)) throw badField(ctx, key, expectedOrNull, x);
    },
  ];
}

const [str, optStr] = fieldChecks((x) => typeof x === "string", "a string", "a string or null");
const [bool, optBool] = fieldChecks((x) => typeof x === "boolean", "true or false", "true, false or null");
// An integer JavaScript holds exactly (|n| <= 2^53-1): larger ones would be rounded.
const [int, optInt] = fieldChecks(Number.isSafeInteger, "an integer within +-(2^53-1)", "an integer within +-(2^53-1) or null");
const [nonNegInt, optNonNegInt] = fieldChecks(
  (x) => Number.isSafeInteger(x) && (x as number) >= 0,
  "a non-negative integer below 2^53",
  "a non-negative integer below 2^53 or null",
);
const map: FieldCheck = (v, key, ctx) => stringMap(v, key, ctx, false);
const optMap: FieldCheck = (v, key, ctx) => stringMap(v, key, ctx, true);

/** The check of an action made of its fields' checks, run in the order given. */
function fields(spec: Readonly<Record<string, FieldCheck>>): ActionCheck {
  const entries = Object.entries(spec);
  return (v, ctx) => {
    for (const [key, check] of entries) check(v, key, ctx);
  };
}

const deletionVectorFields = fields({ storageType: str, pathOrInlineDv: str, offset: optNonNegInt, sizeInBytes: nonNegInt, cardinality: nonNegInt });

/** An optional nested deletion vector descriptor (absent or null: none). */
const optDeletionVector: FieldCheck = (v, key, ctx) => {
  const dv = v[key];
  if (dv === undefined || dv === null) return;
  if (!isObject(dv)) throw badField(ctx, key, "an object or null", dv);
  deletionVectorFields(dv, { ...ctx, action: `${ctx.action}.${key}` });
};

/** The row tracking fields of add and remove. */
const ROW_TRACKING = { baseRowId: optInt, defaultRowCommitVersion: optInt };

/**
 * Each action's check (the shape of the Delta spec's action tables); commitInfo has none: it is
 * free-form provenance and only its being an object matters.
 */
const ACTION_CHECKS: Readonly<Record<string, ActionCheck>> = {
  add: fields({
    path: str, partitionValues: map, size: nonNegInt, modificationTime: int, dataChange: bool, stats: optStr, tags: optMap,
    deletionVector: optDeletionVector, ...ROW_TRACKING, clusteringProvider: optStr,
  }),
  remove: fields({
    path: str, dataChange: bool, deletionTimestamp: optInt, extendedFileMetadata: optBool, partitionValues: optMap, size: optNonNegInt,
    stats: optStr, tags: optMap, deletionVector: optDeletionVector, ...ROW_TRACKING,
  }),
  metaData: checkMetadata,
  protocol: checkProtocol,
  txn: fields({ appId: str, version: int, lastUpdated: optInt }),
  domainMetadata: fields({ domain: str, configuration: str, removed: bool }),
  cdc: fields({ path: str, partitionValues: map, size: nonNegInt, dataChange: bool, tags: optMap }),
  checkpointMetadata: fields({ version: nonNegInt, tags: optMap }),
  sidecar: fields({ path: str, sizeInBytes: nonNegInt, modificationTime: int, tags: optMap }),
};

function checkMetadata(v: Raw, ctx: Ctx): void {
  str(v, "id", ctx);
  optStr(v, "name", ctx);
  optStr(v, "description", ctx);
  const format = v.format;
  if (!isObject(format)) throw badField(ctx, "format", "an object", format);
  str(format, "provider", { ...ctx, action: `${ctx.action}.format` });
  optMap(format, "options", { ...ctx, action: `${ctx.action}.format` });
  // Some hand-written logs have none (null in a checkpoint): such a table opens, and reading its
  // schema fails with a ProtocolError (Snapshot.schema).
  optStr(v, "schemaString", ctx);
  const columns = v.partitionColumns;
  if (!Array.isArray(columns) || !columns.every((c) => typeof c === "string")) {
    throw badField(ctx, "partitionColumns", "an array of strings", columns);
  }
  // Required by the spec; some writers leave it out (or null in a checkpoint): no properties.
  if (v.configuration === undefined || v.configuration === null) v.configuration = {};
  else map(v, "configuration", ctx);
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
