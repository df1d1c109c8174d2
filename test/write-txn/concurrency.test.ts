/**
 * Many writers, one table: 8 writers x 25 blind appends racing on MemoryStore and LocalStore in
 * one process, and 8 child processes x 25 appends on LocalStore, all end at version 200: every
 * version from 0 to 200 exists exactly once, every add is in the final snapshot exactly once, and
 * every commit carries exactly the one add its writer made.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { rolldown } from "rolldown";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryStore } from "../../src/core/storage/memory.js";
import type { ObjectStore } from "../../src/core/storage/object-store.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { createTable } from "../../src/core/write/table-create.js";
import { Transaction } from "../../src/core/write/transaction.js";
import { SCHEMA, commitLines, fakeAdd, logKeys, tempLocalStore } from "./helpers.js";

let maxAttemptsSeen = 0;
const WRITERS = 8;
const APPENDS = 25;
/**
 * Eight writers committing back to back with no work in between move in lockstep: each round all
 * of them try the same version and one wins, so a writer loses k rounds in a row with probability
 * about (7/8)^k. The default of 15 attempts is for realistic contention; this stress test allows
 * more so that it checks correctness, not luck.
 */
const MAX_ATTEMPTS = 200;

async function raceInProcess(store: ObjectStore): Promise<number[]> {
  const writer = async (w: number): Promise<number[]> => {
    const versions: number[] = [];
    let snapshot = await loadSnapshot({ store });
    for (let i = 0; i < APPENDS; i++) {
      if (i % 5 === 0) snapshot = await loadSnapshot({ store }); // mostly stale snapshots: winners get read forward
      const txn = new Transaction({ store, snapshot, operation: "WRITE", operationParameters: { mode: "Append" }, maxAttempts: MAX_ATTEMPTS });
      const result = await txn.addFiles([fakeAdd(`w${w}-${i}.parquet`, { part: String(w) })]).commit();
      expect(result.status).toBe("committed");
      maxAttemptsSeen = Math.max(maxAttemptsSeen, result.attempts);
      versions.push(result.version);
    }
    return versions;
  };
  const all = await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
  return all.flat();
}

async function expectCleanHistory(store: ObjectStore, expectedPaths: string[]): Promise<void> {
  const total = WRITERS * APPENDS;
  const commits = (await logKeys(store)).filter((k) => /^_delta_log\/\d{20}\.json$/.test(k));
  expect(commits).toEqual(Array.from({ length: total + 1 }, (_, v) => `_delta_log/${String(v).padStart(20, "0")}.json`));
  const snapshot = await loadSnapshot({ store });
  expect(snapshot.version).toBe(total);
  const paths = snapshot.files().map((f) => f.path).sort();
  expect(paths).toEqual([...expectedPaths].sort());
  for (let v = 1; v <= total; v += 37) {
    const lines = await commitLines(store, v);
    expect(lines.filter((l) => l.add)).toHaveLength(1);
    expect(lines[0]?.commitInfo?.isBlindAppend).toBe(true);
  }
}

const allPaths = Array.from({ length: WRITERS * APPENDS }, (_, n) => `w${Math.floor(n / APPENDS)}-${n % APPENDS}.parquet`);

describe("parallel blind appends in one process", () => {
  for (const [name, make] of [
    ["MemoryStore", async () => new MemoryStore()],
    ["LocalStore", tempLocalStore],
  ] as const) {
    it(`${WRITERS} writers x ${APPENDS} appends on ${name} end at version ${WRITERS * APPENDS}`, async () => {
      const store = await make();
      await createTable({ store, schema: SCHEMA, partitionColumns: ["part"] });
      const versions = await raceInProcess(store);
      expect([...versions].sort((a, b) => a - b)).toEqual(Array.from({ length: WRITERS * APPENDS }, (_, i) => i + 1));
      await expectCleanHistory(store, allPaths);
      expect(maxAttemptsSeen).toBeGreaterThan(1); // the writers really raced
      // The post-commit hook checkpointed every 10 versions.
      const keys = await logKeys(store);
      expect(keys.filter((k) => k.endsWith(".checkpoint.parquet"))).toHaveLength(WRITERS * APPENDS / 10);
    });
  }
});

describe("parallel blind appends from child processes (LocalStore)", () => {
  let bundleDir = "";
  let childScript = "";
  beforeAll(async () => {
    bundleDir = await mkdtemp(join(tmpdir(), "delta-edge-child-"));
    childScript = join(bundleDir, "child-writer.mjs");
    const bundle = await rolldown({ input: resolve(import.meta.dirname, "child-writer.ts"), platform: "node", logLevel: "silent" });
    await bundle.write({ file: childScript, format: "esm", codeSplitting: false });
    await bundle.close();
  });
  afterAll(async () => {
    if (bundleDir) await rm(bundleDir, { recursive: true, force: true });
  });

  const runChild = (args: string[]): Promise<number[]> =>
    new Promise((done, fail) => {
      const child = spawn(process.execPath, [childScript, ...args], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      let err = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (err += d.toString()));
      child.on("error", fail);
      child.on("close", (code) => (code === 0 ? done(JSON.parse(out) as number[]) : fail(new Error(`child exited ${code}: ${err}`))));
    });

  it(`${WRITERS} processes x ${APPENDS} appends end at version ${WRITERS * APPENDS}`, async () => {
    const store = await tempLocalStore();
    await createTable({ store, schema: { kind: "struct", fields: [SCHEMA.fields[0]!] } });
    const startAt = String(Date.now() + 1500);
    const results = await Promise.all(
      Array.from({ length: WRITERS }, (_, w) => runChild([store.directory, String(w), String(APPENDS), startAt])),
    );
    expect(results.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: WRITERS * APPENDS }, (_, i) => i + 1));
    await expectCleanHistory(store, allPaths);
  });
});
