/**
 * The CLI's log-level read commands (DESIGN.md "CLI"): `info` (JSON summary of a snapshot),
 * `history` (JSON array, newest first) and `files` (NDJSON, one live file per line).
 */
import type { ObjectStore } from "../../core/storage/object-store.js";
import { openTable } from "../../core/table/open.js";
import { readHistory } from "../../core/table/history.js";
import type { Snapshot } from "../../core/table/snapshot.js";
import { planScan } from "../../core/scan/plan.js";
import type { AddFile } from "../../core/log/actions.js";
import { canonicalPath } from "../../core/log/replay.js";
import { intFlag, stringFlag, type ParsedArgs } from "./args.js";
import type { Output } from "./output.js";

/** Opens the snapshot that --version / --timestamp select. */
export async function snapshotFromFlags(store: ObjectStore, flags: ParsedArgs["flags"]): Promise<Snapshot> {
  return openTable({ store, version: intFlag(flags, "version"), timestamp: stringFlag(flags, "timestamp") });
}

/** `info`: version, protocol, metadata, schema, partition columns, file count and size. */
export async function infoCommand(store: ObjectStore, flags: ParsedArgs["flags"], out: Output): Promise<void> {
  const s = await snapshotFromFlags(store, flags);
  const info = {
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
  await out.write(`${JSON.stringify(info, null, 2)}\n`);
}

/** `history`: commits newest first with their commitInfo. */
export async function historyCommand(store: ObjectStore, flags: ParsedArgs["flags"], out: Output): Promise<void> {
  const entries = await readHistory({ store, limit: intFlag(flags, "limit") });
  const rows = entries.map((e) => ({
    ...(e.commitInfo ?? {}),
    version: e.version,
    timestamp: e.timestamp,
    operation: e.operation ?? null,
    operationParameters: e.operationParameters ?? null,
  }));
  await out.write(`${JSON.stringify(rows, null, 2)}\n`);
}

/**
 * `files`: one NDJSON line per live file: path (decoded, relative), size, partitionValues,
 * numRecords. With --where, only files that may hold matching rows (partition pruning and stats).
 */
export async function filesCommand(store: ObjectStore, flags: ParsedArgs["flags"], out: Output): Promise<void> {
  const s = await snapshotFromFlags(store, flags);
  const where = stringFlag(flags, "where");
  const selected: readonly AddFile[] = where === undefined ? s.files() : planScan(s, { where }).files.map((f) => f.add);
  const lines: string[] = [];
  for (const f of selected) {
    lines.push(
      JSON.stringify({ path: canonicalPath(f.path), size: f.size, partitionValues: f.partitionValues, numRecords: numRecords(f) }),
    );
    if (lines.length >= 1000) {
      await out.write(`${lines.join("\n")}\n`);
      lines.length = 0;
    }
  }
  if (lines.length > 0) await out.write(`${lines.join("\n")}\n`);
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
