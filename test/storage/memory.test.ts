import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { AlreadyExistsError, NotFoundError } from "../../src/core/errors.js";

describe("MemoryStore basics", () => {
  it("puts, gets ranges, lists sorted and refuses a second putIfAbsent", async () => {
    const s = new MemoryStore();
    await s.put("b", "hello");
    await s.putIfAbsent("a", new Uint8Array([1, 2, 3]));
    await expect(s.putIfAbsent("a", "x")).rejects.toBeInstanceOf(AlreadyExistsError);
    expect(new TextDecoder().decode(await s.get("b", { range: { offset: 1, length: 3 } }))).toBe("ell");
    expect(new TextDecoder().decode(await s.get("b", { range: { suffix: 2 } }))).toBe("lo");
    const keys: string[] = [];
    for await (const m of s.list("")) keys.push(m.key);
    expect(keys).toEqual(["a", "b"]);
    await s.delete("a");
    await s.delete("a");
    await expect(s.get("a")).rejects.toBeInstanceOf(NotFoundError);
  });
});
