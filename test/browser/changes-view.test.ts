/**
 * The explorer's "changes" view in headless Chromium: the Worker (Miniflare, simulated R2) serves
 * the built page and a CDF table (delta-rs cdc_ict_table, copied in) through /objects. From the
 * history list, a version's "changes" button shows the rows per change type of that version and
 * its rows; the range form shows every version's counts. Both equal what the library reads from
 * Node over the same URL. A table without the feed gets the refusal on the page. Without
 * Chromium the suite skips locally and fails under CI=true.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { RunningWorker } from "../../scripts/worker-dev.mjs";
import { HttpStore, planChanges, readChangeRows } from "../../src/browser/index.js";
import { formatCell, schemaFields } from "../../demo/src/format.js";
import { CONFORMANCE, memoryStoreFromDir } from "../helpers/conformance.js";
import type { BrowserSession } from "./chromium.js";
import { explorerForSuite, skipWithoutChromium } from "./explorer-stack.js";
import type { R2BucketLike } from "../../src/worker/r2-store.js";

const CHANGE_TYPES = ["insert", "update_preimage", "update_postimage", "delete"];

describe.skipIf(skipWithoutChromium)("explorer changes view in headless Chromium", () => {
  let worker: RunningWorker;
  let browser: BrowserSession;
  let tableUrl: string;
  const stack = explorerForSuite({
    prefix: "delta-edge-changes-view-",
    bindings: () => ({ WRITE_TOKEN: "t" }),
    setup: async (worker) => {
      const bucket = (await worker.mf.getR2Bucket("TABLES")) as unknown as R2BucketLike;
      for (const [from, to] of [
        ["delta-rs/cdc_ict_table", "feeds/people"],
        ["golden/deltalog-getChanges/delta", "feeds/nofeed"],
      ] as const) {
        const local = memoryStoreFromDir(join(CONFORMANCE, from));
        for await (const meta of local.list("")) await bucket.put(`${to}/${meta.key}`, new Uint8Array(await local.get(meta.key)));
      }
      tableUrl = new URL("objects/feeds/people", worker.url).toString();
    },
  });
  beforeAll(() => ({ worker, browser } = stack));

  /** The library's counts per version and rows (formatted as the page does), from Node over HTTP. */
  async function expected(start: number, end?: number) {
    const store = new HttpStore({ url: tableUrl });
    const plan = await planChanges({ store, startingVersion: start, endingVersion: end });
    const fields = [...schemaFields(plan.state?.metadata.schemaString), { name: "_change_type", type: "string" }, { name: "_commit_version", type: "long" }, { name: "_commit_timestamp", type: "timestamp" }];
    const counts = new Map<number, number[]>();
    const rows: string[][] = [];
    for await (const r of readChangeRows({ store, startingVersion: start, endingVersion: end })) {
      const v = Number(r["_commit_version"]);
      const c = counts.get(v) ?? CHANGE_TYPES.map(() => 0);
      c[CHANGE_TYPES.indexOf(String(r["_change_type"]))]! += 1;
      counts.set(v, c);
      rows.push(fields.map((f) => formatCell(r[f.name], f.type)));
    }
    return { counts: [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([v, c]) => [String(v), ...c.map(String)]), headers: fields.map((f) => f.name), rows };
  }

  const pageCounts = () =>
    browser.page.$$eval("#changes-counts tbody tr", (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].filter((_, i) => i !== 1).map((td) => td.textContent ?? "")));
  const pageRows = async () => ({
    headers: await browser.page.$$eval("#changes-rows thead th", (ths) => ths.map((th) => th.textContent ?? "")),
    rows: await browser.page.$$eval("#changes-rows tbody tr", (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? ""))),
  });

  it("shows a version's changes from the history list, and a range's from the form", async () => {
    const { page } = browser;
    await page.goto(`${worker.url}?table=${encodeURIComponent(tableUrl)}`);
    await browser.settle();
    await page.click('#history li[data-version="3"] button.changes');
    await browser.settle();
    const v3 = await expected(3, 3);
    expect(v3.counts).toEqual([["3", "0", "2", "2", "0"]]);
    expect(await pageCounts()).toEqual(v3.counts);
    const shown = await pageRows();
    expect(shown.headers).toEqual(v3.headers);
    expect([...shown.rows].sort()).toEqual([...v3.rows].sort());

    await page.fill("#changes-from", "0");
    await page.fill("#changes-to", "");
    await page.click("#changes-run");
    await browser.settle();
    const all = await expected(0);
    expect(all.counts.map((c) => c[0])).toEqual(["1", "2", "3"]);
    expect(await pageCounts()).toEqual(all.counts);
    expect([...(await pageRows()).rows].sort()).toEqual([...all.rows].sort());
    expect(await page.getAttribute("#changes-summary", "data-total")).toBe(String(all.rows.length));
  });

  it("a table without the feed shows the refusal", async () => {
    const { page } = browser;
    await page.goto(`${worker.url}?table=${encodeURIComponent(new URL("objects/feeds/nofeed", worker.url).toString())}`);
    await browser.settle();
    await page.click('#history li[data-version="1"] button.changes');
    await browser.settle({ allowError: true });
    expect(await page.getAttribute("body", "data-state")).toBe("error");
    expect(await page.textContent("#status")).toMatch(/change data feed is not enabled at version 1/);
  });
});
