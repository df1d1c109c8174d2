/**
 * PresignedS3Store end to end: the Worker (Miniflare) signs through POST /api/presign with the
 * bucket's keys as bindings, the store fetches the presigned URLs from a private bucket (moto
 * behind a gateway that checks every SigV4 signature and refuses unsigned requests), and no
 * request to the bucket carries an Authorization header. Checks ranged reads, HEAD and paginated
 * listing; that a table reads the same as through a direct S3Store; how many signing round trips
 * opening a table and scanning it cost (one per plan step, not per request); that a URL the
 * bucket refuses as expired is signed again; and what the errors say when the signer or the
 * bucket refuses.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type RunningWorker } from "../../scripts/worker-dev.mjs";
import { StorageError } from "../../src/core/errors.js";
import { PresignedS3Store } from "../../src/core/storage/presigned-s3.js";
import { presignS3, type PresignRequestBody } from "../../src/core/storage/s3-presign.js";
import { readHistory } from "../../src/core/table/history.js";
import { openTable } from "../../src/core/table/open.js";
import { readRows } from "../../src/core/scan/read.js";
import { writeTable } from "../../src/core/write/write-table.js";
import { createCheckpoint } from "../../src/core/write/checkpoint-write.js";
import { miniflareAvailability } from "../helpers/servers/miniflare-r2.js";
import { motoAvailability } from "../helpers/servers/moto.js";
import { BUCKET_KEYS, REGION, startSignedBucket, type SignedBucket } from "../helpers/signed-bucket.js";
import { listAll } from "./conformance.js";

const available = motoAvailability().available && miniflareAvailability().available;
const READ_TOKEN = "presign-read-token";
const TABLE = "s3://lake/tables/events";

/** Fetch that records what went where. */
function recorder() {
  const calls: Array<{ url: string; method: string; authorization: string | null }> = [];
  const fetchFn: typeof fetch = (input, init) => {
    const request = new Request(input, init);
    calls.push({ url: request.url, method: request.method, authorization: request.headers.get("Authorization") });
    return fetch(request);
  };
  return { calls, fetch: fetchFn };
}

describe.skipIf(!available)("PresignedS3Store through the Worker's /api/presign", () => {
  let bucket: SignedBucket;
  let worker: RunningWorker;
  const rows: Array<{ id: number; part: string }> = [];

  beforeAll(async () => {
    bucket = await startSignedBucket("lake");
    worker = await startWorker({ bindings: { WRITE_TOKEN: "w", READ_TOKEN, ...bucket.workerBindings("lake/tables/ lake/raw") } });
    const writer = bucket.writer("tables/events");
    // Six commits, one file each; a checkpoint at version 3 (so a snapshot reads a checkpoint and commits).
    for (let v = 0; v < 6; v++) {
      const data = [{ id: v * 10, part: v % 2 === 0 ? "even" : "odd" }, { id: v * 10 + 1, part: v % 2 === 0 ? "even" : "odd" }];
      rows.push(...data);
      await writeTable({ store: writer, data, mode: v === 0 ? "error" : "append" });
      if (v === 3) await createCheckpoint({ store: writer });
    }
    const raw = bucket.writer("raw");
    for (const k of ["a.txt", "b c.txt", "d/e.txt", "f~g.txt"]) await raw.put(k, `body of ${k}: 0123456789`);
    await bucket.writer("secret").put("x.txt", "not yours");
  });

  afterAll(async () => {
    await worker?.dispose();
    await bucket?.stop();
  });

  const store = (options: { fetch?: typeof fetch; url?: string; token?: string | undefined; listPageSize?: number } = {}) =>
    new PresignedS3Store({
      url: options.url ?? TABLE,
      signer: worker.url,
      token: "token" in options ? options.token : READ_TOKEN,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      client: { retries: 0, ...(options.listPageSize ? { listPageSize: options.listPageSize } : {}) },
    });

  it("reads ranges, heads and lists through presigned URLs, never with an Authorization header to the bucket", async () => {
    const rec = recorder();
    const s = store({ url: "s3://lake/raw", fetch: rec.fetch, listPageSize: 2 });
    const text = (b: Uint8Array) => new TextDecoder().decode(b);
    expect(text(await s.get("b c.txt"))).toBe("body of b c.txt: 0123456789");
    expect(text(await s.get("b c.txt", { range: { offset: 8, length: 7 } }))).toBe("b c.txt");
    expect(text(await s.get("b c.txt", { range: { suffix: 4 } }))).toBe("6789");
    expect((await s.head("d/e.txt")).size).toBe("body of d/e.txt: 0123456789".length);
    expect((await listAll(s, "")).map((m) => m.key)).toEqual(["a.txt", "b c.txt", "d/e.txt", "f~g.txt"]);
    expect((await listAll(s, "", "b c.txt")).map((m) => m.key)).toEqual(["d/e.txt", "f~g.txt"]);
    await expect(s.get("missing.txt")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(s.put("a.txt", "x")).rejects.toMatchObject({ code: "READ_ONLY" });

    const toBucket = rec.calls.filter((c) => c.url.startsWith(bucket.gateway.endpoint));
    const toSigner = rec.calls.filter((c) => c.url.startsWith(worker.url));
    expect(toBucket.length).toBeGreaterThanOrEqual(8);
    expect(toBucket.every((c) => c.authorization === null && new URL(c.url).searchParams.has("X-Amz-Signature"))).toBe(true);
    expect(toSigner.every((c) => c.url === `${worker.url}api/presign` && c.method === "POST" && c.authorization === `Bearer ${READ_TOKEN}`)).toBe(true);
    // The same key's GET URL serves all its ranges: 3 reads of "b c.txt", one URL.
    expect(s.signingStats().urls).toBeLessThan(toBucket.length);
    const checked = bucket.gateway.log.filter((r) => r.method !== "OPTIONS");
    expect(checked.length).toBeGreaterThanOrEqual(toBucket.length);
    expect(checked.every((r) => r.outcome === "ok" && r.headers["authorization"] === undefined)).toBe(true);
  });

  it("reads a table as a direct S3Store does, with one signing round trip per plan step", async () => {
    const direct = bucket.writer("tables/events");
    const expected = await collect(readRows({ store: direct }));
    expect(expected).toHaveLength(rows.length);

    const s = store();
    const snapshot = await openTable({ store: s });
    // _last_checkpoint, the listing from the checkpoint, then the checkpoint and commits 4-5 together.
    expect(s.signingStats().calls).toBe(3);
    expect(snapshot.version).toBe(5);
    expect(snapshot.numFiles).toBe(6);

    let before = s.signingStats().calls;
    expect(await collect(readRows({ store: s, snapshot }))).toEqual(expected);
    expect(s.signingStats().calls - before).toBe(1); // six data files (footers and chunks): one call

    // A limit reads file by file; the files are still signed in one call.
    const fresh = store();
    const snap2 = await openTable({ store: fresh });
    before = fresh.signingStats().calls;
    const firstRows = await collect(readRows({ store: fresh, snapshot: snap2, where: "part = 'odd'", limit: 3 }));
    expect(firstRows).toEqual(expected.filter((r) => r["part"] === "odd").slice(0, 3));
    expect(fresh.signingStats().calls - before).toBe(1);

    // History: _last_checkpoint and listing URLs are reused; the six commits are one call.
    before = fresh.signingStats().calls;
    const history = await readHistory({ store: fresh, limit: 10 });
    expect(history.map((h) => h.version)).toEqual([5, 4, 3, 2, 1, 0]);
    expect(fresh.signingStats().calls - before).toBeLessThanOrEqual(2);
  });

  it("signs again when the bucket refuses a cached URL as expired", async () => {
    // A signer whose clock we set, in front of the real bucket (same keys as the Worker).
    let signerNow = Date.now() - 10 * 60_000; // ten minutes slow: its URLs are expired on arrival
    let calls = 0;
    const fetchFn: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      if (!request.url.startsWith("http://signer.test/")) return fetch(request);
      calls++;
      const body = (await request.json()) as PresignRequestBody;
      const config = { endpoint: bucket.gateway.endpoint, region: REGION, ...BUCKET_KEYS, client: { allowHttp: true } };
      const urls = await presignS3({ config, bucket: body.bucket, items: body.requests, expiresIn: 300, now: new Date(signerNow) });
      return Response.json({ urls, expiresIn: 300, expiresAt: signerNow + 300_000 });
    };
    const s = new PresignedS3Store({ url: "s3://lake/raw", signer: "http://signer.test", fetch: fetchFn, client: { retries: 0 } });
    await expect(s.get("a.txt")).rejects.toThrow(/Request has expired.*clocks of the signer \(http:\/\/signer\.test\/api\/presign\) and the bucket disagree/);
    expect(calls).toBe(2); // signed, refused, signed again, refused again: then the error

    signerNow = Date.now();
    calls = 0;
    await s.get("a.txt"); // a cached URL is fine now
    signerNow = Date.now() - 10 * 60_000;
    s["signer"].forget();
    await s.get("a.txt").catch(() => undefined); // caches an expired URL
    signerNow = Date.now();
    expect(new TextDecoder().decode(await s.get("a.txt"))).toBe("body of a.txt: 0123456789");
  });

  it("says what is wrong when the signer or the bucket refuses", async () => {
    await expect(openTable({ store: store({ token: undefined }) })).rejects.toThrow(/the signer needs a read token.*UNAUTHORIZED/);
    await expect(openTable({ store: store({ token: "wrong" }) })).rejects.toThrow(/the signer refused to sign: FORBIDDEN/);
    await expect(store({ url: "s3://lake/secret" }).get("x.txt")).rejects.toThrow(/PRESIGN_FORBIDDEN.*"secret\/x\.txt" lies outside the prefixes/);
    await expect(store({ url: "s3://other/tables" }).get("x.txt")).rejects.toThrow(/does not sign requests for bucket "other"/);
    const unreachable = new PresignedS3Store({ url: TABLE, signer: "http://127.0.0.1:9/", client: { retries: 0 } });
    await expect(unreachable.get("x")).rejects.toThrow(/cannot reach the signer.*CORS/);
    // A Worker holding a wrong secret: the bucket refuses its signatures.
    const wrong = await startWorker({ bindings: bucket.workerBindings("lake/raw", { AWS_SECRET_ACCESS_KEY: "not-the-secret" }) });
    try {
      const s = new PresignedS3Store({ url: "s3://lake/raw", signer: wrong.url, client: { retries: 0 } });
      const error = await s.get("a.txt").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect((error as StorageError).status).toBe(403);
      expect(String((error as Error).message)).toMatch(/SignatureDoesNotMatch.*signer's secret access key \(AWS_SECRET_ACCESS_KEY\) is not the bucket's/);
    } finally {
      await wrong.dispose();
    }
  });
});

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
