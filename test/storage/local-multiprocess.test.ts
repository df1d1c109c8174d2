/**
 * putIfAbsent on the local file system is atomic across processes: six child Node processes
 * (each linking a fully written temp file to the key, the same protocol as LocalStore) and this
 * process's LocalStore race on the same commit keys at the same instant; exactly one wins each.
 */
import { afterAll, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AlreadyExistsError } from "../../src/core/errors.js";
import { LocalStore } from "../../src/node/storage/local.js";

const CHILD = `
import { link, mkdir, unlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
const [dir, id, startAt, rounds] = process.argv.slice(1);
const results = [];
for (let round = 0; round < Number(rounds); round++) {
  const dest = join(dir, "_delta_log", String(round).padStart(20, "0") + ".json");
  await mkdir(dirname(dest), { recursive: true });
  const temp = join(dirname(dest), ".delta-edge-tmp-child-" + id + "-" + round);
  await writeFile(temp, "child " + id);
  const at = Number(startAt) + round * 150;
  while (Date.now() < at) await new Promise((r) => setTimeout(r, 1));
  try {
    await link(temp, dest);
    results.push("won");
  } catch (error) {
    if (error.code !== "EEXIST") throw error;
    results.push("lost");
  } finally {
    await unlink(temp);
  }
}
process.stdout.write(JSON.stringify(results));
`;

function runChild(args: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", CHILD, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

it("putIfAbsent: exactly one of 7 processes wins each key", async () => {
  const dir = await mkdtemp(join(tmpdir(), "delta-edge-mp-"));
  dirs.push(dir);
  const rounds = 5;
  const startAt = Date.now() + 1500; // time for the children to boot
  const children = Array.from({ length: 6 }, (_, i) => runChild([dir, String(i), String(startAt), String(rounds)]));
  const store = new LocalStore({ root: dir });
  const mine: string[] = [];
  for (let round = 0; round < rounds; round++) {
    const at = startAt + round * 150;
    while (Date.now() < at) await new Promise((r) => setTimeout(r, 1));
    try {
      await store.putIfAbsent(`_delta_log/${String(round).padStart(20, "0")}.json`, "parent");
      mine.push("won");
    } catch (error) {
      expect(error).toBeInstanceOf(AlreadyExistsError);
      mine.push("lost");
    }
  }
  const all = [...(await Promise.all(children)), mine];
  for (let round = 0; round < rounds; round++) {
    const key = `_delta_log/${String(round).padStart(20, "0")}.json`;
    const winners = all.map((r, i) => (r[round] === "won" ? i : -1)).filter((i) => i >= 0);
    expect(winners, key).toHaveLength(1);
    const content = new TextDecoder().decode(await store.get(key));
    expect(content).toBe(winners[0] === 6 ? "parent" : `child ${winners[0]}`);
  }
  expect((await readdir(join(dir, "_delta_log"))).filter((n) => n.startsWith(".delta-edge-tmp-"))).toEqual([]);
});
