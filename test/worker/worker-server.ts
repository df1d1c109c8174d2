/**
 * The real Worker (src/worker/main.ts, bundled by scripts/worker-dev.mjs) in Miniflare with a
 * simulated R2 bucket bound as TABLES, for the API tests: `api(path, init)` calls it over HTTP
 * (with the write token when asked), and `tableStore(path)` reads the same R2 objects from Node
 * through Miniflare's binding proxy, so our library can check what the Worker wrote.
 */
import { R2BindingStore, type R2BucketLike } from "../../src/worker/r2-store.js";
import { startWorker, type RunningWorker, type StartWorkerOptions } from "../../scripts/worker-dev.mjs";

/** The write token of the test Worker. */
export const WRITE_TOKEN = "test-write-token";

/** A running test Worker. */
export interface TestWorker {
  /** Base URL with a trailing slash. */
  url: string;
  /** fetch() relative to the Worker URL; `auth: true` adds the write token. */
  api(path: string, init?: RequestInit & { auth?: boolean | string }): Promise<Response>;
  /** An ObjectStore over the bucket (from Node, through Miniflare's proxy) at a table path. */
  tableStore(path: string): Promise<R2BindingStore>;
  bucket(): Promise<R2BucketLike>;
  /** The Miniflare instance (queue dispatch, bindings from Node). */
  mf: RunningWorker["mf"];
  stop(): Promise<void>;
}

/**
 * Starts the Worker with the given vars and secrets (WRITE_TOKEN defaults to {@link WRITE_TOKEN});
 * `options` are passed on to startWorker (persistence folders, Miniflare overrides).
 */
export async function startTestWorker(bindings: Record<string, string> = {}, options: Omit<StartWorkerOptions, "bindings"> = {}): Promise<TestWorker> {
  const worker: RunningWorker = await startWorker({ ...options, bindings: { WRITE_TOKEN, ...bindings } });
  const bucket = async (): Promise<R2BucketLike> => (await worker.mf.getR2Bucket("TABLES")) as unknown as R2BucketLike;
  return {
    url: worker.url,
    api: (path, init = {}) => {
      const { auth, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (auth !== undefined && auth !== false) headers.set("Authorization", `Bearer ${auth === true ? WRITE_TOKEN : auth}`);
      return fetch(new URL(path.replace(/^\//, ""), worker.url), { ...rest, headers });
    },
    tableStore: async (path) => new R2BindingStore({ bucket: await bucket(), name: "TABLES", prefix: path }),
    bucket,
    mf: worker.mf,
    stop: () => worker.dispose(),
  };
}

/** NDJSON text of row objects. */
export function ndjson(rows: readonly Record<string, unknown>[]): string {
  return rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
}

/** Parses an NDJSON response body. */
export async function ndjsonRows(response: Response): Promise<Record<string, unknown>[]> {
  const text = await response.text();
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** POSTs NDJSON rows to a table with query options; returns the response. */
export function postRows(w: TestWorker, path: string, rows: readonly Record<string, unknown>[], query = ""): Promise<Response> {
  return w.api(`api/tables/${path}${query === "" ? "" : `?${query}`}`, {
    method: "POST",
    auth: true,
    headers: { "Content-Type": "application/x-ndjson" },
    body: ndjson(rows),
  });
}
