/**
 * The durable buffer of one DeltaIngest object, in its SQLite storage: acknowledged row pieces
 * (Arrow IPC, conformed to the table schema, in acknowledgement order), the Idempotency-Keys seen
 * with what they added, pieces moved aside because they can no longer be written (rejected), and
 * the flush state (next flush sequence, the flush in progress, the last one, the last error).
 * Every change that must be atomic is one `transactionSync`: a request's pieces and its key, a
 * flush's deletion of its pieces and its state. Counters are kept in memory, recomputed on load.
 * It knows nothing about Delta; flush.ts decides what to commit.
 */
import type { DurableObjectStorageLike, SqlValue } from "./runtime.js";

/** One stored piece of acknowledged rows. */
export interface Piece {
  seq: number;
  rows: number;
  bytes: number;
  /** Fingerprint of the table schema the piece was conformed to. */
  schemaId: string;
  /** When it was acknowledged (ms). */
  at: number;
  ipc: Uint8Array;
}

/** A piece to store (seq assigned on insert). */
export type NewPiece = Omit<Piece, "seq">;

/** What an Idempotency-Key added. */
export interface KeyRecord {
  key: string;
  /** SHA-256 of the request (content type and body). */
  digest: string;
  rows: number;
  firstSeq: number;
  lastSeq: number;
  at: number;
}

/** The flush in progress: fixed before anything is written, so a retry commits the same rows. */
export interface PendingFlush {
  /** Flush sequence number = the txn version of its commit. */
  seq: number;
  /** The pieces with seq <= upTo (still buffered) are this flush. */
  upTo: number;
  rows: number;
  bytes: number;
  createdAt: number;
  attempts: number;
}

/** The last flush that finished. */
export interface LastFlush {
  seq: number;
  /** "committed": by this attempt; "already-committed": found in the log (a replay); "nothing": every piece was rejected. */
  outcome: "committed" | "already-committed" | "nothing";
  /** The table version of the commit (for "already-committed": the version the log was read at). */
  version: number | null;
  rows: number;
  files: number;
  bytes: number;
  at: number;
  durationMs: number;
}

/** The last failed flush attempt. */
export interface FlushError {
  seq: number;
  code: string;
  message: string;
  at: number;
}

/** Flush bookkeeping (one JSON value, written atomically with the buffer changes it goes with). */
export interface FlushState {
  /** Sequence number the next new flush gets. */
  next: number;
  /** Every piece with seq <= this was committed (or rejected). */
  flushedThrough: number;
  pending?: PendingFlush | undefined;
  last?: LastFlush | undefined;
  error?: FlushError | undefined;
  /** Consecutive failed attempts (0 after a success). */
  failures: number;
}

/** Buffered totals. */
export interface BufferTotals {
  pieces: number;
  rows: number;
  bytes: number;
  /** Acknowledgement time of the oldest buffered piece, or undefined when empty. */
  oldestAt: number | undefined;
  /** Sequence of the newest buffered piece (0 when empty). */
  lastSeq: number;
}

/** The outcome of an append. */
export type AppendOutcome = { kind: "added"; record: KeyRecord } | { kind: "duplicate"; record: KeyRecord };

const SCHEMA_SQL = [
  `CREATE TABLE IF NOT EXISTS ingest_rows (seq INTEGER PRIMARY KEY AUTOINCREMENT, rows INTEGER NOT NULL, bytes INTEGER NOT NULL, schema_id TEXT NOT NULL, at INTEGER NOT NULL, ipc BLOB NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS ingest_keys (key TEXT PRIMARY KEY, digest TEXT NOT NULL, rows INTEGER NOT NULL, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL, at INTEGER NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS ingest_keys_by_at ON ingest_keys (at)`,
  `CREATE TABLE IF NOT EXISTS ingest_rejected (seq INTEGER PRIMARY KEY, rows INTEGER NOT NULL, bytes INTEGER NOT NULL, schema_id TEXT NOT NULL, at INTEGER NOT NULL, ipc BLOB NOT NULL, reason TEXT NOT NULL, rejected_at INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS ingest_state (name TEXT PRIMARY KEY, value TEXT NOT NULL)`,
];

type Row = Record<string, SqlValue>;

/** The SQLite-backed buffer of one ingest object. */
export class IngestBuffer {
  private readonly storage: DurableObjectStorageLike;
  private totalsCache: BufferTotals = { pieces: 0, rows: 0, bytes: 0, oldestAt: undefined, lastSeq: 0 };

  constructor(storage: DurableObjectStorageLike) {
    this.storage = storage;
  }

  /** Creates the tables when missing and loads the counters. */
  init(): void {
    for (const statement of SCHEMA_SQL) this.storage.sql.exec(statement);
    this.recount();
  }

  /** Buffered totals (from memory). */
  totals(): BufferTotals {
    return { ...this.totalsCache };
  }

  /** The record of a key, if it is remembered. */
  findKey(key: string): KeyRecord | undefined {
    const row = this.storage.sql.exec<Row>("SELECT key, digest, rows, first_seq, last_seq, at FROM ingest_keys WHERE key = ?", key).toArray()[0];
    return row === undefined ? undefined : keyRecord(row);
  }

  /**
   * Stores a request's pieces and its key in one transaction, unless the key is already there
   * (then nothing is stored and the earlier record is returned).
   */
  append(key: string, digest: string, pieces: readonly NewPiece[], at: number): AppendOutcome {
    const outcome = this.storage.transactionSync((): AppendOutcome => {
      const existing = this.findKey(key);
      if (existing !== undefined) return { kind: "duplicate", record: existing };
      let first = 0;
      let last = 0;
      let rows = 0;
      for (const p of pieces) {
        const seq = this.storage.sql
          .exec<{ seq: number }>("INSERT INTO ingest_rows (rows, bytes, schema_id, at, ipc) VALUES (?, ?, ?, ?, ?) RETURNING seq", p.rows, p.bytes, p.schemaId, p.at, p.ipc)
          .one().seq;
        if (first === 0) first = seq;
        last = seq;
        rows += p.rows;
      }
      this.storage.sql.exec("INSERT INTO ingest_keys (key, digest, rows, first_seq, last_seq, at) VALUES (?, ?, ?, ?, ?, ?)", key, digest, rows, first, last, at);
      return { kind: "added", record: { key, digest, rows, firstSeq: first, lastSeq: last, at } };
    });
    if (outcome.kind === "added") {
      const t = this.totalsCache;
      t.lastSeq = Math.max(t.lastSeq, outcome.record.lastSeq);
      for (const p of pieces) {
        t.pieces++;
        t.rows += p.rows;
        t.bytes += p.bytes;
        t.oldestAt = t.oldestAt === undefined ? p.at : Math.min(t.oldestAt, p.at);
      }
    }
    return outcome;
  }

  /** The newest pieces' cut for a new flush: buffered pieces in order up to `maxBytes` (at least one). */
  cut(maxBytes: number): { upTo: number; rows: number; bytes: number } | undefined {
    let upTo = 0;
    let rows = 0;
    let bytes = 0;
    for (const r of this.storage.sql.exec<{ seq: number; rows: number; bytes: number }>("SELECT seq, rows, bytes FROM ingest_rows ORDER BY seq")) {
      if (upTo !== 0 && bytes + r.bytes > maxBytes) break;
      upTo = r.seq;
      rows += r.rows;
      bytes += r.bytes;
    }
    return upTo === 0 ? undefined : { upTo, rows, bytes };
  }

  /** The buffered pieces with seq <= upTo, in order. */
  pieces(upTo: number): Piece[] {
    return this.storage.sql
      .exec<Row>("SELECT seq, rows, bytes, schema_id, at, ipc FROM ingest_rows WHERE seq <= ? ORDER BY seq", upTo)
      .toArray()
      .map(pieceOf);
  }

  /** Moves pieces out of the buffer into the rejected store, with the reason (one transaction). */
  reject(seqs: readonly number[], reason: string, at: number): void {
    if (seqs.length === 0) return;
    this.storage.transactionSync(() => {
      for (const seq of seqs) {
        this.storage.sql.exec(
          "INSERT OR REPLACE INTO ingest_rejected (seq, rows, bytes, schema_id, at, ipc, reason, rejected_at) SELECT seq, rows, bytes, schema_id, at, ipc, ?, ? FROM ingest_rows WHERE seq = ?",
          reason.slice(0, 2000),
          at,
          seq,
        );
        this.storage.sql.exec("DELETE FROM ingest_rows WHERE seq = ?", seq);
      }
    });
    this.recount();
  }

  /** The flush state (a fresh one before the first flush). */
  flushState(): FlushState {
    return (this.getState("flush") as FlushState | undefined) ?? { next: 1, flushedThrough: 0, failures: 0 };
  }

  /** Saves the flush state. */
  setFlushState(state: FlushState): void {
    this.setState("flush", state);
  }

  /** Drops the pieces a flush committed and saves the new state, in one transaction. */
  finishFlush(upTo: number, state: FlushState): void {
    this.storage.transactionSync(() => {
      this.storage.sql.exec("DELETE FROM ingest_rows WHERE seq <= ?", upTo);
      this.setState("flush", state);
    });
    this.recount();
  }

  /**
   * Forgets keys whose rows are flushed and that are older than `before`, then the oldest flushed
   * keys beyond `maxKeys`. Keys of rows still buffered are always kept (a retry must not add them twice).
   */
  pruneKeys(before: number, maxKeys: number, flushedThrough: number): void {
    this.storage.sql.exec("DELETE FROM ingest_keys WHERE at < ? AND last_seq <= ?", before, flushedThrough);
    const count = this.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM ingest_keys").one().n;
    if (count > maxKeys) {
      this.storage.sql.exec(
        "DELETE FROM ingest_keys WHERE key IN (SELECT key FROM ingest_keys WHERE last_seq <= ? ORDER BY at LIMIT ?)",
        flushedThrough,
        count - maxKeys,
      );
    }
  }

  /** How many keys are remembered, and the oldest one's time. */
  keyStats(): { keys: number; oldestAt: number | undefined } {
    const r = this.storage.sql.exec<{ n: number; oldest: number | null }>("SELECT count(*) AS n, min(at) AS oldest FROM ingest_keys").one();
    return { keys: r.n, oldestAt: r.oldest ?? undefined };
  }

  /** Totals of the rejected store and the newest reason. */
  rejectedStats(): { pieces: number; rows: number; lastReason: string | undefined } {
    const r = this.storage.sql.exec<{ n: number; rows: number | null }>("SELECT count(*) AS n, sum(rows) AS rows FROM ingest_rejected").one();
    const last = this.storage.sql.exec<{ reason: string }>("SELECT reason FROM ingest_rejected ORDER BY rejected_at DESC, seq DESC LIMIT 1").toArray()[0];
    return { pieces: r.n, rows: r.rows ?? 0, lastReason: last?.reason };
  }

  /** The oldest `limit` rejected pieces in order, with their reasons. */
  rejectedPieces(limit: number): (Piece & { reason: string; rejectedAt: number })[] {
    return this.storage.sql
      .exec<Row>("SELECT seq, rows, bytes, schema_id, at, ipc, reason, rejected_at FROM ingest_rejected ORDER BY seq LIMIT ?", limit)
      .toArray()
      .map((r) => ({ ...pieceOf(r), reason: r.reason as string, rejectedAt: r.rejected_at as number }));
  }

  /** Forgets the rejected pieces with seq <= through; returns how many pieces and rows. */
  clearRejected(through: number): { pieces: number; rows: number } {
    return this.storage.transactionSync(() => {
      const r = this.storage.sql.exec<{ n: number; rows: number | null }>("SELECT count(*) AS n, sum(rows) AS rows FROM ingest_rejected WHERE seq <= ?", through).one();
      this.storage.sql.exec("DELETE FROM ingest_rejected WHERE seq <= ?", through);
      return { pieces: r.n, rows: r.rows ?? 0 };
    });
  }

  /** Whether any piece in [first, last] was rejected. */
  wasRejected(first: number, last: number): boolean {
    return this.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM ingest_rejected WHERE seq BETWEEN ? AND ?", first, last).one().n > 0;
  }

  /** A JSON state value. */
  getState(name: string): unknown {
    const row = this.storage.sql.exec<{ value: string }>("SELECT value FROM ingest_state WHERE name = ?", name).toArray()[0];
    return row === undefined ? undefined : JSON.parse(row.value);
  }

  /** Sets a JSON state value. */
  setState(name: string, value: unknown): void {
    this.storage.sql.exec("INSERT OR REPLACE INTO ingest_state (name, value) VALUES (?, ?)", name, JSON.stringify(value));
  }

  private recount(): void {
    const r = this.storage.sql
      .exec<{ n: number; rows: number | null; bytes: number | null; oldest: number | null; last: number | null }>(
        "SELECT count(*) AS n, sum(rows) AS rows, sum(bytes) AS bytes, min(at) AS oldest, max(seq) AS last FROM ingest_rows",
      )
      .one();
    this.totalsCache = { pieces: r.n, rows: r.rows ?? 0, bytes: r.bytes ?? 0, oldestAt: r.oldest ?? undefined, lastSeq: r.last ?? 0 };
  }
}

function keyRecord(r: Row): KeyRecord {
  return { key: r.key as string, digest: r.digest as string, rows: r.rows as number, firstSeq: r.first_seq as number, lastSeq: r.last_seq as number, at: r.at as number };
}

function pieceOf(r: Row): Piece {
  return { seq: r.seq as number, rows: r.rows as number, bytes: r.bytes as number, schemaId: r.schema_id as string, at: r.at as number, ipc: bytesOf(r.ipc ?? null) };
}

function bytesOf(v: SqlValue): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  throw new Error("ingest buffer: a stored piece is not a BLOB");
}
