/**
 * No litter for ever: what writers that die mid-write leave behind — LocalStore temp files
 * (`.delta-edge-tmp-*`, in data directories and in `_delta_log/`) and the commit strategies'
 * staged commits (`_delta_log/_commit_<uuid>.json.tmp`, Spark's `_delta_log/.tmp/N.json.<uuid>`)
 * — is hidden from readers but reclaimed by vacuum once older than the retention, after the
 * commit strategy's repair; never a live file. The end-to-end case kills (SIGKILL) a child
 * process appending to a local table while its temp files exist, then runs the CLI's vacuum.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import "../../src/node/index.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { PutIfAbsentLogStore } from "../../src/core/logstore/put-if-absent.js";
import type { LogStore } from "../../src/core/logstore/log-store.js";
import { writeTable } from "../../src/core/write/write-table.js";
import { vacuum } from "../../src/core/write/vacuum.js";
import { readRows } from "../../src/core/scan/read.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { canonicalPath } from "../../src/core/log/replay.js";
import { commitKey } from "../../src/core/log/path.js";
import { ROOT, runCli } from "../cli/run-cli.js";

const DAY = 86_400_000;

/** Every file under dir, as keys relative to it (files vanishing meanwhile are skipped). */
function walk(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    let directory: boolean;
    try {
      directory = statSync(path).isDirectory();
    } catch {
      return [];
    }
    return directory ? walk(path).map((k) => `${name}/${k}`) : [name];
  });
}

const isTemp = (key: string) => /(^|\/)\.delta-edge-tmp-[^/]*$/.test(key);

async function count(store: LocalStore | MemoryStore): Promise<number> {
  let n = 0;
  for await (const _ of readRows({ store })) n++;
  return n;
}

describe("vacuum reclaims dead writers' temp files", () => {
  it("LocalStore temp files: hidden from listings, reclaimed only past the retention, wherever they are", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "delta-edge-litter-")), "t");
    const store = new LocalStore({ root: dir });
    await writeTable({ store, data: [{ p: "a", v: 1 }], partitionBy: ["p"] });
    const uuid = crypto.randomUUID();
    const litter = [".delta-edge-tmp-0a1b", "p=a/.delta-edge-tmp-2c3d", "_delta_log/.delta-edge-tmp-4e5f", `_delta_log/_commit_${uuid}.json.tmp`, `_delta_log/.tmp/00000000000000000001.json.${uuid}`];
    const young = ["p=a/.delta-edge-tmp-young", `_delta_log/_commit_${crypto.randomUUID()}.json.tmp`];
    const old = (Date.now() - 8 * DAY) / 1000;
    for (const key of [...litter, ...young]) {
      mkdirSync(join(dir, key, ".."), { recursive: true });
      writeFileSync(join(dir, key), "partial");
      if (litter.includes(key)) utimesSync(join(dir, key), old, old);
    }
    const listed: string[] = [];
    for await (const m of store.list("")) listed.push(m.key);
    expect(listed.filter(isTemp)).toEqual([]);
    const live = (await loadSnapshot({ store })).files().map((f) => canonicalPath(f.path));
    for (const f of live) utimesSync(join(dir, f), old, old); // old but live: never a candidate

    const dry = await vacuum({ store, dryRun: true });
    expect(dry.files.sort()).toEqual([...litter].sort());
    expect(walk(dir).filter((k) => litter.includes(k)).sort()).toEqual([...litter].sort());
    const done = await vacuum({ store });
    expect(done.files.sort()).toEqual([...litter].sort());
    const left = walk(dir);
    for (const key of litter) expect(left).not.toContain(key);
    for (const key of [...young, ...live, commitKey(0)]) expect(left).toContain(key);
    expect(await count(store)).toBe(1);
    // readers still refuse temp names as keys
    await expect(store.get("p=a/.delta-edge-tmp-young")).rejects.toThrow(/not allowed/);
  });

  it("staged commits on other stores go too, after the commit strategy's repair has run", async () => {
    let clock = Date.UTC(2024, 0, 1);
    const store = new MemoryStore({ now: () => clock });
    await writeTable({ store, data: [{ v: 1 }], now: () => clock });
    const stale = `_delta_log/_commit_${crypto.randomUUID()}.json.tmp`;
    const needed = `_delta_log/_commit_${crypto.randomUUID()}.json.tmp`;
    await store.put(stale, "{}");
    await store.put(needed, '{"commitInfo":{"operation":"WRITE"}}\n');
    clock += 8 * DAY;
    const order: string[] = [];
    // a lock-table strategy whose incomplete entry names `needed`: repair makes it version 1
    const base = new PutIfAbsentLogStore({ store });
    const logStore: LogStore = Object.assign(Object.create(base) as LogStore, {
      repair: async () => {
        order.push("repair");
        await store.put(commitKey(1), await store.get(needed));
        await store.delete(needed);
        return { version: 1, repaired: true };
      },
    });
    const r = await vacuum({ store, logStore, now: () => clock });
    expect(order).toEqual(["repair"]);
    expect(r.files).toEqual([stale]);
    expect(r.version).toBe(1); // repaired before the snapshot was loaded
    expect((await loadSnapshot({ store })).version).toBe(1);
  });
});

/** Starts a child that appends to the table at `dir` for ever (each append ~1 MB of parquet). */
function startWriter(dir: string): ChildProcess {
  const script = `
    await import(${JSON.stringify(resolve(ROOT, "dist/node/index.js"))});
    const { LocalStore } = await import(${JSON.stringify(resolve(ROOT, "dist/node/storage/local.js"))});
    const { writeTable } = await import(${JSON.stringify(resolve(ROOT, "dist/core/write/write-table.js"))});
    const store = new LocalStore({ root: ${JSON.stringify(dir)} });
    const rows = Array.from({ length: 20000 }, (_, i) => ({ id: i, s: "x".repeat(40) + i }));
    for (;;) await writeTable({ store, data: rows, mode: "append" });
  `;
  return spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "ignore", "pipe"] });
}

describe("kill -9 of a writer, then the CLI's vacuum", () => {
  it("leaves temp files that vacuum --retention-hours 0 --no-enforce-retention lists (dry run) and removes, never a live file", { timeout: 120_000 }, async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "delta-edge-kill-")), "t");
    await writeTable({ store: new LocalStore({ root: dir }), data: [{ id: -1, s: "seed" }] });
    let temps: string[] = [];
    for (let attempt = 0; attempt < 10 && temps.length === 0; attempt++) {
      const child = startWriter(dir);
      const exited = new Promise((done) => child.on("exit", done));
      // kill it the moment a temp file exists (a data file's or a commit's write in progress)
      for (let polls = 0; polls < 30_000 && child.exitCode === null; polls++) {
        if (walk(dir).some(isTemp)) break;
        await new Promise((r) => setTimeout(r, 1));
      }
      child.kill("SIGKILL");
      await exited;
      temps = walk(dir).filter(isTemp); // empty if the rename won the race: try again
    }
    expect(temps.length).toBeGreaterThan(0);
    const store = new LocalStore({ root: dir });
    const snapshot = await loadSnapshot({ store });
    const live = new Set(snapshot.files().map((f) => canonicalPath(f.path)));
    const rows = await count(store);

    const dry = await runCli(["vacuum", dir, "--retention-hours", "0", "--no-enforce-retention", "--dry-run"]);
    expect(dry.stderr).toBe("");
    const listed = (JSON.parse(dry.stdout) as { files: string[] }).files;
    for (const t of temps) expect(listed).toContain(t);
    for (const f of listed) expect(live.has(f)).toBe(false);
    expect(walk(dir).filter(isTemp).sort()).toEqual([...temps].sort());

    const run = await runCli(["vacuum", dir, "--retention-hours", "0", "--no-enforce-retention"]);
    expect(run.code).toBe(0);
    expect(walk(dir).filter(isTemp)).toEqual([]);
    for (const f of live) expect(walk(dir)).toContain(f);
    expect(await count(store)).toBe(rows);
  });
});
