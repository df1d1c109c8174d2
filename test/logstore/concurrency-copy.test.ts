/**
 * The copy-if-not-exists path (AWS_COPY_IF_NOT_EXISTS="header: cf-copy-destination-if-none-match: *",
 * as for Cloudflare R2's S3 API) with 8 writers x 25 appends on moto. moto ignores that header on
 * CopyObject (shown below), so the S3Store's fetch goes through r2CopyHeaderFetch (fakes.ts), which
 * gives moto R2's semantics: a conditional CopyObject to an existing key answers 412, checked and
 * applied atomically per destination. Everything else (signing, temp files, copies, 412 handling,
 * the commit loop) is the real code path against a real S3 server. Fails under CI=true without moto.
 */
import { describe, expect, it } from "vitest";
import { selectLogStore } from "../../src/core/logstore/select.js";
import type { S3Store } from "../../src/core/storage/s3.js";
import { storeFromUrl } from "../../src/core/storage/url.js";
import { motoForFile } from "../helpers/servers/moto.js";
import { r2CopyHeaderFetch } from "./fakes.js";
import { motoEnv } from "./moto-env.js";
import { checkRace, raceAppends } from "./race.js";

const { availability, bucket, server: moto } = motoForFile("race-copy");
const R2_COPY = { AWS_COPY_IF_NOT_EXISTS: "header: cf-copy-destination-if-none-match: *", AWS_CONDITIONAL_PUT: "disabled" };


describe.skipIf(!availability.available)("copy-if-not-exists on moto (R2's copy header)", () => {
  it("moto alone ignores cf-copy-destination-if-none-match (why the fetch wrapper exists)", async () => {
    const store = storeFromUrl({ url: `s3://${bucket}/plain`, env: motoEnv(moto(), R2_COPY) }) as S3Store;
    await store.put("a", "first");
    await store.put("b", "second");
    await store.copyIfAbsent("b", "a", { header: "cf-copy-destination-if-none-match", value: "*" });
    expect(new TextDecoder().decode(await store.get("a"))).toBe("second"); // overwritten: no 412 from moto
  });

  it("8 writers x 25 appends end at version 200 with every row once", { timeout: 120_000 }, async () => {
    const signed = moto().client();
    const { fetch, stats } = r2CopyHeaderFetch({ head: (url) => signed.fetch(url, { method: "HEAD" }) });
    const store = storeFromUrl({ url: `s3://${bucket}/copy`, env: motoEnv(moto(), R2_COPY), fetch });
    expect(selectLogStore({ store }).name).toBe("copy-if-absent");
    const t = Date.now();
    await checkRace(store, await raceAppends({ store }));
    console.log(`moto S3 copy-if-not-exists: ${Date.now() - t} ms, ${stats.copied} copies, ${stats.refused} refused with 412`);
    expect(stats.copied).toBe(201);
    expect(stats.refused).toBeGreaterThan(0);
  });
});
