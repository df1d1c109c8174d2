/**
 * What the history shows of each commit beyond version, time and operation: a collapsible
 * details element whose summary says what the commit did in words (commit-summary.ts: rows
 * deleted, updated, merged, written; the version restored), and inside the operation metrics
 * (commitInfo.operationMetrics) grouped into rows, files, deletion vectors, bytes and time, and
 * the operation parameters (predicates, MERGE clauses) as text. Each value's element carries
 * `data-metric` / `data-param` (its name) and `data-value` (the raw value).
 */
import type { HistoryEntry } from "../../src/browser/index.js";
import { commitSummary, groupedMetrics, shownParameters, type ShownValue } from "./commit-summary.js";
import { h } from "./dom.js";

function list(values: ShownValue[], attr: "data-metric" | "data-param"): HTMLElement {
  return h("dl", {}, ...values.flatMap((v) => [h("dt", {}, v.key), h("dd", { [attr]: v.key, "data-value": v.raw, title: v.raw }, v.text)]));
}

/** The operation metrics of a commit, e.g. `numOutputRows: "5"`. */
export function operationMetrics(entry: HistoryEntry): Record<string, unknown> {
  const m = (entry.commitInfo as { operationMetrics?: unknown } | undefined)?.operationMetrics;
  return m !== null && typeof m === "object" && !Array.isArray(m) ? (m as Record<string, unknown>) : {};
}

/** A details element with the commit's metrics and parameters (undefined when it has neither). */
export function historyDetails(entry: HistoryEntry): HTMLElement | undefined {
  const metrics = operationMetrics(entry);
  const params = entry.operationParameters ?? {};
  const groups = groupedMetrics(metrics);
  const shown = shownParameters(params);
  if (groups.length === 0 && shown.length === 0) return undefined;
  const summary = commitSummary(entry.operation, metrics, params);
  return h(
    "details",
    { class: "commit", "data-operation": entry.operation },
    h("summary", { class: "commit-summary" }, summary ?? (groups.length > 0 ? "metrics" : "parameters")),
    ...groups.map((g) => h("div", { class: "metric-group", "data-group": g.group }, h("span", { class: "note" }, g.group), list(g.values, "data-metric"))),
    shown.length > 0 ? h("div", { class: "params" }, h("span", { class: "note" }, "parameters"), list(shown, "data-param")) : null,
  );
}
