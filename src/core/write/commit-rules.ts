/**
 * Table-level rules a commit must satisfy before it is written: the protocol and metadata the
 * table will have (staged ones win over the snapshot's; a create must stage both; the table id
 * never changes), append-only tables (`delta.appendOnly=true`: no removes with dataChange=true),
 * whether the commit changes column types (for the type-widening gate), what the gate needs to
 * know about the commit, and the in-commit-timestamp state (enabled, being enabled, previous ICT).
 */
import { InvalidInputError } from "../errors.js";
import type { Metadata, Protocol } from "../log/actions.js";
import { parseSchema } from "../schema/schema-json.js";
import type { DataType, StructType } from "../schema/types.js";
import type { Snapshot } from "../table/snapshot.js";
import type { StagedActions } from "./commit-actions.js";
import { writerFeaturesOf, type CommitShape } from "./protocol-writer.js";

/** The protocol and metadata the table will have after the commit, and what they enable. */
export interface EffectiveState {
  protocol: Protocol;
  metadata: Metadata;
  deletionVectorsEnabled: boolean;
}

/** Combines staged protocol/metaData with the read snapshot's. */
export function effectiveState(path: string, snapshot: Snapshot | undefined, staged: StagedActions): EffectiveState {
  const protocol = staged.protocol ?? snapshot?.protocol;
  const metadata = staged.metadata ?? snapshot?.metadata;
  if (!protocol || !metadata) {
    throw new InvalidInputError("creating a table needs both a protocol and a metaData action", { path, version: 0 });
  }
  if (snapshot && staged.metadata && staged.metadata.id !== snapshot.metadata.id) {
    throw new InvalidInputError(`metaData.id cannot change (table id ${snapshot.metadata.id}, staged ${staged.metadata.id})`, {
      path,
      version: snapshot.version,
    });
  }
  const deletionVectorsEnabled =
    writerFeaturesOf(protocol).has("deletionVectors") && metadata.configuration?.["delta.enableDeletionVectors"] === "true";
  return { protocol, metadata, deletionVectorsEnabled };
}

/**
 * Refuses a protocol action that would drop support for a feature the table has (features are
 * only ever added; dropping one is a separate, multi-step procedure delta-edge does not do).
 * @throws InvalidInputError naming the dropped feature.
 */
export function checkNoDowngrade(prior: Protocol, next: Protocol, context: { path: string; version: number }): void {
  const priorReader = readerFeaturesOf(prior);
  const nextReader = readerFeaturesOf(next);
  const nextWriter = writerFeaturesOf(next);
  for (const f of writerFeaturesOf(prior)) {
    if (!nextWriter.has(f)) throw new InvalidInputError(`the new protocol drops writer feature '${f}'`, context);
  }
  for (const f of priorReader) {
    if (!nextReader.has(f)) throw new InvalidInputError(`the new protocol drops reader feature '${f}'`, context);
  }
}

/** Reader features of a protocol, legacy reader version 2 expanded to columnMapping. */
function readerFeaturesOf(protocol: Protocol): Set<string> {
  if (protocol.minReaderVersion >= 3) return new Set(protocol.readerFeatures ?? []);
  return new Set(protocol.minReaderVersion === 2 ? ["columnMapping"] : []);
}

/** What the writer gate needs to know about the commit. */
export function commitShape(staged: StagedActions, rewritesRows: boolean, changesColumnTypes: boolean): CommitShape {
  return { addsRows: staged.adds.some((a) => a.dataChange), rewritesRows, hasCdc: staged.cdc.length > 0, changesColumnTypes };
}

/**
 * Refuses data-changing removes on append-only tables (either before or after the commit).
 * @throws InvalidInputError naming delta.appendOnly.
 */
export function checkAppendOnly(staged: StagedActions, metadatas: readonly (Metadata | undefined)[], path: string): void {
  const appendOnly = metadatas.some((m) => m?.configuration?.["delta.appendOnly"] === "true");
  if (!appendOnly) return;
  const remove = staged.removes.find((r) => r.dataChange);
  if (remove) {
    throw new InvalidInputError(
      `the table is append-only (delta.appendOnly=true): removing ${remove.path} with dataChange=true is not allowed`,
      { path },
    );
  }
}

/**
 * Whether a metadata change alters the type of a column that exists before and after it, or drops
 * a column's `delta.typeChanges` history.
 */
export function columnTypesChanged(prior: Metadata | undefined, next: Metadata | undefined): boolean {
  if (!prior || !next || prior.schemaString === next.schemaString) return false;
  let before: StructType;
  let after: StructType;
  try {
    before = parseSchema(prior.schemaString);
    after = parseSchema(next.schemaString);
  } catch {
    return false; // validation reports unparseable schemas
  }
  return structChanged(before, after);
}

function structChanged(before: StructType, after: StructType): boolean {
  for (const f of before.fields) {
    const g = after.fields.find((x) => x.name === f.name);
    if (!g) continue;
    const history = f.metadata["delta.typeChanges"];
    if (history !== undefined && JSON.stringify(history, big) !== JSON.stringify(g.metadata["delta.typeChanges"], big)) return true;
    if (typeChanged(f.type, g.type)) return true;
  }
  return false;
}

function typeChanged(a: DataType, b: DataType): boolean {
  if (a.kind !== b.kind) return true;
  if (a.kind === "primitive" && b.kind === "primitive") {
    if (a.name !== b.name) return true;
    return a.name === "decimal" && b.name === "decimal" && (a.precision !== b.precision || a.scale !== b.scale);
  }
  if (a.kind === "struct" && b.kind === "struct") return structChanged(a, b);
  if (a.kind === "array" && b.kind === "array") return typeChanged(a.elementType, b.elementType);
  if (a.kind === "map" && b.kind === "map") return typeChanged(a.keyType, b.keyType) || typeChanged(a.valueType, b.valueType);
  return false;
}

function big(_k: string, v: unknown): unknown {
  return typeof v === "bigint" ? v.toString() : v;
}

/** In-commit timestamps for this commit. */
export interface IctState {
  /** The table will write ICTs after this commit. */
  enabled: boolean;
  /** This commit turns them on for an existing table (record the enablement version/timestamp). */
  enabling: boolean;
  /** The previous commit's ICT, when known. */
  previous: number | undefined;
}

/** Works out the in-commit-timestamp state from the read snapshot and the effective state. */
export function ictState(snapshot: Snapshot | undefined, state: EffectiveState): IctState {
  const enabled =
    writerFeaturesOf(state.protocol).has("inCommitTimestamp") && state.metadata.configuration?.["delta.enableInCommitTimestamps"] === "true";
  if (!enabled) return { enabled, enabling: false, previous: undefined };
  const wasEnabled =
    snapshot !== undefined &&
    writerFeaturesOf(snapshot.protocol).has("inCommitTimestamp") &&
    snapshot.properties["delta.enableInCommitTimestamps"] === "true";
  if (snapshot && !wasEnabled) return { enabled, enabling: true, previous: undefined };
  const ict = snapshot?.commitInfo?.inCommitTimestamp;
  return { enabled, enabling: false, previous: typeof ict === "number" ? ict : snapshot?.timestamp };
}
