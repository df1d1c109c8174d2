/**
 * Settings of the ingest path, from Worker vars (wrangler.toml `[vars]`, all optional): when a
 * table's DeltaIngest object flushes (rows, bytes, delay), how much it may buffer before it
 * refuses more (backpressure), how long it remembers Idempotency-Keys, and how it backs off after
 * a failed flush. Values are checked when read: a bad setting is a clear error, never a silent
 * default. Also the environment the object and the queue consumer see (IngestEnv).
 */
import type { Env } from "../env.js";
import type { DurableObjectNamespaceLike } from "./runtime.js";

/** The Worker environment of the ingest path: the base bindings plus its own vars. */
export interface IngestEnv extends Env {
  /** The DeltaIngest Durable Object namespace (`[[durable_objects.bindings]] name = "INGEST"`). */
  INGEST?: DurableObjectNamespaceLike;
  INGEST_FLUSH_ROWS?: string;
  INGEST_FLUSH_BYTES?: string;
  INGEST_FLUSH_DELAY_MS?: string;
  INGEST_MAX_BUFFER_BYTES?: string;
  INGEST_KEY_TTL_SECONDS?: string;
  INGEST_MAX_KEYS?: string;
  INGEST_RETRY_MAX_MS?: string;
  /** Tests only: fault points (faults.ts). Never set in a deployment. */
  INGEST_TEST_FAULTS?: string;
}

/** Resolved ingest settings. */
export interface IngestSettings {
  /** Flush once this many rows are buffered. */
  flushRows: number;
  /** Flush once this many bytes (Arrow IPC, as stored) are buffered; also the most one flush takes. */
  flushBytes: number;
  /** Flush at the latest this long after the oldest buffered row was acknowledged. */
  flushDelayMs: number;
  /** Refuse new rows (503, Retry-After) while this many bytes are buffered. */
  maxBufferBytes: number;
  /** Idempotency-Keys are remembered at least this long (unless more than maxKeys arrive)... */
  keyTtlMs: number;
  /** ...and at most this many of them (the oldest are forgotten first). */
  maxKeys: number;
  /** Longest wait between retries of a failing flush (backoff doubles from 1 s up to this). */
  retryMaxMs: number;
}

/** Defaults: about 2 s to readability under light load, 8 MiB files under heavy load. */
export const DEFAULT_INGEST_SETTINGS: Readonly<IngestSettings> = {
  flushRows: 100_000,
  flushBytes: 8 * 1024 * 1024,
  flushDelayMs: 2_000,
  maxBufferBytes: 256 * 1024 * 1024,
  keyTtlMs: 24 * 3600 * 1000,
  maxKeys: 1_000_000,
  retryMaxMs: 60_000,
};

/** The settings the vars select (defaults for unset ones). */
export function ingestSettings(env: IngestEnv): IngestSettings {
  const d = DEFAULT_INGEST_SETTINGS;
  return {
    flushRows: intVar(env, "INGEST_FLUSH_ROWS", d.flushRows, 1, 10_000_000),
    flushBytes: intVar(env, "INGEST_FLUSH_BYTES", d.flushBytes, 1024, 64 * 1024 * 1024),
    flushDelayMs: intVar(env, "INGEST_FLUSH_DELAY_MS", d.flushDelayMs, 0, 3_600_000),
    maxBufferBytes: intVar(env, "INGEST_MAX_BUFFER_BYTES", d.maxBufferBytes, 1024, 8 * 1024 ** 3),
    keyTtlMs: intVar(env, "INGEST_KEY_TTL_SECONDS", d.keyTtlMs / 1000, 1, 30 * 86_400) * 1000,
    maxKeys: intVar(env, "INGEST_MAX_KEYS", d.maxKeys, 1, 100_000_000),
    retryMaxMs: intVar(env, "INGEST_RETRY_MAX_MS", d.retryMaxMs, 1_000, 3_600_000),
  };
}

type IntVar = "INGEST_FLUSH_ROWS" | "INGEST_FLUSH_BYTES" | "INGEST_FLUSH_DELAY_MS" | "INGEST_MAX_BUFFER_BYTES" | "INGEST_KEY_TTL_SECONDS" | "INGEST_MAX_KEYS" | "INGEST_RETRY_MAX_MS";

function intVar(env: IngestEnv, name: IntVar, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = /^\d{1,16}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  return n;
}

/** Delay before retry number `failures` (1, 2, 4 ... seconds, capped). */
export function retryDelayMs(settings: IngestSettings, failures: number): number {
  return Math.min(settings.retryMaxMs, 1000 * 2 ** Math.min(Math.max(failures - 1, 0), 20));
}
