/**
 * Pure text of a commit for the history (no DOM): a one-line summary per operation in words
 * (DELETE "2 rows deleted", UPDATE "3 rows updated", MERGE "1 inserted, 2 updated, 0 deleted of
 * 3 source rows", RESTORE "restored version 4", writes "5 rows written"), the operation metrics
 * in groups (rows, files, deletion vectors, bytes, time) with bytes and milliseconds shown as
 * such, and the operation parameters with the JSON that Spark's commitInfo stores in strings
 * (`["id = 2"]`, MERGE's clause lists) unwrapped. Metrics arrive as strings (Spark writes them
 * so) or numbers.
 */
import { formatBytes } from "./format.js";

/** One shown value: the metric or parameter name, its display text and the raw value. */
export interface ShownValue {
  key: string;
  text: string;
  raw: string;
}

/** The groups metrics are shown in, in order. */
export const METRIC_GROUPS = ["rows", "files", "deletion vectors", "bytes", "time", "other"] as const;
export type MetricGroup = (typeof METRIC_GROUPS)[number];

function rawText(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v, (_, x: unknown) => (typeof x === "bigint" ? String(x) : x));
}

function num(metrics: Record<string, unknown>, key: string): number | undefined {
  const v = metrics[key];
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** A one-line summary of a commit in words, or undefined when its metrics say nothing known. */
export function commitSummary(operation: string | undefined, metrics: Record<string, unknown>, params: Record<string, unknown> = {}): string | undefined {
  const m = (k: string) => num(metrics, k);
  const dvs = (m("numDeletionVectorsAdded") ?? 0) + (m("numDeletionVectorsUpdated") ?? 0);
  const withDvs = (s: string) => (dvs > 0 ? `${s} (${plural(dvs, "deletion vector")} written)` : s);
  switch (operation) {
    case "DELETE": {
      const n = m("numDeletedRows");
      if (n !== undefined) return withDvs(`${plural(n, "row")} deleted`);
      break;
    }
    case "UPDATE": {
      const n = m("numUpdatedRows");
      if (n !== undefined) return withDvs(`${plural(n, "row")} updated`);
      break;
    }
    case "MERGE": {
      const [i, u, d, s] = ["numTargetRowsInserted", "numTargetRowsUpdated", "numTargetRowsDeleted", "numSourceRows"].map(m);
      if (i !== undefined || u !== undefined || d !== undefined) {
        return withDvs(`${i ?? 0} inserted, ${u ?? 0} updated, ${d ?? 0} deleted${s === undefined ? "" : ` of ${plural(s, "source row")}`}`);
      }
      break;
    }
    case "RESTORE": {
      const version = params["version"];
      const restored = m("numRestoredFiles");
      const removed = m("numRemovedFiles");
      const files = restored === undefined ? "" : `: ${plural(restored, "file")} restored, ${removed ?? 0} removed`;
      if (version !== undefined && version !== null) return `restored version ${rawText(version)}${files}`;
      if (files !== "") return `restored${files}`;
      break;
    }
  }
  const rows = m("numOutputRows");
  return rows === undefined ? undefined : `${plural(rows, "row")} written`;
}

/** The group a metric is shown in, by its name. */
export function metricGroup(key: string): MetricGroup {
  if (/TimeMs$|Ms$|Time$/.test(key)) return "time";
  if (/Bytes|Size/.test(key)) return "bytes";
  if (/DeletionVector/.test(key)) return "deletion vectors";
  if (/Rows/.test(key)) return "rows";
  if (/Files/.test(key)) return "files";
  return "other";
}

/** The metrics by group (groups without metrics left out), each value formatted for its group. */
export function groupedMetrics(metrics: Record<string, unknown>): Array<{ group: MetricGroup; values: ShownValue[] }> {
  const out = new Map<MetricGroup, ShownValue[]>();
  for (const [key, v] of Object.entries(metrics)) {
    const group = metricGroup(key);
    const raw = rawText(v);
    const n = num(metrics, key);
    const text = n === undefined ? raw : group === "bytes" ? formatBytes(n) : group === "time" ? `${n} ms` : n.toLocaleString("en-US");
    const list = out.get(group) ?? [];
    list.push({ key, text, raw });
    out.set(group, list);
  }
  return METRIC_GROUPS.filter((g) => out.has(g)).map((group) => ({ group, values: out.get(group) as ShownValue[] }));
}

/**
 * Parameters as text: JSON held in strings unwrapped (a list of predicates joined by AND, MERGE
 * clause lists as `update when COND; insert`, an empty list as `none`), other values as they are.
 */
export function shownParameters(params: Record<string, unknown>): ShownValue[] {
  return Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([key, v]) => {
      const raw = rawText(v);
      return { key, text: unwrap(raw), raw };
    });
}

function unwrap(raw: string): string {
  const t = raw.trim();
  if (!t.startsWith("[") && !t.startsWith("{")) return raw;
  let parsed: unknown;
  try {
    parsed = JSON.parse(t);
  } catch {
    return raw;
  }
  if (!Array.isArray(parsed)) return raw;
  if (parsed.length === 0) return "none";
  if (parsed.every((x) => typeof x === "string")) return (parsed as string[]).join(" AND ");
  if (parsed.every((x) => typeof x === "object" && x !== null && typeof (x as { actionType?: unknown }).actionType === "string")) {
    return (parsed as { actionType: string; predicate?: unknown }[]).map((c) => (typeof c.predicate === "string" ? `${c.actionType} when ${c.predicate}` : c.actionType)).join("; ");
  }
  return raw;
}
