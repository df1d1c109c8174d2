/**
 * History: newest first, one entry per commit, operation and parameters from commitInfo, limits
 * that read only the commits asked for, and commitInfo found at either end of a big commit with
 * small ranged reads.
 */
import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { CONFORMANCE, memoryStoreFromDir } from "../helpers/conformance.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { CountingStore } from "../../src/core/storage/counting.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { readHistory } from "../../src/core/table/history.js";
import { commitKey } from "../../src/core/log/path.js";

function commitInfos(dir: string): Map<number, Record<string, unknown>> {
  const out = new Map<number, Record<string, unknown>>();
  for (const f of readdirSync(join(dir, "_delta_log"))) {
    const m = /^(\d{20})\.json$/.exec(f);
    if (!m) continue;
    for (const line of readFileSync(join(dir, "_delta_log", f), "utf8").split("\n")) {
      if (line.includes('"commitInfo"')) out.set(Number(m[1]), (JSON.parse(line) as { commitInfo: Record<string, unknown> }).commitInfo);
    }
  }
  return out;
}

describe("history", () => {
  it("lists every commit newest first with operation and parameters (delta-rs simple_table)", async () => {
    const dir = join(CONFORMANCE, "delta-rs/simple_table");
    const expected = commitInfos(dir);
    const history = await readHistory({ store: new LocalStore({ root: dir }) });
    expect(history.map((h) => h.version)).toEqual([4, 3, 2, 1, 0]);
    for (const h of history) {
      const info = expected.get(h.version) as Record<string, unknown>;
      expect(h.operation).toBe(info.operation);
      expect(h.operationParameters).toEqual(info.operationParameters);
      expect(h.timestamp).toBe(info.timestamp);
    }
  });

  it("with a limit reads only that many commits", async () => {
    const dir = join(CONFORMANCE, "golden/basic-with-inserts-deletes-checkpoint/delta");
    const store = new CountingStore(memoryStoreFromDir(dir));
    const history = await readHistory({ store, limit: 2 });
    expect(history.map((h) => h.version)).toEqual([13, 12]);
    const commitGets = store.operations().filter((o) => o.op === "get" && o.key.endsWith(".json"));
    expect(commitGets.map((o) => o.key).sort()).toEqual([commitKey(12), commitKey(13)]);
  });

  it("with a limit reaching before the checkpoint lists far enough back", async () => {
    const dir = join(CONFORMANCE, "golden/basic-with-inserts-deletes-checkpoint/delta");
    const history = await readHistory({ store: memoryStoreFromDir(dir), limit: 6 });
    expect(history.map((h) => h.version)).toEqual([13, 12, 11, 10, 9, 8]);
  });

  it("finds commitInfo at the end of a large commit with two small ranged reads", async () => {
    const store = new MemoryStore();
    const adds = Array.from({ length: 2000 }, (_, i) =>
      JSON.stringify({ add: { path: `part-${i}.parquet`, partitionValues: {}, size: 1, modificationTime: 1, dataChange: true } }),
    );
    const info = { commitInfo: { timestamp: 42, operation: "WRITE", operationParameters: { mode: "Append" } } };
    await store.put(commitKey(0), `${[...adds, JSON.stringify(info)].join("\n")}\n`);
    const counting = new CountingStore(store);
    const [entry] = await readHistory({ store: counting });
    expect(entry?.operation).toBe("WRITE");
    expect(entry?.timestamp).toBe(42);
    const gets = counting.operations().filter((o) => o.op === "get" && o.key === commitKey(0));
    expect(gets.length).toBe(2);
    expect(gets.reduce((n, o) => n + o.bytes, 0)).toBeLessThanOrEqual(32 * 1024);
  });
});
