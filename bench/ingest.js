// Ingest load test (issue 14): against the local Worker (Miniflare with wrangler.toml's bindings,
// in-memory R2), PRODUCERS concurrent producers send BATCH-row NDJSON batches for SECONDS, once
// through POST .../ingest (the table's DeltaIngest object, default flush settings) and once as
// direct POST appends (one commit per request). Reported per path: accepted rows/s, acknowledge
// latency p50/p99 (from the first attempt to the success, retries included), requests, retried
// attempts, commits, data files and their median size, conflict retries (commits that had to move
// past a concurrent winner: version - 1 - readVersion, summed, from the log), and for ingest the
// latency to readability (commit timestamp minus acknowledgement, per batch; the last rows are left
// to the alarm flush, not forced). Every acknowledged row is checked to be in the table exactly
// once (row counts from the log, and every row by its key).
/* global fetch */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { TextDecoder } from "node:util";

const SECONDS = Number(process.env.BENCH_INGEST_SECONDS ?? 10);
const PRODUCERS = Number(process.env.BENCH_INGEST_PRODUCERS ?? 32);
const BATCH = Number(process.env.BENCH_INGEST_BATCH ?? 50);
const TOKEN = "bench-token";
const DIST = resolve(import.meta.dirname, "../dist");

const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const pct = (sorted, q) => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);

function batchBody(p, n) {
  let s = "";
  for (let i = 0; i < BATCH; i++) s += `{"p":${p},"n":${n},"i":${i},"value":${(p * 7919 + n * 104729 + i) % 100000 / 100 + 0.5},"tag":"t${(n + i) % 17}"}\n`;
  return s;
}

/** Runs PRODUCERS loops for SECONDS; `send` returns true when the batch was accepted. */
async function load(send) {
  const latencies = [];
  const acks = new Map(); // "p:n" -> wall-clock ms of the acknowledgement
  let requests = 0;
  let inWindow = 0;
  let retried = 0;
  const failures = new Map();
  const t0 = performance.now();
  const deadline = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: PRODUCERS }, async (_, p) => {
      for (let n = 0; Date.now() < deadline; n++) {
        const body = batchBody(p, n);
        const started = performance.now();
        for (let attempt = 1; ; attempt++) {
          if (attempt > 100) throw new Error(`batch ${p}:${n} never accepted`);
          const outcome = await send(body, `p${p}-n${n}`).catch((e) => `fetch error ${e.cause?.code ?? e.message}`);
          if (outcome === true) break;
          retried++;
          failures.set(outcome, (failures.get(outcome) ?? 0) + 1);
          await sleep(Math.min(200, 5 * attempt));
        }
        latencies.push(performance.now() - started);
        acks.set(`${p}:${n}`, Date.now());
        requests++;
        if (Date.now() <= deadline) inWindow++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return { seconds, requests, inWindow, rows: requests * BATCH, retried, failures: Object.fromEntries(failures), latencies, acks };
}

/** Commits after `fromVersion` from the log: count, files, sizes, conflict retries, rows, timestamps. */
async function logStats(store, fromVersion) {
  const commits = [];
  for await (const meta of store.list("_delta_log/")) {
    const m = /^_delta_log\/(\d{20})\.json$/.exec(meta.key);
    if (!m || Number(m[1]) <= fromVersion) continue;
    const text = new TextDecoder().decode(await store.get(meta.key));
    const actions = text.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l));
    const info = actions.find((a) => a.commitInfo)?.commitInfo ?? {};
    const adds = actions.filter((a) => a.add).map((a) => a.add);
    commits.push({ version: Number(m[1]), timestamp: info.timestamp, readVersion: info.readVersion, adds });
  }
  commits.sort((a, b) => a.version - b.version);
  const sizes = commits.flatMap((c) => c.adds.map((a) => a.size)).sort((a, b) => a - b);
  const rows = commits.flatMap((c) => c.adds).reduce((n, a) => n + JSON.parse(a.stats).numRecords, 0);
  const conflictRetries = commits.reduce((n, c) => n + (typeof c.readVersion === "number" ? c.version - 1 - c.readVersion : 0), 0);
  return { commits, files: sizes.length, medianFileBytes: pct(sizes, 0.5), rows, conflictRetries };
}

function summary(run, log) {
  return {
    // Throughput: batches acknowledged within the fixed window, per second of the window.
    rowsPerSec: Math.round((run.inWindow * BATCH) / SECONDS),
    secondsWithDrain: round(run.seconds),
    requests: run.requests,
    acceptedRows: run.rows,
    ackP50Ms: round(pct(run.latencies, 0.5)),
    ackP99Ms: round(pct(run.latencies, 0.99)),
    retriedAttempts: run.retried,
    retryCauses: run.failures,
    commits: log.commits.length,
    dataFiles: log.files,
    medianFileBytes: log.medianFileBytes,
    conflictRetries: log.conflictRetries,
    rowsInTable: log.rows,
  };
}

export async function ingestBench() {
  const { startWorker } = await import("../scripts/worker-dev.mjs");
  const { R2BindingStore, openTable: loadSnapshot, planScan } = await import(`${DIST}/worker/index.js`);
  const { scanBatches } = await import(`${DIST}/core/scan/execute.js`);
  const state = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "delta-edge-bench-ingest-"));
  const worker = await startWorker({ bindings: { WRITE_TOKEN: TOKEN }, durableObjectsPersist: join(state, "do") });
  const bucket = await worker.mf.getR2Bucket("TABLES");
  const storeOf = (path) => new R2BindingStore({ bucket, name: "TABLES", prefix: path });
  const headers = { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/x-ndjson" };
  const api = (path, init) => fetch(new URL(path, worker.url), init);
  try {
    for (const t of ["ingest", "direct"]) {
      const r = await api(`api/tables/bench/${t}?mode=error`, { method: "POST", headers, body: batchBody(-1, -1) });
      if (r.status !== 200) throw new Error(`create bench/${t}: ${r.status} ${await r.text()}`);
    }
    // Warm-up outside the timed runs (parquet-wasm compiles on the first write of each isolate).
    await api("api/tables/bench/ingest/ingest", { method: "POST", headers: { ...headers, "Idempotency-Key": "warm-up" }, body: batchBody(-1, -2) });
    await (await api("api/tables/bench/ingest/ingest/flush", { method: "POST", headers })).text();
    await (await api("api/tables/bench/direct?mode=append", { method: "POST", headers, body: batchBody(-1, -2) })).text();
    const ingestFrom = (await loadSnapshot({ store: storeOf("bench/ingest") })).version;
    const directFrom = (await loadSnapshot({ store: storeOf("bench/direct") })).version;

    console.log(`ingest: ${PRODUCERS} producers x ${BATCH}-row batches for ${SECONDS} s through /ingest ...`);
    const ingestRun = await load(async (body, key) => {
      const r = await api("api/tables/bench/ingest/ingest", { method: "POST", headers: { ...headers, "Idempotency-Key": key }, body });
      await r.arrayBuffer();
      return r.status === 202 ? true : `HTTP ${r.status}`;
    });
    // Let the alarm flush the rest (no forced flush: the readability figures stay honest).
    const drainStart = Date.now();
    for (;;) {
      const s = await (await api("api/tables/bench/ingest/ingest", { headers })).json();
      if (s.bufferedRows === 0 && s.pendingFlush === null) break;
      if (Date.now() - drainStart > 120_000) throw new Error("the ingest buffer did not drain");
      await sleep(50);
    }
    const status = await (await api("api/tables/bench/ingest/ingest", { headers })).json();
    const ingestLog = await logStats(storeOf("bench/ingest"), ingestFrom);

    // Readability and exactly-once: every row by its key, with the commit that added it.
    const snapshot = await loadSnapshot({ store: storeOf("bench/ingest") });
    const versionOfFile = new Map(ingestLog.commits.flatMap((c) => c.adds.map((a) => [a.path, c])));
    const plan = planScan(snapshot, { columns: ["p", "n", "i"] });
    const readable = [];
    const seen = new Set();
    let duplicates = 0;
    for (const file of plan.files) {
      const commit = versionOfFile.get(file.add.path);
      for await (const batch of scanBatches({ ...plan, files: [file] }, { store: storeOf("bench/ingest") })) {
        const [ps, ns, is] = ["p", "n", "i"].map((c) => batch.getChild(c).toArray());
        for (let r = 0; r < ns.length; r++) {
          const batchKey = `${Number(ps[r])}:${Number(ns[r])}`;
          const row = `${batchKey}:${Number(is[r])}`;
          if (seen.has(row)) duplicates++;
          seen.add(row);
          const ackedAt = ingestRun.acks.get(batchKey);
          if (commit !== undefined && ackedAt !== undefined && Number(is[r]) === 0) readable.push(commit.timestamp - ackedAt);
        }
      }
    }
    const ackedRows = ingestRun.acks.size * BATCH;
    const keyedRows = [...seen].filter((k) => !k.startsWith("-1:")).length;
    readable.sort((a, b) => a - b);

    console.log(`direct: ${PRODUCERS} producers x ${BATCH}-row batches for ${SECONDS} s as POST appends ...`);
    const directRun = await load(async (body) => {
      const r = await api("api/tables/bench/direct?mode=append", { method: "POST", headers, body });
      await r.arrayBuffer();
      return r.status === 200 ? true : `HTTP ${r.status}`;
    });
    const directLog = await logStats(storeOf("bench/direct"), directFrom);

    const ingest = {
      ...summary(ingestRun, ingestLog),
      readableAfterAckMs: { p50: pct(readable, 0.5), p99: pct(readable, 0.99), max: readable[readable.length - 1] ?? null, sampled: readable.length },
      flushSettings: status.settings,
    };
    const direct = summary(directRun, directLog);
    const result = {
      producers: PRODUCERS,
      batchRows: BATCH,
      ingest,
      direct,
      speedup: round(ingest.rowsPerSec / Math.max(1, direct.rowsPerSec)),
      requestsPerCommit: round(ingest.requests / Math.max(1, ingest.commits)),
      goals: { speedupAtLeast10: ingest.rowsPerSec >= 10 * direct.rowsPerSec, commitsAtMostRequestsOver20: ingest.commits <= ingest.requests / 20 },
      exactlyOnce: { ingestRowsInTable: ingest.rowsInTable, ingestAcceptedRows: ingest.acceptedRows, duplicateRows: duplicates, distinctAcknowledgedRowsInTable: keyedRows, acknowledgedRows: ackedRows, directRowsInTable: direct.rowsInTable, directAcceptedRows: direct.acceptedRows },
    };
    const row = (r) => ({
      "rows/s": r.rowsPerSec,
      requests: r.requests,
      "ack p50 ms": r.ackP50Ms,
      "ack p99 ms": r.ackP99Ms,
      retried: r.retriedAttempts,
      commits: r.commits,
      files: r.dataFiles,
      "median file B": r.medianFileBytes,
      "conflict retries": r.conflictRetries,
    });
    console.table({ ingest: row(ingest), direct: row(direct) });
    console.log(`ingest/direct rows/s: ${result.speedup}x; requests per commit: ${result.requestsPerCommit}; readable after ack: p50 ${ingest.readableAfterAckMs.p50} ms, p99 ${ingest.readableAfterAckMs.p99} ms, max ${ingest.readableAfterAckMs.max} ms`);
    // (Direct appends are not idempotent: a commit whose response was lost and that the producer
    // retried shows up as rows in the table beyond the accepted ones; reported, not an error.)
    if (ingest.rowsInTable !== ingest.acceptedRows || duplicates > 0 || keyedRows !== ackedRows) {
      throw new Error(`exactly-once check failed: ${JSON.stringify(result.exactlyOnce)}`);
    }
    return result;
  } finally {
    await worker.dispose();
    rmSync(state, { recursive: true, force: true });
  }
}
