/** MemoryStore: the shared conformance suite plus memory-specific behaviour (lastModified clock). */
import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { putAll, storeConformance } from "./conformance.js";

storeConformance("MemoryStore", async (seed) => {
  const store = new MemoryStore({ name: "conformance" });
  await putAll(store, seed);
  return store;
});

describe("MemoryStore", () => {
  it("uses the injected clock and allows setting lastModified", async () => {
    let now = 1000;
    const store = new MemoryStore({ name: "clock", now: () => now });
    await store.put("a", "x");
    now = 2000;
    await store.put("b", "y");
    expect((await store.head("a")).lastModified).toBe(1000);
    expect((await store.head("b")).lastModified).toBe(2000);
    store.setLastModified("a", 5);
    expect((await store.head("a")).lastModified).toBe(5);
    expect(store.root).toBe("memory://clock");
  });

  it("hands out copies: changing what get returned (or what was put, even a Node Buffer) changes nothing stored", async () => {
    const store = new MemoryStore({ name: "copies" });
    const put = Buffer.from("abc");
    await store.put("k", put);
    put[0] = 0x7a;
    const got = await store.get("k");
    got[1] = 0x7a;
    expect(new TextDecoder().decode(await store.get("k"))).toBe("abc");
  });
});
