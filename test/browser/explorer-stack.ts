/**
 * The stack the explorer's browser tests share: the demo built into a temporary folder, the
 * Worker (Miniflare, scripts/worker-dev.mjs) serving it as static assets with the given bindings,
 * and a headless Chromium session (chromium.ts) with its profile in that folder; all closed after
 * the suite. Also the one rule for a missing Chromium: the suite skips locally and fails under
 * CI=true.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { buildDemo } from "../../scripts/build-demo.mjs";
import { startWorker, type RunningWorker } from "../../scripts/worker-dev.mjs";
import { CHROMIUM, launchChromium, type BrowserSession } from "./chromium.js";

/** Whether Chromium is installed at CHROMIUM. */
export const chromiumAvailable = existsSync(CHROMIUM);

/** Whether a browser suite skips: no Chromium and not CI (under CI=true it runs and fails). */
export const skipWithoutChromium = !chromiumAvailable && process.env["CI"] !== "true";

/** Options of `explorerForSuite`. */
export interface ExplorerStackOptions {
  /** Prefix of the temporary folder's name. */
  prefix: string;
  /** The Worker's bindings (called after the folder exists and the earlier beforeAll hooks ran). */
  bindings: () => Record<string, string>;
  /** Table setup with the Worker running (Chromium launches meanwhile). */
  setup?: (worker: RunningWorker) => Promise<void>;
  /** Timeout of the setup hook in ms (default: the config's hookTimeout). */
  timeoutMs?: number;
}

/** The running stack; its fields are set once the suite's beforeAll has run. */
export interface ExplorerStack {
  dir: string;
  worker: RunningWorker;
  browser: BrowserSession;
}

/**
 * Starts the stack in a beforeAll of the calling suite and closes whatever started in its
 * afterAll (also after a failed setup). Throws in beforeAll when Chromium is missing, so a
 * suite skipped with `skipWithoutChromium` fails under CI=true.
 */
export function explorerForSuite(options: ExplorerStackOptions): ExplorerStack {
  const stack: Partial<ExplorerStack> = {};
  beforeAll(async () => {
    if (!chromiumAvailable) throw new Error(`Chromium is missing at ${CHROMIUM} (CI=true): install it with apt-get install -y chromium`);
    stack.dir = mkdtempSync(join(tmpdir(), options.prefix));
    // Built first: Miniflare reads the assets folder when it starts.
    await buildDemo({ outDir: join(stack.dir, "site") });
    stack.worker = await startWorker({ assets: join(stack.dir, "site"), bindings: options.bindings() });
    const launched = launchChromium(join(stack.dir, "profile"));
    try {
      await options.setup?.(stack.worker);
    } finally {
      stack.browser = await launched;
    }
  }, options.timeoutMs);
  afterAll(async () => {
    await stack.browser?.close();
    await stack.worker?.dispose();
    if (stack.dir) rmSync(stack.dir, { recursive: true, force: true });
  });
  return stack as ExplorerStack;
}
