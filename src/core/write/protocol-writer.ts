/**
 * The writer protocol gate (PROTOCOL.md "Table Features", "Writer Version Requirements"). A
 * writer must honour every writer feature a table supports, so each one is either honoured here
 * (appendOnly, deletionVectors, timestampNtz, domainMetadata, inCommitTimestamp, v2Checkpoint,
 * vacuumProtocolCheck, checkpointProtection, columnMapping, typeWidening without type changes,
 * variantType), honoured only while inactive or while the commit cannot break it (invariants,
 * checkConstraints, generatedColumns, allowColumnDefaults, identityColumns: no new rows unless the
 * caller validated them; changeDataFeed: no row rewrites without cdc files; icebergCompat: not
 * enabled; rowTracking: suspended), or refused with an UnsupportedFeatureError naming it. Legacy
 * writer versions 2-6 imply their features. Unknown features are refused.
 */
import { ProtocolError, UnsupportedFeatureError } from "../errors.js";
import type { Metadata, Protocol } from "../log/actions.js";
import { parseSchema } from "../schema/schema-json.js";
import type { DataType, StructType } from "../schema/types.js";
import { checkReadable } from "../table/protocol.js";

/** Writer features delta-edge honours whenever they are supported. */
export const SUPPORTED_WRITER_FEATURES: ReadonlySet<string> = new Set([
  "appendOnly",
  "columnMapping",
  "deletionVectors",
  "timestampNtz",
  "domainMetadata",
  "v2Checkpoint",
  "vacuumProtocolCheck",
  "checkpointProtection",
  "inCommitTimestamp",
  "typeWidening",
  "typeWidening-preview",
  "variantType",
  "variantType-preview",
]);

/** Features that constrain new rows; honoured while inactive or when the caller validated the rows. */
export const ROW_CONSTRAINT_FEATURES: ReadonlySet<string> = new Set([
  "invariants",
  "checkConstraints",
  "generatedColumns",
  "allowColumnDefaults",
  "identityColumns",
]);

/** Writer features refused outright (or unless inactive, see the gate), with the reason. */
export const REFUSED_WRITER_FEATURES: ReadonlyMap<string, string> = new Map([
  ["rowTracking", "row IDs and commit versions are not assigned by delta-edge (allowed only while delta.rowTrackingSuspended=true)"],
  ["clustering", "clustered tables are not supported for writing"],
  ["icebergCompatV1", "IcebergCompatV1 is not supported for writing (allowed while delta.enableIcebergCompatV1 is not true)"],
  ["icebergCompatV2", "IcebergCompatV2 is not supported for writing (allowed while delta.enableIcebergCompatV2 is not true)"],
  ["icebergCompatV3", "IcebergCompatV3 is not supported for writing"],
  ["icebergWriterCompatV1", "IcebergWriterCompatV1 is not supported for writing"],
  ["catalogManaged", "the table is managed by a catalog and must not be written by path"],
  ["catalogOwned-preview", "the table is managed by a catalog and must not be written by path"],
  ["variantShredding", "shredded variant columns are not supported"],
  ["variantShredding-preview", "shredded variant columns are not supported"],
  ["collations-preview", "collated string columns are not supported"],
  ["geospatial", "geometry and geography columns are not supported"],
]);

/** The highest writer version delta-edge understands. */
export const MAX_WRITER_VERSION = 7;

/** Features implied by legacy writer versions 2..6 (each row adds to the previous). */
const LEGACY_WRITER_FEATURES: readonly (readonly string[])[] = [
  [],
  [],
  ["appendOnly", "invariants"],
  ["checkConstraints"],
  ["changeDataFeed", "generatedColumns"],
  ["columnMapping"],
  ["identityColumns"],
];

/** What a commit does, as far as the gate cares. */
export interface CommitShape {
  /** Adds files with dataChange=true (new rows). */
  addsRows: boolean;
  /** Rewrites existing rows (DELETE/UPDATE/MERGE copying rows into new files). */
  rewritesRows: boolean;
  /** Carries cdc actions. */
  hasCdc: boolean;
  /** Changes the type of an existing column (or drops its delta.typeChanges history). */
  changesColumnTypes: boolean;
}

/** Options of {@link checkWritable}. */
export interface CheckWritableOptions {
  /** The protocol the table will have after the commit. */
  protocol: Protocol;
  /** The metadata the table will have after the commit. */
  metadata: Metadata;
  /** The metadata before the commit (undefined when creating the table). */
  priorMetadata?: Metadata | undefined;
  /** What the commit does; a commit that only changes metadata when absent. */
  commit?: CommitShape | undefined;
  /** Row-constraint features whose rules the caller has enforced on the new rows. */
  validated?: readonly string[] | undefined;
  /** Table root and version, for messages. */
  path?: string | undefined;
  version?: number | undefined;
}

/** The writer features a protocol supports, legacy versions expanded to their implied features. */
export function writerFeaturesOf(protocol: Protocol): Set<string> {
  const v = protocol.minWriterVersion;
  if (v >= 7) return new Set(protocol.writerFeatures ?? []);
  const out = new Set<string>();
  for (let i = 0; i <= Math.min(v, 6); i++) for (const f of LEGACY_WRITER_FEATURES[i] ?? []) out.add(f);
  return out;
}

/**
 * Throws unless delta-edge can write this commit to a table with this protocol and metadata.
 * @throws UnsupportedFeatureError naming the first feature it cannot honour.
 */
export function checkWritable(options: CheckWritableOptions): void {
  const { protocol, metadata } = options;
  const context = { path: options.path, version: options.version };
  checkReadable(protocol, { path: options.path ?? "", version: options.version ?? 0 });
  const v = protocol.minWriterVersion;
  if (!Number.isInteger(v) || v < 1) throw new ProtocolError(`invalid minWriterVersion ${String(v)}`, context);
  if (v > MAX_WRITER_VERSION) {
    throw new UnsupportedFeatureError(`writerVersion${v}`, `table requires writer version ${v}; delta-edge supports up to ${MAX_WRITER_VERSION}`, context);
  }
  if (v === 7 && !Array.isArray(protocol.writerFeatures)) throw new ProtocolError("writer version 7 requires a writerFeatures list", context);
  const commit = options.commit ?? { addsRows: false, rewritesRows: false, hasCdc: false, changesColumnTypes: false };
  const validated = new Set(options.validated ?? []);
  const props = metadata.configuration ?? {};
  const active = activeSchemaFeatures(metadata);
  const priorActive = options.priorMetadata ? activeSchemaFeatures(options.priorMetadata) : undefined;
  for (const feature of writerFeaturesOf(protocol)) {
    if (SUPPORTED_WRITER_FEATURES.has(feature)) {
      if ((feature === "typeWidening" || feature === "typeWidening-preview") && commit.changesColumnTypes) {
        throw new UnsupportedFeatureError(feature, `changing column types on a type-widening table is not supported (feature '${feature}')`, context);
      }
      continue;
    }
    if (ROW_CONSTRAINT_FEATURES.has(feature)) {
      if (!active.has(feature)) continue;
      if (priorActive !== undefined && !priorActive.has(feature)) {
        throw new UnsupportedFeatureError(feature, `activating '${feature}' on an existing table needs validation of its rows, which delta-edge does not do`, context);
      }
      if (commit.addsRows && !validated.has(feature)) {
        throw new UnsupportedFeatureError(feature, `the table uses '${feature}', which delta-edge does not enforce on new rows`, context);
      }
      continue;
    }
    if (feature === "changeDataFeed") {
      if (props["delta.enableChangeDataFeed"] === "true" && commit.rewritesRows && !commit.hasCdc) {
        throw new UnsupportedFeatureError(feature, "rewriting rows of a table with delta.enableChangeDataFeed=true needs cdc files, which this commit lacks", context);
      }
      continue;
    }
    if (feature === "rowTracking" && props["delta.rowTrackingSuspended"] === "true" && props["delta.enableRowTracking"] !== "true") continue;
    if (feature === "icebergCompatV1" && props["delta.enableIcebergCompatV1"] !== "true") continue;
    if (feature === "icebergCompatV2" && props["delta.enableIcebergCompatV2"] !== "true") continue;
    const reason = REFUSED_WRITER_FEATURES.get(feature);
    throw new UnsupportedFeatureError(
      feature,
      reason ? `unsupported writer feature '${feature}': ${reason}` : `unknown writer feature '${feature}'`,
      context,
    );
  }
}

/**
 * Checks a protocol delta-edge is about to write (create or upgrade): well-formed table-feature
 * lists (reader 3 needs writer 7; every reader feature is also a writer feature).
 */
export function validateNewProtocol(protocol: Protocol, context: { path?: string | undefined; version?: number | undefined } = {}): void {
  const { minReaderVersion: r, minWriterVersion: w, readerFeatures, writerFeatures } = protocol;
  const bad = (m: string) => new ProtocolError(`invalid protocol (${r},${w}): ${m}`, context);
  if (!Number.isInteger(r) || r < 1 || r > 3) throw bad("minReaderVersion must be 1, 2 or 3");
  if (!Number.isInteger(w) || w < 1 || w > 7) throw bad("minWriterVersion must be 1..7");
  if (r === 3 && w !== 7) throw bad("reader version 3 requires writer version 7");
  if ((r === 3) !== Array.isArray(readerFeatures)) throw bad("readerFeatures must be present exactly when minReaderVersion is 3");
  if ((w === 7) !== Array.isArray(writerFeatures)) throw bad("writerFeatures must be present exactly when minWriterVersion is 7");
  for (const f of readerFeatures ?? []) {
    if (!(writerFeatures ?? []).includes(f)) throw bad(`reader feature '${f}' must also be a writer feature`);
  }
}

/** Row-constraint features that are active in the metadata (their metadata requirements hold). */
export function activeSchemaFeatures(metadata: Metadata): Set<string> {
  const out = new Set<string>();
  const config = metadata.configuration ?? {};
  if (Object.keys(config).some((k) => k.startsWith("delta.constraints."))) out.add("checkConstraints");
  let schema: StructType;
  try {
    schema = parseSchema(metadata.schemaString);
  } catch {
    return out; // a schema we cannot parse fails elsewhere, with a better message
  }
  visitFields(schema, (meta) => {
    if ("delta.invariants" in meta) out.add("invariants");
    if ("delta.generationExpression" in meta) out.add("generatedColumns");
    if ("CURRENT_DEFAULT" in meta) out.add("allowColumnDefaults");
    if (Object.keys(meta).some((k) => k.startsWith("delta.identity."))) out.add("identityColumns");
  });
  return out;
}

function visitFields(struct: StructType, fn: (metadata: Record<string, unknown>) => void): void {
  const visitType = (t: DataType): void => {
    if (t.kind === "struct") visitFields(t, fn);
    else if (t.kind === "array") visitType(t.elementType);
    else if (t.kind === "map") {
      visitType(t.keyType);
      visitType(t.valueType);
    }
  };
  for (const f of struct.fields) {
    fn(f.metadata);
    visitType(f.type);
  }
}
