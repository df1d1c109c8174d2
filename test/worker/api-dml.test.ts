/**
 * The Worker's row-level change routes, end to end in Miniflare over a simulated R2 bucket:
 * POST .../delete, .../update and .../restore with JSON bodies, POST .../merge with the source as
 * the body (CSV, NDJSON, Arrow) and on=/clauses= in the query. Each answers with the metrics JSON
 * and its commit shows in the history with those metrics; a DV table gets deletion vectors
 * written on R2. Writes need the write token; bad input answers 4xx and leaves the log as it
 * was (no new `_delta_log` entry), including an NDJSON or CSV source that lacks the key column
 * (refused, not read as a column of null keys).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { tableToIPC } from "apache-arrow";
import { setParquetWasm } from "../../src/core/parquet/wasm-loader.js";
import { writeTable } from "../../src/core/write/write-table.js";
import { readHistory } from "../../src/core/table/history.js";
import { openTable } from "../../src/core/table/open.js";
import { arrowTable } from "../assets/helpers.js";
import { miniflareAvailability } from "../helpers/servers/miniflare-r2.js";
import { ndjson, ndjsonRows, postRows, startTestWorker, type TestWorker } from "./worker-server.js";

const availability = miniflareAvailability();
let w: TestWorker;
// the DV table is written from Node (writeTable encodes with parquet-wasm)
setParquetWasm(() => readFile(fileURLToPath(import.meta.resolve("parquet-wasm/esm/parquet_wasm_bg.wasm"))));

beforeAll(async () => {
  if (availability.available) w = await startTestWorker();
});
afterAll(async () => {
  await w?.stop();
});

async function rows(path: string): Promise<Record<string, unknown>[]> {
  const r = await w.api(`api/tables/${path}/rows`);
  expect(r.status).toBe(200);
  return (await ndjsonRows(r)).sort((a, b) => Number(a.id) - Number(b.id));
}

async function logKeys(path: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const meta of (await w.tableStore(path)).list("_delta_log/")) keys.push(meta.key);
  return keys.sort();
}

/** POST .../<action> with a JSON body (objects are stringified). */
function dml(path: string, action: string, body: unknown, auth: boolean | string = true): Promise<Response> {
  return w.api(`api/tables/${path}/${action}`, { method: "POST", auth, headers: { "Content-Type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });
}

/** POST .../merge with the source as the body. */
function merge(path: string, source: BodyInit, contentType: string, on: string, clauses: unknown): Promise<Response> {
  const query = new URLSearchParams({ on, clauses: typeof clauses === "string" ? clauses : JSON.stringify(clauses) });
  return w.api(`api/tables/${path}/merge?${query}`, { method: "POST", auth: true, headers: { "Content-Type": contentType }, body: source });
}

async function ok(r: Response): Promise<Record<string, unknown>> {
  const body = (await r.json()) as Record<string, unknown>;
  expect(r.status, JSON.stringify(body)).toBe(200);
  return body;
}

const UPSERT = { whenMatched: [{ action: "updateAll" }], whenNotMatched: [{ action: "insertAll" }] };

describe.skipIf(!availability.available)("Worker API: delete, update, merge, restore (Miniflare + R2)", () => {
  it("each route commits once and answers with its metrics; the history shows them", async () => {
    const start = [1, 2, 3, 4].map((id) => ({ id, v: `v${id}`, n: id * 10 }));
    expect((await postRows(w, "d/t", start)).status).toBe(200);
    expect(await ok(await dml("d/t", "delete", { where: "id = 2" }))).toMatchObject({ status: "committed", version: 1, numDeletedRows: 1, numRemovedFiles: 1, numAddedFiles: 1, numCopiedRows: 3 });
    expect(await ok(await dml("d/t", "update", { set: { v: "v || '!'", n: "n + 1" }, where: "id >= 3" }))).toMatchObject({ status: "committed", version: 2, numUpdatedRows: 2 });
    expect(await ok(await dml("d/t", "update", { set: "n = n * 2", where: "id = 1" }))).toMatchObject({ version: 3, numUpdatedRows: 1 });
    expect(await rows("d/t")).toEqual([
      { id: 1, v: "v1", n: 20 },
      { id: 3, v: "v3!", n: 31 },
      { id: 4, v: "v4!", n: 41 },
    ]);
    // nothing matches: no commit
    expect(await ok(await dml("d/t", "delete", { where: "id = 99" }))).toMatchObject({ status: "unchanged", version: 3, numDeletedRows: 0 });
    expect(await ok(await dml("d/t", "restore", { version: 0 }))).toMatchObject({ status: "committed", version: 4, numRestoredFiles: 1, numRemovedFiles: 1, numOfFilesAfterRestore: 1 });
    expect(await rows("d/t")).toEqual(start);
    const history = await readHistory({ store: await w.tableStore("d/t") });
    expect(history.map((h) => h.operation)).toEqual(["RESTORE", "UPDATE", "UPDATE", "DELETE", "WRITE"]);
    const del = history.find((h) => h.operation === "DELETE")?.commitInfo as { operationMetrics: Record<string, string>; operationParameters: Record<string, string> };
    expect(del.operationMetrics).toMatchObject({ numDeletedRows: "1", numCopiedRows: "3" });
    expect(del.operationParameters).toMatchObject({ predicate: expect.stringContaining("id = 2") });
    // the Worker's history route carries the same metrics
    const viaApi = (await (await w.api("api/tables/d/t/history?limit=5")).json()) as { operation: string; operationMetrics?: Record<string, string> }[];
    expect(viaApi.find((h) => h.operation === "DELETE")?.operationMetrics).toMatchObject({ numDeletedRows: "1" });
  });

  it("restore by timestamp", async () => {
    const pause = () => new Promise((done) => setTimeout(done, 20));
    await postRows(w, "d/ts", [{ id: 1 }]);
    await pause();
    const between = new Date().toISOString(); // after version 0 was written, before version 1
    await pause();
    await postRows(w, "d/ts", [{ id: 2 }], "mode=append");
    expect(await ok(await dml("d/ts", "restore", { timestamp: between }))).toMatchObject({ status: "committed", version: 2 });
    expect(await rows("d/ts")).toEqual([{ id: 1 }]);
  });

  it("merge with a CSV source: upsert by key", async () => {
    await postRows(w, "d/mcsv", [1, 2, 3].map((id) => ({ id, v: `old${id}`, n: id })));
    const r = await merge("d/mcsv", "id,v,n\n2,new2,20\n5,new5,50\n", "text/csv", "target.id = source.id", UPSERT);
    expect(await ok(r)).toMatchObject({ status: "committed", version: 1, numSourceRows: 2, numTargetRowsUpdated: 1, numTargetRowsInserted: 1, numTargetRowsDeleted: 0, numTargetRowsCopied: 2 });
    expect(await rows("d/mcsv")).toEqual([
      { id: 1, v: "old1", n: 1 },
      { id: 2, v: "new2", n: 20 },
      { id: 3, v: "old3", n: 3 },
      { id: 5, v: "new5", n: 50 },
    ]);
  });

  it("merge with an NDJSON source: conditional delete, set and insert clauses, aliases", async () => {
    await postRows(w, "d/mnd", [1, 2, 3, 4].map((id) => ({ id, v: `old${id}`, n: id })));
    const source = ndjson([
      { id: 1, v: "gone" },
      { id: 2, v: "kept" },
      { id: 7, v: "seven" },
      { id: 8, v: "skip" },
    ]);
    const clauses = {
      whenMatched: [{ action: "delete", condition: "s.v = 'gone'" }, { action: "update", set: { v: "s.v || '+'", n: "t.n + 100" } }],
      whenNotMatched: [{ action: "insert", values: { id: "s.id", v: "s.v" }, condition: "s.id < 8" }],
      whenNotMatchedBySource: [{ action: "delete", condition: "t.id = 4" }],
    };
    const query = new URLSearchParams({ on: "t.id = s.id", clauses: JSON.stringify(clauses), sourceAlias: "s", targetAlias: "t" });
    const r = await w.api(`api/tables/d/mnd/merge?${query}`, { method: "POST", auth: true, headers: { "Content-Type": "application/x-ndjson" }, body: source });
    expect(await ok(r)).toMatchObject({ status: "committed", numSourceRows: 4, numTargetRowsDeleted: 2, numTargetRowsUpdated: 1, numTargetRowsInserted: 1 });
    expect(await rows("d/mnd")).toEqual([
      { id: 2, v: "kept+", n: 102 },
      { id: 3, v: "old3", n: 3 },
      { id: 7, v: "seven", n: null },
    ]);
  });

  it("merge with an Arrow source", async () => {
    await postRows(w, "d/marrow", [{ id: 1, v: "a" }]);
    const source = tableToIPC(arrowTable([{ id: 1, v: "A" }, { id: 2, v: "B" }], { id: "long", v: "string" }), "stream");
    expect(await ok(await merge("d/marrow", source as BodyInit, "application/vnd.apache.arrow.stream", "target.id = source.id", UPSERT))).toMatchObject({ numTargetRowsUpdated: 1, numTargetRowsInserted: 1 });
    expect(await rows("d/marrow")).toEqual([
      { id: 1, v: "A" },
      { id: 2, v: "B" },
    ]);
  });

  it("on a deletion-vector table, delete writes a DV on R2 instead of rewriting the file", async () => {
    await writeTable({ store: await w.tableStore("d/dv"), data: [1, 2, 3].map((id) => ({ id })), configuration: { "delta.enableDeletionVectors": "true" } });
    expect(await ok(await dml("d/dv", "delete", { where: "id = 2" }))).toMatchObject({ status: "committed", numDeletedRows: 1, numDeletionVectorsAdded: 1, numDeletionVectorFiles: 1, numAddedFiles: 0, numCopiedRows: 0 });
    const snapshot = await openTable({ store: await w.tableStore("d/dv") });
    expect(snapshot.files().map((f) => f.deletionVector?.cardinality)).toEqual([1]);
    expect(await rows("d/dv")).toEqual([{ id: 1 }, { id: 3 }]);
  });

  it("concurrent deletes on one file: each lands or answers 409 naming the winner; no delete is lost", async () => {
    await postRows(w, "d/race", [1, 2, 3, 4, 5, 6].map((id) => ({ id })));
    const results = await Promise.all([1, 2, 3, 4].map((id) => dml("d/race", "delete", { where: `id = ${id}` })));
    const bodies = (await Promise.all(results.map((r) => r.json()))) as { version?: number; error?: { code: string; message: string } }[];
    const landed = [1, 2, 3, 4].filter((_, i) => results[i]?.status === 200);
    expect(landed.length).toBeGreaterThan(0);
    results.forEach((r, i) => {
      if (r.status !== 200) {
        expect(r.status).toBe(409);
        expect(bodies[i]?.error).toMatchObject({ code: "COMMIT_CONFLICT", message: expect.stringMatching(/version \d+/) });
      }
    });
    expect((await rows("d/race")).map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6].filter((id) => !landed.includes(id)));
    const versions = bodies.filter((b) => b.version !== undefined).map((b) => b.version).sort();
    expect(versions).toEqual(landed.map((_, i) => i + 1));
  });

  it("writes need the write token: 401 without, 403 with a wrong one; nothing committed", async () => {
    await postRows(w, "d/auth", [{ id: 1 }]);
    const before = await logKeys("d/auth");
    for (const [action, body] of [
      ["delete", { where: "true" }],
      ["update", { set: { id: "id + 1" } }],
      ["restore", { version: 0 }],
    ] as const) {
      expect((await dml("d/auth", action, body, false)).status, action).toBe(401);
      expect((await dml("d/auth", action, body, "not-the-token")).status, action).toBe(403);
    }
    const query = new URLSearchParams({ on: "target.id = source.id", clauses: JSON.stringify(UPSERT) });
    const unauth = await w.api(`api/tables/d/auth/merge?${query}`, { method: "POST", headers: { "Content-Type": "application/x-ndjson" }, body: '{"id": 2}\n' });
    expect(unauth.status).toBe(401);
    expect(unauth.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
    expect((await w.api("api/tables/d/auth/delete")).status).toBe(405);
    expect(await logKeys("d/auth")).toEqual(before);
    expect(await rows("d/auth")).toEqual([{ id: 1 }]);
  });

  it("bad input is 4xx with a typed error, and nothing is committed", async () => {
    await postRows(w, "d/bad", [1, 2, 3].map((id) => ({ id, v: `v${id}` })));
    const before = await logKeys("d/bad");
    const expected = await rows("d/bad");
    const cases: [string, Promise<Response>, RegExp][] = [
      ["delete unknown column", dml("d/bad", "delete", { where: "nope = 1" }), /unknown column nope/],
      ["delete without where", dml("d/bad", "delete", {}), /delete needs "where"/],
      ["delete misspelt key", dml("d/bad", "delete", { wher: "id = 1" }), /unknown key "wher"/],
      ["delete not JSON", dml("d/bad", "delete", "where=id = 1"), /must be JSON/],
      ["update type mismatch", dml("d/bad", "update", { set: { id: "'text'" } }), /id/],
      ["update unknown column", dml("d/bad", "update", { set: { nope: "1" } }), /nope/],
      ["update empty set", dml("d/bad", "update", { set: {} }), /non-empty "set"/],
      ["restore both", dml("d/bad", "restore", { version: 0, timestamp: "2020-01-01T00:00:00Z" }), /either version or timestamp/],
      ["restore negative", dml("d/bad", "restore", { version: -1 }), /non-negative integer/],
      ["merge without on", w.api("api/tables/d/bad/merge?clauses=%7B%7D", { method: "POST", auth: true, headers: { "Content-Type": "text/csv" }, body: "id\n1\n" }), /merge needs \?on=/],
      ["merge clauses not JSON", merge("d/bad", "id\n1\n", "text/csv", "target.id = source.id", "{whenMatched"), /clauses must be JSON/],
      ["merge unknown clause kind", merge("d/bad", "id\n1\n", "text/csv", "target.id = source.id", { whenMatchd: [] }), /unknown clause kind 'whenMatchd'/],
      ["merge unknown action", merge("d/bad", "id\n1\n", "text/csv", "target.id = source.id", { whenMatched: [{ action: "upsert" }] }), /unknown action/],
      ["merge no clauses", merge("d/bad", "id\n1\n", "text/csv", "target.id = source.id", {}), /at least one WHEN clause/],
      ["merge target row matched twice", merge("d/bad", '{"id": 3, "v": "a"}\n{"id": 3, "v": "b"}\n', "application/x-ndjson", "target.id = source.id", UPSERT), /matched 2 source rows/],
      ["merge NDJSON source without the key", merge("d/bad", '{"v": "a"}\n', "application/x-ndjson", "target.id = source.id", UPSERT), /unknown column source\.id/],
      ["merge CSV source without the key", merge("d/bad", "v\na\n", "text/csv", "target.id = source.id", UPSERT), /unknown column source\.id/],
      ["merge bad source row", merge("d/bad", '{"id": "x"}\n', "application/x-ndjson", "target.id = source.id", UPSERT), /request body:1/],
    ];
    for (const [name, response, message] of cases) {
      const r = await response;
      expect(r.status, name).toBe(400);
      const { error } = (await r.json()) as { error: { code: string; message: string } };
      expect(error.code, name).toBe("INVALID_INPUT");
      expect(error.message, name).toMatch(message);
    }
    const media = await merge("d/bad", "<rows/>", "application/xml", "target.id = source.id", UPSERT);
    expect(media.status).toBe(415);
    const future = await dml("d/bad", "restore", { version: 99 });
    expect(future.status).toBe(400);
    expect(await future.json()).toMatchObject({ error: { code: "INVALID_INPUT", message: expect.stringContaining("the latest version is 0") } });
    expect((await dml("d/none", "delete", { where: "true" })).status).toBe(404);
    expect((await merge("d/none", "id\n1\n", "text/csv", "target.id = source.id", UPSERT)).status).toBe(404);
    expect(await logKeys("d/bad")).toEqual(before);
    expect(await rows("d/bad")).toEqual(expected);
  });
});
