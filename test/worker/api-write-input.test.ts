/**
 * The Worker's write API with hostile text bodies (issue 9), in Miniflare over a simulated R2
 * bucket: values beyond their column's range (data and partition columns), invalid UTF-8, an
 * unclosed quote over a megabyte and a line past MAX_LINE_BYTES all answer 400 INVALID_INPUT
 * naming the line, promptly, and leave no commit; NDJSON integers beyond 2^53 are stored exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { miniflareAvailability } from "../helpers/servers/miniflare-r2.js";
import { ndjsonRows, startTestWorker, type TestWorker } from "./worker-server.js";

const availability = miniflareAvailability();
let w: TestWorker;

beforeAll(async () => {
  if (availability.available) w = await startTestWorker({ MAX_BODY_BYTES: String(4 * 1024 * 1024), MAX_LINE_BYTES: "65536", MAX_FIELD_BYTES: "32768" });
});
afterAll(async () => {
  await w?.stop();
});

async function post(path: string, body: BodyInit, contentType: string, query = ""): Promise<Response> {
  return w.api(`api/tables/${path}${query === "" ? "" : `?${query}`}`, { method: "POST", auth: true, headers: { "Content-Type": contentType }, body });
}

async function logKeys(path: string): Promise<string[]> {
  const store = await w.tableStore(path);
  const keys: string[] = [];
  for await (const meta of store.list("_delta_log/")) keys.push(meta.key);
  return keys;
}

async function refused(r: Response): Promise<string> {
  expect(r.status).toBe(400);
  const body = (await r.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe("INVALID_INPUT");
  return body.error.message;
}

describe.skipIf(!availability.available)("Worker API: hostile text bodies (Miniflare + R2)", () => {
  it("values beyond their column's range give 400 naming line, column and value; no commit", async () => {
    const created = await post("h/range", "id,l,p\n1,9223372036854775807,7\n", "text/csv", "partitionBy=p");
    expect(await created.json()).toMatchObject({ status: "committed", version: 0 });
    const before = await logKeys("h/range");
    const cases: [string, string, string][] = [
      ["id,l,p\n2,1,7\n3,9223372036854775808,7\n", "text/csv", 'request body:3, column l: "9223372036854775808" is out of the range of long'],
      ["id,l,p\n2,1,99999999999999999999\n", "text/csv", 'request body:2, column p: "99999999999999999999" is out of the range of long'],
      ['{"id": 2, "l": 1, "p": 1}\n{"id": 3, "l": 99999999999999999999, "p": 1}\n', "application/x-ndjson", 'request body:2, column l: "99999999999999999999" is out of the range of long'],
      ['{"id": 1.5, "l": 1, "p": 1}\n', "application/x-ndjson", "request body:1, column id: expected an integer, got 1.5"],
    ];
    for (const [body, type, message] of cases) expect(await refused(await post("h/range", body, type, "mode=append")), body).toContain(message);
    expect(await logKeys("h/range")).toEqual(before);
  });

  it("NDJSON integers beyond 2^53 are stored exactly", async () => {
    const r = await post("h/exact", '{"id": 9007199254740993}\n{"id": -9223372036854775808}\n', "application/x-ndjson");
    expect(r.status).toBe(200);
    const rows = await ndjsonRows(await w.api("api/tables/h/exact/rows"));
    expect(rows.map((row) => row.id).sort()).toEqual(["-9223372036854775808", "9007199254740993"]);
  });

  it("invalid UTF-8 gives 400 naming the line", async () => {
    const body = new Uint8Array([...new TextEncoder().encode("id,s\n1,ok\n2,"), 0xe2, 0x28, 0xa1, 10]);
    expect(await refused(await post("h/utf8", body, "text/csv"))).toBe("request body:3: not valid UTF-8 (byte 0xe2 at offset 12)");
    const ndjson = new Uint8Array([...new TextEncoder().encode('{"s": "'), 0xc0, 0x80, ...new TextEncoder().encode('"}\n')]);
    expect(await refused(await post("h/utf8", ndjson, "application/x-ndjson"))).toBe("request body:1: not valid UTF-8 (byte 0xc0 at offset 7)");
    expect(await logKeys("h/utf8")).toEqual([]);
  });

  it("an unclosed quote over a megabyte gives 400 at once (the quadratic reader burned minutes of CPU)", { timeout: 30_000 }, async () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => `${i},row ${i} of a long body`).join("\n");
    const body = `id,name\n1,"oops\n${lines}\n`;
    expect(body.length).toBeGreaterThan(700_000);
    // A Worker with the default line limit (16 MiB), so the reader's own speed is what is tested.
    const w2 = await startTestWorker({ MAX_BODY_BYTES: String(4 * 1024 * 1024) });
    try {
      const r = await w2.api("api/tables/h/quote", { method: "POST", auth: true, headers: { "Content-Type": "text/csv" }, body });
      expect(await refused(r)).toBe("request body:2: unterminated quoted field (no closing quote before the end of the input)");
    } finally {
      await w2.stop();
    }
  });

  it("a line past MAX_LINE_BYTES or a field past MAX_FIELD_BYTES gives 400 naming the line", async () => {
    const long = `{"id": 1}\n{"id": 2, "s": "${"x".repeat(70_000)}"}\n`;
    expect(await refused(await post("h/limit", long, "application/x-ndjson"))).toBe("request body:2: line longer than 65536 bytes (the maxLineBytes limit)");
    const quoted = `id,s\n1,"${"y\n".repeat(40_000)}"\n`;
    expect(await refused(await post("h/limit", quoted, "text/csv"))).toBe("request body:2: the field of column s is longer than 32768 bytes (the maxFieldBytes limit)");
    expect(await logKeys("h/limit")).toEqual([]);
  });
});

describe.skipIf(!availability.available)("Worker API: Arrow bodies that need narrowing (Miniflare + R2)", () => {
  it("int64 data fits an integer column when every value does; the first that does not gives 400", async () => {
    const { Int32, Int64, Table, tableToIPC: toIpc, vectorFromArray } = await import("apache-arrow");
    const tableToIPC = (t: Parameters<typeof toIpc>[0], format: "stream") => toIpc(t, format) as unknown as BodyInit;
    const arrow = "application/vnd.apache.arrow.stream";
    expect((await post("h/narrow", tableToIPC(new Table({ n: vectorFromArray([1], new Int32()) }), "stream"), arrow)).status).toBe(200);
    expect((await post("h/narrow", tableToIPC(new Table({ n: vectorFromArray([-(2n ** 31n)], new Int64()) }), "stream"), arrow, "mode=append")).status).toBe(200);
    const bad = await post("h/narrow", tableToIPC(new Table({ n: vectorFromArray([0n, 2n ** 31n], new Int64()) }), "stream"), arrow, "mode=append");
    expect(await refused(bad)).toBe("column n: row 1 of Arrow type Int64 cannot be written as Delta integer: 2147483648 is out of the range of integer [-2147483648, 2147483647]");
    const rows = await ndjsonRows(await w.api("api/tables/h/narrow/rows"));
    expect(rows.map((r) => r.n).sort()).toEqual([-2147483648, 1]);
  });
});
