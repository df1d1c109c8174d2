/**
 * What the history shows of each commit beyond version, time and operation: the operation's
 * metrics (commitInfo.operationMetrics: rows and files written, removed, updated — DML commits
 * report theirs there too) and parameters, as a collapsible definition list.
 */
import type { HistoryEntry } from "../../src/browser/index.js";
import { h } from "./dom.js";

function text(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v, (_, x: unknown) => (typeof x === "bigint" ? String(x) : x));
}

function list(record: Record<string, unknown>): HTMLElement {
  return h("dl", {}, ...Object.entries(record).flatMap(([k, v]) => [h("dt", {}, k), h("dd", { "data-metric": k }, text(v))]));
}

/** The operation metrics of a commit, e.g. `numOutputRows: 5`. */
export function operationMetrics(entry: HistoryEntry): Record<string, unknown> {
  const m = (entry.commitInfo as { operationMetrics?: unknown } | undefined)?.operationMetrics;
  return m !== null && typeof m === "object" && !Array.isArray(m) ? (m as Record<string, unknown>) : {};
}

/** A details element with the commit's metrics and parameters (undefined when it has neither). */
export function historyDetails(entry: HistoryEntry): HTMLElement | undefined {
  const metrics = operationMetrics(entry);
  const params = entry.operationParameters ?? {};
  const keys = Object.keys(metrics);
  if (keys.length === 0 && Object.keys(params).length === 0) return undefined;
  const headline = ["numOutputRows", "numDeletedRows", "numUpdatedRows", "numTargetRowsInserted", "numTargetRowsUpdated", "numTargetRowsDeleted"]
    .filter((k) => k in metrics)
    .map((k) => `${k} ${text(metrics[k])}`)
    .join(", ");
  return h(
    "details",
    { class: "commit" },
    h("summary", {}, keys.length > 0 ? `metrics${headline === "" ? "" : `: ${headline}`}` : "parameters"),
    keys.length > 0 ? list(metrics) : null,
    Object.keys(params).length > 0 ? h("div", { class: "params" }, h("span", { class: "note" }, "parameters"), list(params)) : null,
  );
}
