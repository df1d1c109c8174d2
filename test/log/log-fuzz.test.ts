/**
 * Fuzzing the log (issue 9, item 8): random corruptions of the commit files and checkpoints of
 * conformance tables (cuts, bit flips, deleted / duplicated / swapped lines, fields of another
 * type, add and remove swapped, whitespace; cut or flipped parquet checkpoints). Opening and
 * scanning the corrupted copy must end in a DeltaError or in the right rows, never a TypeError or
 * wrong rows:
 * - a neutral change (whitespace, a line repeated in place) gives exactly the original rows;
 * - on a table without checkpoints, an independent replay of the commits with JSON.parse decides
 *   what "right" means: when one of its lines is not JSON the open must fail, otherwise the live
 *   files must be the ones that replay finds;
 * - whenever the live files (paths, partition values, deletion vectors) are the original ones,
 *   the rows are the original rows.
 * Fixed seed and bounded runs: this runs in seconds.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { join } from "node:path";
import { CONFORMANCE, memoryStoreFromDir } from "../helpers/conformance.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { readRows } from "../../src/core/scan/read.js";
import { DeltaError } from "../../src/core/errors.js";
import { canonicalPath } from "../../src/core/log/replay.js";
import { dvUniqueId } from "../../src/core/log/deletion-vector.js";
import type { AddFile, DeletionVectorDescriptor } from "../../src/core/log/actions.js";

/** Small tables covering removes, partitions, deletion vectors, classic and V2 checkpoints, sidecars. */
const TABLES = [
  { name: "delta-rs/simple_table", checkpointed: false },
  { name: "delta-rs/delta-0.8.0-partitioned", checkpointed: false },
  { name: "kernel/table-with-dv-small", checkpointed: false },
  { name: "kernel/with_checkpoint_no_last_checkpoint", checkpointed: true },
  { name: "kernel/v2-checkpoints-json-with-sidecars", checkpointed: true },
  { name: "kernel/v2-checkpoints-parquet-with-sidecars", checkpointed: true },
];

interface Pristine {
  files: Map<string, Uint8Array>;
  logKeys: string[];
  /** Undefined for a log-only table (its data files are not in the conformance copy). */
  rows: string[] | undefined;
  live: string[];
}

const pristine = new Map<string, Pristine>();

async function load(name: string): Promise<Pristine> {
  const cached = pristine.get(name);
  if (cached) return cached;
  const source = memoryStoreFromDir(join(CONFORMANCE, name), name);
  const files = new Map<string, Uint8Array>();
  for await (const m of source.list("")) files.set(m.key, await source.get(m.key));
  const logKeys = [...files.keys()].filter((k) => /^_delta_log\/(_sidecars\/)?[^/]+\.(json|parquet)$/.test(k) && !k.endsWith(".crc")).sort();
  const store = storeOf(files);
  const rows = await rowsOf(store).catch(() => undefined);
  const p = { files, logKeys, rows, live: liveOf((await loadSnapshot({ store })).files()) };
  pristine.set(name, p);
  return p;
}

function storeOf(files: Map<string, Uint8Array>): MemoryStore {
  const store = new MemoryStore({ name: "fuzz" });
  for (const [k, v] of files) void store.put(k, v);
  return store;
}

async function rowsOf(store: MemoryStore): Promise<string[]> {
  const out: string[] = [];
  for await (const r of readRows({ store })) out.push(JSON.stringify(r, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v)));
  return out.sort();
}

/** What decides which rows a scan returns: path, partition values and deletion vector per live file. */
function liveOf(files: readonly AddFile[]): string[] {
  return files.map((f) => JSON.stringify([canonicalPath(f.path), f.partitionValues, f.deletionVector ? dvUniqueId(f.deletionVector) : null])).sort();
}

/** An independent replay of the commits: JSON.parse per line, (path, DV) keys; undefined when a line is not JSON. */
function referenceLive(files: Map<string, Uint8Array>): string[] | undefined {
  const live = new Map<string, string>();
  const commits = [...files.keys()].filter((k) => /^_delta_log\/\d{20}\.json$/.test(k)).sort();
  for (const key of commits) {
    for (const line of new TextDecoder().decode(files.get(key)).split("\n")) {
      if (line.trim() === "") continue;
      let a: { add?: AddFile; remove?: { path: string; deletionVector?: DeletionVectorDescriptor } };
      try {
        a = JSON.parse(line) as typeof a;
      } catch {
        return undefined;
      }
      if (a === null || typeof a !== "object") continue;
      const file = a.add ?? a.remove;
      if (file === undefined || file === null || typeof file !== "object" || typeof file.path !== "string") continue;
      const dv = file.deletionVector && typeof file.deletionVector === "object" ? dvUniqueId(file.deletionVector) : null;
      const key = JSON.stringify([canonicalPath(file.path), dv]);
      if (a.add) live.set(key, JSON.stringify([canonicalPath(a.add.path), a.add.partitionValues, dv]));
      else live.delete(key);
    }
  }
  return [...live.values()].sort();
}

type Mutation =
  | { kind: "cut"; at: number }
  | { kind: "flip"; at: number; bit: number }
  | { kind: "deleteLine"; line: number }
  | { kind: "duplicateLine"; line: number }
  | { kind: "swapLines"; line: number }
  | { kind: "retype"; line: number; field: number; value: number }
  | { kind: "swapAction"; line: number }
  | { kind: "whitespace"; line: number };

const NEUTRAL = new Set(["duplicateLine", "whitespace"]);
const OTHER_TYPES: unknown[] = [42, -1, 1.5, "12", "", true, null, {}, [], { path: 1 }, Number("9007199254740993")];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("cut" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ kind: fc.constant("deleteLine" as const), line: fc.nat() }),
  fc.record({ kind: fc.constant("duplicateLine" as const), line: fc.nat() }),
  fc.record({ kind: fc.constant("swapLines" as const), line: fc.nat() }),
  fc.record({ kind: fc.constant("retype" as const), line: fc.nat(), field: fc.nat(), value: fc.nat(OTHER_TYPES.length - 1) }),
  fc.record({ kind: fc.constant("swapAction" as const), line: fc.nat() }),
  fc.record({ kind: fc.constant("whitespace" as const), line: fc.nat() }),
);

/** Applies a mutation to one file's bytes (line mutations to JSON files; parquet gets cut or flipped). */
function mutate(bytes: Uint8Array, key: string, m: Mutation): Uint8Array | undefined {
  if (m.kind === "cut") return bytes.slice(0, m.at % bytes.length);
  if (m.kind === "flip") {
    const out = bytes.slice();
    const at = m.at % out.length;
    out[at] = (out[at] as number) ^ (1 << m.bit);
    return out;
  }
  if (!key.endsWith(".json")) return undefined;
  const lines = new TextDecoder().decode(bytes).split("\n");
  if (lines.at(-1) === "") lines.pop();
  if (lines.length === 0) return undefined;
  const i = m.line % lines.length;
  const line = lines[i] as string;
  switch (m.kind) {
    case "deleteLine":
      lines.splice(i, 1);
      break;
    case "duplicateLine":
      lines.splice(i, 0, line);
      break;
    case "swapLines":
      if (lines.length < 2) return undefined;
      lines[i] = lines[(i + 1) % lines.length] as string;
      lines[(i + 1) % lines.length] = line;
      break;
    case "whitespace":
      lines[i] = ` ${JSON.stringify(JSON.parse(line), null, 2).replaceAll("\n", "\t")} \r`;
      break;
    case "swapAction":
      lines[i] = line.startsWith('{"add"') ? line.replace('{"add"', '{"remove"') : line.replace('{"remove"', '{"add"');
      break;
    case "retype": {
      // Replace one value somewhere inside the action with a value of another type.
      const action = JSON.parse(line) as Record<string, unknown>;
      const slots: [Record<string, unknown>, string][] = [];
      const walk = (o: unknown): void => {
        if (o === null || typeof o !== "object" || Array.isArray(o)) return;
        for (const k of Object.keys(o)) {
          slots.push([o as Record<string, unknown>, k]);
          walk((o as Record<string, unknown>)[k]);
        }
      };
      walk(action);
      const [obj, k] = slots[m.field % slots.length] as [Record<string, unknown>, string];
      obj[k] = OTHER_TYPES[m.value];
      lines[i] = JSON.stringify(action).replace("9007199254740992", "9007199254740993");
      break;
    }
  }
  return new TextEncoder().encode(`${lines.join("\n")}\n`);
}

describe("fuzzed logs of conformance tables: a DeltaError or the right rows", () => {
  it("never a TypeError, a hang or wrong rows", async () => {
    let failures = 0;
    let successes = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(TABLES.length - 1), fc.nat(), mutation, async (t, f, m) => {
        const table = TABLES[t] as (typeof TABLES)[number];
        const p = await load(table.name);
        const key = p.logKeys[f % p.logKeys.length] as string;
        const changed = mutate(p.files.get(key) as Uint8Array, key, m);
        if (changed === undefined) return;
        const files = new Map(p.files);
        files.set(key, changed);
        const store = storeOf(files);
        let live: string[] | undefined;
        let rows: string[] | undefined;
        let error: unknown;
        try {
          live = liveOf((await loadSnapshot({ store })).files());
          if (p.rows !== undefined) rows = await rowsOf(store);
        } catch (e) {
          error = e;
        }
        const what = `${table.name} ${key} ${JSON.stringify(m)}: ${String(error)}`;
        if (error !== undefined) {
          expect(error, what).toBeInstanceOf(DeltaError);
          expect(String((error as Error).message), what).not.toMatch(/Cannot read properties|is not a function|undefined \(reading/);
        }
        if (NEUTRAL.has(m.kind) && key.endsWith(".json")) {
          expect(error, what).toBeUndefined();
          expect(live, what).toEqual(p.live);
          expect(rows, what).toEqual(p.rows);
        }
        if (!table.checkpointed && /^_delta_log\/\d{20}\.json$/.test(key)) {
          const expected = referenceLive(files);
          if (expected === undefined) expect(error, `${what}: a line is not JSON`).toBeInstanceOf(DeltaError);
          else if (live !== undefined) expect(live, what).toEqual(expected);
        }
        if (live !== undefined && rows !== undefined && JSON.stringify(live) === JSON.stringify(p.live)) expect(rows, what).toEqual(p.rows);
        if (error === undefined) successes++;
        else failures++;
      }),
      { seed: 424242, numRuns: 400 },
    );
    // Both outcomes must actually occur, or the property says little.
    expect(successes).toBeGreaterThan(40);
    expect(failures).toBeGreaterThan(40);
  }, 120_000);
});
