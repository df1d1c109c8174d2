/**
 * Versions are exact. A log file name holds 20 digits (up to 99999999999999999999) but a
 * JavaScript number is exact only up to 2^53-1: delta-edge reads every version up to 2^53-1
 * exactly and refuses anything larger with an error that quotes the digits as written, in listing,
 * segments, snapshots, time travel, history and the CLI; it never rounds to a neighbouring version.
 */
import { describe, expect, it } from "vitest";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CONFORMANCE, memoryStoreFromDir } from "../helpers/conformance.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { openTable } from "../../src/core/table/open.js";
import { readHistory } from "../../src/core/table/history.js";
import { versionAtTimestamp } from "../../src/core/table/time-travel.js";
import { readRows } from "../../src/core/scan/read.js";
import { InvalidInputError, NotFoundError, ProtocolError } from "../../src/core/errors.js";
import { padVersion, parseLogFileName } from "../../src/core/log/path.js";
import { checkpointRows, encodeCheckpoint } from "../../src/core/write/checkpoint-write.js";
import type { ObjectMeta, ObjectStore } from "../../src/core/storage/object-store.js";
import type { MemoryStore } from "../../src/core/storage/memory.js";
import { runCli } from "../cli/run-cli.js";

const SIMPLE = join(CONFORMANCE, "delta-rs/simple_table");
const MAX = Number.MAX_SAFE_INTEGER; // 9007199254740991
const errorOf = (p: Promise<unknown>): Promise<unknown> => p.then(() => undefined, (e: unknown) => e);
const commitInfoLine = (ts: number): string => `${JSON.stringify({ commitInfo: { timestamp: ts, operation: "WRITE" } })}\n`;
const ids = async (store: ObjectStore): Promise<number[]> => {
  const out: number[] = [];
  for await (const r of readRows({ store, columns: ["id"] })) out.push(Number(r.id));
  return out.sort((a, b) => a - b);
};

describe("log file names beyond 2^53-1", () => {
  for (const digits of ["00000000000000000009007199254740993", "99999999999999999999", "00000000009007199254740992"]) {
    const exact = BigInt(digits).toString();
    const name = `${digits.slice(-20)}.json`;
    it(`${name}: every reader refuses it, quoting ${exact}`, async () => {
      const store = memoryStoreFromDir(SIMPLE, "simple");
      await store.put(`_delta_log/${name}`, commitInfoLine(1));
      const attempts: [string, Promise<unknown>][] = [
        ["latest", loadSnapshot({ store })],
        ["time travel by version", openTable({ store, version: 2 })],
        ["time travel by timestamp", versionAtTimestamp(store, Date.now())],
        ["history", readHistory({ store })],
      ];
      for (const [what, attempt] of attempts) {
        const err = await errorOf(attempt);
        expect(err, what).toBeInstanceOf(ProtocolError);
        expect((err as Error).message, what).toContain(`_delta_log/${name} has version ${exact}, beyond 2^53-1`);
      }
    });
  }

  it("the CLI prints the error with the digits as written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "delta-edge-versions-"));
    try {
      cpSync(SIMPLE, dir, { recursive: true });
      writeFileSync(join(dir, "_delta_log", "99999999999999999999.json"), commitInfoLine(1));
      for (const command of ["info", "history", "files", "scan"]) {
        const r = await runCli([command, dir]);
        expect(r.code, command).not.toBe(0);
        expect(r.stderr, command).toContain("has version 99999999999999999999, beyond 2^53-1");
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names are classified exactly or refused; keys are never formatted for unsafe versions", () => {
    expect(parseLogFileName(`${padVersion(MAX)}.json`)).toEqual({ kind: "commit", version: MAX });
    expect(() => parseLogFileName(`00009007199254740993.${padVersion(9)}.compacted.json`)).toThrow(ProtocolError);
    expect(() => parseLogFileName(`${"9".repeat(20)}.checkpoint.parquet`)).toThrow(/version 99999999999999999999/);
    expect(() => padVersion(MAX + 1)).toThrow(InvalidInputError);
    expect(() => padVersion(-1)).toThrow(InvalidInputError);
  });
});

describe("a table at version 2^53-1", () => {
  /** simple_table's state checkpointed at 2^53-2, and one more (empty) commit at 2^53-1. */
  async function edgeTable(): Promise<MemoryStore> {
    const source = memoryStoreFromDir(SIMPLE, "edge");
    const snapshot = await loadSnapshot({ store: source });
    for await (const m of source.list("_delta_log/")) await source.delete(m.key);
    await source.put(`_delta_log/${padVersion(MAX - 1)}.checkpoint.parquet`, encodeCheckpoint(checkpointRows(snapshot, Date.now())));
    await source.put(`_delta_log/${padVersion(MAX)}.json`, commitInfoLine(1_700_000_000_000));
    return source;
  }

  it("opens, time-travels and reports its versions exactly", async () => {
    const store = await edgeTable();
    const s = await loadSnapshot({ store });
    expect(s.version).toBe(MAX);
    expect(await ids(store)).toEqual(await ids(memoryStoreFromDir(SIMPLE)));
    expect((await openTable({ store, version: MAX - 1 })).version).toBe(MAX - 1);
    expect((await readHistory({ store })).map((e) => e.version)).toEqual([MAX]);
    expect(await versionAtTimestamp(store, Date.now())).toBe(MAX);
    const beyond = await errorOf(openTable({ store, version: MAX + 1 }));
    expect(beyond).toBeInstanceOf(InvalidInputError);
  });

  it("the CLI prints 9007199254740991 and refuses --version beyond it, quoting the input", async () => {
    const store = await edgeTable();
    const dir = mkdtempSync(join(tmpdir(), "delta-edge-versions-"));
    try {
      cpSync(SIMPLE, dir, { recursive: true, filter: (p) => !p.includes("_delta_log") });
      mkdirSync(join(dir, "_delta_log"));
      for await (const m of store.list("_delta_log/")) writeFileSync(join(dir, m.key), await store.get(m.key), { flag: "w" });
      const info = await runCli(["info", dir]);
      expect(info.stderr).toBe("");
      expect(info.stdout).toMatch(/"version": 9007199254740991,/);
      const history = await runCli(["history", dir]);
      expect(history.stdout).toMatch(/"version": 9007199254740991/);
      for (const v of ["9007199254740993", "99999999999999999999"]) {
        const r = await runCli(["info", dir, "--version", v]);
        expect(r.code).not.toBe(0);
        expect(r.stderr).toContain(`got '${v}'`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("probing a store without listing", () => {
  it("a server that answers for every commit is a ProtocolError after ~54 probes, not an endless loop", async () => {
    const commit0 = await memoryStoreFromDir(SIMPLE).get("_delta_log/00000000000000000000.json");
    let heads = 0;
    const store: ObjectStore = {
      root: "https://liar.example/t",
      writable: false,
      listable: false,
      get: async (key) => {
        if (key.endsWith(".json")) return commit0;
        throw new NotFoundError("no", { path: key });
      },
      head: async (key): Promise<ObjectMeta> => {
        heads++;
        if (key.endsWith(".json")) return { key, size: commit0.length, lastModified: 1 };
        throw new NotFoundError("no", { path: key });
      },
      list: () => {
        throw new Error("not listable");
      },
      put: () => Promise.reject(new Error("read-only")),
      putIfAbsent: () => Promise.reject(new Error("read-only")),
      delete: () => Promise.reject(new Error("read-only")),
    };
    const err = await errorOf(loadSnapshot({ store }));
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as Error).message).toMatch(/beyond 2\^53-1/);
    expect(heads).toBeLessThan(70);
  }, 20_000);
});
