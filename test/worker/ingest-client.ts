/**
 * Test client of the ingest API over a test Worker: POST rows with an Idempotency-Key, the status,
 * forced flushes, the table's rows and log as Node sees them, and polling with a bound (no sleeps
 * that assume a speed).
 */
import { expect } from "vitest";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import type { Snapshot } from "../../src/core/table/snapshot.js";
import { ndjson, ndjsonRows, type TestWorker } from "./worker-server.js";

/** A row of the test tables. */
export type Row = Record<string, unknown>;

/** POST .../ingest with NDJSON rows and a key (no key header when `key` is undefined). */
export function ingest(w: TestWorker, path: string, key: string | undefined, rows: readonly Row[], init: { auth?: boolean | string; contentType?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = { "Content-Type": init.contentType ?? "application/x-ndjson" };
  if (key !== undefined) headers["Idempotency-Key"] = key;
  return w.api(`api/tables/${path}/ingest`, { method: "POST", auth: init.auth ?? true, headers, body: ndjson(rows) });
}

/** GET .../ingest as JSON (with the write token). */
export async function status(w: TestWorker, path: string): Promise<Record<string, any>> {
  const r = await w.api(`api/tables/${path}/ingest`, { auth: true });
  expect(r.status).toBe(200);
  return (await r.json()) as Record<string, any>;
}

/** POST .../ingest/flush. */
export function flush(w: TestWorker, path: string): Promise<Response> {
  return w.api(`api/tables/${path}/ingest/flush`, { method: "POST", auth: true });
}

/** Creates a table with one POST (mode error). */
export async function createTable(w: TestWorker, path: string, rows: readonly Row[]): Promise<void> {
  const r = await w.api(`api/tables/${path}?mode=error`, { method: "POST", auth: true, headers: { "Content-Type": "application/x-ndjson" }, body: ndjson(rows) });
  expect(r.status, await r.clone().text()).toBe(200);
}

/** The table's rows through the Worker, sorted by `id`. */
export async function tableRows(w: TestWorker, path: string): Promise<Row[]> {
  const r = await w.api(`api/tables/${path}/rows`, { auth: true });
  expect(r.status).toBe(200);
  return (await ndjsonRows(r)).sort((a, b) => Number(a.id) - Number(b.id) || String(a.name).localeCompare(String(b.name)));
}

/** The latest snapshot, read from Node through the binding proxy. */
export async function snapshotOf(w: TestWorker, path: string): Promise<Snapshot> {
  return loadSnapshot({ store: await w.tableStore(path) });
}

/** Versions of the commit files in the log (sorted). */
export async function commitVersions(w: TestWorker, path: string): Promise<number[]> {
  const store = await w.tableStore(path);
  const out: number[] = [];
  for await (const meta of store.list("_delta_log/")) {
    const m = /^_delta_log\/(\d{20})\.json$/.exec(meta.key);
    if (m) out.push(Number(m[1]));
  }
  return out.sort((a, b) => a - b);
}

/** The txn actions of one commit file. */
export async function commitTxns(w: TestWorker, path: string, version: number): Promise<{ appId: string; version: number }[]> {
  const store = await w.tableStore(path);
  const text = new TextDecoder().decode(await store.get(`_delta_log/${String(version).padStart(20, "0")}.json`));
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as { txn?: { appId: string; version: number } })
    .flatMap((a) => (a.txn ? [{ appId: a.txn.appId, version: a.txn.version }] : []));
}

/** Polls `probe` until it returns a value (not undefined), at most `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** `n` rows `{id: start + i, name}`. */
export function makeRows(start: number, n: number, name = "r"): Row[] {
  return Array.from({ length: n }, (_, i) => ({ id: start + i, name: `${name}${start + i}` }));
}
