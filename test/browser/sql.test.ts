/**
 * The explorer's SQL box end to end in headless Chromium (Debian's /usr/bin/chromium through
 * playwright-core): the Worker (Miniflare) serves the built explorer, the tables over /objects and
 * duckdb-wasm's bundles over /duckdb (uploaded into its bucket as `npm start` does). One browser,
 * two page loads:
 * 1. The page opens a table without SQL: duckdb-wasm and the chart library are not fetched; the
 *    files list shows the log's per-file stats, the partition summary its counts and a bar chart,
 *    the history the operation metrics. Then SQL typed in the box (Ctrl+Enter) runs a GROUP BY:
 *    the result table equals the same aggregation of our scan in Node, and a bar chart (SVG) has a
 *    bar per group; time travel re-runs it and it sees the old version; a join with a second table
 *    (`t2`) is right; a bad query shows DuckDB's message in [data-testid="error"].
 * 2. The automation contract: `?table=&sql=&table2=` opens, attaches and runs the query at once.
 * Without Chromium the suite skips locally and fails under CI=true.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { uploadDuckdbBundles } from "../../scripts/duckdb-bundles.mjs";
import type { RunningWorker } from "../../scripts/worker-dev.mjs";
import { HttpStore, openTable, readHistory, readRows } from "../../src/browser/index.js";
import { readFileStats } from "../../src/core/scan/file-stats.js";
import type { BrowserSession } from "./chromium.js";
import { explorerForSuite, skipWithoutChromium } from "./explorer-stack.js";

const WRITE_TOKEN = "sql-test-token";

/** Sales written in three commits (v0..v2), then compacted by OPTIMIZE (v3, with operation metrics). */
const COMMITS: Array<Array<Record<string, unknown>>> = [
  [
    { id: 10, item: "tea", amount: 3.5, part: "a" },
    { id: 11, item: "jam", amount: 1.25, part: "b" },
    { id: 12, item: "oat", amount: null, part: "a" },
  ],
  [
    { id: 13, item: "fig", amount: 8, part: "b" },
    { id: 14, item: "rye", amount: 0.5, part: "a" },
  ],
  [{ id: 15, item: "nut", amount: -2, part: "c" }],
];
const LABELS = [
  { part: "a", label: "alpha" },
  { part: "b", label: "beta" },
  { part: "c", label: "gamma" },
];

const GROUP_SQL = "SELECT part, count(*) AS n, sum(amount) AS total FROM t GROUP BY part ORDER BY part";
const JOIN_SQL = "SELECT l.label, count(*) AS n FROM t JOIN t2 AS l ON t.part = l.part GROUP BY l.label ORDER BY l.label";

describe.skipIf(skipWithoutChromium)("explorer SQL in headless Chromium", () => {
  let worker: RunningWorker;
  let browser: BrowserSession;
  let events: string;
  let labels: string;
  const stack = explorerForSuite({
    prefix: "delta-edge-sql-",
    bindings: () => ({ WRITE_TOKEN }),
    timeoutMs: 120_000,
    setup: async (worker) => {
      const post = async (path: string, body: string, type = "application/x-ndjson"): Promise<void> => {
        const res = await fetch(new URL(path, worker.url), { method: "POST", headers: { Authorization: `Bearer ${WRITE_TOKEN}`, "Content-Type": type }, body });
        expect(res.status, await res.clone().text()).toBeLessThan(300);
      };
      const ndjson = (rows: Array<Record<string, unknown>>): string => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
      for (const [i, rows] of COMMITS.entries()) await post(`api/tables/demo/events${i === 0 ? "?partitionBy=part" : "?mode=append"}`, ndjson(rows));
      await post("api/tables/demo/events/maintenance", JSON.stringify({ op: "optimize" }), "application/json");
      await post("api/tables/demo/labels", ndjson(LABELS));
      // Chromium supports wasm exceptions: duckdb-wasm picks its eh build, so only that is uploaded
      // (through Miniflare's binding proxy: a few seconds for the 34 MB wasm; not while other
      // requests are in flight, which the proxy drops).
      const bucket = (await worker.mf.getR2Bucket("TABLES")) as unknown as Parameters<typeof uploadDuckdbBundles>[0];
      await uploadDuckdbBundles(bucket, { files: ["duckdb-eh.wasm", "duckdb-browser-eh.worker.js"] });
      events = new URL("objects/demo/events", worker.url).toString();
      labels = new URL("objects/demo/labels", worker.url).toString();
    },
  });
  beforeAll(() => ({ worker, browser } = stack));

  /** Our scan of the events at a version, grouped as GROUP_SQL does, as the page prints it. */
  async function grouped(version?: number): Promise<string[][]> {
    const groups = new Map<string, { n: number; total: number | null }>();
    for await (const r of readRows({ store: new HttpStore({ url: events }), version })) {
      const g = groups.get(r["part"] as string) ?? { n: 0, total: null };
      g.n++;
      if (r["amount"] !== null) g.total = (g.total ?? 0) + (r["amount"] as number);
      groups.set(r["part"] as string, g);
    }
    return [...groups].sort(([a], [b]) => (a < b ? -1 : 1)).map(([part, g]) => [part, String(g.n), g.total === null ? "null" : String(g.total)]);
  }

  it("loads DuckDB only for SQL; shows stats, partitions, metrics; runs GROUP BY with a chart, time travel, a join, errors", async () => {
    const { page, requests } = browser;
    requests.length = 0;
    await page.goto(`${worker.url}?table=${encodeURIComponent(events)}`);
    await expect.poll(() => page.getAttribute("body", "data-state")).not.toBe("idle");
    await browser.settle();
    const snapshot = await openTable({ store: new HttpStore({ url: events }) });
    expect(snapshot.version).toBe(3);

    // Per-file stats from the log, by column.
    const first = snapshot.files()[0]!;
    const stats = readFileStats(first)!;
    const idStats = await page.textContent(`#files tbody tr:first-child li[data-column="id"]`);
    expect(idStats).toContain(`min ${String(stats.minValues["id"])} · max ${String(stats.maxValues["id"])} · nulls ${String(stats.nullCount["id"])}`);
    // Partition summary: one row per partition with the live records, and a bar chart.
    const partitionRows = await page.$$eval("#partitions-table tbody tr", (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].slice(0, 3).map((td) => td.textContent)));
    expect(partitionRows.map((r) => [r[0], r[2]])).toEqual((await grouped()).map(([part, n]) => [`part=${part}`, n]));
    await page.waitForSelector('[data-testid="partition-chart"] svg');
    // History: the OPTIMIZE commit's operation metrics, as in its commitInfo.
    const [optimize] = await readHistory({ store: new HttpStore({ url: events }), limit: 1 });
    const metrics = (optimize!.commitInfo as { operationMetrics: Record<string, string> }).operationMetrics;
    expect(Object.keys(metrics).length).toBeGreaterThan(0);
    for (const [k, v] of Object.entries(metrics)) expect(await page.textContent(`#history li[data-version="3"] dd[data-metric="${k}"]`)).toBe(v);
    // Nothing of DuckDB or the SQL chunks so far.
    expect(requests.filter((r) => /\/duckdb\/|sql-engine/.test(r.url))).toEqual([]);

    // SQL from the keyboard: GROUP BY, result table and chart; progress shown while DuckDB loads.
    await page.evaluate(() => {
      const seen: string[] = ((window as unknown as { progressSeen: string[] }).progressSeen = []);
      const el = document.getElementById("sql-progress")!;
      new MutationObserver(() => {
        if (!el.hidden) seen.push(el.textContent ?? "");
      }).observe(el, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await page.fill("#sql", GROUP_SQL);
    await page.focus("#sql");
    await page.keyboard.press("Control+Enter");
    await expect.poll(() => page.getAttribute("body", "data-state")).toBe("loading");
    await browser.settle();
    expect(await sqlResult(page)).toEqual({ headers: ["part", "n", "total"], rows: await grouped(), version: "3" });
    expect(await page.$$eval('[data-testid="sql-chart"] svg [aria-label="bar"] rect', (r) => r.length)).toBe(2 * 3);
    expect(requests.some((r) => r.url.endsWith("/duckdb-eh.wasm"))).toBe(true);
    const progress = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
    expect(progress.some((m) => /loading the SQL engine \(duckdb-wasm\): [\d.]+ of [\d.]+ MB/.test(m))).toBe(true);
    expect(progress.some((m) => /attaching t \(version 3\): 6 rows/.test(m))).toBe(true);
    expect(new URL(page.url()).searchParams.get("sql")).toBe(GROUP_SQL);

    // Time travel: version 0 from the history; the SQL result follows.
    await page.click('#history li[data-version="0"] button');
    await browser.settle();
    await expect.poll(() => page.getAttribute('[data-testid="sql-result"]', "data-version")).toBe("0");
    expect(await sqlResult(page)).toEqual({ headers: ["part", "n", "total"], rows: await grouped(0), version: "0" });
    expect((await grouped(0)).length).toBe(2);

    // A join with a second table, attached as t2.
    await page.fill("#table2", labels);
    await page.fill("#sql", JOIN_SQL);
    await page.click("#sql-run");
    await browser.settle();
    const v0 = await grouped(0);
    expect(await sqlResult(page)).toEqual({ headers: ["label", "n"], rows: v0.map(([part, n]) => [LABELS.find((l) => l.part === part)!.label, n]), version: "0" });

    // A bad query: DuckDB's message in the error element.
    await page.fill("#sql", "SELECT nope FROM t");
    await page.click("#sql-run");
    await browser.settle({ allowError: true });
    expect(await page.isVisible('[data-testid="error"]')).toBe(true);
    expect(await page.textContent('[data-testid="error"]')).toMatch(/nope/);
  });

  it("automation contract: ?table=&sql=&table2= opens the table and runs the query", async () => {
    const { page } = browser;
    await page.goto(`${worker.url}?table=${encodeURIComponent(events)}&table2=${encodeURIComponent(labels)}&sql=${encodeURIComponent(JOIN_SQL)}`);
    await expect.poll(() => page.getAttribute("body", "data-state")).not.toBe("idle");
    await browser.settle();
    await page.waitForSelector('[data-testid="sql-result"] table');
    const latest = await grouped();
    expect(await sqlResult(page)).toEqual({ headers: ["label", "n"], rows: latest.map(([part, n]) => [LABELS.find((l) => l.part === part)!.label, n]), version: "3" });
    expect(await page.$$eval('[data-testid="sql-chart"] svg', (s) => s.length)).toBe(1);
    expect(await page.isVisible('[data-testid="error"]')).toBe(false);
    const shot = join(tmpdir(), `delta-edge-explorer-sql-${process.pid}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`test/browser: screenshot at ${shot}`);
  });
});

/** The SQL result table's headers and cells, and the version it was computed at. */
async function sqlResult(page: BrowserSession["page"]): Promise<{ headers: string[]; rows: string[][]; version: string | null }> {
  return page.$eval('[data-testid="sql-result"]', (el) => ({
    headers: [...el.querySelectorAll("thead th")].map((th) => th.textContent ?? ""),
    rows: [...el.querySelectorAll("tbody tr")].map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")),
    version: el.getAttribute("data-version"),
  }));
}
