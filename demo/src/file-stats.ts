/**
 * Per-file column statistics as the log records them (an add action's `stats` JSON, or a
 * checkpoint's `stats_parsed`): min, max and null count per leaf column, keyed by logical column
 * names (physical names of column mapping translated back), shown in the files list as a
 * collapsible list (details/summary: keyboard operable). Values are shown as written in the log.
 */
import type { Snapshot } from "../../src/browser/index.js";
import { lookup, readFileStats } from "../../src/core/scan/file-stats.js";
import { snapshotSchema } from "../../src/core/scan/plan.js";
import { columnMappingMode, physicalToLogicalPath } from "../../src/core/schema/column-mapping.js";
import { h } from "./dom.js";

/** One column's stats in one file. */
export interface ColumnStat {
  /** Logical column path, dotted for nested fields. */
  column: string;
  min: unknown;
  max: unknown;
  nullCount: unknown;
}

/** The column stats of each live file, in `snapshot.files()` order (undefined: the file has none). */
export function snapshotFileStats(snapshot: Snapshot): Array<ColumnStat[] | undefined> {
  const schema = snapshotSchema(snapshot);
  const mode = columnMappingMode(snapshot.properties);
  return snapshot.files().map((add) => {
    const stats = readFileStats(add);
    if (stats === undefined) return undefined;
    const paths = new Map<string, string[]>();
    for (const record of [stats.minValues, stats.maxValues, stats.nullCount]) for (const p of leafPaths(record)) paths.set(p.join("\u0000"), p);
    return [...paths.values()].map((physical) => ({
      column: logical(schema, physical, mode).join("."),
      min: lookup(stats.minValues, physical),
      max: lookup(stats.maxValues, physical),
      nullCount: lookup(stats.nullCount, physical),
    }));
  });
}

function logical(schema: ReturnType<typeof snapshotSchema>, physical: string[], mode: ReturnType<typeof columnMappingMode>): string[] {
  try {
    return physicalToLogicalPath(schema, physical, mode);
  } catch {
    return physical;
  }
}

/** Leaf paths of a nested stats record (objects are structs; anything else is a value). */
function leafPaths(record: Record<string, unknown>, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [k, v] of Object.entries(record)) {
    if (v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date)) out.push(...leafPaths(v as Record<string, unknown>, [...prefix, k]));
    else out.push([...prefix, k]);
  }
  return out;
}

/** A stats value as text: strings as written, absent as an en dash. */
export function statText(v: unknown): string {
  if (v === undefined) return "–";
  if (v === null) return "null";
  if (typeof v === "string") return v;
  if (typeof v === "bigint") return String(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v, (_, x: unknown) => (typeof x === "bigint" ? String(x) : x));
}

/** The files-list cell of one file's stats. */
export function statsCell(stats: ColumnStat[] | undefined): Node | string {
  if (stats === undefined) return "none";
  if (stats.length === 0) return "records only";
  return h(
    "details",
    { class: "stats" },
    h("summary", {}, `${stats.length} column${stats.length === 1 ? "" : "s"}`),
    h(
      "ul",
      {},
      ...stats.map((s) =>
        h("li", { "data-column": s.column }, h("code", {}, s.column), ` min ${statText(s.min)} · max ${statText(s.max)} · nulls ${statText(s.nullCount)}`),
      ),
    ),
  );
}
