/**
 * Why AWS_S3_ALLOW_UNSAFE_RENAME is unsafe, shown with the same race as the safe strategies
 * (8 writers x 25 appends): every writer is told its append committed, yet later writers
 * overwrite earlier commits — the overwritten commits' rows are gone from the table, and several
 * writers were told they won the same version. The race is between the strategy's "is N.json
 * there?" check and its PUT; on memory that window is widened by a short delay before each commit
 * PUT (so the demonstration does not depend on scheduling), on moto it is the real round trip.
 * And by default no one gets this strategy: S3 without conditional put refuses to write, saying
 * how to configure a safe strategy. Fails under CI=true without moto.
 */
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/core/errors.js";
import { selectLogStore } from "../../src/core/logstore/select.js";
import { UnsafeRenameLogStore } from "../../src/core/logstore/unsafe-rename.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import type { ObjectStore } from "../../src/core/storage/object-store.js";
import { storeFromUrl } from "../../src/core/storage/url.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { writeTable } from "../../src/core/write/write-table.js";
import { motoForFile } from "../helpers/servers/moto.js";
import { SlowStore } from "./fakes.js";
import { motoEnv } from "./moto-env.js";
import { RACE_SCHEMA, lostCommits, raceAppends, scannedIds, type Win } from "./race.js";

const { availability, bucket, server: moto } = motoForFile("unsafe");


/** Asserts the damage an unsafe race did, and returns a one-line summary. */
async function expectDamage(store: ObjectStore, wins: readonly Win[]): Promise<string> {
  expect(wins).toHaveLength(200); // every writer was told every append committed
  const lost = await lostCommits(store, wins);
  expect(lost.length).toBeGreaterThan(0); // ... but some commits were overwritten afterwards
  const reported = new Set(wins.map((w) => w.version));
  expect(reported.size).toBeLessThan(200); // several writers "won" the same version
  const snapshot = await loadSnapshot({ store });
  const ids = await scannedIds(store);
  expect(ids.length).toBeLessThan(200); // rows are missing from the table
  expect(ids.length + lost.length).toBe(200); // exactly the overwritten commits' rows
  return `${lost.length} of 200 acknowledged commits overwritten; table at version ${snapshot.version} has ${ids.length} of 200 rows`;
}

describe("unsafe rename loses commits under concurrency", () => {
  it("on memory, with a 3 ms window between the check and the PUT", async () => {
    const store = new SlowStore(new MemoryStore(), (op, key) => (op === "put" && /_delta_log\/\d{20}\.json$/.test(key) ? 3 : 0));
    const wins = await raceAppends({ store, logStore: () => new UnsafeRenameLogStore({ store, allowUnsafeRename: true }) });
    console.log(`unsafe rename, memory: ${await expectDamage(store, wins)}`);
  });

  it.skipIf(!availability.available)("on moto S3, chosen by AWS_S3_ALLOW_UNSAFE_RENAME=true with conditional put disabled", { timeout: 120_000 }, async () => {
    const env = motoEnv(moto(), { AWS_CONDITIONAL_PUT: "disabled", AWS_S3_ALLOW_UNSAFE_RENAME: "true" });
    const store = storeFromUrl({ url: `s3://${bucket}/unsafe`, env });
    expect(selectLogStore({ store }).name).toBe("unsafe-rename");
    const t = Date.now();
    const wins = await raceAppends({ store });
    console.log(`unsafe rename, moto: ${await expectDamage(store, wins)} (${Date.now() - t} ms)`);
  });
});

describe("unsafe rename is refused by default", () => {
  it.skipIf(!availability.available)("S3 with conditional put disabled and nothing else refuses to write, naming the safe settings", async () => {
    const env = motoEnv(moto(), { AWS_CONDITIONAL_PUT: "disabled" });
    const store = storeFromUrl({ url: `s3://${bucket}/refused`, env });
    const err = await writeTable({ store, data: [{ id: 1, writer: 0 }], schema: RACE_SCHEMA }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as Error).message).toMatch(/AWS_CONDITIONAL_PUT=etag.*AWS_COPY_IF_NOT_EXISTS.*AWS_S3_LOCKING_PROVIDER=dynamodb.*AWS_S3_ALLOW_UNSAFE_RENAME=true/);
    const keys: string[] = [];
    for await (const m of store.list("")) keys.push(m.key);
    expect(keys).toEqual([]); // refused before any data file was written
  });

  it("the strategy cannot be built without the explicit opt-in", () => {
    expect(() => new UnsafeRenameLogStore({ store: new MemoryStore(), allowUnsafeRename: false })).toThrow(InvalidInputError);
  });
});
