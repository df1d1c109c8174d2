/**
 * The partition summary of a snapshot: live files grouped by their partition values, with file,
 * record and byte counts per partition (records from the files' stats, minus deleted rows), as a
 * table and a bar chart of records (of files when a file has no record count). The chart library
 * is loaded lazily by chart.ts; the table appears first.
 */
import type { Snapshot } from "../../src/browser/index.js";
import { drawBarChart, MAX_BARS, type ChartSpec } from "./chart.js";
import { fill, h, table } from "./dom.js";
import { formatBytes, numRecordsOf, partitionText } from "./format.js";

/** One partition of the snapshot. */
export interface PartitionGroup {
  /** `a=1, b=x` */
  label: string;
  files: number;
  /** Live records (undefined when a file has no record count). */
  records: number | undefined;
  bytes: number;
}

/** The partitions of a snapshot, sorted by label (empty for an unpartitioned table). */
export function partitionGroups(snapshot: Snapshot): PartitionGroup[] {
  if (snapshot.partitionColumns.length === 0) return [];
  const groups = new Map<string, PartitionGroup>();
  for (const f of snapshot.files()) {
    const values = Object.fromEntries(snapshot.partitionColumns.map((c) => [c, f.partitionValues[c] ?? null]));
    const label = partitionText(values);
    const g = groups.get(label) ?? { label, files: 0, records: 0, bytes: 0 };
    const n = numRecordsOf(f);
    g.files++;
    g.bytes += Number(f.size);
    g.records = g.records === undefined || n === undefined ? undefined : g.records + n - Number(f.deletionVector?.cardinality ?? 0);
    groups.set(label, g);
  }
  return [...groups.values()].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

/** Renders the summary into `el` and its chart into `chartEl`. */
export async function renderPartitions(el: HTMLElement, chartEl: HTMLElement, snapshot: Snapshot): Promise<void> {
  const groups = partitionGroups(snapshot);
  if (groups.length === 0) {
    fill(el, h("p", { class: "note" }, "not partitioned"));
    fill(chartEl);
    return;
  }
  const allCounted = groups.every((g) => g.records !== undefined);
  fill(
    el,
    h("p", { class: "note" }, `${groups.length} partition${groups.length === 1 ? "" : "s"} by ${snapshot.partitionColumns.join(", ")}`),
    table(
      ["partition", "files", "records", "size"],
      groups.map((g) => [g.label, String(g.files), g.records === undefined ? "?" : String(g.records), formatBytes(g.bytes)]),
      { id: "partitions-table" },
    ),
  );
  const series = allCounted ? "records" : "files";
  const spec: ChartSpec = {
    label: "partition",
    series: [series],
    points: groups.slice(0, MAX_BARS).map((g) => ({ label: g.label, series, value: allCounted ? (g.records as number) : g.files })),
    omitted: Math.max(0, groups.length - MAX_BARS),
  };
  await drawBarChart(chartEl, spec, `${series} per partition`);
}
