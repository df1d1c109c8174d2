/**
 * Crashes of the ingest path, in the local Workers runtime with persistent storage: the object
 * resets itself at named points (INGEST_TEST_FAULTS, faults.ts: as an eviction would) and the
 * whole runtime is restarted while producers keep retrying with the same Idempotency-Keys. After
 * each, every acknowledged row is in the table exactly once, nothing is committed twice (the
 * flush's txn is found in the log), versions are contiguous; and a flush that can never succeed
 * on its rows does not block the table. Also the alarm flush after the delay and its retry.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleWorker, type WorkerModule } from "../../scripts/worker-dev.mjs";
import { miniflareAvailability } from "../helpers/servers/miniflare-r2.js";
import { commitTxns, commitVersions, createTable, flush, ingest, makeRows, snapshotOf, status, tableRows, waitFor, type Row } from "./ingest-client.js";
import { startTestWorker, type TestWorker } from "./worker-server.js";

const availability = miniflareAvailability();
const FAULTS = [
  "after-commit:f/replay#1",
  "after-append:crash-me",
  "before-commit:f/before#1",
  "before-commit:f/alarm-crash#1",
  "bad-data:f/bad#1",
  "after-commit:f/load#3",
].join(",");
/** `w`: flushes 150 ms after the oldest row (alarm tests, the restart test, which restarts it). */
const FAST = { INGEST_FLUSH_ROWS: "200", INGEST_FLUSH_DELAY_MS: "150", INGEST_TEST_FAULTS: FAULTS };
/** `slow`: flushes only when asked (within the hour), so each crash test sees the state it made. */
const SLOW = { INGEST_FLUSH_DELAY_MS: "3600000", INGEST_TEST_FAULTS: FAULTS };

let w: TestWorker;
let slow: TestWorker;
let state: string;
let modules: WorkerModule[];

async function start(): Promise<void> {
  w = await startTestWorker(FAST, { persist: join(state, "r2"), durableObjectsPersist: join(state, "do"), modules });
}

beforeAll(async () => {
  if (!availability.available) return;
  state = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "delta-edge-ingest-"));
  modules = await bundleWorker();
  [, slow] = await Promise.all([start(), startTestWorker(SLOW, { modules })]);
});
afterAll(async () => {
  await Promise.all([w?.stop(), slow?.stop()]);
  if (state !== undefined) rmSync(state, { recursive: true, force: true });
});

async function errorCode(r: Response): Promise<[number, string]> {
  const body = (await r.json()) as { error?: { code: string } };
  return [r.status, body.error?.code ?? ""];
}

describe.runIf(availability.available)("ingest under faults", () => {
  it("flushes on the alarm after the delay", async () => {
    await createTable(w, "f/alarm", [{ id: 0, name: "zero" }]);
    const t0 = Date.now();
    expect((await ingest(w, "f/alarm", "a1", makeRows(1, 3))).status).toBe(202);
    const rows = await waitFor("the alarm flush", async () => {
      const r = await tableRows(w, "f/alarm");
      return r.length === 4 ? r : undefined;
    });
    console.log(`f/alarm: acknowledged rows readable after ${Date.now() - t0} ms (INGEST_FLUSH_DELAY_MS=150)`);
    expect(rows).toEqual([{ id: 0, name: "zero" }, ...makeRows(1, 3)]);
    expect(await status(w, "f/alarm")).toMatchObject({ bufferedRows: 0, lastFlush: { seq: 1, outcome: "committed" } });
  });

  it("an alarm flush that crashed before its commit is retried without any request", async () => {
    await createTable(w, "f/alarm-crash", [{ id: 0, name: "zero" }]);
    expect((await ingest(w, "f/alarm-crash", "ac1", makeRows(1, 2))).status).toBe(202);
    // Watch the table from Node only: a request to the object would wake it up by itself.
    const rows = await waitFor("the retried alarm flush", async () => {
      const s = await snapshotOf(w, "f/alarm-crash");
      return s.version === 1 ? tableRows(w, "f/alarm-crash") : undefined;
    });
    expect(rows).toEqual([{ id: 0, name: "zero" }, ...makeRows(1, 2)]);
    expect(await status(w, "f/alarm-crash")).toMatchObject({ bufferedRows: 0, lastFlushSequence: 1, pendingFlush: null });
    expect(await commitVersions(w, "f/alarm-crash")).toEqual([0, 1]);
  });

  it("a crash between the Delta commit and the buffer's bookkeeping: the retried flush finds its txn and commits nothing", async () => {
    await createTable(slow, "f/replay", [{ id: 0, name: "zero" }]);
    expect((await ingest(slow, "f/replay", "r1", makeRows(1, 2))).status).toBe(202);
    expect((await ingest(slow, "f/replay", "r2", makeRows(3, 1))).status).toBe(202);
    expect(await errorCode(await flush(slow, "f/replay"))).toEqual([503, "INGEST_UNAVAILABLE"]); // reset after the commit
    // The commit landed, but the buffer still holds the rows and the flush is still pending.
    expect(await commitVersions(slow, "f/replay")).toEqual([0, 1]);
    const crashed = await status(slow, "f/replay");
    expect(crashed).toMatchObject({ bufferedRows: 3, lastFlushSequence: 0, pendingFlush: { seq: 1, attempts: 1 } });
    const objectId = crashed.objectId as string;
    expect(await commitTxns(slow, "f/replay", 1)).toEqual([{ appId: objectId, version: 1 }]);
    // The retry finds flush 1's txn in the log and only forgets the rows.
    expect(await (await flush(slow, "f/replay")).json()).toMatchObject({ flushedRows: 3, commits: 0, lastFlushSequence: 1, bufferedRows: 0 });
    expect(await status(slow, "f/replay")).toMatchObject({ bufferedRows: 0, pendingFlush: null, lastFlush: { seq: 1, outcome: "already-committed", rows: 3 } });
    expect(await commitVersions(slow, "f/replay")).toEqual([0, 1]);
    // The next flush continues the sequence.
    expect((await ingest(slow, "f/replay", "r3", makeRows(4, 1))).status).toBe(202);
    expect(await (await flush(slow, "f/replay")).json()).toMatchObject({ commits: 1, lastFlushSequence: 2, lastFlushedVersion: 2 });
    expect(await commitTxns(slow, "f/replay", 2)).toEqual([{ appId: objectId, version: 2 }]);
    expect(await tableRows(slow, "f/replay")).toEqual([{ id: 0, name: "zero" }, ...makeRows(1, 4)]);
  });

  it("a crash between persisting rows and acknowledging them: the retry with the same key is acknowledged, rows once", async () => {
    await createTable(slow, "f/ack", [{ id: 0, name: "zero" }]);
    expect(await errorCode(await ingest(slow, "f/ack", "crash-me", makeRows(1, 2)))).toEqual([503, "INGEST_UNAVAILABLE"]);
    expect((await status(slow, "f/ack")).bufferedRows).toBe(2); // durable before the (lost) acknowledgement
    const retry = await ingest(slow, "f/ack", "crash-me", makeRows(1, 2));
    expect(retry.status).toBe(202);
    expect(await retry.json()).toMatchObject({ duplicate: true, rows: 2 });
    expect(await (await flush(slow, "f/ack")).json()).toMatchObject({ flushedRows: 2, commits: 1 });
    expect(await tableRows(slow, "f/ack")).toEqual([{ id: 0, name: "zero" }, ...makeRows(1, 2)]);
  });

  it("a crash after a flush is fixed but before its commit: the retry commits the same rows, later rows go to the next flush", async () => {
    await createTable(slow, "f/before", [{ id: 0, name: "zero" }]);
    expect((await ingest(slow, "f/before", "b1", makeRows(1, 2))).status).toBe(202);
    expect(await errorCode(await flush(slow, "f/before"))).toEqual([503, "INGEST_UNAVAILABLE"]);
    expect(await commitVersions(slow, "f/before")).toEqual([0]);
    expect(await status(slow, "f/before")).toMatchObject({ bufferedRows: 2, pendingFlush: { seq: 1, attempts: 1 } });
    expect((await ingest(slow, "f/before", "b2", makeRows(3, 2))).status).toBe(202);
    expect(await (await flush(slow, "f/before")).json()).toMatchObject({ flushedRows: 4, commits: 2, lastFlushSequence: 2 });
    expect(await commitVersions(slow, "f/before")).toEqual([0, 1, 2]);
    expect((await snapshotOf(slow, "f/before")).files().length).toBe(3);
    expect((await commitTxns(slow, "f/before", 1))[0]?.version).toBe(1);
    expect((await commitTxns(slow, "f/before", 2))[0]?.version).toBe(2);
    expect(await tableRows(slow, "f/before")).toEqual([{ id: 0, name: "zero" }, ...makeRows(1, 4)]);
  });

  it("rows that no longer fit a changed schema are set aside at flush time; rows after them commit", async () => {
    await createTable(slow, "f/evolve", [{ id: 0, name: "zero" }]);
    expect((await ingest(slow, "f/evolve", "e1", makeRows(1, 2))).status).toBe(202);
    const overwrite = await slow.api("api/tables/f/evolve?mode=overwrite&schemaMode=overwrite", {
      method: "POST",
      auth: true,
      headers: { "Content-Type": "application/x-ndjson" },
      body: '{"id":5,"label":"new"}\n',
    });
    expect(overwrite.status).toBe(200);
    expect(await (await flush(slow, "f/evolve")).json()).toMatchObject({ flushedRows: 0, commits: 0 });
    const s = await status(slow, "f/evolve");
    expect(s).toMatchObject({ bufferedRows: 0, rejected: { pieces: 1, rows: 2 } });
    expect(s.rejected.lastReason).toMatch(/\bname\b/);
    expect(await (await ingest(slow, "f/evolve", "e1", makeRows(1, 2))).json()).toMatchObject({ duplicate: true, committed: false, rejected: true });
    // The set-aside rows can be read back (to fix and send again), then forgotten.
    const listed = await slow.api("api/tables/f/evolve/ingest/rejected", { auth: true });
    expect(listed.status).toBe(200);
    const pieces = (await listed.text()).trim().split("\n").map((l) => JSON.parse(l) as { seq: number; reason: string; rows: Row[] });
    expect(pieces.map((p) => p.rows)).toEqual([makeRows(1, 2)]);
    expect(pieces[0]?.reason).toMatch(/\bname\b/);
    expect((await slow.api("api/tables/f/evolve/ingest/rejected", { method: "POST" })).status).toBe(401);
    const cleared = await slow.api(`api/tables/f/evolve/ingest/rejected?through=${pieces[0]?.seq}`, { method: "POST", auth: true });
    expect(await cleared.json()).toEqual({ pieces: 1, rows: 2 });
    expect((await status(slow, "f/evolve")).rejected).toMatchObject({ pieces: 0, rows: 0 });
    expect((await ingest(slow, "f/evolve", "e2", [{ id: 6, label: "b" }])).status).toBe(202);
    expect(await (await flush(slow, "f/evolve")).json()).toMatchObject({ flushedRows: 1, commits: 1 });
    expect(await tableRows(slow, "f/evolve")).toEqual([
      { id: 5, label: "new" },
      { id: 6, label: "b" },
    ]);
  });

  it("a flush failing on its rows every time is set aside after a few attempts instead of blocking the table", async () => {
    await createTable(slow, "f/bad", [{ id: 0, name: "zero" }]);
    expect((await ingest(slow, "f/bad", "x1", makeRows(1, 2))).status).toBe(202);
    for (let i = 0; i < 3; i++) expect(await errorCode(await flush(slow, "f/bad"))).toEqual([503, "FLUSH_FAILED"]);
    expect(await status(slow, "f/bad")).toMatchObject({ bufferedRows: 2, consecutiveFailures: 3, lastError: { seq: 1, code: "INVALID_INPUT" }, pendingFlush: { seq: 1, attempts: 3 } });
    expect((await ingest(slow, "f/bad", "x2", makeRows(3, 1))).status).toBe(202);
    // The fourth attempt moves flush 1's rows aside; the rows acknowledged after it commit as flush 2.
    expect(await (await flush(slow, "f/bad")).json()).toMatchObject({ flushedRows: 1, commits: 1, lastFlushSequence: 2 });
    expect(await status(slow, "f/bad")).toMatchObject({ bufferedRows: 0, consecutiveFailures: 0, lastError: null, rejected: { pieces: 1, rows: 2 } });
    expect(await tableRows(slow, "f/bad")).toEqual([{ id: 0, name: "zero" }, ...makeRows(3, 1)]);
    expect(await commitVersions(slow, "f/bad")).toEqual([0, 1]);
  });

  it("producers retrying with the same keys through runtime restarts and an eviction mid-flush: every acknowledged row exactly once", async () => {
    await createTable(w, "f/load", [{ id: -1, name: "seed" }]);
    const PRODUCERS = 8;
    const BATCHES = 15;
    const ROWS = 20;
    const expected: Row[] = [{ id: -1, name: "seed" }];
    let acked = 0;
    const producer = async (p: number): Promise<void> => {
      for (let b = 0; b < BATCHES; b++) {
        const key = `p${p}-b${b}`;
        const rows = makeRows(p * 100_000 + b * 100, ROWS, `${key}-`);
        for (let attempt = 0; ; attempt++) {
          if (attempt > 1000) throw new Error(`${key} was never acknowledged`);
          try {
            const r = await ingest(w, "f/load", key, rows);
            const body = (await r.json()) as { rows?: number };
            if (r.status === 202) {
              expect(body.rows).toBe(ROWS);
              break;
            }
          } catch {
            // the runtime is restarting or went away mid-request: retry with the same key
          }
          await new Promise((r) => setTimeout(r, 20));
        }
        acked++;
        expected.push(...rows);
      }
    };
    const restarts = async (): Promise<number> => {
      let midFlush = 0;
      for (const share of [0.25, 0.6]) {
        while (acked < share * PRODUCERS * BATCHES) await new Promise((r) => setTimeout(r, 5));
        // Restart while a flush runs when one can be caught (the status says flushing), else anyway.
        for (let i = 0; i < 40; i++) {
          const s = await status(w, "f/load").catch(() => undefined);
          if (s?.flushing === true) {
            midFlush++;
            break;
          }
          await new Promise((r) => setTimeout(r, 10));
        }
        await w.stop();
        await start();
      }
      return midFlush;
    };
    const [midFlush] = await Promise.all([restarts(), ...Array.from({ length: PRODUCERS }, (_, p) => producer(p))]);
    console.log(`f/load: ${acked} batches acknowledged through 2 runtime restarts (${midFlush} during a flush) and an eviction after flush 3's commit`);
    const done = await waitFor("the final flush", async () => {
      const r = await flush(w, "f/load");
      return r.status === 200 ? ((await r.json()) as Record<string, number>) : undefined;
    });
    expect(done.bufferedRows).toBe(0);
    expect(await tableRows(w, "f/load")).toEqual(expected.sort((a, b) => Number(a.id) - Number(b.id)));
    const versions = await commitVersions(w, "f/load");
    const last = versions.length - 1;
    expect(versions).toEqual(Array.from({ length: last + 1 }, (_, i) => i));
    const s = await status(w, "f/load");
    const txns = (await Promise.all(versions.slice(1).map((v) => commitTxns(w, "f/load", v)))).flat();
    // One txn per commit, the object's, the flush sequence counting up without a repeat.
    expect(txns).toEqual(Array.from({ length: last }, (_, i) => ({ appId: s.objectId, version: i + 1 })));
    expect(s).toMatchObject({ bufferedRows: 0, pendingFlush: null, lastFlushSequence: last, lastFlushedVersion: last });
  });
});
