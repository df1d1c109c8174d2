/**
 * The browser demo end to end: the Worker (Miniflare, simulated R2) serves the built explorer as
 * static assets and the table through GET /objects with Range; headless Chromium (Debian's
 * /usr/bin/chromium driven by playwright-core) opens the page, opens a table made through
 * POST /api/tables, and the test checks that the version, schema, files and rows the page shows
 * equal what the library reads from Node over the same URL — then time-travels, filters with a
 * WHERE predicate and narrows the columns. A table changed through the Worker's DML routes
 * (POST .../delete and .../merge) shows DELETE and MERGE in the history, summarized in words, with
 * every operation metric the log holds. Without Chromium the suite skips locally and fails
 * under CI=true. A screenshot is written to a temp dir (path printed).
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { RunningWorker } from "../../scripts/worker-dev.mjs";
import { HttpStore, openTable, readHistory, readRows } from "../../src/browser/index.js";
import { formatCell, schemaFields } from "../../demo/src/format.js";
import type { HistoryEntry } from "../../src/browser/index.js";
import { CHROMIUM, type BrowserSession } from "./chromium.js";
import { explorerForSuite, skipWithoutChromium } from "./explorer-stack.js";

const WRITE_TOKEN = "browser-test-token";
if (skipWithoutChromium) {
  console.warn(`test/browser: skipped, no Chromium at ${CHROMIUM} (apt-get install -y chromium); CI=true makes this a failure`);
}

/** Rows of a table written in three commits: create (v0), append (v1), append (v2). */
const COMMITS: Array<Array<Record<string, unknown>>> = [
  [
    { id: 1, name: "ada", score: 1.5, part: "a" },
    { id: 2, name: "bob", score: 2.25, part: "b" },
    { id: 3, name: "cy", score: null, part: "a" },
  ],
  [
    { id: 4, name: "dee", score: 4, part: "b" },
    { id: 5, name: "eve", score: 5.5, part: "a" },
  ],
  [{ id: 6, name: "fay", score: -6, part: "c" }],
];

describe.skipIf(skipWithoutChromium)("demo explorer in headless Chromium", () => {
  let worker: RunningWorker;
  let browser: BrowserSession;
  let dir: string;
  let tableUrl: string;
  const stack = explorerForSuite({
    prefix: "delta-edge-browser-",
    bindings: () => ({ WRITE_TOKEN }),
    setup: async (worker) => {
      for (const [i, rows] of COMMITS.entries()) {
        const res = await fetch(new URL(`api/tables/demo/events${i === 0 ? "?partitionBy=part" : "?mode=append"}`, worker.url), {
          method: "POST",
          headers: { Authorization: `Bearer ${WRITE_TOKEN}`, "Content-Type": "application/x-ndjson" },
          body: rows.map((r) => JSON.stringify(r)).join("\n") + "\n",
        });
        expect(res.status, await res.clone().text()).toBeLessThan(300);
      }
      tableUrl = new URL("objects/demo/events", worker.url).toString();
    },
  });
  beforeAll(() => ({ dir, worker, browser } = stack));

  /** What the library reads from Node, formatted as the page formats it. */
  async function expected(options: { version?: number; where?: string; columns?: string[] } = {}) {
    const store = new HttpStore({ url: tableUrl });
    const snapshot = await openTable({ store, version: options.version });
    const fields = schemaFields(snapshot.metadata.schemaString).filter((f) => options.columns === undefined || options.columns.includes(f.name));
    const rows: string[][] = [];
    for await (const r of readRows({ store, snapshot, columns: fields.map((f) => f.name), where: options.where, limit: 100 })) {
      rows.push(fields.map((f) => formatCell(r[f.name], f.type)));
    }
    return { snapshot, fields, rows };
  }

  it("opens a table from the Worker's /objects, time-travels and filters", async () => {
    const { page, requests } = browser;
    await page.goto(worker.url);
    // The Worker's tables are listed and the first fills the URL box.
    await expect.poll(() => page.inputValue("#table-url")).toBe(tableUrl);
    await page.click("#open");
    await browser.settle();

    const latest = await expected();
    expect(latest.snapshot.version).toBe(2);
    expect(await page.textContent('#info dd[data-key="version"]')).toBe(String(latest.snapshot.version));
    expect(await page.textContent('#info dd[data-key="partition columns"]')).toBe("part");
    expect(await page.textContent('#info dd[data-key="files"]')).toBe(String(latest.snapshot.numFiles));
    const schemaRows = await page.$$eval("#schema tbody tr", (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].slice(0, 2).map((td) => td.textContent)));
    expect(schemaRows.map((r) => r[0])).toEqual(latest.fields.map((f) => f.name));
    expect(schemaRows.map((r) => r[1])).toEqual(latest.fields.map((f) => (typeof f.type === "string" ? f.type : f.type.type)));
    expect(await page.$$eval("#history li", (lis) => lis.map((li) => li.dataset["version"]))).toEqual(["2", "1", "0"]);
    expect(await page.$$eval("#files tbody tr", (trs) => trs.length)).toBe(latest.snapshot.numFiles);
    expect(await grid(page)).toEqual({ headers: latest.fields.map((f) => f.name), rows: latest.rows });
    expect(latest.rows).toHaveLength(6);
    // The reads went to the Worker's /objects over HTTP, parquet with ranged requests.
    expect(requests.some((r) => r.url.includes("/objects/demo/events/") && r.url.endsWith(".parquet") && r.range !== undefined)).toBe(true);
    expect(Number(await page.getAttribute("#traffic", "data-requests"))).toBeGreaterThan(0);

    // Time travel: version 0 from the history list.
    await page.click('#history li[data-version="0"] button');
    await browser.settle();
    const v0 = await expected({ version: 0 });
    expect(await page.textContent('#info dd[data-key="version"]')).toBe("0");
    expect(await grid(page)).toEqual({ headers: v0.fields.map((f) => f.name), rows: v0.rows });
    expect(v0.rows).toHaveLength(3);

    // The slider: back to version 1.
    await page.$eval("#version", (el) => {
      (el as HTMLInputElement).value = "1";
      el.dispatchEvent(new Event("change"));
    });
    await browser.settle();
    const v1 = await expected({ version: 1 });
    expect(await page.textContent('#info dd[data-key="version"]')).toBe("1");
    expect(await grid(page)).toEqual({ headers: v1.fields.map((f) => f.name), rows: v1.rows });

    // A WHERE predicate and fewer columns, at version 1.
    await page.fill("#where", "part = 'a' AND id > 1");
    await page.uncheck('#columns input[value="name"]');
    await page.click("#run");
    await browser.settle();
    const filtered = await expected({ version: 1, where: "part = 'a' AND id > 1", columns: ["id", "score", "part"] });
    expect(filtered.rows.map((r) => r[0])).toEqual(["3", "5"]);
    expect(await grid(page)).toEqual({ headers: ["id", "score", "part"], rows: filtered.rows });
    expect(await page.textContent("#grid-summary")).toContain("pruned by partition");

    // A bad predicate is reported on the page, not thrown away.
    await page.fill("#where", "nope = 1");
    await page.click("#run");
    await browser.settle({ allowError: true });
    expect(await page.getAttribute("body", "data-state")).toBe("error");
    expect(await page.textContent("#status")).toMatch(/nope/);
    await page.fill("#where", "part = 'a' AND id > 1");
    await page.click("#run");
    await browser.settle();

    expect(new URL(page.url()).searchParams.get("version")).toBe("1");

    // Time travel by timestamp: the commit time of version 0, as the library resolves it.
    const [first] = await readHistory({ store: new HttpStore({ url: tableUrl }), limit: 3 }).then((h) => h.slice(-1));
    const asOf = new Date(first!.timestamp).toISOString();
    const byTime = await openTable({ store: new HttpStore({ url: tableUrl }), timestamp: asOf });
    await page.fill("#as-of", asOf);
    await page.click("#as-of-form button");
    await browser.settle();
    expect(await page.textContent('#info dd[data-key="version"]')).toBe(String(byTime.version));
    const shot = join(tmpdir(), `delta-edge-explorer-${process.pid}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`test/browser: screenshot at ${shot}`);
  });

  it("runs from another origin (CORS, ranged reads) with a deep link to a version", async () => {
    const html = readFileSync(join(dir, "site", "index.html"));
    const server: Server = createServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      if (path === "/") res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(html);
      else if (/^\/assets\/[\w.-]+\.js$/.test(path)) res.writeHead(200, { "Content-Type": "text/javascript" }).end(readFileSync(join(dir, "site", path)));
      else res.writeHead(404).end();
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    try {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const { page, requests } = browser;
      requests.length = 0;
      await page.goto(`${origin}/?table=${encodeURIComponent(tableUrl)}&version=0`);
      await expect.poll(() => page.getAttribute("body", "data-state")).not.toBe("idle");
      await browser.settle();
      const v0 = await expected({ version: 0 });
      expect(await page.textContent('#info dd[data-key="version"]')).toBe("0");
      expect(await grid(page)).toEqual({ headers: v0.fields.map((f) => f.name), rows: v0.rows });
      expect(await page.$$eval("#tables li", (lis) => lis.length)).toBe(0);
      const objectReads = requests.filter((r) => r.url.startsWith(tableUrl));
      expect(objectReads.some((r) => r.range !== undefined)).toBe(true);
    } finally {
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
    }
  });

  it("shows DELETE and MERGE commits made through the Worker in the history, with their metrics", async () => {
    const post = (path: string, body: string, type: string) =>
      fetch(new URL(path, worker.url), { method: "POST", headers: { Authorization: `Bearer ${WRITE_TOKEN}`, "Content-Type": type }, body });
    const rows = [1, 2, 3, 4].map((id) => JSON.stringify({ id, name: `n${id}` })).join("\n") + "\n";
    expect((await post("api/tables/demo/dml", rows, "application/x-ndjson")).status).toBe(200);
    const del = await post("api/tables/demo/dml/delete", JSON.stringify({ where: "id = 2" }), "application/json");
    expect(del.status, await del.clone().text()).toBe(200);
    const clauses = JSON.stringify({ whenMatched: [{ action: "updateAll" }], whenNotMatched: [{ action: "insertAll" }] });
    const merged = await post(`api/tables/demo/dml/merge?on=${encodeURIComponent("target.id = source.id")}&clauses=${encodeURIComponent(clauses)}`, "id,name\n3,three\n9,nine\n", "text/csv");
    expect(merged.status, await merged.clone().text()).toBe(200);
    const url = new URL("objects/demo/dml", worker.url).toString();
    const history: HistoryEntry[] = await readHistory({ store: new HttpStore({ url }) });
    expect(history.map((e) => e.operation)).toEqual(["MERGE", "DELETE", "WRITE"]);

    const { page } = browser;
    await page.goto(`${worker.url}?table=${encodeURIComponent(url)}`);
    await expect.poll(() => page.getAttribute("body", "data-state")).not.toBe("idle");
    await browser.settle();
    expect(await page.$$eval("#history li", (lis) => lis.map((li) => li.dataset["version"]))).toEqual(["2", "1", "0"]);
    const details = (version: number) => `#history li[data-version="${version}"] details.commit`;
    expect(await page.getAttribute(details(1), "data-operation")).toBe("DELETE");
    expect(await page.textContent(`${details(1)} summary`)).toBe("1 row deleted");
    expect(await page.getAttribute(details(2), "data-operation")).toBe("MERGE");
    expect(await page.textContent(`${details(2)} summary`)).toBe("1 inserted, 1 updated, 0 deleted of 2 source rows");
    // Every metric of each commit is on the page, with the log's raw value; opened, they show.
    for (const [version, entry] of [[1, history[1]!], [2, history[0]!]] as const) {
      const metrics = (entry.commitInfo as { operationMetrics: Record<string, string> }).operationMetrics;
      const shown = await page.$$eval(`${details(version)} dd[data-metric]`, (dds) => Object.fromEntries(dds.map((dd) => [dd.getAttribute("data-metric"), dd.getAttribute("data-value")])));
      expect(shown).toEqual(metrics);
      await page.click(`${details(version)} summary`);
      expect(await page.isVisible(`${details(version)} dd[data-metric="numAddedFiles"]`)).toBe(true);
    }
    expect(await page.textContent(`${details(2)} dd[data-metric="numAddedBytes"]`)).toMatch(/^[\d.]+ (B|KiB)$/);
    expect(await page.textContent(`${details(2)} dd[data-param="predicate"]`)).toBe("target.id = source.id");
    expect(await page.textContent(`${details(1)} dd[data-param="predicate"]`)).toBe("id = 2");
    const shot = join(tmpdir(), `delta-edge-explorer-dml-${process.pid}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`test/browser: DML history screenshot at ${shot}`);
  });
});

/** The grid's headers and cell texts. */
async function grid(page: BrowserSession["page"]): Promise<{ headers: string[]; rows: string[][] }> {
  return page.$eval("#grid-table", (t) => ({
    headers: [...t.querySelectorAll("thead th")].map((th) => th.textContent ?? ""),
    rows: [...t.querySelectorAll("tbody tr")].map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")),
  }));
}
