/**
 * The Worker's write API, end to end in Miniflare over a simulated R2 bucket: bodies by
 * Content-Type (NDJSON, CSV, Arrow, Parquet), modes, partitionBy, replaceWhere and schema merge;
 * concurrent appends that all land and concurrent overwrites that either land or answer 409; bad
 * input that answers 400 or 413 and leaves no commit; maintenance (checkpoint, optimize,
 * vacuum) after which the table reads the same. The log is checked from Node through the
 * binding proxy, so "no commit" means no new `_delta_log` entry.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readHistory } from "../../src/core/table/history.js";
import { miniflareAvailability } from "../helpers/servers/miniflare-r2.js";
import { ndjson, ndjsonRows, postRows, startTestWorker, type TestWorker } from "./worker-server.js";

const availability = miniflareAvailability();
const LIMIT = 64 * 1024;
let w: TestWorker;

beforeAll(async () => {
  if (availability.available) w = await startTestWorker({ MAX_BODY_BYTES: String(LIMIT) });
});
afterAll(async () => {
  await w?.stop();
});

/** Rows of a table (NDJSON), sorted by a column. */
async function rows(path: string, by = "id"): Promise<Record<string, unknown>[]> {
  const r = await w.api(`api/tables/${path}/rows`);
  expect(r.status).toBe(200);
  return (await ndjsonRows(r)).sort((a, b) => String(a[by]).localeCompare(String(b[by]), "en", { numeric: true }));
}

/** The table's log entries (commit files), from Node. */
async function logKeys(path: string): Promise<string[]> {
  const store = await w.tableStore(path);
  const keys: string[] = [];
  for await (const meta of store.list("_delta_log/")) keys.push(meta.key);
  return keys;
}

async function post(path: string, body: BodyInit, contentType: string, query = ""): Promise<Response> {
  return w.api(`api/tables/${path}${query === "" ? "" : `?${query}`}`, { method: "POST", auth: true, headers: { "Content-Type": contentType }, body });
}

describe.skipIf(!availability.available)("Worker API: writes (Miniflare + R2)", () => {
  it("CSV creates a table with inferred types; later CSV is typed by the table's schema", async () => {
    const r = await post("w/csv", 'id,name,score,ok\n1,"a, quoted ""x""",1.5,true\n2,,2,false\n', "text/csv; charset=utf-8");
    expect(await r.json()).toEqual({ status: "committed", version: 0, files: 1, rows: 2, bytes: expect.any(Number), removedFiles: 0 });
    expect((await post("w/csv", "id,name,score,ok\r\n3,c,3,\r\n", "text/csv", "mode=append")).status).toBe(200);
    expect(await rows("w/csv")).toEqual([
      { id: 1, name: 'a, quoted "x"', score: 1.5, ok: true },
      { id: 2, name: null, score: 2, ok: false },
      { id: 3, name: "c", score: 3, ok: null },
    ]);
  });

  it("a Parquet body (a data file fetched from /objects) creates a table with the same rows", async () => {
    await postRows(w, "w/source", [
      { id: 1, tag: "x" },
      { id: 2, tag: "y" },
    ]);
    const [file] = (await (await w.api("api/tables/w/source/files")).json()) as { path: string }[];
    const bytes = new Uint8Array(await (await w.api(`objects/w/source/${(file as { path: string }).path}`)).arrayBuffer());
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe("PAR1");
    const r = await post("w/from_parquet", bytes, "application/vnd.apache.parquet");
    expect(await r.json()).toMatchObject({ status: "committed", version: 0, rows: 2 });
    expect(await rows("w/from_parquet")).toEqual(await rows("w/source"));
    const bad = await post("w/bad_parquet", new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), "application/vnd.apache.parquet");
    expect(bad.status).toBe(400);
    expect(await logKeys("w/bad_parquet")).toEqual([]);
  });

  it("modes: error (default) refuses an existing table, ignore skips, overwrite replaces", async () => {
    await postRows(w, "w/modes", [{ id: 1 }]);
    const refused = await postRows(w, "w/modes", [{ id: 2 }]);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: "INVALID_INPUT", message: expect.stringContaining("already exists") } });
    expect(await (await postRows(w, "w/modes", [{ id: 3 }], "mode=ignore")).json()).toMatchObject({ status: "ignored", version: 0 });
    expect(await (await postRows(w, "w/modes", [{ id: 4 }], "mode=overwrite")).json()).toMatchObject({ status: "committed", version: 1, removedFiles: 1 });
    expect(await rows("w/modes")).toEqual([{ id: 4 }]);
    expect((await postRows(w, "w/modes", [{ id: 5 }], "mode=upsert")).status).toBe(400);
  });

  it("partitionBy and replaceWhere replace exactly one partition; rows outside it give 400 and no commit", async () => {
    const data = [
      { id: 1, region: "eu", v: 1 },
      { id: 2, region: "us", v: 2 },
      { id: 3, region: "us", v: 3 },
    ];
    expect(await (await postRows(w, "w/parts", data, "partitionBy=region")).json()).toMatchObject({ files: 2 });
    const info = (await (await w.api("api/tables/w/parts")).json()) as { partitionColumns: string[] };
    expect(info.partitionColumns).toEqual(["region"]);
    const replaced = await postRows(w, "w/parts", [{ id: 9, region: "us", v: 9 }], `mode=overwrite&replaceWhere=${encodeURIComponent("region = 'us'")}`);
    expect(await replaced.json()).toMatchObject({ status: "committed", version: 1, removedFiles: 1, rows: 1 });
    expect(await rows("w/parts")).toEqual([
      { id: 1, region: "eu", v: 1 },
      { id: 9, region: "us", v: 9 },
    ]);
    const before = await logKeys("w/parts");
    const outside = await postRows(w, "w/parts", [{ id: 10, region: "eu", v: 10 }], `mode=overwrite&replaceWhere=${encodeURIComponent("region = 'us'")}`);
    expect(outside.status).toBe(400);
    expect(await outside.json()).toMatchObject({ error: { code: "INVALID_INPUT", message: expect.stringContaining("replaceWhere") } });
    expect(await logKeys("w/parts")).toEqual(before);
  });

  it("schemaMode=merge adds a column; without it a new column is refused", async () => {
    await postRows(w, "w/merge", [{ id: 1 }]);
    expect((await postRows(w, "w/merge", [{ id: 2, extra: "x" }], "mode=append")).status).toBe(400);
    expect((await postRows(w, "w/merge", [{ id: 2, extra: "x" }], "mode=append&schemaMode=merge")).status).toBe(200);
    expect(await rows("w/merge")).toEqual([
      { id: 1, extra: null },
      { id: 2, extra: "x" },
    ]);
    expect((await postRows(w, "w/merge", [{ id: 3 }], "mode=append&schemaMode=sideways")).status).toBe(400);
  });

  it("bad rows give 400 and leave the log unchanged", async () => {
    await postRows(w, "w/strict", [{ id: 1, name: "a" }]);
    const before = await logKeys("w/strict");
    const cases: [string, string][] = [
      ['{"id": 2, "name": "b"}\n{"id": "not a number", "name": "c"}\n', "application/x-ndjson"],
      ['{"id": 2, "name": "b"}\n{"id": 3, "name": \n', "application/x-ndjson"],
      ["[1, 2]\n", "application/x-ndjson"],
      ["id,name\n4,d,extra\n", "text/csv"],
      ["not arrow at all", "application/vnd.apache.arrow.stream"],
    ];
    for (const [body, type] of cases) {
      const r = await post("w/strict", body, type, "mode=append");
      expect(r.status, body).toBe(400);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe("INVALID_INPUT");
    }
    expect(await logKeys("w/strict")).toEqual(before);
    expect(await rows("w/strict")).toEqual([{ id: 1, name: "a" }]);
  });

  it("oversized bodies give 413 (declared or streamed) and no commit; unknown media types 415", async () => {
    await postRows(w, "w/big", [{ id: 0, pad: "" }]);
    const before = await logKeys("w/big");
    const big = ndjson(Array.from({ length: 2000 }, (_, i) => ({ id: i, pad: "x".repeat(40) })));
    expect(big.length).toBeGreaterThan(LIMIT);
    const declared = await post("w/big", big, "application/x-ndjson", "mode=append");
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
    const bytes = new TextEncoder().encode(big);
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 8192) controller.enqueue(bytes.subarray(at, at + 8192));
        controller.close();
      },
    });
    const streamed = await w.api("api/tables/w/big?mode=append", {
      method: "POST",
      auth: true,
      headers: { "Content-Type": "application/x-ndjson" },
      body: chunked,
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await logKeys("w/big")).toEqual(before);
    const unknown = await post("w/big", "{}", "application/xml", "mode=append");
    expect(unknown.status).toBe(415);
    expect(await unknown.json()).toMatchObject({ error: { code: "UNSUPPORTED_MEDIA_TYPE" } });
  });

  it("concurrent appends all land, each in its own version", async () => {
    await postRows(w, "w/race", [{ id: 0, writer: -1 }]);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => postRows(w, "w/race", [{ id: i + 1, writer: i }], "mode=append")));
    const bodies = (await Promise.all(results.map((r) => r.json()))) as { version: number; status: string }[];
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(bodies.map((b) => b.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await rows("w/race")).map((r) => r.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const history = await readHistory({ store: await w.tableStore("w/race") });
    expect(history.map((h) => h.version)).toEqual([8, 7, 6, 5, 4, 3, 2, 1, 0]);
  });

  it("concurrent overwrites: each lands or answers 409 COMMIT_CONFLICT; the table is one writer's data", async () => {
    await postRows(w, "w/clash", [{ id: 0 }]);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => postRows(w, "w/clash", [{ id: i + 1 }], "mode=overwrite")));
    const statuses = results.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    expect(statuses).toContain(200);
    expect(statuses).toContain(409); // they all read version 0: the losers removed files the winner removed
    for (const r of results) if (r.status === 409) expect(await r.json()).toMatchObject({ error: { code: "COMMIT_CONFLICT" } });
    const final = await rows("w/clash");
    expect(final).toHaveLength(1);
    const winners = await Promise.all(results.map(async (r, i) => (r.status === 200 ? i + 1 : undefined)));
    expect(winners).toContain(final[0]?.id);
  });

  it("maintenance: checkpoint, optimize and vacuum; the table reads the same after each", async () => {
    for (let i = 0; i < 4; i++) await postRows(w, "w/maint", [{ id: i, part: i % 2 }], i === 0 ? "partitionBy=part" : "mode=append");
    const expected = await rows("w/maint");
    const op = (body: unknown) => w.api("api/tables/w/maint/maintenance", { method: "POST", auth: true, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const cp = await op({ op: "checkpoint" });
    expect(await cp.json()).toMatchObject({ version: 3, numOfAddFiles: 4, key: "_delta_log/00000000000000000003.checkpoint.parquet", lastCheckpointUpdated: true });
    expect(await rows("w/maint")).toEqual(expected);
    const opt = await op({ op: "optimize" });
    expect(await opt.json()).toEqual({ version: 4, filesRemoved: 4, filesAdded: 2, partitionsOptimized: 2 });
    expect(await rows("w/maint")).toEqual(expected);
    const dry = (await (await op({ op: "vacuum", retentionHours: 0, enforceRetentionDuration: false, dryRun: true })).json()) as { files: string[]; dryRun: boolean };
    expect(dry.dryRun).toBe(true);
    expect(dry.files).toHaveLength(4);
    const real = (await (await op({ op: "vacuum", retentionHours: 0, enforceRetentionDuration: false })).json()) as { files: string[] };
    expect(real.files.sort()).toEqual(dry.files.sort());
    expect(await rows("w/maint")).toEqual(expected);
    expect((await op({ op: "vacuum", retentionHours: 0 })).status).toBe(400); // below the table's retention
    expect((await op({ op: "defrag" })).status).toBe(400);
    expect((await op({ op: "checkpoint", version: "three" })).status).toBe(400);
    const notJson = await w.api("api/tables/w/maint/maintenance", { method: "POST", auth: true, body: "op=checkpoint" });
    expect(notJson.status).toBe(400);
    expect((await w.api("api/tables/w/none/maintenance", { method: "POST", auth: true, body: '{"op":"checkpoint"}' })).status).toBe(404);
  });
});
