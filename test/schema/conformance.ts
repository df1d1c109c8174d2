/**
 * Test helper: walks ../shared/conformance (relative to the project root, never copied into the
 * project) for every `_delta_log`, and yields each table's JSON commits (exact `^\d{20}\.json$`
 * names) in version order with their parsed actions. For tables whose commits carry no metaData
 * (logs that start at a checkpoint), the earliest classic checkpoint's metaData is read with
 * hyparquet.
 */

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parquetReadObjects } from "hyparquet";

import { CONFORMANCE } from "../helpers/conformance.js";

/** One JSON commit of a table. */
export interface Commit {
  version: number;
  file: string;
  actions: Array<Record<string, any>>;
}

/** A table found under the conformance root. */
export interface ConformanceTable {
  /** Path of the table root relative to the conformance root. */
  name: string;
  logDir: string;
  commits: Commit[];
}

function findLogDirs(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const full = join(dir, entry.name);
    if (entry.name === "_delta_log") out.push(full);
    else findLogDirs(full, out);
  }
}

/** Every table with at least one JSON commit, sorted by name. */
export function conformanceTables(): ConformanceTable[] {
  if (!existsSync(CONFORMANCE)) throw new Error(`conformance data not found at ${CONFORMANCE}`);
  const logDirs: string[] = [];
  findLogDirs(CONFORMANCE, logDirs);
  const tables: ConformanceTable[] = [];
  for (const logDir of logDirs.sort()) {
    const files = readdirSync(logDir)
      .filter((f) => /^\d{20}\.json$/.test(f))
      .sort();
    if (files.length === 0) continue;
    const commits = files.map((file) => ({
      version: Number(file.slice(0, 20)),
      file: join(logDir, file),
      actions: readFileSync(join(logDir, file), "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l) as Record<string, any>),
    }));
    tables.push({ name: relative(CONFORMANCE, join(logDir, "..")), logDir, commits });
  }
  return tables;
}

/** The metaData of the earliest classic checkpoint of a log, if there is one. */
export async function checkpointMetadata(logDir: string): Promise<Record<string, any> | undefined> {
  const checkpoint = readdirSync(logDir)
    .filter((f) => /^\d{20}\.checkpoint\.parquet$/.test(f))
    .sort()[0];
  if (checkpoint === undefined) return undefined;
  const bytes = readFileSync(join(logDir, checkpoint));
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const rows = (await parquetReadObjects({ file, columns: ["metaData"] })) as Array<{ metaData?: Record<string, any> | null }>;
  return rows.find((r) => r.metaData !== null && r.metaData !== undefined)?.metaData ?? undefined;
}
