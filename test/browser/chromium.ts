/**
 * Headless Chromium for the browser tests: Debian's /usr/bin/chromium (apt-get install chromium;
 * `playwright install` is never used) driven by playwright-core, with a fresh profile directory,
 * a log of the page's requests (URL, Range and Authorization headers) and a helper that waits for the explorer
 * to finish an action (body[data-state] leaves "loading").
 */
import { chromium, type BrowserContext, type Page } from "playwright-core";

/** Where the tests look for Chromium. */
export const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A page in a fresh browser profile. */
export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Requests the page made, in order (`authorization` is filled in asynchronously: see `recorded`). */
  requests: Array<{ url: string; method: string; range: string | undefined; authorization: string | undefined }>;
  /** The requests so far, once every one's full headers (Authorization included) are known. */
  recorded(): Promise<BrowserSession["requests"]>;
  /** Waits until the explorer's current action has finished; throws on an error unless allowed. */
  settle(options?: { allowError?: boolean }): Promise<void>;
  close(): Promise<void>;
}

/** Launches Chromium with a profile in `userDataDir`. */
export async function launchChromium(userDataDir: string): Promise<BrowserSession> {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const requests: BrowserSession["requests"] = [];
  const errors: string[] = [];
  const pending: Promise<unknown>[] = [];
  page.on("request", (r) => {
    const entry: BrowserSession["requests"][number] = { url: r.url(), method: r.method(), range: r.headers()["range"], authorization: undefined };
    requests.push(entry);
    pending.push(r.allHeaders().then((h) => (entry.authorization = h["authorization"]), () => undefined));
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return {
    context,
    page,
    requests,
    async recorded() {
      await Promise.all(pending);
      return requests;
    },
    async settle(options = {}) {
      // A page opened with ?table= starts "idle" until its script begins loading: wait past that
      // too, or a settle right after goto() returns before the table (or its error) is shown.
      const opensTable = new URL(page.url()).searchParams.has("table");
      await page.waitForFunction(
        (waitPastIdle) => {
          const state = document.body.dataset["state"];
          return state !== "loading" && !(waitPastIdle && state === "idle");
        },
        opensTable,
        { timeout: 20_000 },
      );
      if (errors.length > 0) throw new Error(`page error: ${errors.join("; ")}`);
      const state = await page.getAttribute("body", "data-state");
      if (state === "error" && options.allowError !== true) throw new Error(`explorer error: ${await page.textContent("#status")}`);
    },
    close: () => context.close(),
  };
}
