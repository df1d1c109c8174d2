/**
 * 8 writers x 25 appends on Cloudflare R2 through the Workers binding, in Miniflare's R2 simulator
 * (the SQLite-backed one `wrangler dev` uses): every store call runs R2BindingStore inside workerd
 * (the RPC bridge of test/helpers/servers/miniflare-r2.ts), so commits are R2 conditional puts
 * (`onlyIf: {etagDoesNotMatch: "*"}`, a null result = another writer won). Fails under CI=true
 * when Miniflare is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectLogStore } from "../../src/core/logstore/select.js";
import { miniflareAvailability, startMiniflareR2, type MiniflareR2 } from "../helpers/servers/miniflare-r2.js";
import { checkRace, raceAppends } from "./race.js";

const availability = miniflareAvailability();
let mf: MiniflareR2 | undefined;

beforeAll(async () => {
  if (!availability.available) return;
  mf = await startMiniflareR2(["BUCKET"]);
});
afterAll(async () => {
  await mf?.stop();
});

describe.skipIf(!availability.available)("8 writers x 25 appends, R2 binding (Miniflare)", () => {
  it("end at version 200 with every row once", { timeout: 120_000 }, async () => {
    const store = (mf as MiniflareR2).remoteStore({ prefix: "tables/race" });
    expect(selectLogStore({ store }).name).toBe("put-if-absent");
    const t = Date.now();
    await checkRace(store, await raceAppends({ store }));
    console.log(`R2 binding (Miniflare): ${Date.now() - t} ms`);
  });
});
