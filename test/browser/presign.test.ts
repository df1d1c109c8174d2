/**
 * Signed reads of a private bucket in the explorer, in headless Chromium. The bucket is moto
 * behind a SigV4-checking gateway (unsigned requests refused; CORS set with PutBucketCors for the
 * page's origin); the Worker (Miniflare) serves the page and signs through POST /api/presign with
 * the bucket's keys as its bindings. Checked: `?table=s3://...&signer=<origin>` opens the table
 * with no credentials in the page and no request to the bucket carrying an Authorization header;
 * the same table opens with keys typed into the form (direct SigV4 in the page), which never
 * reach the URL or browser storage; wrong keys, a prefix the signer refuses and expired
 * signatures give a clear message in [data-testid="error"]. Shown values are compared with what
 * the library reads from Node with a direct S3Store.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningWorker } from "../../scripts/worker-dev.mjs";
import { openTable, readRows } from "../../src/browser/index.js";
import { writeTable } from "../../src/core/write/write-table.js";
import { formatCell, schemaFields } from "../../demo/src/format.js";
import { miniflareAvailability } from "../helpers/servers/miniflare-r2.js";
import { motoAvailability } from "../helpers/servers/moto.js";
import { BUCKET_KEYS, REGION, startSignedBucket, type SignedBucket } from "../helpers/signed-bucket.js";
import { CHROMIUM, type BrowserSession } from "./chromium.js";
import { explorerForSuite, skipWithoutChromium } from "./explorer-stack.js";

const TABLE = "s3://lake/tables/events";
if (skipWithoutChromium) console.warn(`test/browser: skipped, no Chromium at ${CHROMIUM}; CI=true makes this a failure`);
const servers = motoAvailability().available && miniflareAvailability().available;

describe.skipIf(skipWithoutChromium || !servers)("explorer on a private bucket: signer and keys", () => {
  let bucket: SignedBucket;
  let worker: RunningWorker;
  let browser: BrowserSession;
  let origin: string;

  beforeAll(async () => {
    bucket = await startSignedBucket("lake");
  });
  afterAll(async () => {
    await bucket?.stop();
  });
  const stack = explorerForSuite({
    prefix: "delta-edge-presign-",
    bindings: () => bucket.workerBindings("lake/tables/"),
    setup: async (worker) => {
      origin = new URL(worker.url).origin;
      await bucket.putCors([origin]);
      const writer = bucket.writer("tables/events");
      await writeTable({ store: writer, data: [{ id: 1, part: "a" }, { id: 2, part: "b" }], partitionBy: ["part"] });
      await writeTable({ store: writer, data: [{ id: 3, part: "a" }], mode: "append" });
      await writeTable({ store: writer, data: [{ id: 4, part: "c" }], mode: "append" });
      await bucket.writer("private").put("_delta_log/00000000000000000000.json", "{}");
    },
  });
  beforeAll(() => ({ worker, browser } = stack));

  /** The grid as the page shows it, and the library's rows of the same version, formatted alike. */
  async function compareGrid(version?: number): Promise<number> {
    const store = bucket.writer("tables/events");
    const snapshot = await openTable({ store, version });
    const fields = schemaFields(snapshot.metadata.schemaString);
    const rows: string[][] = [];
    for await (const r of readRows({ store, snapshot, limit: 100 })) rows.push(fields.map((f) => formatCell(r[f.name], f.type)));
    const shown = await browser.page.$eval("#grid-table", (t) => ({
      headers: [...t.querySelectorAll("thead th")].map((th) => th.textContent ?? ""),
      rows: [...t.querySelectorAll("tbody tr")].map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")),
    }));
    expect(shown).toEqual({ headers: fields.map((f) => f.name), rows });
    expect(await browser.page.textContent('#info dd[data-key="version"]')).toBe(String(snapshot.version));
    return rows.length;
  }

  const deepLink = (table = TABLE) => `${worker.url}?table=${encodeURIComponent(table)}&signer=${encodeURIComponent(origin)}`;
  const bucketRequests = async () => (await browser.recorded()).filter((r) => r.url.startsWith(bucket.gateway.endpoint));
  const presignCalls = async () => (await browser.recorded()).filter((r) => r.url === `${origin}/api/presign`);
  const errorText = () => browser.page.textContent('[data-testid="error"]');

  /** Nothing secret in the page: its HTML, URL, storage and cookies. */
  async function assertNoSecretInPage(): Promise<void> {
    const page = browser.page;
    const html = await page.content();
    expect(html).not.toContain(BUCKET_KEYS.secretAccessKey);
    expect(page.url()).not.toContain(encodeURIComponent(BUCKET_KEYS.secretAccessKey));
    expect(page.url()).not.toContain(BUCKET_KEYS.accessKeyId);
    const stored = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie }));
    expect(stored).toEqual({ local: 0, session: 0, cookie: "" });
  }

  it("opens ?table=s3://...&signer=<origin> through /api/presign, with no credentials in the page", async () => {
    const { page } = browser;
    const answers: string[] = [];
    page.on("response", (r) => {
      if (r.url().endsWith("/api/presign")) void r.text().then((t) => answers.push(t), () => undefined);
    });
    browser.requests.length = 0;
    await page.goto(deepLink());
    await expect.poll(() => page.getAttribute("body", "data-state")).not.toBe("idle");
    await browser.settle();
    expect(await compareGrid()).toBe(4);
    await page.click('#history li[data-version="0"] button');
    await browser.settle();
    expect(await compareGrid(0)).toBe(2);

    const toBucket = await bucketRequests();
    expect(toBucket.filter((r) => r.method !== "OPTIONS").length).toBeGreaterThan(5);
    for (const r of toBucket) {
      expect(r.authorization, r.url).toBeUndefined();
      expect(new URL(r.url).searchParams.has("X-Amz-Signature"), r.url).toBe(true);
    }
    expect(toBucket.some((r) => r.range !== undefined && r.url.includes(".parquet"))).toBe(true);
    // Signing round trips per plan step (last checkpoint, listing, commits, data files...), not per request.
    const calls = await presignCalls();
    console.log(`test/browser: signer path: ${toBucket.filter((r) => r.method !== "OPTIONS").length} bucket requests, ${bucket.gateway.log.filter((r) => r.outcome === "preflight").length} preflights, ${calls.length} signing calls`);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.length).toBeLessThan(toBucket.filter((r) => r.method !== "OPTIONS").length);
    expect(calls.every((c) => c.method === "POST" && c.authorization === undefined)).toBe(true);
    // The bucket saw signed requests only, every one valid; the Worker's answers carry no secret.
    const seen = bucket.gateway.log.filter((r) => r.method !== "OPTIONS");
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((r) => r.outcome === "ok" && r.headers["authorization"] === undefined)).toBe(true);
    await expect.poll(() => answers.length).toBeGreaterThan(0);
    for (const a of answers) expect(a).not.toContain(BUCKET_KEYS.secretAccessKey);
    await assertNoSecretInPage();
  });

  it("opens the same table with keys typed into the form (SigV4 in the page, keys in memory only)", async () => {
    const { page } = browser;
    await page.goto(worker.url);
    await browser.settle();
    browser.requests.length = 0;
    const before = bucket.gateway.log.length;
    await openWithKeys(BUCKET_KEYS.accessKeyId, BUCKET_KEYS.secretAccessKey);
    await browser.settle();
    expect(await compareGrid()).toBe(4);
    const toBucket = (await bucketRequests()).filter((r) => r.method !== "OPTIONS");
    expect(toBucket.length).toBeGreaterThan(5);
    expect(toBucket.every((r) => r.authorization?.startsWith(`AWS4-HMAC-SHA256 Credential=${BUCKET_KEYS.accessKeyId}/`) === true)).toBe(true);
    expect(await presignCalls()).toEqual([]);
    expect(bucket.gateway.log.slice(before).filter((r) => r.method !== "OPTIONS").every((r) => r.outcome === "ok")).toBe(true);
    expect(new URL(page.url()).searchParams.get("table")).toBe(TABLE);
    expect(new URL(page.url()).searchParams.has("signer")).toBe(false);
    await assertNoSecretInPage();
    const shot = join(tmpdir(), `delta-edge-explorer-s3-${process.pid}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`test/browser: screenshot at ${shot}`);
  });

  it("says what is wrong: wrong keys, a prefix the signer refuses, expired signatures", async () => {
    const { page } = browser;
    await page.goto(worker.url);
    await browser.settle();
    await openWithKeys(BUCKET_KEYS.accessKeyId, "not-the-secret");
    await browser.settle({ allowError: true });
    expect(await page.isVisible('[data-testid="error"]')).toBe(true);
    expect(await errorText()).toMatch(/403.*SignatureDoesNotMatch.*the secret access key does not belong to this access key id/);

    await openWithKeys("AKIAUNKNOWN000000000", BUCKET_KEYS.secretAccessKey);
    await browser.settle({ allowError: true });
    expect(await errorText()).toMatch(/InvalidAccessKeyId.*the bucket does not know this access key id/);

    await page.goto(deepLink("s3://lake/private"));
    await browser.settle({ allowError: true });
    expect(await errorText()).toMatch(/the signer refused to sign: PRESIGN_FORBIDDEN.*"private\/_delta_log\/.*lies outside the prefixes/);

    await page.goto(`${worker.url}?table=${encodeURIComponent(TABLE)}`);
    await browser.settle({ allowError: true });
    expect(await errorText()).toMatch(/is a bucket: open it with a signer .*or with keys/);

    // The bucket's clock two hours ahead: every presigned URL has expired when it arrives.
    bucket.gateway.clockOffsetMs = 2 * 3600_000;
    try {
      await page.goto(deepLink());
      await browser.settle({ allowError: true });
      expect(await errorText()).toMatch(/Request has expired.*the presigned URL had expired when the bucket received it.*clocks of the signer .* and the bucket disagree/);
    } finally {
      bucket.gateway.clockOffsetMs = 0;
    }
    await page.goto(deepLink());
    await browser.settle();
    expect(await page.isVisible('[data-testid="error"]')).toBe(false);
    expect(await compareGrid()).toBe(4);
  });

  async function openWithKeys(id: string, secret: string): Promise<void> {
    const { page } = browser;
    if ((await page.getAttribute("#s3-panel", "open")) === null) await page.click("#s3-panel summary");
    await page.fill("#keys-table", TABLE);
    await page.fill("#keys-endpoint", bucket.gateway.endpoint);
    await page.fill("#keys-region", REGION);
    await page.fill("#keys-id", id);
    await page.fill("#keys-secret", secret);
    await page.click("#keys-open");
  }
});
