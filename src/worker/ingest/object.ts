/**
 * DeltaIngest: the Durable Object that owns ingestion into one table (one object per table, named
 * after its path). It acknowledges a request only once the request's rows are durable in its
 * SQLite storage (`storage.sync()`, besides the runtime's output gate), and a repeated
 * Idempotency-Key is acknowledged again without adding rows. A storage alarm flushes the buffer
 * when it reaches `flushRows` rows or `flushBytes` bytes, or `flushDelayMs` after the oldest row
 * arrived; each flush is one Delta commit (flush.ts). A failed flush keeps its rows and is retried
 * with backoff. The Worker (route.ts) authorizes requests before they reach the object.
 *
 * Internal requests (from route.ts): POST /ingest (rows), GET /ingest (status), POST /flush,
 * GET /rejected, POST /rejected?through=, each with the `X-Delta-Edge-Table` header naming the table.
 */
import { InvalidInputError, NotFoundError } from "../../core/errors.js";
import { loadSnapshot } from "../../core/table/snapshot-load.js";
import { isNoTableError } from "../../core/table/open.js";
import type { Snapshot } from "../../core/table/snapshot.js";
import { bodyBatches, bodyFormat } from "../body.js";
import { tableStore } from "../env.js";
import { errorResponse, HttpError, jsonResponse } from "../http.js";
import { useWorkerParquetWasm } from "../wasm.js";
import { IngestBuffer, type KeyRecord } from "./buffer.js";
import { conformBatches, encodePieces, sha256Hex, tableTarget, type TableTarget } from "./conform.js";
import { Faults } from "./faults.js";
import { flushOnce, type FlushOutcome } from "./flush.js";
import { FlushSchedule } from "./schedule.js";
import { ingestSettings, type IngestEnv, type IngestSettings } from "./settings.js";
import { clearRejected, rejectedRows } from "./rejected.js";
import { ingestStatus } from "./status.js";
import type { DurableObjectStateLike } from "./runtime.js";
import { readTableHeader, type TableRef } from "./table-ref.js";

/** A cached schema older than this is re-read before rows that do not fit it are refused. */
const SCHEMA_RECHECK_MS = 1_000;
/** A cached schema is re-read at least this often (flushes refresh it too). */
const SCHEMA_MAX_AGE_MS = 60_000;
/** Bound on the commits one forced flush makes. */
const MAX_FORCED_FLUSHES = 10_000;

/** The ingest Durable Object (wrangler.toml: binding INGEST, class DeltaIngest, SQLite storage). */
export class DeltaIngest {
  private readonly ctx: DurableObjectStateLike;
  private readonly env: IngestEnv;
  private readonly buffer: IngestBuffer;
  private readonly faults: Faults;
  private readonly ready: Promise<void>;
  private settingsCache: IngestSettings | undefined;
  private table: TableRef | undefined;
  private schema: { snapshot: Snapshot; at: number; target: Promise<TableTarget> } | undefined;
  private flushing: Promise<FlushOutcome> | undefined;
  private readonly schedule: FlushSchedule;

  constructor(ctx: DurableObjectStateLike, env: IngestEnv) {
    this.ctx = ctx;
    this.env = env;
    this.buffer = new IngestBuffer(ctx.storage);
    this.faults = new Faults(env.INGEST_TEST_FAULTS, {
      fired: (marker) => this.buffer.getState(marker) !== undefined,
      mark: (marker) => this.buffer.setState(marker, true),
      sync: () => this.sync(),
      abort: (reason) => ctx.abort?.(reason),
    });
    this.schedule = new FlushSchedule(ctx.storage, () => this.settings());
    useWorkerParquetWasm();
    this.ready = ctx.blockConcurrencyWhile(async () => {
      this.buffer.init();
      this.table = this.buffer.getState("table") as TableRef | undefined;
      await this.schedule.load(this.buffer.flushState());
      // Rows acknowledged before a crash that came before their alarm was set.
      if (this.buffer.totals().pieces > 0 && this.schedule.alarmAt === null) await this.reschedule();
    });
  }

  /** Internal requests from the Worker (route.ts). */
  async fetch(request: Request): Promise<Response> {
    try {
      await this.ready;
      this.bindTable(readTableHeader(request));
      const path = new URL(request.url).pathname;
      if (path === "/ingest" && request.method === "POST") return await this.ingest(request);
      if (path === "/ingest" && request.method === "GET") return this.status();
      if (path === "/flush" && request.method === "POST") return await this.forceFlush();
      if (path === "/rejected" && request.method === "GET") return rejectedRows(this.buffer, new URL(request.url).searchParams);
      if (path === "/rejected" && request.method === "POST") return clearRejected(this.buffer, new URL(request.url).searchParams);
      throw new HttpError(404, "NOT_FOUND", `no ingest operation ${request.method} ${path}`);
    } catch (error) {
      return errorResponse(error);
    }
  }

  /** The storage alarm: flush what is due, then schedule the next alarm. Never throws. */
  async alarm(): Promise<void> {
    await this.ready;
    this.schedule.fired();
    if (this.table !== undefined) await this.flush();
    await this.reschedule();
  }

  private settings(): IngestSettings {
    return (this.settingsCache ??= ingestSettings(this.env));
  }

  private bindTable(ref: TableRef): void {
    if (this.table === undefined) {
      this.buffer.setState("table", ref);
      this.table = ref;
    } else if (this.table.schema !== ref.schema || this.table.table !== ref.table) {
      throw new Error(`ingest object of ${this.table.schema}/${this.table.table} was sent a request for ${ref.schema}/${ref.table}`);
    }
  }

  private store() {
    const t = this.table as TableRef;
    return tableStore(this.env, t.schema, t.table);
  }

  /** POST /ingest: validate, persist, acknowledge. */
  private async ingest(request: Request): Promise<Response> {
    const key = request.headers.get("Idempotency-Key") ?? "";
    const contentType = request.headers.get("Content-Type");
    const format = bodyFormat(contentType);
    const body = new Uint8Array(await request.arrayBuffer());
    const digest = await requestDigest(contentType ?? "", body);
    const known = this.buffer.findKey(key);
    if (known !== undefined) return this.acknowledge(known, digest, true);
    const settings = this.settings();
    const totals = this.buffer.totals();
    if (totals.bytes >= settings.maxBufferBytes) {
      throw new HttpError(503, "INGEST_BACKLOG", `the ingest buffer holds ${totals.bytes} bytes (INGEST_MAX_BUFFER_BYTES ${settings.maxBufferBytes}); retry later with the same Idempotency-Key`, {
        "Retry-After": String(this.schedule.retryAfterSeconds()),
      });
    }
    let target = await this.target(false);
    let batches;
    try {
      batches = await conformBatches(bodyBatches(streamOf(body), format, target.schema), target.schema);
    } catch (error) {
      if (!(error instanceof InvalidInputError) || Date.now() - (this.schema?.at ?? 0) < SCHEMA_RECHECK_MS) throw error;
      target = await this.target(true); // the table's schema may have changed since it was cached
      batches = await conformBatches(bodyBatches(streamOf(body), format, target.schema), target.schema);
    }
    if (batches.length === 0) throw new InvalidInputError("the request has no rows");
    const now = Date.now();
    const outcome = this.buffer.append(key, digest, encodePieces(batches, target.schemaId, now), now);
    if (outcome.kind === "duplicate") return this.acknowledge(outcome.record, digest, true);
    // Durable before the acknowledgement: the output gate would hold the response anyway; this
    // does not depend on it.
    await this.sync();
    await this.faults.hit("after-append", key);
    await this.schedule.afterAppend(this.buffer.totals());
    return this.acknowledge(outcome.record, digest, false);
  }

  private acknowledge(record: KeyRecord, digest: string, duplicate: boolean): Response {
    if (record.digest !== digest) {
      throw new HttpError(422, "IDEMPOTENCY_KEY_REUSED", `Idempotency-Key '${record.key}' was already used for a different request (content type and body must be identical)`);
    }
    // A fresh append is neither committed nor rejected yet (no storage reads on the hot path).
    const rejected = duplicate && this.buffer.wasRejected(record.firstSeq, record.lastSeq);
    const committed = duplicate && !rejected && record.lastSeq <= this.buffer.flushState().flushedThrough;
    return jsonResponse(
      {
        status: "accepted",
        duplicate,
        key: record.key,
        rows: record.rows,
        committed,
        rejected,
        bufferedRows: this.buffer.totals().rows,
      },
      202,
    );
  }

  /** The table's schema (cached; `refresh` re-reads the log). */
  private async target(refresh: boolean): Promise<TableTarget> {
    const cached = this.schema;
    if (!refresh && cached !== undefined && Date.now() - cached.at < SCHEMA_MAX_AGE_MS) return cached.target;
    let snapshot: Snapshot;
    try {
      snapshot = await loadSnapshot({ store: this.store() });
    } catch (error) {
      if (isNoTableError(error)) {
        throw new NotFoundError("table not found: ingest appends to an existing table; create it first with POST /api/tables/:schema/:table", { path: this.store().root });
      }
      throw error;
    }
    return this.cacheSnapshot(snapshot);
  }

  private cacheSnapshot(snapshot: Snapshot): Promise<TableTarget> {
    if (this.schema !== undefined && this.schema.snapshot.metadata.schemaString === snapshot.metadata.schemaString && this.schema.snapshot.protocol === snapshot.protocol) {
      this.schema = { ...this.schema, snapshot, at: Date.now() };
      return this.schema.target;
    }
    const target = tableTarget(snapshot, this.store().root);
    target.catch(() => undefined);
    this.schema = { snapshot, at: Date.now(), target };
    return target;
  }

  /** One flush at a time; callers during a flush share its outcome. */
  private flush(): Promise<FlushOutcome> {
    this.flushing ??= (async () => {
      try {
        const outcome = await flushOnce({
          buffer: this.buffer,
          store: this.store(),
          appId: this.ctx.id.toString(),
          settings: this.settings(),
          now: Date.now,
          sync: () => this.sync(),
          onSnapshot: (snapshot) => void this.cacheSnapshot(snapshot),
          beforeCommit: async (seq) => {
            await this.faults.hit("before-commit", `${this.tableName()}#${seq}`);
            this.faults.badData(`${this.tableName()}#${seq}`);
          },
          afterCommit: (seq) => this.faults.hit("after-commit", `${this.tableName()}#${seq}`),
        });
        this.schedule.flushed(outcome.kind === "failed" ? outcome.failures : 0);
        if (outcome.kind === "failed") {
          console.warn(`delta-edge ingest: flush ${outcome.error.seq} failed (attempt ${outcome.failures}, retry in ${this.schedule.retryAfterSeconds()} s): ${outcome.error.message}`);
        }
        return outcome;
      } finally {
        this.flushing = undefined;
      }
    })();
    return this.flushing;
  }

  /** POST /flush: commits everything acknowledged before the call, then answers. */
  private async forceFlush(): Promise<Response> {
    const target = this.buffer.totals().lastSeq;
    let commits = 0;
    let rows = 0;
    let last: FlushOutcome | undefined;
    for (let i = 0; i < MAX_FORCED_FLUSHES && this.buffer.flushState().flushedThrough < target && this.buffer.totals().pieces > 0; i++) {
      last = await this.flush();
      if (last.kind === "idle") continue;
      if (last.kind === "failed") {
        await this.reschedule();
        throw new HttpError(503, "FLUSH_FAILED", `flush ${last.error.seq} failed: ${last.error.message} (the rows stay buffered and are retried)`, {
          "Retry-After": String(this.schedule.retryAfterSeconds()),
        });
      }
      if (last.last.outcome === "committed") commits++;
      rows += last.last.rows;
    }
    await this.reschedule();
    const state = this.buffer.flushState();
    return jsonResponse({ flushedRows: rows, commits, lastFlushSequence: state.next - 1, lastFlushedVersion: state.last?.version ?? null, bufferedRows: this.buffer.totals().rows });
  }

  private tableName(): string {
    const t = this.table as TableRef;
    return `${t.schema}/${t.table}`;
  }

  private status(): Response {
    return jsonResponse(
      ingestStatus({
        buffer: this.buffer,
        table: this.tableName(),
        objectId: this.ctx.id.toString(),
        settings: this.settings(),
        flushing: this.flushing !== undefined,
        nextFlushAt: this.schedule.alarmAt,
        now: Date.now(),
      }),
    );
  }

  private reschedule(): Promise<void> {
    return this.schedule.reschedule(this.buffer.totals());
  }

  private async sync(): Promise<void> {
    await this.ctx.storage.sync?.();
  }
}

/** SHA-256 (hex) of a request's content type and body: a reused key must come with the same request. */
function requestDigest(contentType: string, body: Uint8Array): Promise<string> {
  const head = new TextEncoder().encode(`${contentType.trim().toLowerCase()}\n`);
  const all = new Uint8Array(head.byteLength + body.byteLength);
  all.set(head);
  all.set(body, head.byteLength);
  return sha256Hex(all);
}

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      if (bytes.byteLength > 0) controller.enqueue(bytes);
      controller.close();
    },
  });
}

