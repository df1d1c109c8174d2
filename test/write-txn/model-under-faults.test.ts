/**
 * Property tests (fast-check, fixed seed, bounded runs): random sequences of creates, appends,
 * overwrites, checkpoints, vacuums and reads through a {@link FaultyObjectStore} (errors, lost
 * responses to writes that landed, short ranged reads, failing listings, latency; decided by a
 * per-run seed) over a MemoryStore and over the local-file store, checked after every step
 * against a model of the table read through the store without faults:
 * - the table's rows are the model's and its commits are exactly versions 0..N (contiguous);
 * - a write that succeeded committed exactly once at the next version; a write that failed threw
 *   a typed DeltaError and left the log as it was or the whole commit there (never partial);
 *   retrying a failed append with the same app transaction (as a careful caller does when the
 *   outcome is unknown) never duplicates its rows;
 * - concurrent appends (2-3 writers racing, each retrying once) each land all or nothing, at most
 *   once, and every writer told "committed" is in the table;
 * - checkpoints and vacuums that fail throw DeltaErrors and never change what the table reads;
 * - reads under faults either return the model's rows or throw a DeltaError (never a TypeError
 *   or wrong rows).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import "../../src/node/index.js"; // parquet-wasm for Node
import { DeltaError } from "../../src/core/errors.js";
import { readRows } from "../../src/core/scan/read.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import type { ObjectStore } from "../../src/core/storage/object-store.js";
import type { StructType } from "../../src/core/schema/types.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { createCheckpoint } from "../../src/core/write/checkpoint-write.js";
import { vacuum } from "../../src/core/write/vacuum.js";
import { writeTable } from "../../src/core/write/write-table.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { FaultPlan, FaultyObjectStore, type StoreFault } from "../helpers/faults.js";

const SCHEMA: StructType = {
  kind: "struct",
  fields: [
    { name: "id", type: { kind: "primitive", name: "long" }, nullable: true, metadata: {} },
    { name: "part", type: { kind: "primitive", name: "string" }, nullable: true, metadata: {} },
  ],
};

type Step =
  | { op: "append" | "overwrite"; ids: number[] }
  | { op: "race"; writers: number[][] }
  | { op: "checkpoint" }
  | { op: "vacuum" }
  | { op: "read" };

const ids = fc.uniqueArray(fc.integer({ min: 0, max: 999 }), { minLength: 1, maxLength: 4 });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: ids.map((v) => ({ op: "append" as const, ids: v })) },
  { weight: 1, arbitrary: ids.map((v) => ({ op: "overwrite" as const, ids: v })) },
  { weight: 1, arbitrary: fc.array(ids, { minLength: 2, maxLength: 3 }).map((w) => ({ op: "race" as const, writers: w })) },
  { weight: 1, arbitrary: fc.constant({ op: "checkpoint" as const }) },
  { weight: 1, arbitrary: fc.constant({ op: "vacuum" as const }) },
  { weight: 2, arbitrary: fc.constant({ op: "read" as const }) },
);
const scenario = fc.record({
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
  rate: fc.constantFrom(0.1, 0.25),
  steps: fc.array(step, { minLength: 2, maxLength: 7 }),
});

const rowsOf = (v: readonly number[]): { id: number; part: string }[] => v.map((id) => ({ id, part: `p${id % 2}` }));
const sorted = (v: readonly number[]): number[] => [...v].sort((a, b) => a - b);

async function tableIds(store: ObjectStore): Promise<number[]> {
  const out: number[] = [];
  for await (const row of readRows({ store, columns: ["id"] })) out.push(Number(row.id));
  return sorted(out);
}

async function commitVersions(store: ObjectStore): Promise<number[]> {
  const out: number[] = [];
  for await (const meta of store.list("_delta_log/")) {
    const m = /^_delta_log\/(\d{20})\.json$/.exec(meta.key);
    if (m) out.push(Number(m[1]));
  }
  return out;
}

/** A failure must be a DeltaError; anything else (TypeError, RangeError, ...) fails the property. */
function expectTyped(error: unknown, what: string): void {
  if (!(error instanceof DeltaError)) {
    throw new Error(`${what} failed with an untyped ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, { cause: error });
  }
}

/** Ids unique to one write of a scenario (step i, writer w): rows of different writes never collide. */
const unique = (v: readonly number[], i: number, w = 0): number[] => v.map((id) => (i * 4 + w + 1) * 1000 + id);

interface Model {
  version: number;
  ids: number[];
}

/** One write through the faulty store: its status, or "failed" (after checking the error is typed). */
async function write(store: ObjectStore, batch: number[], mode: "append" | "overwrite", txn: { appId: string; version: number }, label: string): Promise<"committed" | "skipped" | "failed"> {
  try {
    const result = await writeTable({ store, data: rowsOf(batch), mode, appTransaction: txn });
    return result.status === "skipped" ? "skipped" : "committed";
  } catch (error) {
    expectTyped(error, label);
    return "failed";
  }
}

/** Runs one scenario on a fresh inner store; throws (failing the property) when an invariant breaks. */
async function runScenario(inner: ObjectStore, s: { seed: number; rate: number; steps: Step[] }): Promise<void> {
  const plan = new FaultPlan<StoreFault>({ seed: s.seed, rate: s.rate, kinds: ["error", "lost", "short", "list-error"] });
  const store = new FaultyObjectStore(inner, { plan, latencyMs: 1 });
  // The table starts with one fault-free commit, so that every step has a table to act on.
  await writeTable({ store: inner, data: rowsOf([1000]), schema: SCHEMA, partitionBy: ["part"] });
  const model: Model = { version: 0, ids: [1000] };
  const check = async (label: string): Promise<void> => {
    const versions = await commitVersions(inner);
    expect(versions, `${label}: commits contiguous`).toEqual(Array.from({ length: model.version + 1 }, (_, v) => v));
    expect(await tableIds(inner), `${label}: rows`).toEqual(sorted(model.ids));
  };
  for (const [i, st] of s.steps.entries()) {
    const label = `step ${i} (${st.op})`;
    if (st.op === "append" || st.op === "overwrite") {
      const batch = unique(st.ids, i);
      const after = st.op === "append" ? [...model.ids, ...batch] : [...batch];
      const txn = { appId: "model", version: i };
      // A careful caller retries a failed append with the same app transaction: never twice in the table.
      for (let attempt = 0; attempt < (st.op === "append" ? 2 : 1); attempt++) {
        const outcome = await write(store, batch, st.op, txn, attempt === 0 ? label : `${label} retried`);
        const version = (await loadSnapshot({ store: inner })).version;
        if (outcome === "committed") expect(version, `${label}: version`).toBe(model.version + 1);
        // Failed or skipped: the log is as it was, or the whole commit is there.
        else expect([model.version, model.version + 1], `${label}: version after ${outcome}`).toContain(version);
        if (version === model.version + 1) {
          model.version++;
          model.ids = after;
        }
        if (outcome !== "failed") break;
      }
    } else if (st.op === "race") {
      const batches = st.writers.map((w, k) => unique(w, i, k));
      const outcomes = await Promise.all(
        batches.map(async (batch, k) => {
          const txn = { appId: `racer-${k}`, version: i };
          const first = await write(store, batch, "append", txn, `${label} writer ${k}`);
          return first === "failed" ? write(store, batch, "append", txn, `${label} writer ${k} retried`) : first;
        }),
      );
      const got = await tableIds(inner);
      const count = (id: number): number => got.filter((x) => x === id).length;
      let landed = 0;
      for (const [k, batch] of batches.entries()) {
        const present = batch.map(count);
        expect(present.every((n) => n === present[0]) && (present[0] === 0 || present[0] === 1), `${label}: writer ${k} all or nothing, once`).toBe(true);
        if (outcomes[k] !== "failed") expect(present[0], `${label}: writer ${k} was told it committed`).toBe(1);
        if (present[0] === 1) {
          landed++;
          model.ids = [...model.ids, ...batch];
        }
      }
      model.version += landed;
    } else if (st.op === "checkpoint") {
      await createCheckpoint({ store }).catch((error: unknown) => expectTyped(error, label));
    } else if (st.op === "vacuum") {
      await vacuum({ store, retentionHours: 0, enforceRetentionDuration: false }).catch((error: unknown) => expectTyped(error, label));
    } else {
      const got = await tableIds(store).catch((error: unknown) => {
        expectTyped(error, label);
        return undefined;
      });
      if (got !== undefined) expect(got, `${label}: rows under faults`).toEqual(sorted(model.ids));
    }
    await check(label);
  }
}

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe("a table under storage faults matches its model", () => {
  it("on MemoryStore", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, (s) => runScenario(new MemoryStore(), s)),
      { seed: 9001, numRuns: 30, endOnFailure: true },
    );
  }, 120_000);

  it("on the local-file store", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const dir = await mkdtemp(join(tmpdir(), "delta-edge-faults-"));
        dirs.push(dir);
        await runScenario(new LocalStore({ root: dir }), s);
      }),
      { seed: 4242, numRuns: 12, endOnFailure: true },
    );
  }, 120_000);
});
