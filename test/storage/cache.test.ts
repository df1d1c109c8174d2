/**
 * CachingStore: conformance (it must not change results), serving ranges from cached full objects
 * and larger ranges without inner requests, LRU eviction by bytes, in-flight de-duplication with
 * per-caller aborts, invalidation by writes, the cacheable filter, and a random-ops property test.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CachingStore, defaultCacheable } from "../../src/core/storage/cache.js";
import { CountingStore } from "../../src/core/storage/counting.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import type { ByteRange, GetOptions } from "../../src/core/storage/object-store.js";
import { putAll, storeConformance } from "./conformance.js";
import { counting } from "./conformance-data.js";

storeConformance("CachingStore(MemoryStore)", async (seed) => {
  const store = new CachingStore(new MemoryStore(), { maxBytes: 4096 });
  await putAll(store, seed);
  return store;
});

async function setup(maxBytes?: number): Promise<{ inner: CountingStore; cache: CachingStore }> {
  const memory = new MemoryStore();
  await memory.put("a", counting(100));
  await memory.put("b", counting(40));
  await memory.put("c", counting(40));
  await memory.put("d", counting(40));
  const inner = new CountingStore(memory);
  return { inner, cache: new CachingStore(inner, maxBytes === undefined ? {} : { maxBytes }) };
}

const get = async (cache: CachingStore, key: string, range?: ByteRange): Promise<number[]> => [...(await cache.get(key, range ? { range } : {}))];
const range = (start: number, end: number): number[] => [...counting(100).slice(start, end)];

describe("CachingStore", () => {
  it("serves ranges inside a cached full object without a request", async () => {
    const { inner, cache } = await setup();
    expect(await get(cache, "a")).toEqual(range(0, 100));
    inner.reset();
    expect(await get(cache, "a", { offset: 10, length: 5 })).toEqual(range(10, 15));
    expect(await get(cache, "a", { suffix: 8 })).toEqual(range(92, 100));
    expect(await get(cache, "a", { offset: 95, length: 50 })).toEqual(range(95, 100));
    expect(await get(cache, "a", { offset: 200 })).toEqual([]);
    expect(await get(cache, "a")).toEqual(range(0, 100));
    expect(inner.stats().requests).toBe(0);
    expect(cache.cacheStats()).toMatchObject({ hits: 5, misses: 1, bytes: 100, segments: 1 });
  });

  it("serves a range inside a cached larger range, and suffixes inside larger suffixes", async () => {
    const { inner, cache } = await setup();
    await get(cache, "a", { offset: 20, length: 30 });
    await get(cache, "a", { suffix: 16 });
    inner.reset();
    expect(await get(cache, "a", { offset: 25, length: 10 })).toEqual(range(25, 35));
    expect(await get(cache, "a", { suffix: 4 })).toEqual(range(96, 100));
    expect(inner.operations()).toEqual([]);
    expect(await get(cache, "a", { offset: 45, length: 10 })).toEqual(range(45, 55)); // not covered
    expect(await get(cache, "a", { suffix: 20 })).toEqual(range(80, 100)); // not covered
    expect(inner.operations().map((o) => o.range)).toEqual([{ offset: 45, length: 10 }, { suffix: 20 }]);
  });

  it("learns the size from a read that hits the end, then serves suffixes and open ranges", async () => {
    const { inner, cache } = await setup();
    await get(cache, "a", { offset: 60 }); // reaches the end: size is 100
    inner.reset();
    expect(await get(cache, "a", { suffix: 30 })).toEqual(range(70, 100));
    expect(await get(cache, "a", { offset: 90 })).toEqual(range(90, 100));
    expect(inner.stats().get).toBe(0);
    // a range read past the end also reveals the size
    await get(cache, "b", { offset: 30, length: 50 });
    inner.reset();
    expect(await get(cache, "b", { suffix: 5 })).toEqual(range(35, 40));
    expect(inner.stats().get).toBe(0);
  });

  it("evicts least recently used segments to stay within maxBytes", async () => {
    const { inner, cache } = await setup(100);
    await get(cache, "b"); // 40
    await get(cache, "c"); // 80
    await get(cache, "b"); // touch b: c is now the oldest
    await get(cache, "d"); // 120 > 100: evict c
    expect(cache.cacheStats()).toMatchObject({ bytes: 80, segments: 2 });
    inner.reset();
    await get(cache, "b");
    await get(cache, "d");
    expect(inner.stats().get).toBe(0);
    await get(cache, "c");
    expect(inner.operations().map((o) => o.key)).toEqual(["c"]);
    await get(cache, "a"); // 100 bytes: fits only alone
    expect(cache.cacheStats()).toMatchObject({ bytes: 100, segments: 1 });
    const tiny = new CachingStore(inner, { maxBytes: 10 });
    await tiny.get("a");
    expect(tiny.cacheStats().bytes).toBe(0); // larger than the whole cache: not kept
  });

  it("replaces cached ranges by a covering read", async () => {
    const { cache } = await setup();
    await get(cache, "a", { offset: 0, length: 10 });
    await get(cache, "a", { offset: 50, length: 10 });
    expect(cache.cacheStats()).toMatchObject({ bytes: 20, segments: 2 });
    await get(cache, "a");
    expect(cache.cacheStats()).toMatchObject({ bytes: 100, segments: 1 });
  });

  it("shares one inner request between concurrent identical gets", async () => {
    const memory = new MemoryStore();
    await memory.put("k", counting(64));
    const gate = gated(memory);
    const inner = new CountingStore(gate.store);
    const cache = new CachingStore(inner);
    const p1 = cache.get("k", { range: { offset: 0, length: 8 } });
    const p2 = cache.get("k", { range: { offset: 0, length: 8 } });
    const p3 = cache.get("k");
    gate.open();
    const [r1, r2, r3] = await Promise.all([p1, p2, p3]);
    expect(inner.operations().map((o) => o.range)).toEqual([{ offset: 0, length: 8 }, undefined]);
    expect([...r1]).toEqual([...r2]);
    r1[0] = 255; // callers get their own bytes
    expect(r2[0]).toBe(0);
    expect(r3[0]).toBe(0);
    expect(cache.cacheStats().deduplicated).toBe(1);
  });

  it("aborts the shared request only when every waiter aborted", async () => {
    const memory = new MemoryStore();
    await memory.put("k", counting(10));
    const gate = gated(memory);
    const cache = new CachingStore(gate.store);
    const first = new AbortController();
    const p1 = cache.get("k", { signal: first.signal });
    const p2 = cache.get("k");
    first.abort(new Error("first gave up"));
    await expect(p1).rejects.toThrow("first gave up");
    gate.open();
    expect((await p2).byteLength).toBe(10);
    expect(gate.signals[0]?.aborted).toBe(false);

    const solo = new AbortController();
    const gate2 = gated(memory);
    const cache2 = new CachingStore(gate2.store);
    const p3 = cache2.get("k", { signal: solo.signal });
    solo.abort(new Error("nobody waits"));
    await expect(p3).rejects.toThrow("nobody waits");
    expect(gate2.signals[0]?.aborted).toBe(true);
  });

  it("invalidates a key on put, putIfAbsent and delete, including reads in flight", async () => {
    const { inner, cache } = await setup();
    await get(cache, "b");
    await cache.put("b", "new");
    expect(new TextDecoder().decode(await cache.get("b"))).toBe("new");
    await cache.delete("b");
    await expect(cache.get("b")).rejects.toThrow(/not found/);
    await cache.putIfAbsent("b", "again");
    expect(new TextDecoder().decode(await cache.get("b"))).toBe("again");

    const memory = new MemoryStore();
    await memory.put("k", "old");
    const gate = gated(memory);
    const racing = new CachingStore(gate.store);
    const stale = racing.get("k");
    await racing.put("k", "fresh"); // written while the old read is still in flight
    gate.open();
    expect(new TextDecoder().decode(await stale)).toBe("old");
    expect(new TextDecoder().decode(await racing.get("k"))).toBe("fresh");
    expect(inner.stats().put).toBe(1);
  });

  it("does not cache _last_checkpoint by default", async () => {
    const memory = new CountingStore(new MemoryStore());
    await memory.put("_delta_log/_last_checkpoint", '{"version":1}');
    await memory.put("_delta_log/00000000000000000001.json", "{}");
    const cache = new CachingStore(memory);
    for (let i = 0; i < 2; i++) {
      await cache.get("_delta_log/_last_checkpoint");
      await cache.get("_delta_log/00000000000000000001.json");
    }
    expect(memory.operations().filter((o) => o.op === "get").map((o) => o.key)).toEqual([
      "_delta_log/_last_checkpoint",
      "_delta_log/00000000000000000001.json",
      "_delta_log/_last_checkpoint",
    ]);
    expect(defaultCacheable("schema/t/_delta_log/_last_checkpoint")).toBe(false);
    expect(defaultCacheable("_delta_log/_last_checkpoint.json")).toBe(true);
  });

  it("returns what the inner store returns for any sequence of reads (property)", async () => {
    const memory = new MemoryStore();
    const objects = { x: counting(300), y: counting(57), z: new Uint8Array(0) };
    for (const [k, v] of Object.entries(objects)) await memory.put(k, v);
    const rangeArb = fc.option(
      fc.oneof(fc.record({ offset: fc.nat(350), length: fc.nat(120) }), fc.record({ offset: fc.nat(350) }), fc.record({ suffix: fc.nat(350) })),
      { nil: undefined },
    );
    const op = fc.tuple(fc.constantFrom("x", "y", "z"), rangeArb);
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), fc.integer({ min: 0, max: 400 }), async (ops, maxBytes) => {
        const cache = new CachingStore(memory, { maxBytes });
        for (const [key, r] of ops) {
          const options: GetOptions = r === undefined ? {} : { range: r };
          const [want, got] = await Promise.all([memory.get(key, options), cache.get(key, options)]);
          expect([...got]).toEqual([...want]);
          expect(cache.cacheStats().bytes).toBeLessThanOrEqual(maxBytes);
        }
      }),
      { numRuns: 200 },
    );
  });
});

/** Wraps a store so every get reads at once but answers only after `open()`; records signals. */
function gated(store: MemoryStore): { store: MemoryStore; open: () => void; signals: AbortSignal[] } {
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => (open = resolve));
  const signals: AbortSignal[] = [];
  const wrapper = Object.create(store) as MemoryStore;
  wrapper.get = async (key: string, options?: GetOptions) => {
    if (options?.signal) signals.push(options.signal);
    const bytes = await store.get(key, options); // read now, answer later: like a slow response
    await gate;
    options?.signal?.throwIfAborted();
    return bytes;
  };
  return { store: wrapper, open, signals };
}
