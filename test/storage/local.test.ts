/**
 * LocalStore: the shared conformance suite over temp directories, plus local specifics — root as
 * path or file:// URL, keys that would escape the root, temp files never listed, reads of only
 * the requested range, and putIfAbsent across two store instances on one directory.
 */
import { afterAll, describe, expect, it } from "vitest";
import { mkdtemp, readdir, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { AlreadyExistsError, InvalidInputError, NotFoundError, StorageError } from "../../src/core/errors.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { listAll, putAll, storeConformance } from "./conformance.js";

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "delta-edge-local-"));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

storeConformance("LocalStore", async (seed) => {
  const dir = await tempDir();
  const store = new LocalStore({ root: dir });
  await putAll(store, seed);
  return { store, cleanup: () => rm(dir, { recursive: true, force: true }) };
});

describe("LocalStore", () => {
  it("accepts a path or a file:// URL with percent-escapes as root", async () => {
    const base = await tempDir();
    const dir = join(base, "my table é");
    const byPath = new LocalStore({ root: dir });
    await byPath.put("_delta_log/0.json", "{}");
    const url = pathToFileURL(dir).href;
    expect(url).toContain("my%20table%20%C3%A9");
    const byUrl = new LocalStore({ root: url });
    expect(byUrl.directory).toBe(dir);
    expect(byUrl.root).toBe(url);
    expect(new TextDecoder().decode(await byUrl.get("_delta_log/0.json"))).toBe("{}");
  });

  it("rejects keys that could escape the root", async () => {
    const store = new LocalStore({ root: await tempDir() });
    for (const key of ["../x", "a/../../x", "a/./b", "/abs", "a//b", "", "a/", "a\0b"]) {
      await expect(store.put(key, "x"), key).rejects.toBeInstanceOf(InvalidInputError);
      await expect(store.get(key), key).rejects.toBeInstanceOf(InvalidInputError);
    }
    expect(() => store.list("../")).not.toThrow(); // generators throw on iteration
    await expect(listAll(store, "../")).rejects.toBeInstanceOf(InvalidInputError);
  });

  it("lists a missing root or prefix as empty and ignores directories as objects", async () => {
    const base = await tempDir();
    const store = new LocalStore({ root: join(base, "does-not-exist") });
    expect(await listAll(store, "")).toEqual([]);
    expect(await listAll(store, "_delta_log/")).toEqual([]);
    const real = new LocalStore({ root: base });
    await mkdir(join(base, "empty-dir/nested"), { recursive: true });
    expect(await listAll(real, "")).toEqual([]);
    await expect(real.get("empty-dir")).rejects.toBeInstanceOf(NotFoundError);
    await expect(real.head("empty-dir")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("reports a write under an existing file as a StorageError", async () => {
    const store = new LocalStore({ root: await tempDir() });
    await store.put("a", "file");
    await expect(store.put("a/b", "x")).rejects.toBeInstanceOf(StorageError);
    await expect(store.putIfAbsent("a/b", "x")).rejects.toBeInstanceOf(StorageError);
    await expect(store.get("a/b")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("never lists in-progress temp files and leaves none behind", async () => {
    const dir = await tempDir();
    const store = new LocalStore({ root: dir });
    await writeFile(join(dir, ".delta-edge-tmp-abandoned"), "partial");
    await store.put("a/b.json", "1");
    await expect(store.putIfAbsent("a/b.json", "2")).rejects.toBeInstanceOf(AlreadyExistsError);
    await store.putIfAbsent("a/c.json", "3");
    expect((await listAll(store, "")).map((m) => m.key)).toEqual(["a/b.json", "a/c.json"]);
    expect((await readdir(join(dir, "a"))).sort()).toEqual(["b.json", "c.json"]);
  });

  it("putIfAbsent is atomic across store instances sharing a directory", async () => {
    const dir = await tempDir();
    const stores = Array.from({ length: 8 }, () => new LocalStore({ root: dir }));
    const results = await Promise.allSettled(stores.flatMap((s, i) => [0, 1, 2].map((j) => s.putIfAbsent("_delta_log/00000000000000000000.json", `w${i}.${j}`))));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("reads a range of a large file without reading the rest", async () => {
    const dir = await tempDir();
    const store = new LocalStore({ root: dir });
    const size = 32 * 1024 * 1024;
    const big = new Uint8Array(size);
    big[size - 1] = 7;
    big[size - 2] = 6;
    await store.put("big.bin", big);
    const before = process.memoryUsage().arrayBuffers;
    const tail = await store.get("big.bin", { range: { suffix: 2 } });
    expect([...tail]).toEqual([6, 7]);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(size / 2);
  });
});
