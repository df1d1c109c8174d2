/**
 * R2BindingStore against Miniflare's R2 simulator. The shared conformance suite runs with the
 * store inside workerd over the real binding (7-key listing pages so cursors are really followed;
 * the 50-way put-if-absent race arrives as 50 concurrent requests). Further tests drive the
 * binding from Node through Miniflare's proxy (`getR2Bucket`): conditional-put races, ranges,
 * cursors, prefixes, error wrapping.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AlreadyExistsError, InvalidInputError, NotFoundError, StorageError } from "../../src/core/errors.js";
import { R2BindingStore, type R2BucketLike } from "../../src/worker/r2-store.js";
import { miniflareAvailability, startMiniflareR2, type MiniflareR2 } from "../helpers/servers/miniflare-r2.js";
import { listAll, putAll, storeConformance } from "./conformance.js";
import { ODD_KEYS, bodyOf, counting } from "./conformance-data.js";

const availability = miniflareAvailability();
let mf: MiniflareR2 | undefined;
let bucket: R2BucketLike;
let stores = 0;

beforeAll(async () => {
  if (!availability.available) return;
  mf = await startMiniflareR2(["BUCKET"]);
  bucket = await mf.bucket("BUCKET");
});
afterAll(async () => {
  await mf?.stop();
});

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe.skipIf(!availability.available)("R2BindingStore (Miniflare)", () => {
  storeConformance("R2BindingStore in workerd", async (seed) => {
    const store = (mf as MiniflareR2).remoteStore({ prefix: `conformance/t${++stores}`, listPageSize: 7 });
    await putAll(store, seed);
    return store;
  });

  describe("driven from Node through the binding proxy", () => {
    it("putIfAbsent: exactly one of 20 racing writers wins", async () => {
      const store = new R2BindingStore({ bucket, name: "BUCKET", prefix: "proxy/race" });
      const key = "_delta_log/00000000000000000000.json";
      const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => store.putIfAbsent(key, `w${i}`)));
      const winners = results.flatMap((r, i) => (r.status === "fulfilled" ? [i] : []));
      expect(winners).toHaveLength(1);
      for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(AlreadyExistsError);
      expect(text(await store.get(key))).toBe(`w${winners[0]}`);
    });

    it("reads ranges (suffix included, past the end clamped) and follows cursors", async () => {
      const store = new R2BindingStore({ bucket, name: "BUCKET", prefix: "proxy/ranges", listPageSize: 3 });
      await store.put("h.bin", counting(100));
      await store.put("empty", new Uint8Array(0));
      expect([...(await store.get("h.bin", { range: { suffix: 3 } }))]).toEqual([97, 98, 99]);
      expect([...(await store.get("h.bin", { range: { offset: 98 } }))]).toEqual([98, 99]);
      expect([...(await store.get("h.bin", { range: { offset: 10, length: 2 } }))]).toEqual([10, 11]);
      expect((await store.get("h.bin", { range: { offset: 100, length: 5 } })).byteLength).toBe(0);
      expect((await store.get("h.bin", { range: { offset: 500 } })).byteLength).toBe(0);
      expect((await store.get("empty", { range: { offset: 0, length: 4 } })).byteLength).toBe(0);
      await expect(store.get("missing", { range: { offset: 100, length: 5 } })).rejects.toBeInstanceOf(NotFoundError);
      const keys = ["a", "b b", "c+c", "d%41", "z=1", "é", "😀"]; // UTF-8 byte order
      await putAll(store, new Map(keys.map((k) => [`l/${k}`, bodyOf(k)])));
      expect((await listAll(store, "l/")).map((m) => m.key)).toEqual(keys.map((k) => `l/${k}`));
      expect((await listAll(store, "l/", "l/c+c")).map((m) => m.key)).toEqual(["l/d%41", "l/z=1", "l/é", "l/😀"]);
    });

    it("round-trips awkward keys", async () => {
      const store = new R2BindingStore({ bucket, name: "BUCKET", prefix: "proxy/odd" });
      for (const key of ODD_KEYS) await store.put(key, bodyOf(key));
      for (const key of ODD_KEYS) expect(text(await store.get(key)), key).toBe(text(bodyOf(key)));
    });

    it("keeps prefixes apart, reports keys relative to the root, etags and times", async () => {
      const a = new R2BindingStore({ bucket, name: "BUCKET", prefix: "iso/a" });
      const b = new R2BindingStore({ bucket, name: "BUCKET", prefix: "/iso/a-b/" });
      await a.put("x.json", "a");
      await b.put("x.json", "b");
      expect((await listAll(a, "")).map((m) => m.key)).toEqual(["x.json"]);
      expect(text(await b.get("x.json"))).toBe("b");
      expect(b.root).toBe("r2://BUCKET/iso/a-b");
      const meta = await a.head("x.json");
      expect(meta).toMatchObject({ key: "x.json", size: 1 });
      expect(meta.etag).toMatch(/^".+"$/);
      expect(Math.abs(meta.lastModified - Date.now())).toBeLessThan(3600_000);
    });

    it("names the key in errors and rejects bad options", async () => {
      const store = new R2BindingStore({ bucket, name: "BUCKET", prefix: "errs" });
      await expect(store.get("nope/x")).rejects.toThrow(/r2:\/\/BUCKET\/errs\/nope\/x/);
      await expect(store.head("nope/x")).rejects.toBeInstanceOf(NotFoundError);
      expect(() => new R2BindingStore({ bucket, listPageSize: 0 })).toThrow(InvalidInputError);
      expect(() => new R2BindingStore({ bucket, listPageSize: 1001 })).toThrow(InvalidInputError);
      await expect(store.put("", "x")).rejects.toBeInstanceOf(InvalidInputError);
    });

    it("wraps binding failures in StorageError", async () => {
      const broken = { ...bucket, list: async () => Promise.reject(new Error("boom")) } as unknown as R2BucketLike;
      const error = await listAll(new R2BindingStore({ bucket: broken, name: "broken" }), "").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect((error as Error).message).toMatch(/R2 list failed: boom/);
    });
  });
});
