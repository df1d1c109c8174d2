/** CountingStore: request counts, byte totals and the operation log, without changing behaviour. */
import { describe, expect, it } from "vitest";
import { AlreadyExistsError, NotFoundError } from "../../src/core/errors.js";
import { CountingStore } from "../../src/core/storage/counting.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { listAll, putAll, storeConformance } from "./conformance.js";

storeConformance("CountingStore(MemoryStore)", async (seed) => {
  const store = new CountingStore(new MemoryStore());
  await putAll(store, seed);
  return store;
});

describe("CountingStore", () => {
  it("counts requests by kind and bytes read and written", async () => {
    const store = new CountingStore(new MemoryStore({ name: "c" }));
    await store.put("a", "hello"); // 5 bytes
    await store.putIfAbsent("b", new Uint8Array(10));
    await expect(store.putIfAbsent("b", new Uint8Array(3))).rejects.toBeInstanceOf(AlreadyExistsError);
    await store.get("a");
    await store.get("b", { range: { offset: 2, length: 4 } });
    await store.get("b", { range: { suffix: 3 } });
    await expect(store.get("missing")).rejects.toBeInstanceOf(NotFoundError);
    await store.head("a");
    expect((await listAll(store, "")).map((m) => m.key)).toEqual(["a", "b"]);
    await store.delete("a");
    expect(store.stats()).toEqual({
      get: 4,
      head: 1,
      list: 1,
      put: 1,
      putIfAbsent: 2,
      delete: 1,
      requests: 10,
      bytesRead: 5 + 4 + 3,
      bytesWritten: 5 + 10 + 3,
    });
    expect(store.operations()).toEqual([
      { op: "put", key: "a", bytes: 5 },
      { op: "putIfAbsent", key: "b", bytes: 10 },
      { op: "putIfAbsent", key: "b", bytes: 3, error: "ALREADY_EXISTS" },
      { op: "get", key: "a", bytes: 5 },
      { op: "get", key: "b", range: { offset: 2, length: 4 }, bytes: 4 },
      { op: "get", key: "b", range: { suffix: 3 }, bytes: 3 },
      { op: "get", key: "missing", bytes: 0, error: "NOT_FOUND" },
      { op: "head", key: "a", bytes: 0 },
      { op: "list", key: "", bytes: 0 },
      { op: "delete", key: "a", bytes: 0 },
    ]);
  });

  it("resets, passes capabilities through and logs in issue order", async () => {
    const inner = new MemoryStore({ name: "order" });
    await inner.put("x", "1234");
    const store = new CountingStore(inner);
    expect(store.root).toBe("memory://order");
    expect(store.writable).toBe(true);
    expect(store.listable).toBe(true);
    await store.get("x");
    store.reset();
    expect(store.stats().requests).toBe(0);
    expect(store.operations()).toEqual([]);
    await Promise.all([store.get("x", { range: { offset: 0, length: 1 } }), store.head("x")]);
    expect(store.operations().map((o) => o.op)).toEqual(["get", "head"]);
    const copy = store.operations();
    copy.length = 0;
    expect(store.operations()).toHaveLength(2);
    expect(new TextEncoder().encode("é").byteLength).toBe(2);
    await store.put("u", "é");
    expect(store.stats().bytesWritten).toBe(2);
  });
});
