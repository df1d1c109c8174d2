/**
 * The CLI's log-level read commands (DESIGN.md "CLI"): `info` (JSON summary of a snapshot),
 * `history` (JSON array, newest first) and `files` (NDJSON, one live file per line).
 */
import { NotFoundError } from "../../core/errors.js";
import type { ObjectStore } from "../../core/storage/object-store.js";
import { openTable } from "../../core/table/open.js";
import { readHistory } from "../../core/table/history.js";
import type { Snapshot } from "../../core/table/snapshot.js";
import { planScan } from "../../core/scan/plan.js";
import type { AddFile } from "../../core/log/actions.js";
import { fileSummary, historyRows, tableInfo } from "../../core/table/summary.js";
import { intFlag, stringFlag, type ParsedArgs } from "./args.js";
import type { Output } from "./output.js";

/** Opens the snapshot that --version / --timestamp select. */
export async function snapshotFromFlags(store: ObjectStore, flags: ParsedArgs["flags"]): Promise<Snapshot> {
  return openTable({ store, version: intFlag(flags, "version"), timestamp: stringFlag(flags, "timestamp") });
}

/** `info`: version, protocol, metadata, schema, partition columns, file count and size. */
export async function infoCommand(store: ObjectStore, flags: ParsedArgs["flags"], out: Output): Promise<void> {
  const s = await snapshotFromFlags(store, flags);
  await out.write(`${JSON.stringify(tableInfo(s), null, 2)}\n`);
}

/** `history`: commits newest first with their commitInfo. */
export async function historyCommand(store: ObjectStore, flags: ParsedArgs["flags"], out: Output): Promise<void> {
  const limit = intFlag(flags, "limit");
  const entries = await readHistory({ store, limit });
  // an empty or missing directory has no commits: not a table (as info and scan say, and the Worker)
  if (entries.length === 0 && limit !== 0) throw new NotFoundError("no Delta table here: _delta_log is empty or missing", { path: store.root });
  await out.write(`${JSON.stringify(historyRows(entries), null, 2)}\n`);
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
    lines.push(JSON.stringify(fileSummary(f)));
    if (lines.length >= 1000) {
      await out.write(`${lines.join("\n")}\n`);
      lines.length = 0;
    }
  }
  if (lines.length > 0) await out.write(`${lines.join("\n")}\n`);
}
