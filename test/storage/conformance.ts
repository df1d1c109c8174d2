/**
 * The storage conformance suite: the behaviour every ObjectStore backend must share (sorted,
 * byte-ordered listing with startAfter; ranges incl. suffix and past-the-end; NotFoundError for
 * missing keys; atomic putIfAbsent under 50-way races; awkward keys; idempotent delete; overwrite).
 * A backend calls `storeConformance(name, makeStore, capabilities)` from its own test file. The
 * factory gets the objects the store must start with, so read-only backends can be pre-filled.
 * Backends whose listing page size is a setting also call `smallPagesTest` (3-key pages).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { AlreadyExistsError, DeltaError, NotFoundError } from "../../src/core/errors.js";
import type { ByteRange, ObjectMeta, ObjectStore } from "../../src/core/storage/object-store.js";
import { ODD_KEYS, ORDERED_KEYS, bodyOf, byUtf8, counting, manyKeys } from "./conformance-data.js";

/** A store plus how to dispose of it. */
export type StoreHandle = ObjectStore | { store: ObjectStore; cleanup?: () => Promise<void> };

/** Creates a fresh store holding exactly `seed` (key -> bytes). Called once per test. */
export type StoreFactory = (seed: ReadonlyMap<string, Uint8Array>) => Promise<StoreHandle>;

/** What the backend under test can do (defaults: writable and listable). */
export interface StoreCapabilities {
  readOnly?: boolean;
  listable?: boolean;
}

/** Writes every seed object into a (writable) store; helper for factories. */
export async function putAll(store: ObjectStore, seed: ReadonlyMap<string, Uint8Array>): Promise<void> {
  const entries = [...seed];
  for (let i = 0; i < entries.length; i += 64) {
    await Promise.all(entries.slice(i, i + 64).map(([key, bytes]) => store.put(key, bytes)));
  }
}

/** Collects a listing. */
export async function listAll(store: ObjectStore, prefix: string, startAfter?: string): Promise<ObjectMeta[]> {
  const out: ObjectMeta[] = [];
  for await (const meta of store.list(prefix, startAfter === undefined ? {} : { startAfter })) out.push(meta);
  return out;
}

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const seedOf = (keys: Iterable<string>): Map<string, Uint8Array> => new Map([...keys].map((k) => [k, bodyOf(k)]));

/** Registers the conformance tests of one backend. */
export function storeConformance(name: string, makeStore: StoreFactory, capabilities: StoreCapabilities = {}): void {
  const readOnly = capabilities.readOnly ?? false;
  const listable = capabilities.listable ?? true;

  async function withStore(seed: ReadonlyMap<string, Uint8Array>, run: (store: ObjectStore) => Promise<void>): Promise<void> {
    const handle = await makeStore(seed);
    const store = "store" in handle ? handle.store : handle;
    try {
      await run(store);
    } finally {
      if ("store" in handle) await handle.cleanup?.();
    }
  }

  describe(`${name}: storage conformance`, () => {
    it("reports its capabilities", async () => {
      await withStore(new Map(), async (store) => {
        expect(store.writable).toBe(!readOnly);
        expect(store.listable).toBe(listable);
        expect(typeof store.root).toBe("string");
      });
    });

    it("reads whole objects and byte ranges, clamping past the end", async () => {
      const hundred = counting(100);
      const seed = new Map([["ranges/hundred.bin", hundred], ["ranges/empty.bin", new Uint8Array(0)]]);
      const cases: [ByteRange | undefined, number, number][] = [
        [undefined, 0, 100],
        [{ offset: 0, length: 10 }, 0, 10],
        [{ offset: 10, length: 5 }, 10, 15],
        [{ offset: 95, length: 10 }, 95, 100],
        [{ offset: 50 }, 50, 100],
        [{ offset: 99, length: 1 }, 99, 100],
        [{ offset: 100 }, 100, 100],
        [{ offset: 100, length: 5 }, 100, 100],
        [{ offset: 150, length: 5 }, 100, 100],
        [{ offset: 10, length: 0 }, 10, 10],
        [{ suffix: 10 }, 90, 100],
        [{ suffix: 1 }, 99, 100],
        [{ suffix: 100 }, 0, 100],
        [{ suffix: 1000 }, 0, 100],
        [{ suffix: 0 }, 100, 100],
      ];
      await withStore(seed, async (store) => {
        for (const [range, start, end] of cases) {
          const got = await store.get("ranges/hundred.bin", range === undefined ? {} : { range });
          expect(got, JSON.stringify(range)).toBeInstanceOf(Uint8Array);
          expect([...got], JSON.stringify(range)).toEqual([...hundred.slice(start, end)]);
        }
        for (const range of [undefined, { offset: 0, length: 10 }, { offset: 0 }, { suffix: 5 }, { offset: 3, length: 2 }]) {
          const got = await store.get("ranges/empty.bin", range === undefined ? {} : { range });
          expect(got.byteLength, JSON.stringify(range)).toBe(0);
        }
      });
    });

    it("reads random ranges of a larger object exactly (property)", async () => {
      const big = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 251);
      await withStore(new Map([["big.bin", big]]), async (store) => {
        const range = fc.oneof(
          fc.record({ offset: fc.nat(75_000), length: fc.nat(20_000) }),
          fc.record({ offset: fc.nat(75_000) }),
          fc.record({ suffix: fc.nat(80_000) }),
        );
        await fc.assert(
          fc.asyncProperty(range, async (r: ByteRange) => {
            const got = await store.get("big.bin", { range: r });
            const [start, end] =
              "suffix" in r ? [Math.max(0, big.length - r.suffix), big.length] : [Math.min(r.offset, big.length), r.length === undefined ? big.length : Math.min(big.length, r.offset + r.length)];
            expect(Buffer.compare(Buffer.from(got), Buffer.from(big.subarray(start, Math.max(start, end))))).toBe(0);
          }),
          { numRuns: 40 },
        );
      });
    });

    it("heads objects: size, lastModified, key", async () => {
      const seed = new Map([["meta/a.json", counting(1234)], ["meta/empty", new Uint8Array(0)]]);
      await withStore(seed, async (store) => {
        const meta = await store.head("meta/a.json");
        expect(meta.key).toBe("meta/a.json");
        expect(meta.size).toBe(1234);
        expect(Number.isFinite(meta.lastModified)).toBe(true);
        if (meta.lastModified !== 0) expect(Math.abs(meta.lastModified - Date.now())).toBeLessThan(24 * 3600_000);
        expect((await store.head("meta/empty")).size).toBe(0);
      });
    });

    it("throws NotFoundError (naming the key) for a missing object", async () => {
      await withStore(seedOf(["present/x.json"]), async (store) => {
        const missing = ["missing/nope.json", "present/y.json", "present/x.json/child", "nowhere/deep/er/file"];
        for (const key of missing) {
          await expect(store.get(key), key).rejects.toBeInstanceOf(NotFoundError);
          await expect(store.head(key), key).rejects.toBeInstanceOf(NotFoundError);
        }
        await expect(store.get("missing/nope.json", { range: { offset: 0, length: 4 } })).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.get("missing/nope.json", { range: { suffix: 4 } })).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.get("missing/nope.json", { range: { suffix: 0 } })).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.get("missing/nope.json")).rejects.toThrow(/missing\/nope\.json/);
      });
    });

    it("round-trips awkward keys (spaces, %, =, +, #, ?, Unicode) through get and head", async () => {
      await withStore(seedOf(ODD_KEYS), async (store) => {
        for (const key of ODD_KEYS) {
          expect(text(await store.get(key)), key).toBe(text(bodyOf(key)));
          expect((await store.head(key)).size, key).toBe(bodyOf(key).byteLength);
        }
        // "%41" must not be decoded to "A" on the way, nor "%2F" to "/".
        await expect(store.get("odd/A looks escaped")).rejects.toBeInstanceOf(NotFoundError);
      });
    });

    it.skipIf(!listable)("lists 1500 keys sorted by UTF-8 bytes, by prefix", async () => {
      const keys = [...manyKeys(), ...ORDERED_KEYS, ...ODD_KEYS];
      const seed = seedOf(keys);
      await withStore(seed, async (store) => {
        const all = await listAll(store, "");
        expect(all.map((m) => m.key)).toEqual([...keys].sort(byUtf8));
        for (const meta of all) expect(meta.size, meta.key).toBe(seed.get(meta.key)?.byteLength);
        expect((await listAll(store, "order/")).map((m) => m.key)).toEqual(ORDERED_KEYS);
        const prefixes = ["many/", "many", "many/sub", "many/sub/", "many/1", "order/a", "odd/", "odd/日本/", "manyz/4", "nope/", "many/sub/9999"];
        for (const prefix of prefixes) {
          const expected = keys.filter((k) => k.startsWith(prefix)).sort(byUtf8);
          expect((await listAll(store, prefix)).map((m) => m.key), prefix).toEqual(expected);
        }
      });
    });

    it.skipIf(!listable)("lists only keys strictly after startAfter", async () => {
      const keys = manyKeys();
      await withStore(seedOf(keys), async (store) => {
        const afters = ["many/5", "many/sub/15", "many/sub", "many/sub/", "many/sub/99.json", "a", "many/zzz", "many/", "many/699", "many/sub-199"];
        for (const startAfter of afters) {
          const expected = keys.filter((k) => k.startsWith("many/") && byUtf8(k, startAfter) > 0).sort(byUtf8);
          expect((await listAll(store, "many/", startAfter)).map((m) => m.key), startAfter).toEqual(expected);
        }
        const fromRoot = keys.filter((k) => byUtf8(k, "many/sub-5") > 0).sort(byUtf8);
        expect((await listAll(store, "", "many/sub-5")).map((m) => m.key)).toEqual(fromRoot);
      });
    });

    it.skipIf(listable)("refuses to list with a DeltaError", async () => {
      await withStore(seedOf(["a"]), async (store) => {
        await expect(listAll(store, "")).rejects.toBeInstanceOf(DeltaError);
      });
    });

    it.skipIf(!readOnly)("refuses writes with a DeltaError and stays unchanged", async () => {
      await withStore(seedOf(["ro/x.json"]), async (store) => {
        await expect(store.put("ro/x.json", "changed")).rejects.toBeInstanceOf(DeltaError);
        await expect(store.put("ro/new.json", "new")).rejects.toThrow(/read-only/);
        await expect(store.putIfAbsent("ro/new.json", "new")).rejects.toBeInstanceOf(DeltaError);
        await expect(store.delete("ro/x.json")).rejects.toBeInstanceOf(DeltaError);
        expect(text(await store.get("ro/x.json"))).toBe(text(bodyOf("ro/x.json")));
        await expect(store.get("ro/new.json")).rejects.toBeInstanceOf(NotFoundError);
      });
    });

    describe.skipIf(readOnly)("writes", () => {
      it("puts strings and bytes, overwrites, and keeps its own copy", async () => {
        await withStore(new Map(), async (store) => {
          await store.put("w/a.json", "first version, longer");
          await store.put("w/a.json", "second");
          expect(text(await store.get("w/a.json"))).toBe("second");
          expect((await store.head("w/a.json")).size).toBe(6);
          const bytes = Uint8Array.from([1, 2, 3, 4]);
          await store.put("w/deep/er/still/b.bin", bytes);
          bytes[0] = 99;
          expect([...(await store.get("w/deep/er/still/b.bin"))]).toEqual([1, 2, 3, 4]);
          await store.put("w/empty", new Uint8Array(0));
          expect((await store.get("w/empty")).byteLength).toBe(0);
          if (listable) expect((await listAll(store, "w/")).map((m) => m.key)).toEqual(["w/a.json", "w/deep/er/still/b.bin", "w/empty"]);
        });
      });

      it("putIfAbsent: exactly one of 50 racing writers wins", async () => {
        await withStore(new Map(), async (store) => {
          const key = "_delta_log/00000000000000000001.json";
          const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => store.putIfAbsent(key, `writer ${i}`)));
          const winners = results.flatMap((r, i) => (r.status === "fulfilled" ? [i] : []));
          expect(winners).toHaveLength(1);
          for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(AlreadyExistsError);
          expect(text(await store.get(key))).toBe(`writer ${winners[0]}`);
          if (listable) expect((await listAll(store, "_delta_log/")).map((m) => m.key)).toEqual([key]);
        });
      });

      it("putIfAbsent leaves an existing object untouched", async () => {
        await withStore(seedOf(["c/exists.json"]), async (store) => {
          await expect(store.putIfAbsent("c/exists.json", "other")).rejects.toBeInstanceOf(AlreadyExistsError);
          expect(text(await store.get("c/exists.json"))).toBe(text(bodyOf("c/exists.json")));
          await store.putIfAbsent("c/new/deeper.json", "fresh");
          expect(text(await store.get("c/new/deeper.json"))).toBe("fresh");
        });
      });

      it("deletes idempotently", async () => {
        await withStore(seedOf(["d/a", "d/b"]), async (store) => {
          await store.delete("d/a");
          await store.delete("d/a");
          await store.delete("d/never-existed");
          await store.delete("nowhere/at/all");
          await expect(store.get("d/a")).rejects.toBeInstanceOf(NotFoundError);
          await expect(store.head("d/a")).rejects.toBeInstanceOf(NotFoundError);
          if (listable) expect((await listAll(store, "d/")).map((m) => m.key)).toEqual(["d/b"]);
          await store.putIfAbsent("d/a", "again");
          expect(text(await store.get("d/a"))).toBe("again");
        });
      });

      it("round-trips awkward keys through put, get, list and delete", async () => {
        await withStore(new Map(), async (store) => {
          for (const key of ODD_KEYS) await store.put(key, bodyOf(key));
          for (const key of ODD_KEYS) expect(text(await store.get(key)), key).toBe(text(bodyOf(key)));
          if (listable) expect((await listAll(store, "odd/")).map((m) => m.key)).toEqual([...ODD_KEYS].sort(byUtf8));
          for (const key of ODD_KEYS) await store.delete(key);
          for (const key of ODD_KEYS) await expect(store.head(key), key).rejects.toBeInstanceOf(NotFoundError);
          if (listable) expect(await listAll(store, "odd/")).toEqual([]);
        });
      });
    });
  });
}

/**
 * The paging test for backends with a listing page-size setting: `makeStore` gives an empty
 * writable store listing 3 keys a page; every prefix and start-after position must list exactly
 * the keys after it, in UTF-8 byte order, across page boundaries.
 */
export function smallPagesTest(makeStore: () => ObjectStore): void {
  it("paginates with 3-key pages: every prefix and start-after position", async () => {
    const store = makeStore();
    const keys = [...ODD_KEYS, "a", "b/1", "b/2", "b-1", "b.1", "c=1", "c+1", "c 1"];
    await putAll(store, new Map(keys.map((k) => [k, bodyOf(k)])));
    const sorted = [...keys].sort(byUtf8);
    expect((await listAll(store, "")).map((m) => m.key)).toEqual(sorted);
    for (const after of [...sorted.filter((_, i) => i % 3 === 0), "", "b", "b/", "odd/z", "zzz"]) {
      expect((await listAll(store, "", after)).map((m) => m.key), after).toEqual(sorted.filter((k) => byUtf8(k, after) > 0));
    }
    for (const prefix of ["b", "b/", "odd/", "c", "odd/é/"]) {
      expect((await listAll(store, prefix)).map((m) => m.key), prefix).toEqual(sorted.filter((k) => k.startsWith(prefix)));
    }
  });
}
