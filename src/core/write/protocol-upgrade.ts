/**
 * Protocol upgrades when a write changes what a table needs (a new timestamp_ntz column, column
 * mapping turned on by an overwrite...): the union of the current protocol and the one the new
 * metadata requires, kept in legacy form (reader <= 2, writer <= 6) while both are, else expressed
 * as table features with every feature the legacy versions implied.
 */
import type { Protocol } from "../log/actions.js";

const IMPLIED_BY_WRITER: readonly [number, string][] = [
  [2, "appendOnly"],
  [2, "invariants"],
  [3, "checkConstraints"],
  [4, "changeDataFeed"],
  [4, "generatedColumns"],
  [5, "columnMapping"],
  [6, "identityColumns"],
];
const READER_WRITER = new Set(["columnMapping", "deletionVectors", "timestampNtz", "v2Checkpoint", "typeWidening", "variantType", "vacuumProtocolCheck"]);

/** The protocol satisfying both; `current` itself when it already covers `required`. */
export function unionProtocol(current: Protocol, required: Protocol): Protocol {
  const legacy = (p: Protocol) => p.minWriterVersion < 7 && p.minReaderVersion < 3;
  if (legacy(current) && legacy(required)) {
    if (required.minReaderVersion <= current.minReaderVersion && required.minWriterVersion <= current.minWriterVersion) return current;
    return {
      minReaderVersion: Math.max(current.minReaderVersion, required.minReaderVersion),
      minWriterVersion: Math.max(current.minWriterVersion, required.minWriterVersion),
    };
  }
  const have = featuresOf(current);
  const all = new Set([...have, ...featuresOf(required)]);
  if (!legacy(current) && [...all].every((f) => have.has(f))) return current;
  const writerFeatures = [...all].sort();
  const readerFeatures = writerFeatures.filter((f) => READER_WRITER.has(f));
  return readerFeatures.length === 0
    ? { minReaderVersion: 1, minWriterVersion: 7, writerFeatures }
    : { minReaderVersion: 3, minWriterVersion: 7, readerFeatures, writerFeatures };
}

/** The features a protocol enables, legacy versions expanded into the features they imply. */
function featuresOf(p: Protocol): Set<string> {
  if (p.minWriterVersion >= 7) return new Set(p.writerFeatures ?? []);
  const out = new Set(IMPLIED_BY_WRITER.filter(([v]) => p.minWriterVersion >= v).map(([, f]) => f));
  if (p.minReaderVersion >= 2) out.add("columnMapping");
  return out;
}
