/**
 * Ingest settings from Worker vars: defaults when unset, values range-checked (a bad setting is an
 * error naming the var, never a silent default), and the flush retry backoff (1 s doubling, capped).
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_INGEST_SETTINGS, ingestSettings, retryDelayMs, type IngestEnv } from "../../src/worker/ingest/settings.js";

const env = (vars: Partial<IngestEnv>): IngestEnv => ({ TABLES: undefined as never, ...vars });

describe("ingest settings", () => {
  it("defaults, and reads every var", () => {
    expect(ingestSettings(env({}))).toEqual(DEFAULT_INGEST_SETTINGS);
    expect(ingestSettings(env({ INGEST_FLUSH_ROWS: "", INGEST_FLUSH_DELAY_MS: "0" }))).toMatchObject({ flushRows: 100_000, flushDelayMs: 0 });
    expect(
      ingestSettings(
        env({
          INGEST_FLUSH_ROWS: "5",
          INGEST_FLUSH_BYTES: "2048",
          INGEST_FLUSH_DELAY_MS: "250",
          INGEST_MAX_BUFFER_BYTES: "1048576",
          INGEST_KEY_TTL_SECONDS: "60",
          INGEST_MAX_KEYS: "10",
          INGEST_RETRY_MAX_MS: "5000",
        }),
      ),
    ).toEqual({ flushRows: 5, flushBytes: 2048, flushDelayMs: 250, maxBufferBytes: 1_048_576, keyTtlMs: 60_000, maxKeys: 10, retryMaxMs: 5000 });
  });

  it("refuses values out of range or not integers, naming the var", () => {
    for (const [name, value] of [
      ["INGEST_FLUSH_ROWS", "0"],
      ["INGEST_FLUSH_ROWS", "1.5"],
      ["INGEST_FLUSH_ROWS", "-3"],
      ["INGEST_FLUSH_BYTES", "100"],
      ["INGEST_FLUSH_BYTES", "1e9"],
      ["INGEST_KEY_TTL_SECONDS", "99999999999"],
      ["INGEST_MAX_KEYS", "lots"],
    ] as const) {
      expect(() => ingestSettings(env({ [name]: value }))).toThrow(new RegExp(`${name} must be an integer from`));
    }
  });

  it("backs off 1 s, 2 s, 4 s ... up to the cap", () => {
    const s = { ...DEFAULT_INGEST_SETTINGS, retryMaxMs: 10_000 };
    expect([1, 2, 3, 4, 5, 60].map((n) => retryDelayMs(s, n))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });
});
