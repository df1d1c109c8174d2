/**
 * The explorer page: enter a table URL (the Worker's /objects/<schema>/<table>, or any
 * CORS-enabled static URL of a Delta table), then see the snapshot, the history with a version
 * slider (time travel), the live files, and the first rows of a query with column selection and a
 * WHERE predicate, with the requests and bytes each action cost; per-file stats, a partition
 * summary, operation metrics in the history, and a SQL box over the table (sql-panel.ts, DuckDB
 * loaded on first use). Everything is read in the browser (explorer.ts);
 * `?table=<url>[&version=<n>][&sql=<query>][&table2=<url>]` opens a table (and runs the query, the
 * table being `t`, a second one `t2`), `?table=s3://bucket/prefix&signer=<Worker origin>` one in a
 * private bucket (signer.ts, s3-form.ts). `body[data-state]` is idle | loading | ready | error, for
 * scripts and tests that drive the page; errors are also in `[data-testid="error"]`.
 */
import type { HistoryEntry, Snapshot } from "../../src/browser/index.js";
import { byId, fill, h, table } from "./dom.js";
import { fileInfos, snapshotInfo, TableSession, type Traffic } from "./explorer.js";
import { formatBytes, formatCell, partitionText, typeLabel, type SchemaField } from "./format.js";
import { mountChangesView } from "./changes-view.js";
import { snapshotFileStats, statsCell } from "./file-stats.js";
import { historyDetails } from "./history-metrics.js";
import { renderPartitions } from "./partitions.js";
import { SqlPanel, sqlPanelElements } from "./sql-panel.js";
import { wireS3Forms } from "./s3-form.js";
import { s3Hint, storeForTable, type SignWith } from "./signer.js";

const ui = {
  form: byId<HTMLFormElement>("open-form"),
  url: byId<HTMLInputElement>("table-url"),
  tables: byId("tables"),
  status: byId("status"),
  statusText: byId("status-text"),
  busy: byId<HTMLProgressElement>("busy"),
  error: byId("error"),
  partitions: byId("partitions"),
  partitionChart: byId("partition-chart"),
  info: byId("info"),
  schema: byId("schema"),
  slider: byId<HTMLInputElement>("version"),
  asOfForm: byId<HTMLFormElement>("as-of-form"),
  asOf: byId<HTMLInputElement>("as-of"),
  versionLabel: byId("version-label"),
  history: byId("history"),
  files: byId("files"),
  queryForm: byId<HTMLFormElement>("query-form"),
  columns: byId("columns"),
  where: byId<HTMLInputElement>("where"),
  limit: byId<HTMLInputElement>("limit"),
  grid: byId("grid"),
  gridSummary: byId("grid-summary"),
  traffic: byId("traffic"),
  trafficTotal: byId("traffic-total"),
};

/** Rows of the file list rendered at most (tables can have hundreds of thousands of files). */
const MAX_FILES_SHOWN = 1000;

let session: TableSession | undefined;
let snapshot: Snapshot | undefined;
/** Increases with every action; results of superseded actions are dropped. */
let generation = 0;

const changesView = mountChangesView({ act: (label, action) => act(label, action), current: (gen) => gen === generation });

function setState(state: "idle" | "loading" | "ready" | "error", message = ""): void {
  document.body.dataset["state"] = state;
  ui.status.className = state;
  fill(ui.statusText, message);
  ui.busy.hidden = state !== "loading";
  ui.error.hidden = state !== "error";
  fill(ui.error, state === "error" ? message : "");
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const hint = s3Hint(error.message);
    const text = (typeof code === "string" ? `${code}: ${error.message}` : error.message) + (hint === "" ? "" : ` (${hint})`);
    const network = /failed to fetch|networkerror|load failed/i.test(`${text} ${String((error as { cause?: unknown }).cause)}`);
    return network ? `${text} (is the URL reachable, and does it allow this origin by CORS, with the Range header?)` : text;
  }
  return String(error);
}

function trafficText(t: Traffic): string {
  return `${t.requests} requests (${t.gets} GET, ${t.heads} HEAD), ${formatBytes(t.bytes)}`;
}

function showTraffic(label: string, t: Traffic): void {
  fill(ui.traffic, `${label}: ${trafficText(t)}`);
  ui.traffic.dataset["requests"] = String(t.requests);
  ui.traffic.dataset["bytes"] = String(t.bytes);
  if (session) fill(ui.trafficTotal, `session: ${trafficText(session.traffic)}`);
}

/** Runs one action with loading state, error display and stale-result protection. */
async function act(label: string, action: (s: TableSession, gen: number) => Promise<void>): Promise<void> {
  const s = session;
  if (!s) return;
  const gen = ++generation;
  setState("loading", `${label}…`);
  try {
    const { traffic } = await s.measure(() => action(s, gen));
    if (gen !== generation) return;
    showTraffic(label, traffic);
    setState("ready", `${label}: done`);
  } catch (error) {
    if (gen !== generation) return;
    setState("error", describeError(error));
    if (session) fill(ui.trafficTotal, `session: ${trafficText(session.traffic)}`);
  }
}

function renderInfo(s: Snapshot): void {
  const i = snapshotInfo(s);
  const rows: Array<[string, string]> = [
    ["version", String(i.version)],
    ["committed", new Date(i.timestamp).toISOString()],
    ["protocol", `reader ${i.minReaderVersion}, writer ${i.minWriterVersion}`],
    ["features", i.features.length === 0 ? "none" : i.features.join(", ")],
    ["partition columns", i.partitionColumns.length === 0 ? "none" : i.partitionColumns.join(", ")],
    ["files", String(i.numFiles)],
    ["size", formatBytes(i.sizeBytes)],
  ];
  if (i.name !== undefined) rows.unshift(["name", i.name]);
  fill(ui.info, ...rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", { "data-key": k }, v)]));
  ui.info.dataset["version"] = String(i.version);
  const partition = new Set(i.partitionColumns);
  fill(ui.schema, table(["column", "type", "nullable", ""], i.fields.map((f) => [f.name, typeLabel(f.type), f.nullable ? "yes" : "no", partition.has(f.name) ? "partition" : ""])));
  const files = fileInfos(s);
  const shown = files.slice(0, MAX_FILES_SHOWN);
  const stats = snapshotFileStats(s);
  fill(
    ui.files,
    files.length > shown.length ? h("p", { class: "note" }, `first ${shown.length} of ${files.length} files`) : "",
    table(
      ["path", "size", "partition values", "records", "DV", "stats (min, max, nulls)"],
      shown.map((f, i) => [
        f.path,
        formatBytes(f.size),
        partitionText(f.partitionValues),
        f.numRecords === undefined ? "?" : String(f.numRecords),
        f.deletionVector ? "yes" : "",
        statsCell(stats[i]),
      ]),
    ),
  );
  void renderPartitions(ui.partitions, ui.partitionChart, s).catch((error: unknown) => fill(ui.partitionChart, h("p", { class: "note" }, `no chart: ${describeError(error)}`)));
  const checked = new Set([...ui.columns.querySelectorAll<HTMLInputElement>("input:checked")].map((c) => c.value));
  const keep = checked.size > 0 && i.fields.some((f) => checked.has(f.name));
  fill(
    ui.columns,
    ...i.fields.map((f) =>
      h("label", {}, h("input", { type: "checkbox", value: f.name, checked: !keep || checked.has(f.name) }), ` ${f.name}`),
    ),
  );
  ui.slider.value = String(i.version);
  fill(ui.versionLabel, `version ${i.version}`);
  for (const li of ui.history.querySelectorAll("li")) li.classList.toggle("current", li.dataset["version"] === String(i.version));
}

/** A grid cell: nulls are marked so they differ from the text "null". */
function cell(value: unknown, type: SchemaField["type"]): string | Node {
  return value === null || value === undefined ? h("span", { class: "null" }, "null") : formatCell(value, type);
}

async function runQuery(s: TableSession, snap: Snapshot, gen: number): Promise<void> {
  const columns = [...ui.columns.querySelectorAll<HTMLInputElement>("input:checked")].map((c) => c.value);
  const limit = Math.max(0, Math.floor(Number(ui.limit.value) || 0));
  const result = await s.query(snap, { columns, where: ui.where.value, limit });
  if (gen !== generation) return;
  fill(ui.grid, table(result.fields.map((f) => f.name), result.rows.map((r) => result.fields.map((f) => cell(r[f.name], f.type))), { id: "grid-table" }));
  ui.grid.dataset["rows"] = String(result.rows.length);
  fill(
    ui.gridSummary,
    `${result.rows.length} row(s) shown (limit ${limit}) at version ${snap.version}; ` +
      `files: ${result.filesToRead} of ${result.filesTotal} to read ` +
      `(${result.prunedByPartition} pruned by partition, ${result.skippedByStats} skipped by stats)`,
  );
}

async function loadVersion(s: TableSession, gen: number, version: number | undefined, timestamp?: string): Promise<void> {
  const snap = timestamp === undefined ? await s.snapshot(version) : await s.snapshotAt(timestamp);
  if (timestamp !== undefined) version = snap.version;
  if (gen !== generation) return;
  snapshot = snap;
  renderInfo(snap);
  const url = new URL(location.href);
  url.searchParams.set("table", s.url);
  if (version === undefined) url.searchParams.delete("version");
  else url.searchParams.set("version", String(version));
  history.replaceState(null, "", url);
  await runQuery(s, snap, gen);
}

function renderHistory(entries: HistoryEntry[]): void {
  const versions = entries.map((e) => e.version);
  ui.slider.min = String(Math.min(...versions));
  ui.slider.max = String(Math.max(...versions));
  ui.slider.disabled = versions.length < 2;
  fill(
    ui.history,
    ...entries.map((e) => {
      const li = h(
        "li",
        { "data-version": String(e.version) },
        h("button", { type: "button", "aria-label": `Show version ${e.version}` }, `v${e.version}`),
        ` ${e.operation ?? "?"} · ${new Date(e.timestamp).toISOString()} `,
        changesView.historyButton(e.version),
        historyDetails(e),
      );
      li.querySelector("button")?.addEventListener("click", () => void travel(`version ${e.version}`, e.version));
      return li;
    }),
  );
}

/** Loads a version (or the version at a time) and recomputes a shown SQL result against it. */
async function travel(label: string, version: number | undefined, timestamp?: string): Promise<void> {
  await act(label, (s, gen) => loadVersion(s, gen, version, timestamp));
  if (document.body.dataset["state"] === "ready") await sqlPanel.snapshotChanged();
}

function openTableUrl(url: string, version: number | undefined, how: SignWith = signWith()): Promise<void> {
  try {
    session = new TableSession(url, storeForTable(url, how));
  } catch (error) {
    session = undefined;
    generation++;
    setState("error", describeError(error));
    return Promise.resolve();
  }
  snapshot = undefined;
  fill(ui.columns);
  changesView.reset();
  sqlPanel.clear();
  return act("open table", async (s, gen) => {
    const entries = await s.history();
    if (gen !== generation) return;
    renderHistory(entries);
    await loadVersion(s, gen, version);
  });
}

ui.form.addEventListener("submit", (e) => {
  e.preventDefault();
  const url = ui.url.value.trim();
  if (url !== "") void openTableUrl(new URL(url, location.href).toString(), undefined);
});
ui.slider.addEventListener("input", () => fill(ui.versionLabel, `version ${ui.slider.value}`));
ui.slider.addEventListener("change", () => {
  const v = Number(ui.slider.value);
  void travel(`version ${v}`, v);
});
ui.asOfForm.addEventListener("submit", (e) => {
  e.preventDefault();
  const text = ui.asOf.value.trim();
  if (text !== "") void travel(`as of ${text}`, undefined, text);
});
ui.queryForm.addEventListener("submit", (e) => {
  e.preventDefault();
  const snap = snapshot;
  if (snap) void act("query", (s, gen) => runQuery(s, snap, gen));
});

const sqlPanel = new SqlPanel(
  sqlPanelElements(),
  {
    current: () => {
      if (session === undefined || snapshot === undefined) return undefined;
      const boxes = [...ui.columns.querySelectorAll<HTMLInputElement>("input")];
      const checked = boxes.filter((c) => c.checked).map((c) => c.value);
      const where = ui.where.value.trim();
      return { session, snapshot, columns: checked.length === boxes.length ? undefined : checked, where: where === "" ? undefined : where };
    },
    act: (label, action) => act(label, (_, gen) => action(gen)),
    isCurrent: (gen) => gen === generation,
    storeFor: (url) => storeForTable(url, signWith()),
  },
);

/** Lists the Worker's tables (when the page is served by it) as links that fill in the URL. */
async function listWorkerTables(): Promise<string[]> {
  try {
    const res = await fetch(new URL("api/tables", location.href));
    if (!res.ok) return [];
    const body = (await res.json()) as { schemas?: Array<{ tables?: Array<{ path: string }> }> };
    return (body.schemas ?? []).flatMap((s) => (s.tables ?? []).map((t) => new URL(`objects/${t.path}`, location.href).toString()));
  } catch {
    return [];
  }
}

async function start(): Promise<void> {
  setState("idle");
  const params = new URLSearchParams(location.search);
  const fromQuery = params.get("table");
  const tables = await listWorkerTables();
  fill(
    ui.tables,
    ...tables.map((t) => {
      const a = h("a", { href: `?table=${encodeURIComponent(t)}` }, new URL(t).pathname.replace(/^\/objects\//, ""));
      return h("li", {}, a);
    }),
  );
  const initial = fromQuery ?? tables[0];
  if (initial === undefined) return;
  ui.url.value = initial;
  sqlPanel.set(params.get("sql"), params.get("table2"));
  if (fromQuery !== null) {
    const v = params.get("version");
    await openTableUrl(fromQuery, v === null || v === "" ? undefined : Number(v));
    if (params.get("sql") !== null && document.body.dataset["state"] === "ready") await sqlPanel.run();
  }
}

const s3Forms = wireS3Forms((url, how) => {
  ui.url.value = url;
  void openTableUrl(url, undefined, how);
});

/** Signing of s3:// URLs opened from the page URL or the URL box: the `signer` parameter. */
function signWith(): SignWith {
  return { signer: new URLSearchParams(location.search).get("signer"), token: s3Forms.token() };
}

void start();
