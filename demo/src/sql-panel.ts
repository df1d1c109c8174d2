/**
 * The explorer's SQL box (in the page's first bundle, but light: duckdb-wasm comes with
 * sql-engine.ts, a dynamic import made on the first run). `t` is the open table at the version
 * shown, with the Data panel's columns and WHERE pushed into the scan (so a big table can be cut
 * down before it is copied into DuckDB); a second table URL is attached as `t2` (its latest
 * version). The result is an HTML table in [data-testid="sql-result"] (first MAX_SQL_ROWS rows),
 * a bar chart (SVG) in [data-testid="sql-chart"] when the result has a label column and numeric
 * columns. Runs with Ctrl/Cmd+Enter in the box; re-runs when the version changes, so the result
 * always matches the version shown. `?sql=` and `?table2=` are kept in the page URL.
 */
import type { ObjectStore, Snapshot } from "../../src/browser/index.js";
import { chartSpec, drawBarChart } from "./chart.js";
import { byId, fill, h, table } from "./dom.js";
import { TableSession } from "./explorer.js";
import { formatCell, typeLabel, type SchemaField } from "./format.js";
import type { EngineProgress, SqlEngine } from "./sql-engine.js";

/** Result rows shown at most (the query is cancelled beyond). */
export const MAX_SQL_ROWS = 1000;

/** What the panel needs from the page. */
export interface SqlPanelContext {
  /** The open table, its snapshot and the Data panel's selection (undefined before a table is open). */
  current(): { session: TableSession; snapshot: Snapshot; columns: string[] | undefined; where: string | undefined } | undefined;
  /** Runs an action with the page's loading state, traffic report and error display. */
  act(label: string, action: (gen: number) => Promise<void>): Promise<void>;
  /** True while `gen` is the newest action. */
  isCurrent(gen: number): boolean;
  /** The store of another table URL (signed for s3:// as the page signs the first). */
  storeFor(url: string): ObjectStore;
}

/** The panel's elements. */
export interface SqlPanelElements {
  form: HTMLFormElement;
  sql: HTMLTextAreaElement;
  table2: HTMLInputElement;
  progress: HTMLElement;
  summary: HTMLElement;
  chart: HTMLElement;
  result: HTMLElement;
}

/** The panel's elements in the page (demo/index.html). */
export function sqlPanelElements(): SqlPanelElements {
  return {
    form: byId<HTMLFormElement>("sql-form"),
    sql: byId<HTMLTextAreaElement>("sql"),
    table2: byId<HTMLInputElement>("table2"),
    progress: byId("sql-progress"),
    summary: byId("sql-summary"),
    chart: byId("sql-chart"),
    result: byId("sql-result"),
  };
}

/** The SQL box: runs the query against the open table, shows the result and its chart. */
export class SqlPanel {
  private engine: Promise<SqlEngine> | undefined;
  private second: { url: string; session: TableSession; snapshot: Promise<Snapshot> } | undefined;
  private hasResult = false;

  constructor(
    private readonly ui: SqlPanelElements,
    private readonly ctx: SqlPanelContext,
  ) {
    ui.form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.run();
    });
    ui.sql.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        ui.form.requestSubmit();
      }
    });
  }

  /** Sets the query and the second table (from the page URL). */
  set(sql: string | null, table2: string | null): void {
    if (sql !== null) this.ui.sql.value = sql;
    if (table2 !== null) this.ui.table2.value = table2;
  }

  /** A new table was opened: the old result no longer applies. */
  clear(): void {
    this.hasResult = false;
    fill(this.ui.result);
    fill(this.ui.chart);
    fill(this.ui.summary);
  }

  /** The version shown changed: a shown result is recomputed against it. */
  snapshotChanged(): Promise<void> {
    return this.hasResult && this.ui.sql.value.trim() !== "" ? this.run() : Promise.resolve();
  }

  /** Runs the query in the box. */
  run(): Promise<void> {
    const sql = this.ui.sql.value.trim();
    if (sql === "") return Promise.resolve();
    return this.ctx.act("SQL", async (gen) => {
      const open = this.ctx.current();
      if (open === undefined) throw new Error("open a table first: the SQL box queries it as t");
      const engine = await this.loadEngine();
      const attached = await engine.attach(
        { name: "t", store: open.session.store, snapshot: open.snapshot, columns: open.columns, where: open.where },
        (p) => this.progress(p),
      );
      const notes = [`t = version ${open.snapshot.version}${selectionText(open.columns, open.where)}${attached ? `, ${attached.rows} rows attached` : ""}`];
      const url2 = this.ui.table2.value.trim();
      if (url2 !== "") {
        const t2 = await this.secondTable(url2);
        const a2 = await engine.attach({ name: "t2", store: t2.session.store, snapshot: t2.snapshot }, (p) => this.progress(p));
        notes.push(`t2 = ${url2} version ${t2.snapshot.version}${a2 ? `, ${a2.rows} rows attached` : ""}`);
      }
      this.progress({ message: "running the query…" });
      const result = await engine.query(sql, MAX_SQL_ROWS);
      if (!this.ctx.isCurrent(gen)) return;
      this.progress(undefined);
      this.show(result.fields, result.rows, open.snapshot.version);
      this.hasResult = true;
      fill(
        this.ui.summary,
        `${result.truncated ? `first ${result.rows.length} rows` : `${result.rows.length} row${result.rows.length === 1 ? "" : "s"}`} · ${notes.join(" · ")}`,
      );
      const url = new URL(location.href);
      url.searchParams.set("sql", sql);
      if (url2 === "") url.searchParams.delete("table2");
      else url.searchParams.set("table2", url2);
      history.replaceState(null, "", url);
      await this.chart(result.fields, result.rows);
    }).finally(() => this.progress(undefined));
  }

  private loadEngine(): Promise<SqlEngine> {
    this.engine ??= import("./sql-engine.js")
      .then(({ startEngine }) => startEngine({ bundlesBase: configuredBundles(), onProgress: (p) => this.progress(p) }))
      .catch((error: unknown) => {
        this.engine = undefined; // a later run tries again
        throw error;
      });
    return this.engine;
  }

  private async secondTable(url: string): Promise<{ session: TableSession; snapshot: Snapshot }> {
    const absolute = new URL(url, location.href).toString();
    if (this.second?.url !== absolute) {
      const session = new TableSession(absolute, this.ctx.storeFor(absolute));
      this.second = { url: absolute, session, snapshot: session.snapshot() };
      this.second.snapshot.catch(() => (this.second = undefined));
    }
    return { session: this.second.session, snapshot: await this.second.snapshot };
  }

  private show(fields: SchemaField[], rows: ReadonlyArray<Record<string, unknown>>, version: number): void {
    const grid = table(
      fields.map((f) => f.name),
      rows.map((r) => fields.map((f) => cell(r[f.name], f.type))),
      { id: "sql-table" },
    );
    grid.prepend(h("caption", { class: "sr-only" }, `SQL result: ${rows.length} rows; columns ${fields.map((f) => `${f.name} (${typeLabel(f.type)})`).join(", ")}`));
    fill(this.ui.result, grid);
    this.ui.result.dataset["rows"] = String(rows.length);
    this.ui.result.dataset["version"] = String(version);
  }

  private async chart(fields: SchemaField[], rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
    const spec = chartSpec(fields, rows);
    if (spec === undefined) {
      fill(this.ui.chart, h("p", { class: "note" }, "no chart: it needs a label column and a numeric column"));
      return;
    }
    fill(this.ui.chart, h("p", { class: "note" }, "drawing the chart…"));
    await drawBarChart(this.ui.chart, spec, `${spec.series.join(", ")} by ${spec.label}`);
  }

  private progress(p: EngineProgress | undefined): void {
    const bar = this.ui.progress.querySelector("progress");
    const label = this.ui.progress.querySelector("span");
    this.ui.progress.hidden = p === undefined;
    if (!bar || !label) return;
    fill(label, p?.message ?? "");
    if (p?.max !== undefined && p.value !== undefined) {
      bar.max = p.max;
      bar.value = Math.min(p.value, p.max);
    } else bar.removeAttribute("value"); // indeterminate
  }
}

/** The duckdb-wasm bundle URL the page was built with (a <meta>), or undefined for the default. */
function configuredBundles(): string | undefined {
  const content = document.querySelector<HTMLMetaElement>('meta[name="delta-edge:duckdb-bundles"]')?.content;
  return content === undefined || content === "" ? undefined : content;
}

function selectionText(columns: string[] | undefined, where: string | undefined): string {
  const parts = [columns === undefined ? "" : `columns ${columns.join(", ")}`, where === undefined ? "" : `WHERE ${where}`].filter((s) => s !== "");
  return parts.length === 0 ? "" : ` (${parts.join("; ")})`;
}

function cell(value: unknown, type: SchemaField["type"]): string | Node {
  return value === null || value === undefined ? h("span", { class: "null" }, "null") : formatCell(value, type);
}
