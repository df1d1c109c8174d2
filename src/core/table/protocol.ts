/**
 * The reader protocol gate (PROTOCOL.md "Protocol Evolution", "Table Features"). Every reader
 * feature the spec names is either supported here or refused with an UnsupportedFeatureError that
 * names it; a feature we have never heard of is refused too, since reading a table without
 * understanding it could return wrong rows.
 */
import { UnsupportedFeatureError, ProtocolError } from "../errors.js";
import type { Protocol } from "../log/actions.js";

/** Reader features delta-edge reads correctly. */
export const SUPPORTED_READER_FEATURES: ReadonlySet<string> = new Set([
  "columnMapping",
  "deletionVectors",
  "timestampNtz",
  "v2Checkpoint",
  "vacuumProtocolCheck",
  "typeWidening",
  "typeWidening-preview",
  "variantType",
  "variantType-preview",
]);

/** Reader features the spec (or a preview of it) names that delta-edge refuses, with the reason. */
export const REFUSED_READER_FEATURES: ReadonlyMap<string, string> = new Map([
  ["catalogManaged", "the table is managed by a catalog and must not be read or written by path"],
  ["catalogOwned-preview", "the table is managed by a catalog and must not be read or written by path"],
  ["catalogOwned", "the table is managed by a catalog and must not be read or written by path"],
  ["variantShredding-preview", "shredded variant columns are not supported yet"],
  ["variantShredding", "shredded variant columns are not supported yet"],
  ["geospatial", "geometry and geography columns are not supported yet"],
]);

/** The highest reader version delta-edge understands. */
export const MAX_READER_VERSION = 3;

/** Throws unless the protocol can be read by delta-edge. */
export function checkReadable(protocol: Protocol, context: { path: string; version: number }): void {
  const { minReaderVersion, readerFeatures } = protocol;
  if (!Number.isInteger(minReaderVersion) || minReaderVersion < 1) {
    throw new ProtocolError(`invalid minReaderVersion ${String(minReaderVersion)}`, context);
  }
  // Name the offending feature first when the table lists its features (clearer than a version).
  if (Array.isArray(readerFeatures)) checkFeatures(readerFeatures, context);
  if (minReaderVersion > MAX_READER_VERSION) {
    throw new UnsupportedFeatureError(
      `readerVersion${minReaderVersion}`,
      `table requires reader version ${minReaderVersion}; delta-edge supports up to ${MAX_READER_VERSION}`,
      context,
    );
  }
  if (minReaderVersion === 3 && !Array.isArray(readerFeatures)) {
    throw new ProtocolError("reader version 3 requires a readerFeatures list", context);
  }
}

function checkFeatures(readerFeatures: readonly string[], context: { path: string; version: number }): void {
  for (const feature of readerFeatures) {
    if (SUPPORTED_READER_FEATURES.has(feature)) continue;
    const reason = REFUSED_READER_FEATURES.get(feature);
    throw new UnsupportedFeatureError(
      feature,
      reason ? `unsupported reader feature '${feature}': ${reason}` : `unknown reader feature '${feature}'`,
      context,
    );
  }
}
