/**
 * LocalStore on a file system without hard links (link fails with EPERM, as on some FUSE, SMB or
 * FAT mounts): putIfAbsent falls back to an exclusive create and still lets exactly one writer win.
 */
import { afterAll, expect, it, vi } from "vitest";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AlreadyExistsError } from "../../src/core/errors.js";
import { LocalStore } from "../../src/node/storage/local.js";

vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs/promises")>();
  const link = async (): Promise<never> => {
    throw Object.assign(new Error("EPERM: operation not permitted, link"), { code: "EPERM" });
  };
  return { ...real, link, default: { ...real, link } };
});

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

it("putIfAbsent falls back to O_EXCL create when hard links are unsupported", async () => {
  const dir = await mkdtemp(join(tmpdir(), "delta-edge-nolink-"));
  dirs.push(dir);
  const store = new LocalStore({ root: dir });
  const key = "_delta_log/00000000000000000000.json";
  const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => store.putIfAbsent(key, `w${i}`)));
  const winners = results.flatMap((r, i) => (r.status === "fulfilled" ? [i] : []));
  expect(winners).toHaveLength(1);
  for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(AlreadyExistsError);
  expect(new TextDecoder().decode(await store.get(key))).toBe(`w${winners[0]}`);
  expect(await readdir(join(dir, "_delta_log"))).toEqual(["00000000000000000000.json"]);
});
