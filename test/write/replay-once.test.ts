/**
 * The Worker's write route and the CLI's `write` load the table's snapshot once (to type the
 * input by the table's schema) and hand it to writeTable, so a write replays the log once, not
 * twice: counted on a CountingStore as reads of the table's commit files and log listings.
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeCommand } from "../../src/node/cli/write-commands.js";
import { CountingStore } from "../../src/core/storage/counting.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import type { Env } from "../../src/worker/env.js";
import { writeRoute } from "../../src/worker/write.js";
import { writeTable } from "../../src/core/write/write-table.js";
import "../../src/node/index.js"; // registers the parquet-wasm file for Node

/** A two-version table (commits 0 and 1) behind a fresh CountingStore. */
async function twoVersionTable(): Promise<CountingStore> {
  const store = new CountingStore(new MemoryStore({ name: "replay-once" }));
  await writeTable({ store, data: [{ id: 1n, name: "a" }] });
  await writeTable({ store, data: [{ id: 2n, name: "b" }], mode: "append" });
  store.reset();
  return store;
}

/** How often the write read each existing commit file, and how many log listings it made. */
function replays(store: CountingStore): { commitReads: number[]; listings: number } {
  const ops = store.operations();
  const reads = (n: number) => ops.filter((o) => o.op === "get" && o.key === `_delta_log/${String(n).padStart(20, "0")}.json`).length;
  return { commitReads: [reads(0), reads(1)], listings: ops.filter((o) => o.op === "list" && o.key.startsWith("_delta_log/")).length };
}

const WRITERS = {
  worker: async (store: CountingStore) => {
    const request = new Request("http://worker/api/tables/s/t", { method: "POST", headers: { "Content-Type": "application/x-ndjson" }, body: '{"id": 3, "name": "c"}\n' });
    const response = await writeRoute(request, {} as Env, store, new URLSearchParams("mode=append"));
    expect(response.status).toBe(200);
  },
  cli: async (store: CountingStore) => {
    const file = join(mkdtempSync(join(tmpdir(), "delta-edge-replay-once-")), "rows.ndjson");
    writeFileSync(file, '{"id": 3, "name": "c"}\n');
    let printed = "";
    await writeCommand(store, { input: file, mode: "append" }, { write: async (c) => void (printed += String(c)), close: async () => {} });
    expect(JSON.parse(printed)).toMatchObject({ status: "committed", version: 2 });
  },
};

describe.each(Object.entries(WRITERS))("%s write", (_name, write) => {
  it("replays the log once", async () => {
    const store = await twoVersionTable();
    await write(store);
    expect(replays(store)).toEqual({ commitReads: [1, 1], listings: 1 });
  });
});
