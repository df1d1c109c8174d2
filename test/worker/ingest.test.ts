/**
 * Ingest through the table's DeltaIngest Durable Object and through the Queues consumer, in the
 * local Workers runtime (Miniflare with wrangler.toml's bindings): rows are acknowledged once
 * buffered and readable only after a flush, which is one commit carrying the object's txn;
 * Idempotency-Keys make retries add nothing, also when they race; the row threshold flushes
 * without waiting for the delay (set to an hour here); a full buffer answers 503 until flushed;
 * partitioned tables; what could never be written is refused before it is acknowledged; auth and
 * methods. The queue consumer commits a delivered batch once per table and recognises
 * a redelivery by the batch's txn. Crashes and the alarm are in ingest-faults.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { miniflareAvailability } from "../helpers/servers/miniflare-r2.js";
import { commitTxns, commitVersions, createTable, flush, ingest, makeRows, snapshotOf, status, tableRows, waitFor } from "./ingest-client.js";
import { startTestWorker, type TestWorker } from "./worker-server.js";

const availability = miniflareAvailability();
const READ_TOKEN = "test-read-token";
let w: TestWorker;

beforeAll(async () => {
  if (!availability.available) return;
  w = await startTestWorker(
    { INGEST_FLUSH_ROWS: "10", INGEST_FLUSH_DELAY_MS: "3600000", INGEST_MAX_BUFFER_BYTES: "4096", READ_TOKEN },
    { overrides: { queueConsumers: { "delta-edge-ingest": { maxBatchSize: 10, maxBatchTimeout: 0.05, maxRetries: 1 } } } },
  );
});
afterAll(async () => {
  await w?.stop();
});

describe.runIf(availability.available)("ingest through the table's Durable Object", () => {
  it("acknowledges buffered rows, which become readable in one commit with the object's txn on flush", async () => {
    await createTable(w, "s/buffered", [{ id: 0, name: "zero" }]);
    const a = await ingest(w, "s/buffered", "k1", makeRows(1, 2));
    expect(a.status).toBe(202);
    expect(await a.json()).toEqual({ status: "accepted", duplicate: false, key: "k1", rows: 2, committed: false, rejected: false, bufferedRows: 2 });
    expect((await ingest(w, "s/buffered", "k2", makeRows(3, 3))).status).toBe(202);
    expect(await tableRows(w, "s/buffered")).toEqual([{ id: 0, name: "zero" }]);
    const before = await status(w, "s/buffered");
    expect(before).toMatchObject({ table: "s/buffered", bufferedRows: 5, bufferedPieces: 2, lastFlushSequence: 0, lastFlushedVersion: null, pendingFlush: null, lastError: null });
    expect(before.lagMs).toBeGreaterThanOrEqual(0);
    expect(before.nextFlushAt).not.toBeNull(); // the delay alarm
    expect(before.idempotency).toMatchObject({ keys: 2, ttlSeconds: 86400, maxKeys: 1_000_000 });

    const f = await flush(w, "s/buffered");
    expect(f.status).toBe(200);
    expect(await f.json()).toEqual({ flushedRows: 5, commits: 1, lastFlushSequence: 1, lastFlushedVersion: 1, bufferedRows: 0 });
    expect(await tableRows(w, "s/buffered")).toEqual([{ id: 0, name: "zero" }, ...makeRows(1, 5)]);
    expect(await commitVersions(w, "s/buffered")).toEqual([0, 1]);
    expect(await commitTxns(w, "s/buffered", 1)).toEqual([{ appId: before.objectId, version: 1 }]);
    const snapshot = await snapshotOf(w, "s/buffered");
    expect(snapshot.files().length).toBe(2); // the create's file and one file for both requests
    const after = await status(w, "s/buffered");
    expect(after).toMatchObject({ bufferedRows: 0, lagMs: 0, nextFlushAt: null, lastFlushedVersion: 1, lastFlush: { seq: 1, outcome: "committed", version: 1, rows: 5, files: 1 } });
    // An acknowledgement repeated after the flush says the rows are committed.
    expect(await (await ingest(w, "s/buffered", "k1", makeRows(1, 2))).json()).toMatchObject({ duplicate: true, committed: true, rows: 2 });
  });

  it("adds a repeated Idempotency-Key's rows once, and refuses the key with a different body (422)", async () => {
    await createTable(w, "s/idem", [{ id: 0, name: "zero" }]);
    expect((await ingest(w, "s/idem", "same", makeRows(1, 3))).status).toBe(202);
    const again = await ingest(w, "s/idem", "same", makeRows(1, 3));
    expect(again.status).toBe(202);
    expect(await again.json()).toMatchObject({ duplicate: true, rows: 3, committed: false });
    const other = await ingest(w, "s/idem", "same", makeRows(7, 3));
    expect(other.status).toBe(422);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect((await status(w, "s/idem")).bufferedRows).toBe(3);
    expect(await (await flush(w, "s/idem")).json()).toMatchObject({ flushedRows: 3, commits: 1 });
    // After the flush the key is still remembered: a late retry adds nothing to the next flush.
    expect(await (await ingest(w, "s/idem", "same", makeRows(1, 3))).json()).toMatchObject({ duplicate: true, committed: true });
    expect(await (await flush(w, "s/idem")).json()).toMatchObject({ flushedRows: 0, commits: 0 });
    expect(await tableRows(w, "s/idem")).toEqual([{ id: 0, name: "zero" }, ...makeRows(1, 3)]);
    expect(await commitVersions(w, "s/idem")).toEqual([0, 1]);
  });

  it("adds the rows of a key sent several times at once exactly once", async () => {
    await createTable(w, "s/race", [{ id: 0, name: "zero" }]);
    const answers = await Promise.all(Array.from({ length: 6 }, () => ingest(w, "s/race", "racing", makeRows(1, 2))));
    expect(answers.map((r) => r.status)).toEqual(Array(6).fill(202));
    const bodies = (await Promise.all(answers.map((r) => r.json()))) as { duplicate: boolean }[];
    expect(bodies.filter((b) => !b.duplicate).length).toBe(1);
    expect((await status(w, "s/race")).bufferedRows).toBe(2);
    await flush(w, "s/race");
    expect(await tableRows(w, "s/race")).toEqual([{ id: 0, name: "zero" }, ...makeRows(1, 2)]);
  });

  it("answers 503 with Retry-After while the buffer is full, and accepts again once it is flushed", async () => {
    await createTable(w, "s/full", [{ id: 0, name: "zero" }]);
    const big = (i: number) => [{ id: i, name: "x".repeat(1500) }];
    let refused: Response | undefined;
    for (let i = 1; i <= 10 && refused === undefined; i++) {
      const r = await ingest(w, "s/full", `f${i}`, big(i));
      if (r.status === 503) refused = r;
      else expect(r.status).toBe(202);
    }
    expect(refused?.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect(((await refused?.json()) as { error: { code: string } }).error.code).toBe("INGEST_BACKLOG");
    const buffered = (await status(w, "s/full")).bufferedRows as number;
    expect(buffered).toBeGreaterThan(0);
    expect(await (await flush(w, "s/full")).json()).toMatchObject({ flushedRows: buffered });
    expect((await ingest(w, "s/full", "after", big(99))).status).toBe(202);
  });

  it("flushes a partitioned table in one commit with a file per partition", async () => {
    const create = await w.api("api/tables/s/parts?mode=error&partitionBy=part", {
      method: "POST",
      auth: true,
      headers: { "Content-Type": "application/x-ndjson" },
      body: '{"id":0,"part":"a"}\n',
    });
    expect(create.status).toBe(200);
    expect((await ingest(w, "s/parts", "p1", [{ id: 1, part: "a" }, { id: 2, part: "b" }])).status).toBe(202);
    expect((await ingest(w, "s/parts", "p2", [{ id: 3, part: "b" }, { id: 4, part: null }])).status).toBe(202);
    expect(await (await flush(w, "s/parts")).json()).toMatchObject({ flushedRows: 4, commits: 1 });
    const snapshot = await snapshotOf(w, "s/parts");
    expect(snapshot.version).toBe(1);
    // The create's file in part=a, then the flush's three: part=a, part=b, part=null.
    expect(snapshot.files().map((f) => JSON.stringify(f.partitionValues)).sort()).toEqual(['{"part":"a"}', '{"part":"a"}', '{"part":"b"}', '{"part":null}']);
    const rows = await tableRows(w, "s/parts");
    expect(rows.map((r) => [r.id, r.part])).toEqual([[0, "a"], [1, "a"], [2, "b"], [3, "b"], [4, null]]);
  });

  it("flushes at the row threshold without waiting for the delay", async () => {
    await createTable(w, "s/threshold", [{ id: 0, name: "zero" }]);
    for (let i = 0; i < 3; i++) expect((await ingest(w, "s/threshold", `t${i}`, makeRows(1 + 3 * i, 3))).status).toBe(202);
    expect((await status(w, "s/threshold")).lastFlushSequence).toBe(0); // 9 rows: below the threshold of 10
    expect((await ingest(w, "s/threshold", "t3", makeRows(10, 3))).status).toBe(202);
    // The delay is an hour: only the threshold can have flushed these 12 rows.
    const done = await waitFor("the threshold flush", async () => {
      const s = await status(w, "s/threshold");
      return s.lastFlushSequence >= 1 ? s : undefined;
    });
    expect(done).toMatchObject({ bufferedRows: 0, lastFlush: { outcome: "committed", rows: 12, version: 1 } });
    expect(await tableRows(w, "s/threshold")).toEqual([{ id: 0, name: "zero" }, ...makeRows(1, 12)]);
  });

  it("refuses what it could never write before acknowledging it, and buffers nothing of it", async () => {
    await createTable(w, "s/strict", [{ id: 0, name: "zero" }]);
    const codeOf = async (r: Response): Promise<[number, string, string]> => {
      const body = (await r.json()) as { error: { code: string; message: string } };
      return [r.status, body.error.code, body.error.message];
    };
    expect((await codeOf(await ingest(w, "s/strict", undefined, makeRows(1, 1))))[0]).toBe(400);
    expect((await codeOf(await ingest(w, "s/strict", "x".repeat(256), makeRows(1, 1))))[0]).toBe(400);
    expect((await codeOf(await ingest(w, "s/strict", "bad key", makeRows(1, 1))))[0]).toBe(400);
    expect((await codeOf(await ingest(w, "s/strict", "k", makeRows(1, 1), { contentType: "text/plain" })))[0]).toBe(415);
    const [missingStatus, , missingMessage] = await codeOf(await ingest(w, "s/nope", "k", makeRows(1, 1)));
    expect(missingStatus).toBe(404);
    expect(missingMessage).toMatch(/create it first/);
    const [typeStatus, typeCode, typeMessage] = await codeOf(await ingest(w, "s/strict", "k-type", [{ id: "seven", name: "x" }]));
    expect([typeStatus, typeCode]).toEqual([400, "INVALID_INPUT"]);
    expect(typeMessage).toMatch(/\bid\b/);
    const [extraStatus, , extraMessage] = await codeOf(await ingest(w, "s/strict", "k-extra", [{ id: 1, name: "x", color: "red" }]));
    expect(extraStatus).toBe(400);
    expect(extraMessage).toMatch(/color/);
    expect((await codeOf(await ingest(w, "s/strict", "k-empty", [])))[0]).toBe(400);
    expect(await status(w, "s/strict")).toMatchObject({ bufferedRows: 0, idempotency: { keys: 0 } });
    // A refused key is not remembered: the corrected request with the same key is accepted.
    expect(await (await ingest(w, "s/strict", "k-type", [{ id: 7, name: "x" }])).json()).toMatchObject({ duplicate: false, rows: 1 });
  });

  it("needs the write token to ingest and flush, read access for the status; wrong methods and paths are refused", async () => {
    await createTable(w, "s/auth", [{ id: 0, name: "zero" }]);
    expect((await ingest(w, "s/auth", "k", makeRows(1, 1), { auth: false })).status).toBe(401);
    expect((await ingest(w, "s/auth", "k", makeRows(1, 1), { auth: "wrong" })).status).toBe(403);
    expect((await ingest(w, "s/auth", "k", makeRows(1, 1), { auth: READ_TOKEN })).status).toBe(403);
    expect((await w.api("api/tables/s/auth/ingest/flush", { method: "POST" })).status).toBe(401);
    expect((await w.api("api/tables/s/auth/ingest/flush", { method: "POST", auth: READ_TOKEN })).status).toBe(403);
    expect((await w.api("api/tables/s/auth/ingest")).status).toBe(401);
    expect((await w.api("api/tables/s/auth/ingest", { auth: READ_TOKEN })).status).toBe(200);
    expect((await w.api("api/tables/s/auth/ingest", { method: "PUT", auth: true })).status).toBe(405);
    expect((await w.api("api/tables/s/auth/ingest/flush", { auth: true })).status).toBe(405);
    expect((await w.api("api/tables/s/auth/ingest/other", { auth: true })).status).toBe(404);
    expect((await status(w, "s/auth")).bufferedRows).toBe(0);
    // Browser producers: the preflight allows the Idempotency-Key header.
    const pre = await w.api("api/tables/s/auth/ingest", {
      method: "OPTIONS",
      headers: { Origin: "https://page.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type,idempotency-key" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("Access-Control-Allow-Headers")).toMatch(/Idempotency-Key/);
  });
});

/** A queue message as Miniflare's dispatcher takes it. */
function message(id: string, body: unknown, attempts = 1) {
  return { id, timestamp: new Date(), attempts, body };
}

interface QueueResult {
  outcome: string;
  explicitAcks: string[];
  retryMessages: { msgId: string }[];
}

async function deliver(messages: ReturnType<typeof message>[]): Promise<QueueResult> {
  const worker = (await w.mf.getWorker()) as unknown as { queue(name: string, messages: unknown[]): Promise<QueueResult> };
  return worker.queue("delta-edge-ingest", messages);
}

describe.runIf(availability.available)("the ingest queue consumer", () => {
  it("commits a batch once per table, acknowledges it, and adds nothing when the batch is delivered again", async () => {
    await createTable(w, "q/a", [{ id: 0, name: "zero" }]);
    await createTable(w, "q/b", [{ id: 0, name: "zero" }]);
    const batch = [
      message("m1", { table: "q/a", rows: makeRows(1, 2) }),
      message("m2", JSON.stringify({ table: "q/a", rows: makeRows(3, 2) })),
      message("m3", { table: "q/b", rows: makeRows(1, 1) }),
    ];
    const first = await deliver(batch);
    expect(first.explicitAcks.sort()).toEqual(["m1", "m2", "m3"]);
    expect(first.retryMessages).toEqual([]);
    expect(await commitVersions(w, "q/a")).toEqual([0, 1]);
    expect(await commitVersions(w, "q/b")).toEqual([0, 1]);
    const [txn] = await commitTxns(w, "q/a", 1);
    expect(txn?.appId).toMatch(/^delta-edge-queue\/delta-edge-ingest\/[0-9a-f]{32}$/);
    // Redelivery (the consumer died after committing): acknowledged, nothing added.
    const again = await deliver(batch.map((m) => ({ ...m, attempts: 2 })));
    expect(again.explicitAcks.sort()).toEqual(["m1", "m2", "m3"]);
    expect(await commitVersions(w, "q/a")).toEqual([0, 1]);
    expect(await tableRows(w, "q/a")).toEqual([{ id: 0, name: "zero" }, ...makeRows(1, 4)]);
    expect(await tableRows(w, "q/b")).toEqual([{ id: 0, name: "zero" }, ...makeRows(1, 1)]);
  });

  it("retries only the messages that cannot be written (bad rows, bad shape, missing table)", async () => {
    await createTable(w, "q/c", [{ id: 0, name: "zero" }]);
    const result = await deliver([
      message("ok", { table: "q/c", rows: makeRows(1, 2) }),
      message("bad-row", { table: "q/c", rows: [{ id: "x", name: "y" }] }),
      message("bad-shape", { rows: [] }),
      message("no-table", { table: "q/missing", rows: makeRows(1, 1) }),
    ]);
    expect(result.explicitAcks).toEqual(["ok"]);
    expect(result.retryMessages.map((m) => m.msgId).sort()).toEqual(["bad-row", "bad-shape", "no-table"]);
    expect(await tableRows(w, "q/c")).toEqual([{ id: 0, name: "zero" }, ...makeRows(1, 2)]);
  });

  it("consumes what the producer binding sends (local queue delivery)", async () => {
    await createTable(w, "q/live", [{ id: 0, name: "zero" }]);
    const producer = (await w.mf.getQueueProducer("INGEST_QUEUE")) as unknown as { send(body: unknown): Promise<void> };
    await producer.send({ table: "q/live", rows: makeRows(1, 2) });
    await producer.send({ table: "q/live", rows: makeRows(3, 1) });
    const rows = await waitFor("the queued rows", async () => {
      const r = await tableRows(w, "q/live");
      return r.length === 4 ? r : undefined;
    });
    expect(rows).toEqual([{ id: 0, name: "zero" }, ...makeRows(1, 3)]);
  });
});
