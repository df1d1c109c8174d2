/**
 * What must hold at every version of a change feed (PROTOCOL.md "Add CDC File", delta-kernel-rs
 * table changes): the feed is on (`delta.enableChangeDataFeed=true`), the schema and partition
 * columns are those of the start version (a feed has one schema), and delta-edge can read the
 * table's protocol. Each check names the version that breaks it.
 */
import type { Metadata, Protocol } from "../log/actions.js";
import { parseSchema } from "../schema/schema-json.js";
import { checkReadable } from "../table/protocol.js";
import { ChangeFeedError } from "./errors.js";

/** Table property that turns the change data feed on. */
export const CHANGE_DATA_FEED_KEY = "delta.enableChangeDataFeed";

/** Whether the change data feed is on under this metadata. */
export function feedEnabled(metadata: Metadata): boolean {
  return metadata.configuration?.[CHANGE_DATA_FEED_KEY]?.trim().toLowerCase() === "true";
}

/** Whether in-commit timestamps are on under this metadata. */
export function inCommitTimestampsEnabled(metadata: Metadata): boolean {
  return metadata.configuration?.["delta.enableInCommitTimestamps"]?.trim().toLowerCase() === "true";
}

/** Throws unless the feed is on at `version`. */
export function checkFeedEnabled(metadata: Metadata, context: { path: string; version: number }): void {
  if (!feedEnabled(metadata)) {
    throw new ChangeFeedError("feedDisabled", `the change data feed is not enabled at version ${context.version} (${CHANGE_DATA_FEED_KEY} is not true)`, context);
  }
}

/** Throws unless delta-edge can read data under this protocol (names the unsupported feature). */
export function checkFeedProtocol(protocol: Protocol, context: { path: string; version: number }): void {
  checkReadable(protocol, context);
}

/** Throws when a metaData action inside the range changes the schema or the partition columns. */
export function checkSameShape(base: Metadata, next: Metadata, context: { path: string; version: number }): void {
  const samePartitions = sameValue(base.partitionColumns ?? [], next.partitionColumns ?? []);
  const sameSchema = base.schemaString === next.schemaString || sameValue(parseSchema(base.schemaString), parseSchema(next.schemaString));
  if (!samePartitions || !sameSchema) {
    throw new ChangeFeedError(
      "schemaChanged",
      `the table's ${sameSchema ? "partition columns" : "schema"} changed at version ${context.version}; read the feed up to version ${context.version - 1} and from version ${context.version} separately`,
      context,
    );
  }
}

/** Structural equality of JSON-like values (object key order ignored). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
