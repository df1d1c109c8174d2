/**
 * The Worker's change feed, end to end in Miniflare over a simulated R2 bucket: a CDF table copied
 * in from the conformance data, then appended to through the API. The feed's rows equal the
 * library's over the same R2 objects in every format; the resume headers let a client poll
 * (from = Next): new commits come back once, and a poll with nothing new is an empty 200 whose
 * Next is unchanged; refusals are 400 JSON errors naming the version.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { tableFromIPC } from "apache-arrow";
import { CONFORMANCE, memoryStoreFromDir } from "../helpers/conformance.js";
import { rowMultiset } from "../helpers/oracle.js";
import { miniflareAvailability } from "../helpers/servers/miniflare-r2.js";
import type { ObjectStore } from "../../src/core/storage/object-store.js";
import { planChanges } from "../../src/core/changes/change-plan.js";
import { readChangeRows } from "../../src/core/changes/read-changes.js";
import { formatRowJson } from "../../src/core/scan/rows.js";
import { ndjsonRows, postRows, startTestWorker, type TestWorker } from "./worker-server.js";

const availability = miniflareAvailability();
let w: TestWorker;
const PATH = "feeds/people";

async function libraryRows(store: ObjectStore, from: number, to?: number): Promise<unknown[]> {
  const plan = await planChanges({ store, startingVersion: from, endingVersion: to });
  const out: unknown[] = [];
  for await (const r of readChangeRows({ store, startingVersion: from, endingVersion: to })) out.push(formatRowJson(r, plan.outputFields ?? []));
  return out;
}

const header = (r: Response, name: string) => Number(r.headers.get(`Delta-Changes-${name}`));

beforeAll(async () => {
  if (!availability.available) return;
  w = await startTestWorker();
  const local = memoryStoreFromDir(join(CONFORMANCE, "delta-rs/cdc_ict_table"));
  const bucket = await w.bucket();
  for await (const meta of local.list("")) await bucket.put(`${PATH}/${meta.key}`, new Uint8Array(await local.get(meta.key)));
});
afterAll(async () => {
  await w?.stop();
});

describe.skipIf(!availability.available)("Worker API: GET .../changes (Miniflare + R2)", () => {
  it("streams the feed of a range as NDJSON, with the range and the resume version in headers", async () => {
    const r = await w.api(`api/tables/${PATH}/changes?from=0`);
    expect(r.status).toBe(200);
    expect(r.headers.get("Content-Type")).toMatch(/x-ndjson/);
    expect([header(r, "Start"), header(r, "End"), header(r, "Next")]).toEqual([0, 3, 4]);
    expect(r.headers.get("Access-Control-Expose-Headers")).toMatch(/Delta-Changes-Next/);
    const rows = await ndjsonRows(r);
    expect(rows).toHaveLength(10);
    expect(rowMultiset(rows)).toEqual(rowMultiset(await libraryRows(await w.tableStore(PATH), 0)));
  });

  it("json, csv and arrow give the same rows; columns and where apply", async () => {
    const query = `from=2&to=3&columns=name,age&where=${encodeURIComponent("_change_type <> 'update_preimage'")}`;
    const base = await ndjsonRows(await w.api(`api/tables/${PATH}/changes?${query}`));
    expect(base.map((r) => r._change_type).sort()).toEqual(["delete", "delete", "update_postimage", "update_postimage"]);
    expect(Object.keys(base[0] as object)).toEqual(["name", "age", "_change_type", "_commit_version", "_commit_timestamp"]);
    expect(await (await w.api(`api/tables/${PATH}/changes?${query}&format=json`)).json()).toEqual(base);
    const csv = (await (await w.api(`api/tables/${PATH}/changes?${query}&format=csv`)).text()).trim().split("\n");
    expect(csv[0]).toBe("name,age,_change_type,_commit_version,_commit_timestamp");
    expect(csv).toHaveLength(base.length + 1);
    const arrow = tableFromIPC(new Uint8Array(await (await w.api(`api/tables/${PATH}/changes?${query}&format=arrow`)).arrayBuffer()));
    expect(arrow.numRows).toBe(base.length);
  });

  it("resumes: a poll from Next sees exactly the new commits, then an empty 200 with Next unchanged", async () => {
    const first = await w.api(`api/tables/${PATH}/changes?from=0`);
    await first.body?.cancel();
    let next = header(first, "Next");
    const empty = await w.api(`api/tables/${PATH}/changes?from=${next}`);
    expect(empty.status).toBe(200);
    expect(await empty.text()).toBe("");
    expect([header(empty, "Start"), header(empty, "End"), header(empty, "Next")]).toEqual([next, next - 1, next]);
    expect(await (await w.api(`api/tables/${PATH}/changes?from=${next}&format=json`)).json()).toEqual([]);
    const emptyCsv = await w.api(`api/tables/${PATH}/changes?from=${next}&format=csv`);
    expect((await emptyCsv.text()).trim()).toBe("name,birthyear,age,_change_type,_commit_version,_commit_timestamp");

    const posted = await postRows(w, PATH, [{ name: "Zoe", birthyear: 2001, age: 24 }], "mode=append");
    expect(posted.status).toBe(200);
    const version = ((await posted.json()) as { version: number }).version;
    expect(version).toBe(next);
    const poll = await w.api(`api/tables/${PATH}/changes?from=${next}`);
    expect([header(poll, "Start"), header(poll, "End")]).toEqual([next, version]);
    const rows = await ndjsonRows(poll);
    expect(rows.map(({ _commit_timestamp: _, ...r }) => r)).toEqual([{ name: "Zoe", birthyear: 2001, age: 24, _change_type: "insert", _commit_version: version }]);
    next = header(poll, "Next");
    expect(next).toBe(version + 1);
    const again = await w.api(`api/tables/${PATH}/changes?from=${next}`);
    expect(await again.text()).toBe("");
    expect(header(again, "Next")).toBe(next);
  });

  it("refusals are 400 JSON errors naming the version", async () => {
    const after = await w.api(`api/tables/${PATH}/changes?from=99`);
    expect(after.status).toBe(400);
    const body = (await after.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("INVALID_INPUT");
    expect(body.error.message).toMatch(/starts at version 99, after the latest version \d+/);
    const backwards = await w.api(`api/tables/${PATH}/changes?from=3&to=2`);
    expect(backwards.status).toBe(400);
    expect(((await backwards.json()) as { error: { message: string } }).error.message).toMatch(/ends at version 2, before its start 3/);
    const none = await w.api(`api/tables/${PATH}/changes`);
    expect(none.status).toBe(400);
    expect((await w.api(`api/tables/${PATH}/changes?from=0&format=parquet`)).status).toBe(400);
    expect((await w.api(`api/tables/${PATH}/changes?from=0`, { method: "POST" })).status).toBe(405);
  });
});
