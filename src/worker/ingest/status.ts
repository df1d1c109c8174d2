/**
 * The JSON of `GET /api/tables/:schema/:table/ingest`: what the table's ingest object holds and
 * how far behind the table it is. `lagMs` is the age of the oldest acknowledged row not yet in
 * the table (0 when the buffer is empty); `lastFlushedVersion` is the table version of the last
 * flush's commit; `pendingFlush` and `lastError` show a flush being retried.
 */
import type { IngestBuffer } from "./buffer.js";
import type { IngestSettings } from "./settings.js";

/** What the status is built from besides the buffer. */
export interface StatusInput {
  buffer: IngestBuffer;
  table: string;
  objectId: string;
  settings: IngestSettings;
  flushing: boolean;
  nextFlushAt: number | null;
  now: number;
}

/** The status document. */
export function ingestStatus(input: StatusInput): Record<string, unknown> {
  const { buffer, settings, now } = input;
  const totals = buffer.totals();
  const state = buffer.flushState();
  const keys = buffer.keyStats();
  const rejected = buffer.rejectedStats();
  return {
    table: input.table,
    objectId: input.objectId,
    bufferedRows: totals.rows,
    bufferedBytes: totals.bytes,
    bufferedPieces: totals.pieces,
    lagMs: totals.oldestAt === undefined ? 0 : Math.max(0, now - totals.oldestAt),
    flushing: input.flushing,
    nextFlushAt: input.nextFlushAt === null ? null : new Date(input.nextFlushAt).toISOString(),
    lastFlushSequence: state.next - 1,
    lastFlushedVersion: state.last?.version ?? null,
    lastFlush: state.last === undefined ? null : { ...state.last, at: new Date(state.last.at).toISOString() },
    pendingFlush: state.pending ?? null,
    lastError: state.error === undefined ? null : { ...state.error, at: new Date(state.error.at).toISOString() },
    consecutiveFailures: state.failures,
    rejected: { pieces: rejected.pieces, rows: rejected.rows, lastReason: rejected.lastReason ?? null },
    idempotency: { keys: keys.keys, oldestKeyAgeMs: keys.oldestAt === undefined ? null : now - keys.oldestAt, ttlSeconds: settings.keyTtlMs / 1000, maxKeys: settings.maxKeys },
    settings: {
      flushRows: settings.flushRows,
      flushBytes: settings.flushBytes,
      flushDelayMs: settings.flushDelayMs,
      maxBufferBytes: settings.maxBufferBytes,
      retryMaxMs: settings.retryMaxMs,
    },
  };
}
