/**
 * Shared helpers of the transaction tests: a small schema, synthetic add actions (no parquet is
 * written; the log only needs paths, sizes and stats), store wrappers that fail on purpose, and a
 * temp-dir LocalStore factory cleaned up after the suite.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import type { AddFile } from "../../src/core/log/actions.js";
import type { StructType } from "../../src/core/schema/types.js";
import { StoreWrapper, type GetOptions, type ListOptions, type ObjectMeta, type ObjectStore, type PutBody } from "../../src/core/storage/object-store.js";
import { LocalStore } from "../../src/node/storage/local.js";

/** id: long, value: string, part: string. */
export const SCHEMA: StructType = {
  kind: "struct",
  fields: [
    { name: "id", type: { kind: "primitive", name: "long" }, nullable: true, metadata: {} },
    { name: "value", type: { kind: "primitive", name: "string" }, nullable: true, metadata: {} },
    { name: "part", type: { kind: "primitive", name: "string" }, nullable: true, metadata: {} },
  ],
};

/** A synthetic add action for a data file that was (notionally) written. */
export function fakeAdd(path: string, options: { part?: string | null; rows?: number; dataChange?: boolean } = {}): AddFile {
  const rows = options.rows ?? 10;
  const add: AddFile = {
    path,
    partitionValues: options.part === undefined ? {} : { part: options.part },
    size: 100 + rows,
    modificationTime: 1_700_000_000_000,
    dataChange: options.dataChange ?? true,
    stats: JSON.stringify({ numRecords: rows, minValues: { id: 0 }, maxValues: { id: rows - 1 }, nullCount: { id: 0 } }),
  };
  return add;
}

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A LocalStore on a fresh temp directory (removed after the suite). */
export async function tempLocalStore(): Promise<LocalStore> {
  const dir = await mkdtemp(join(tmpdir(), "delta-edge-txn-"));
  dirs.push(dir);
  return new LocalStore({ root: dir });
}

/** Hooks of {@link FaultyStore}: return true to inject the failure for that call. */
export interface Faults {
  /** Fail putIfAbsent after the inner put succeeded (the response was "lost"). */
  failAfterPut?: (key: string) => boolean;
  /** Fail putIfAbsent before reaching the inner store. */
  failBeforePut?: (key: string) => boolean;
  /** Fail every put (not putIfAbsent) whose key matches. */
  failPut?: (key: string) => boolean;
}

/** Wraps a store and injects failures. */
export class FaultyStore extends StoreWrapper implements ObjectStore {
  constructor(
    inner: ObjectStore,
    readonly faults: Faults,
  ) {
    super(inner);
  }
  get(key: string, options?: GetOptions): Promise<Uint8Array> {
    return this.inner.get(key, options);
  }
  head(key: string): Promise<ObjectMeta> {
    return this.inner.head(key);
  }
  list(prefix: string, options?: ListOptions): AsyncIterable<ObjectMeta> {
    return this.inner.list(prefix, options);
  }
  async put(key: string, body: PutBody): Promise<void> {
    if (this.faults.failPut?.(key)) throw new Error(`injected put failure for ${key}`);
    return this.inner.put(key, body);
  }
  async putIfAbsent(key: string, body: PutBody): Promise<void> {
    if (this.faults.failBeforePut?.(key)) throw new Error(`injected network failure before ${key}`);
    await this.inner.putIfAbsent(key, body);
    if (this.faults.failAfterPut?.(key)) throw new Error(`injected lost response after ${key}`);
  }
  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }
}

/** Lists the keys under `_delta_log/`. */
export async function logKeys(store: ObjectStore): Promise<string[]> {
  const out: string[] = [];
  for await (const m of store.list("_delta_log/")) out.push(m.key);
  return out;
}

/** Parsed lines of a commit file. */
export async function commitLines(store: ObjectStore, version: number): Promise<Record<string, Record<string, unknown>>[]> {
  const text = new TextDecoder().decode(await store.get(`_delta_log/${String(version).padStart(20, "0")}.json`));
  return text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, Record<string, unknown>>);
}
