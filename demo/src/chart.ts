/**
 * Bar charts for the explorer: the choice of what to chart from a result (its first label column
 * and its numeric columns), and the drawing, with Observable Plot loaded lazily (a dynamic import:
 * the library is fetched the first time a chart is drawn, never with the page). Plot was chosen
 * because it draws SVG (inspectable and testable, no canvas), labels its marks for assistive
 * technology (aria-label / aria-description on the SVG and each mark), is maintained by the d3
 * authors and needs no configuration for a readable bar chart; about 80 KB gzipped, only on use.
 */
import { decimalText, formatCell, type SchemaField } from "./format.js";

/** What to draw: one bar (group) per label, one series per numeric column. */
export interface ChartSpec {
  label: string;
  series: string[];
  /** One point per label and series. */
  points: Array<{ label: string; series: string; value: number }>;
  /** Labels left out beyond the cap. */
  omitted: number;
}

/** Bars drawn at most (the rest is counted in `omitted`). */
export const MAX_BARS = 50;

const NUMERIC = new Set(["byte", "short", "integer", "long", "float", "double", "decimal"]);

function typeName(f: SchemaField): string {
  return typeof f.type === "string" ? (/^decimal/.test(f.type) ? "decimal" : f.type) : f.type.type;
}

/** True for columns charted as values. */
export function isNumeric(f: SchemaField): boolean {
  return NUMERIC.has(typeName(f));
}

/** A canonical value as a number for a chart (undefined for null and non-finite values). */
export function chartNumber(v: unknown): number | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "object" && typeof (v as { unscaled?: unknown }).unscaled === "bigint") {
    const d = v as { unscaled: bigint; scale: number };
    return Number(decimalText(d.unscaled, d.scale));
  }
  return undefined;
}

/**
 * The chart of a result, when it has a label column (the first non-numeric scalar column) and at
 * least one numeric column; undefined otherwise.
 */
export function chartSpec(fields: readonly SchemaField[], rows: ReadonlyArray<Record<string, unknown>>): ChartSpec | undefined {
  const label = fields.find((f) => !isNumeric(f) && typeof f.type === "string");
  const series = fields.filter((f) => f !== label && isNumeric(f));
  if (label === undefined || series.length === 0 || rows.length === 0) return undefined;
  const points: ChartSpec["points"] = [];
  for (const row of rows.slice(0, MAX_BARS)) {
    const text = formatCell(row[label.name], label.type);
    for (const s of series) {
      const value = chartNumber(row[s.name]);
      if (value !== undefined) points.push({ label: text, series: s.name, value });
    }
  }
  return { label: label.name, series: series.map((s) => s.name), points, omitted: Math.max(0, rows.length - MAX_BARS) };
}

/** Draws a bar chart into `el` (replacing its content); returns the SVG element. */
export async function drawBarChart(el: HTMLElement, spec: ChartSpec, title: string): Promise<SVGSVGElement> {
  const Plot = await import("@observablehq/plot");
  const grouped = spec.series.length > 1;
  const labels = [...new Set(spec.points.map((p) => p.label))];
  const chart = Plot.plot({
    width: Math.max(320, Math.min(960, el.clientWidth || 640)),
    height: 280,
    marginBottom: 60,
    ariaLabel: title,
    ariaDescription: `Bar chart of ${spec.series.join(", ")} by ${spec.label}${spec.omitted > 0 ? ` (first ${MAX_BARS} rows)` : ""}`,
    x: { domain: grouped ? spec.series : labels, label: grouped ? null : spec.label, tickRotate: grouped ? 0 : -30, axis: grouped ? null : "bottom" },
    ...(grouped ? { fx: { domain: labels, label: spec.label, tickRotate: -30 }, color: { legend: true } } : {}),
    y: { grid: true, label: grouped ? null : (spec.series[0] ?? null) },
    marks: [
      Plot.barY(spec.points, {
        x: grouped ? "series" : "label",
        ...(grouped ? { fx: "label", fill: "series" } : { fill: "#0b6bcb" }),
        y: "value",
        title: (p: ChartSpec["points"][number]) => `${p.label} · ${p.series}: ${p.value}`,
      }),
      Plot.ruleY([0]),
    ],
  });
  // With a legend Plot returns a <figure>: the chart is its SVG child (the swatches hold SVGs too).
  const svg = (chart instanceof SVGSVGElement ? chart : chart.querySelector(":scope > svg")) as SVGSVGElement;
  svg.setAttribute("role", "img");
  el.replaceChildren(chart);
  return svg;
}
