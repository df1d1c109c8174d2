/**
 * The JSON shapes that describe a table to people and programs, shared by the CLI (`info`,
 * `history`, `files`) and the Worker HTTP API (which must answer with the same JSON): a snapshot
 * summary, history rows (commitInfo plus normalized version/timestamp/operation fields) and one
 * line per live data file.
 */
import type { AddFile } from "../log/actions.js";
import { canonicalPath } from "../log/replay.js";
import type { HistoryEntry } from "./history.js";
import type { Snapshot } from "./snapshot.js";

/**
 * `info`: version, commit time, protocol, metadata, schema, partition columns, file count and size.
 * @throws ProtocolError for a bad schemaString, as a scan does (Snapshot.schema checks it first).
 */
export function tableInfo(s: Snapshot): Record<string, unknown> {
  void s.schema;
  return {
    version: s.version,
    timestamp: s.timestamp > 0 ? new Date(s.timestamp).toISOString() : null,
    protocol: s.protocol,
    metadata: s.metadata,
    schema: JSON.parse(s.metadata.schemaString) as unknown,
    partitionColumns: s.partitionColumns,
    properties: s.properties,
    numFiles: s.numFiles,
    sizeBytes: s.sizeBytes,
  };
}

/** `history`: one row per commit (newest first as given): its commitInfo plus normalized fields. */
export function historyRows(entries: readonly HistoryEntry[]): Record<string, unknown>[] {
  return entries.map((e) => ({
    ...(e.commitInfo ?? {}),
    version: e.version,
    timestamp: e.timestamp,
    operation: e.operation ?? null,
    operationParameters: e.operationParameters ?? null,
  }));
}

/** `files`: path (decoded, relative), size, partitionValues and numRecords of one live file. */
export function fileSummary(f: AddFile): { path: string; size: number; partitionValues: Record<string, string | null>; numRecords: number | null } {
  return { path: canonicalPath(f.path), size: f.size, partitionValues: f.partitionValues, numRecords: numRecords(f) };
}

/** numRecords from JSON stats or stats_parsed; null when the file has no stats. */
export function numRecords(f: AddFile): number | null {
  if (f.statsParsed && f.statsParsed.numRecords !== undefined && f.statsParsed.numRecords !== null) {
    return Number(f.statsParsed.numRecords);
  }
  if (typeof f.stats === "string" && f.stats.length > 0) {
    const m = /"numRecords"\s*:\s*(\d+)/.exec(f.stats);
    if (m) return Number(m[1]);
  }
  return null;
}
