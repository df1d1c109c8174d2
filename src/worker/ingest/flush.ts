/**
 * One flush of an ingest buffer: the buffered pieces become one Delta commit carrying a `txn`
 * action (appId = the object's id, version = the flush sequence), so a flush that is retried after
 * a crash or an eviction, when its commit had already landed, is recognised and not committed
 * again. Order of a flush, and what a crash at each step leaves:
 *   1. read the table's latest snapshot and our appId's txn version in it;
 *   2. a flush left pending by an earlier attempt whose txn is in the log was committed: forget its
 *      pieces and stop (crash between commit and bookkeeping);
 *   3. otherwise fix the flush (sequence, last piece) in storage and make it durable before any
 *      object is written, so every retry commits exactly the same pieces;
 *   4. check the pieces against the table's current schema; pieces that no longer fit (the schema
 *      changed since they were acknowledged) are moved to the rejected store instead of blocking
 *      the table; after MAX_DATA_ATTEMPTS attempts failing on the data itself, all of the flush's
 *      pieces are moved there (kept, with the reason, visible in the status);
 *   5. writeTable(append, snapshot from step 1, txn) writes the data files and the commit;
 *   6. delete the pieces and advance the sequence in one storage transaction.
 * A new flush takes sequence max(next, txn in the log + 1), so a lost or rolled-back buffer never
 * reuses a sequence the table has already seen (that would silently skip new rows).
 */
import { DeltaError } from "../../core/errors.js";
import type { ObjectStore } from "../../core/storage/object-store.js";
import { loadSnapshot } from "../../core/table/snapshot-load.js";
import type { Snapshot } from "../../core/table/snapshot.js";
import { validateDataSchema } from "../../core/write/data-validate.js";
import { writeTable } from "../../core/write/write-table.js";
import { WORKER_TARGET_FILE_SIZE } from "../env.js";
import type { FlushError, FlushState, IngestBuffer, LastFlush, PendingFlush } from "./buffer.js";
import { decodePieces, tableTarget } from "./conform.js";
import type { IngestSettings } from "./settings.js";
import type { RecordBatch } from "apache-arrow";

/** Attempts of one flush failing on its data before its pieces are moved to the rejected store. */
export const MAX_DATA_ATTEMPTS = 3;

/** Error codes that point at the rows themselves rather than at storage or the table. */
const DATA_ERROR_CODES = new Set(["INVALID_INPUT", "PARQUET_WASM"]);

/** What a flush needs. */
export interface FlushContext {
  buffer: IngestBuffer;
  /** The table's store. */
  store: ObjectStore;
  /** The txn appId of this buffer (the object's id). */
  appId: string;
  settings: IngestSettings;
  now: () => number;
  /** Resolves once storage writes made so far are durable. */
  sync: () => Promise<void>;
  /** Sees every snapshot a flush loads (the object caches its schema). */
  onSnapshot?: (snapshot: Snapshot) => void;
  /** Called with the sequence once the flush is fixed, and once its commit is done (fault points). */
  beforeCommit?: (seq: number) => Promise<void>;
  afterCommit?: (seq: number) => Promise<void>;
}

/** The result of {@link flushOnce}. */
export type FlushOutcome = { kind: "idle" } | { kind: "flushed"; last: LastFlush } | { kind: "failed"; error: FlushError; failures: number };

/** Flushes the oldest buffered pieces (up to `flushBytes`) as one commit. Never throws. */
export async function flushOnce(ctx: FlushContext): Promise<FlushOutcome> {
  const { buffer } = ctx;
  const started = ctx.now();
  let state = buffer.flushState();
  let seq = state.pending?.seq ?? state.next;
  try {
    const snapshot = await loadSnapshot({ store: ctx.store });
    ctx.onSnapshot?.(snapshot);
    const seen = snapshot.appTransactionVersion(ctx.appId, ctx.now());
    let pending = state.pending;
    if (pending !== undefined && seen !== undefined && seen >= pending.seq) {
      return finish(ctx, state, pending, { outcome: "already-committed", version: snapshot.version, files: 0, bytes: 0 }, started);
    }
    if (pending === undefined) {
      const cut = buffer.cut(ctx.settings.flushBytes);
      if (cut === undefined) return { kind: "idle" };
      pending = { seq: Math.max(state.next, (seen ?? 0) + 1), upTo: cut.upTo, rows: cut.rows, bytes: cut.bytes, createdAt: started, attempts: 0 };
    }
    seq = pending.seq;
    const giveUp = pending.attempts >= MAX_DATA_ATTEMPTS && state.error !== undefined && DATA_ERROR_CODES.has(state.error.code);
    pending = { ...pending, attempts: pending.attempts + 1 };
    state = { ...state, pending };
    buffer.setFlushState(state);
    await ctx.sync();
    if (giveUp) {
      const seqs = buffer.pieces(pending.upTo).map((p) => p.seq);
      buffer.reject(seqs, `flush ${seq} failed ${pending.attempts - 1} times on its data: ${state.error?.message ?? ""}`, ctx.now());
      return finish(ctx, state, pending, { outcome: "nothing", version: null, files: 0, bytes: 0 }, started);
    }
    const batches = await checkedBatches(ctx, snapshot, pending);
    if (batches.length === 0) return finish(ctx, state, pending, { outcome: "nothing", version: null, files: 0, bytes: 0 }, started);
    await ctx.beforeCommit?.(seq);
    const result = await writeTable({
      store: ctx.store,
      snapshot,
      data: batches,
      mode: "append",
      appTransaction: { appId: ctx.appId, version: seq },
      targetFileSize: WORKER_TARGET_FILE_SIZE,
    });
    await ctx.afterCommit?.(seq);
    const committed = result.status === "committed";
    return finish(
      ctx,
      state,
      { ...pending, rows: batches.reduce((n, b) => n + b.numRows, 0) },
      { outcome: committed ? "committed" : "already-committed", version: result.version, files: committed ? result.files.length : 0, bytes: committed ? result.bytes : 0 },
      started,
    );
  } catch (error) {
    const failure: FlushError = { seq, code: error instanceof DeltaError ? error.code : "INTERNAL", message: error instanceof Error ? error.message : String(error), at: ctx.now() };
    const failures = state.failures + 1;
    buffer.setFlushState({ ...state, error: failure, failures });
    return { kind: "failed", error: failure, failures };
  }
}

/**
 * The pending pieces conformed to the snapshot's schema; pieces that do not fit it are moved to
 * the rejected store (made durable before the commit, so a replay sees the same set).
 */
async function checkedBatches(ctx: FlushContext, snapshot: Snapshot, pending: PendingFlush): Promise<RecordBatch[]> {
  const target = await tableTarget(snapshot, ctx.store.root);
  const out: RecordBatch[] = [];
  let rejected = 0;
  for (const group of decodePieces(ctx.buffer.pieces(pending.upTo))) {
    let conformer: ReturnType<typeof validateDataSchema>;
    try {
      conformer = validateDataSchema({ arrowSchema: group.schema, schema: target.schema });
    } catch (error) {
      ctx.buffer.reject(group.seqs, rejectReason(snapshot, error), ctx.now());
      rejected += group.seqs.length;
      continue;
    }
    group.seqs.forEach((seq, i) => {
      try {
        out.push(...(group.batches[i] ?? []).map((b) => conformer.conform(b)));
      } catch (error) {
        ctx.buffer.reject([seq], rejectReason(snapshot, error), ctx.now());
        rejected++;
      }
    });
  }
  if (rejected > 0) await ctx.sync();
  return out;
}

function rejectReason(snapshot: Snapshot, error: unknown): string {
  return `does not fit the table schema of version ${snapshot.version}: ${error instanceof Error ? error.message : String(error)}`;
}

/** Forgets the flushed pieces, advances the sequence and prunes old keys. */
function finish(
  ctx: FlushContext,
  state: FlushState,
  pending: PendingFlush,
  result: Pick<LastFlush, "outcome" | "version" | "files" | "bytes">,
  started: number,
): FlushOutcome {
  const at = ctx.now();
  const last: LastFlush = { seq: pending.seq, ...result, rows: result.outcome === "nothing" ? 0 : pending.rows, at, durationMs: at - started };
  const flushedThrough = Math.max(state.flushedThrough, pending.upTo);
  ctx.buffer.finishFlush(pending.upTo, { next: pending.seq + 1, flushedThrough, last, failures: 0 });
  ctx.buffer.pruneKeys(at - ctx.settings.keyTtlMs, ctx.settings.maxKeys, flushedThrough);
  return { kind: "flushed", last };
}
