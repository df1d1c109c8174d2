/**
 * The many-writers race shared by the per-backend concurrency tests: a table is created empty,
 * then W writers each append A one-row batches with writeTable (real Parquet files, row objects
 * {id, writer}), all at once. `checkRace` then asserts what a safe commit strategy guarantees:
 * the versions the writers were told they got are exactly 1..W*A, the log holds exactly the
 * commits 0..W*A and no leftover temp files, every commit N carries the txnId of the writer told
 * it won N (nothing was overwritten), and a scan returns every id exactly once. `lostCommits`
 * measures the damage when a strategy is not safe.
 */
import { expect } from "vitest";
import "../../src/node/index.js"; // parquet-wasm for Node
import type { LogStore } from "../../src/core/logstore/log-store.js";
import type { ObjectStore } from "../../src/core/storage/object-store.js";
import type { StructType } from "../../src/core/schema/types.js";
import { readRows } from "../../src/core/scan/read.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { writeTable } from "../../src/core/write/write-table.js";

/** id: long, writer: long. */
export const RACE_SCHEMA: StructType = {
  kind: "struct",
  fields: [
    { name: "id", type: { kind: "primitive", name: "long" }, nullable: true, metadata: {} },
    { name: "writer", type: { kind: "primitive", name: "long" }, nullable: true, metadata: {} },
  ],
};

/** One append a writer was told succeeded. */
export interface Win {
  writer: number;
  id: number;
  version: number;
  txnId: string;
  attempts: number;
}

/** Options of {@link raceAppends}. */
export interface RaceOptions {
  store: ObjectStore;
  /** A LogStore per write (default: writeTable's own choice, `selectLogStore({store})`). */
  logStore?: (() => LogStore) | undefined;
  writers?: number;
  appends?: number;
}

/**
 * Eight writers committing back to back move in lockstep, so a writer can lose many rounds in a
 * row; the bound is high so the test checks correctness, not luck (see test/write-txn).
 */
const MAX_ATTEMPTS = 300;

/** Creates the table (version 0, no rows) and runs the race; returns every reported win. */
export async function raceAppends(options: RaceOptions): Promise<Win[]> {
  const { store } = options;
  const writers = options.writers ?? 8;
  const appends = options.appends ?? 25;
  const logStore = (): { logStore?: LogStore } => (options.logStore ? { logStore: options.logStore() } : {});
  await writeTable({ store, data: [], schema: RACE_SCHEMA, mode: "error", ...logStore() });
  const writer = async (w: number): Promise<Win[]> => {
    const wins: Win[] = [];
    for (let i = 0; i < appends; i++) {
      const id = w * appends + i;
      const result = await writeTable({ store, data: [{ id, writer: w }], mode: "append", maxAttempts: MAX_ATTEMPTS, ...logStore() });
      expect(result.status).toBe("committed");
      const commit = result.commit as NonNullable<typeof result.commit>;
      wins.push({ writer: w, id, version: result.version, txnId: commit.txnId, attempts: commit.attempts });
    }
    return wins;
  };
  return (await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)))).flat();
}

/** Keys under `_delta_log/`. */
export async function logKeys(store: ObjectStore): Promise<string[]> {
  const out: string[] = [];
  for await (const m of store.list("_delta_log/")) out.push(m.key);
  return out;
}

/** The txnId in commit N's commitInfo. */
export async function commitTxnId(store: ObjectStore, version: number): Promise<string | undefined> {
  const text = new TextDecoder().decode(await store.get(`_delta_log/${String(version).padStart(20, "0")}.json`));
  for (const line of text.split("\n")) {
    if (line.startsWith('{"commitInfo"')) return (JSON.parse(line) as { commitInfo: { txnId?: string } }).commitInfo.txnId;
  }
  return undefined;
}

/** Wins whose commit file now holds another writer's commit (overwritten after the writer was told it won). */
export async function lostCommits(store: ObjectStore, wins: readonly Win[]): Promise<Win[]> {
  const lost: Win[] = [];
  for (const win of wins) if ((await commitTxnId(store, win.version)) !== win.txnId) lost.push(win);
  return lost;
}

/** The ids a scan of the latest snapshot returns, sorted. */
export async function scannedIds(store: ObjectStore): Promise<number[]> {
  const ids: number[] = [];
  for await (const row of readRows({ store, columns: ["id"] })) ids.push(Number(row.id));
  return ids.sort((a, b) => a - b);
}

/** Asserts everything a safe strategy guarantees after {@link raceAppends} (see the module comment). */
export async function checkRace(store: ObjectStore, wins: readonly Win[], total = 200): Promise<void> {
  expect(wins).toHaveLength(total);
  expect(wins.map((w) => w.version).sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  const keys = await logKeys(store);
  const commits = keys.filter((k) => /^_delta_log\/\d{20}\.json$/.test(k));
  expect(commits).toEqual(Array.from({ length: total + 1 }, (_, v) => `_delta_log/${String(v).padStart(20, "0")}.json`));
  expect(keys.filter((k) => k.includes("_commit_"))).toEqual([]); // temp files cleaned up
  expect(await lostCommits(store, wins)).toEqual([]);
  const snapshot = await loadSnapshot({ store });
  expect(snapshot.version).toBe(total);
  expect(snapshot.numFiles).toBe(total);
  expect(await scannedIds(store)).toEqual(Array.from({ length: total }, (_, i) => i));
  expect(Math.max(...wins.map((w) => w.attempts))).toBeGreaterThan(1); // the writers really raced
}
