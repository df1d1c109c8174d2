/**
 * 8 writers x 25 appends on moto_server S3 with the default strategy (conditional put:
 * If-None-Match: *, 412 = another writer won), chosen by writeTable from the store's options the
 * way the CLI configures it (AWS_ENDPOINT_URL, AWS_ALLOW_HTTP, ...). Also the same race on a
 * MemoryStore as a baseline. Fails under CI=true when moto is missing.
 */
import { describe, expect, it } from "vitest";
import { selectLogStore } from "../../src/core/logstore/select.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { storeFromUrl } from "../../src/core/storage/url.js";
import { motoForFile } from "../helpers/servers/moto.js";
import { motoEnv } from "./moto-env.js";
import { checkRace, raceAppends } from "./race.js";

const { availability, bucket, server: moto } = motoForFile("race-s3");


describe("8 writers x 25 appends", () => {
  it("MemoryStore (put-if-absent)", async () => {
    const store = new MemoryStore();
    expect(selectLogStore({ store }).name).toBe("put-if-absent");
    await checkRace(store, await raceAppends({ store }));
  });

  it.skipIf(!availability.available)("moto S3, conditional put (the default strategy)", { timeout: 120_000 }, async () => {
    const store = storeFromUrl({ url: `s3://${bucket}/conditional-put`, env: motoEnv(moto()) });
    expect(selectLogStore({ store }).name).toBe("put-if-absent");
    const t = Date.now();
    await checkRace(store, await raceAppends({ store }));
    console.log(`moto S3 conditional put: ${Date.now() - t} ms`);
  });
});
