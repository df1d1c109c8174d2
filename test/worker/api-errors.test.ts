/**
 * The Worker answers every cause a client can fix with a 4xx, always as JSON `{error: {code,
 * message}}` with CORS headers: every DeltaError code in src has a status, invalid or over-long
 * R2 keys (objects, table names, partition values), a malformed Content-Length, corrupt and
 * unsupported tables (422), hostile bodies within MAX_BODY_BYTES refused before their cost (deep
 * or wide NDJSON, huge Arrow schemas, wide or lying Parquet footers), an error after a rows
 * stream has started (aborted, NDJSON with a final error line), and predicates of any length.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Field, Int32, Null, RecordBatch, Schema, Struct, Table, makeData, tableFromIPC, tableToIPC, vectorFromArray } from "apache-arrow";
import { parquetMetadata } from "hyparquet";
import { parquetWriteBuffer } from "hyparquet-writer/src/write.js";
import { ByteWriter } from "hyparquet-writer/src/bytewriter.js";
import { writeMetadata } from "hyparquet-writer/src/metadata.js";
import { handleApiRequest } from "../../src/worker/api.js";
import { STATUS_OF_CODE } from "../../src/worker/http.js";
import type { Env, WorkerBucket } from "../../src/worker/env.js";
import { checkParquetFooter, MAX_BODY_COLUMNS, MAX_BODY_NESTING, MAX_PARQUET_FOOTER_BYTES } from "../../src/worker/body-limits.js";
import { miniflareAvailability } from "../helpers/servers/miniflare-r2.js";
import { ndjsonRows, postRows, startTestWorker, WRITE_TOKEN, type TestWorker } from "./worker-server.js";

const availability = miniflareAvailability();
const MAX_BODY = 2 * 1024 * 1024;
let w: TestWorker;

beforeAll(async () => {
  if (!availability.available) return;
  w = await startTestWorker({ MAX_BODY_BYTES: String(MAX_BODY) });
  expect((await postRows(w, "e/t", [{ id: 1, p: "a" }], "partitionBy=p")).status).toBe(200);
  expect((await postRows(w, "e/two", [{ id: 1 }])).status).toBe(200);
  expect((await postRows(w, "e/two", [{ id: 2 }], "mode=append")).status).toBe(200);
});
afterAll(async () => {
  await w?.stop();
});

/** The JSON error of a response, checking it is JSON with CORS. */
async function errorOf(r: Response): Promise<{ code: string; message: string }> {
  expect(r.headers.get("Content-Type")).toMatch(/^application\/json/);
  expect(r.headers.get("Access-Control-Allow-Origin")).toBe("*");
  return ((await r.json()) as { error: { code: string; message: string } }).error;
}

const post = (path: string, body: string | Uint8Array, type: string) => w.api(`api/tables/${path}`, { method: "POST", auth: true, headers: { "Content-Type": type }, body: body as BodyInit });

/** Every file under src. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("status of every error code", () => {
  it("every DeltaError code used in src has a status; only faults of the Worker itself are 500", () => {
    const codes = new Set<string>();
    for (const file of sourceFiles(join(import.meta.dirname, "../../src"))) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/(?:super|new DeltaError|codedError)\(\s*"([A-Z][A-Z_]+)"/g)) codes.add(m[1] as string);
    }
    expect(codes.size).toBeGreaterThan(8);
    for (const code of codes) expect((STATUS_OF_CODE as Readonly<Record<string, number>>)[code], code).toBeDefined();
    expect(Object.entries(STATUS_OF_CODE).filter(([, s]) => s === 500).map(([c]) => c)).toEqual(["PARQUET_WASM"]);
  });
});

describe("body limits checked before decoding", () => {
  it("a Parquet footer over MAX_PARQUET_FOOTER_BYTES is 413 from the file's tail alone", () => {
    const file = new Uint8Array(MAX_PARQUET_FOOTER_BYTES + 64);
    file.set([80, 65, 82, 49]);
    new DataView(file.buffer).setUint32(file.byteLength - 8, MAX_PARQUET_FOOTER_BYTES + 1, true);
    file.set([80, 65, 82, 49], file.byteLength - 4);
    expect(() => checkParquetFooter(file)).toThrow(/MAX_PARQUET_FOOTER_BYTES/);
    new DataView(file.buffer).setUint32(file.byteLength - 8, MAX_PARQUET_FOOTER_BYTES, true);
    expect(() => checkParquetFooter(file)).not.toThrow();
  });
});

describe.skipIf(!availability.available)("Worker: client errors are 4xx JSON with CORS", () => {
  it("invalid and over-long object keys are 400", async () => {
    for (const path of [`objects/e/t/${"x".repeat(1100)}`, `objects/e/${"é".repeat(520)}/x`, "objects/e/t/a%00b", "objects/e/t/a%0Ab", "objects/e/t/%E0%A4%A", "objects/e/t/%2e%2"]) {
      const r = await w.api(path);
      expect(r.status, path).toBe(400);
      expect((await errorOf(r)).code).toBe("INVALID_INPUT");
    }
  });

  it("schema and table names: over 255 bytes or with control characters are 400, 255 bytes work", async () => {
    for (const name of ["é".repeat(130), "a%C2%85b", "a%7Fb"]) {
      for (const [path, init] of [
        [`api/tables/e/${name}`, {}],
        [`api/tables/${name}/t/rows`, {}],
        [`api/tables/e/${name}`, { method: "POST", auth: true, headers: { "Content-Type": "application/x-ndjson" }, body: '{"id":1}\n' }],
      ] as const) {
        const r = await w.api(path, init);
        expect(r.status, path).toBe(400);
        expect((await errorOf(r)).message).toMatch(/invalid (schema|table) name/);
      }
    }
    expect((await postRows(w, `e/${"t".repeat(255)}`, [{ id: 1 }])).status).toBe(200);
  });

  it("a partition value making a key longer than R2's 1024 bytes is 400, and nothing is committed", async () => {
    const r = await postRows(w, "e/longpart", [{ id: 1, p: "x".repeat(1100) }], "partitionBy=p");
    expect(r.status).toBe(400);
    expect((await errorOf(r)).message).toMatch(/over R2's limit of 1024/);
    expect((await w.api("api/tables/e/longpart")).status).toBe(404);
  });

  it("a malformed Content-Length is 400 JSON (checked by the handler; workerd refuses most before the Worker)", async () => {
    const env: Env = { TABLES: (await w.bucket()) as unknown as WorkerBucket, WRITE_TOKEN };
    for (const value of ["abc", "-1", "1e3", "12, 12", "0x10"]) {
      const request = new Request("http://worker/api/tables/e/cl?mode=append", {
        method: "POST",
        headers: { Authorization: `Bearer ${WRITE_TOKEN}`, "Content-Type": "application/x-ndjson", "Content-Length": value },
        body: '{"id":1}\n',
      });
      const r = await handleApiRequest(request, env);
      expect(r.status, value).toBe(400);
      expect((await errorOf(r)).message).toContain("malformed Content-Length");
    }
  });

  it("unknown routes and methods: 404 and 405 as JSON with CORS", async () => {
    for (const [path, method, status] of [
      ["api/tables/e/t/nope", "GET", 404],
      ["api/other", "GET", 404],
      ["api/tables/e/t/rows", "DELETE", 405],
      ["api/tables/e/t/maintenance", "GET", 405],
      ["objects/e/t/_delta_log/00000000000000000000.json", "PUT", 405],
    ] as const) {
      const r = await w.api(path, { method, auth: true, ...(method === "PUT" ? { body: "x" } : {}) });
      expect(r.status, `${method} ${path}`).toBe(status);
      expect((await errorOf(r)).code).toBe(status === 404 ? "NOT_FOUND" : "METHOD_NOT_ALLOWED");
    }
  });

  it("a corrupt log and an unsupported reader feature are 422 on every route that reads the table", async () => {
    const bucket = await w.bucket();
    await bucket.put("e/corrupt/_delta_log/00000000000000000000.json", '{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}\n{"metaData":{"id":');
    const protocol = { protocol: { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ["futureFeature"], writerFeatures: ["futureFeature"] } };
    const metaData = { metaData: { id: "x", format: { provider: "parquet", options: {} }, schemaString: '{"type":"struct","fields":[]}', partitionColumns: [], configuration: {} } };
    await bucket.put("e/future/_delta_log/00000000000000000000.json", `${JSON.stringify(protocol)}\n${JSON.stringify(metaData)}\n`);
    for (const [table, code] of [
      ["corrupt", "PROTOCOL_ERROR"],
      ["future", "UNSUPPORTED_FEATURE"],
    ]) {
      for (const route of ["", "/rows", "/files"]) {
        const r = await w.api(`api/tables/e/${table}${route}`);
        expect(r.status, `${table}${route}`).toBe(422);
        expect((await errorOf(r)).code).toBe(code);
      }
      const write = await postRows(w, `e/${table}`, [{ id: 1 }], "mode=append");
      expect(write.status).toBe(422);
      for (const op of ["checkpoint", "vacuum", "optimize"]) {
        const r = await w.api(`api/tables/e/${table}/maintenance`, { method: "POST", auth: true, body: JSON.stringify({ op }) });
        expect(r.status, `${table} ${op}`).toBe(422);
        expect((await errorOf(r)).code).toBe(code);
      }
    }
  });

  it("a corrupt data file is 422 before the rows stream starts; after, the body ends with the error in every format", async () => {
    const files = (await (await w.api("api/tables/e/two/files")).json()) as { path: string }[];
    const first = (await ndjsonRows(await w.api("api/tables/e/two/rows?limit=10")))[0];
    expect(first).toBeDefined();
    const bucket = await w.bucket();
    const bytesOf = async (key: string) => new Uint8Array(await ((await bucket.get(key)) as unknown as { arrayBuffer(): Promise<ArrayBuffer> }).arrayBuffer());
    const [firstKey, secondKey] = files.map((f) => `e/two/${f.path}`) as [string, string];
    const original = await bytesOf(secondKey);
    await bucket.put(secondKey, new Uint8Array(original.byteLength).fill(7));
    try {
      // the corrupt file is read second: the response has started (200) when it fails
      const body = async (format: string) => {
        const r = await w.api(`api/tables/e/two/rows?limit=10&format=${format}`);
        expect(r.status, format).toBe(200);
        return new Uint8Array(await r.arrayBuffer());
      };
      const text = (b: Uint8Array) => new TextDecoder().decode(b);
      const error = { error: { code: "PARQUET_FORMAT", message: expect.stringContaining("not a Parquet file") } };
      const ndjson = text(await body("ndjson")).trim().split("\n");
      expect(ndjson.map((l) => JSON.parse(l))).toEqual([first, error]);
      const json = text(await body("json"));
      expect(() => JSON.parse(json)).toThrow();
      expect(JSON.parse(json.trim().split("\n").pop() as string)).toEqual(error);
      const csv = text(await body("csv")).trim().split("\n");
      expect(csv.length).toBe(3); // header, the first row, the error
      expect(JSON.parse((csv[2] as string).slice(1, -1).replaceAll('""', '"'))).toEqual(error);
      const arrow = await body("arrow");
      expect(() => tableFromIPC(arrow)).toThrow();
      expect(text(arrow)).toContain('"code":"PARQUET_FORMAT"');
      // first file corrupt too: the error comes before the response, with its status
      const keep = await bytesOf(firstKey);
      await bucket.put(firstKey, new Uint8Array(keep.byteLength).fill(7));
      const r = await w.api("api/tables/e/two/rows");
      expect(r.status).toBe(422);
      expect((await errorOf(r)).code).toBe("PARQUET_FORMAT");
      await bucket.put(firstKey, keep);
    } finally {
      await bucket.put(secondKey, original);
    }
  });
});

/** A Parquet file of `columns` int32 columns and one row (hyparquet-writer). */
function wideParquet(columns: number): Uint8Array {
  return new Uint8Array(parquetWriteBuffer({ columnData: Array.from({ length: columns }, (_, i) => ({ name: `c${i}`, data: [i], type: "INT32" as const })) }));
}

/** The same file with a footer claiming `rows` rows (pages unchanged). */
function withDeclaredRows(file: Uint8Array, rows: bigint): Uint8Array {
  const footerLength = new DataView(file.buffer, file.byteOffset + file.byteLength - 8, 4).getUint32(0, true);
  const start = file.byteLength - 8 - footerLength;
  const meta = parquetMetadata(file.slice().buffer);
  const changed = { ...meta, num_rows: rows, row_groups: meta.row_groups.map((g) => ({ ...g, num_rows: rows })), metadata_length: 0 };
  const footer = new ByteWriter();
  writeMetadata(footer, changed as unknown as Parameters<typeof writeMetadata>[1]);
  footer.appendBytes(new TextEncoder().encode("PAR1"));
  const out = new Uint8Array(start + footer.offset);
  out.set(file.subarray(0, start));
  out.set(new Uint8Array(footer.getBytes()), start);
  return out;
}

describe.skipIf(!availability.available)("Worker: hostile bodies within MAX_BODY_BYTES are refused before they cost", () => {
  it("NDJSON nested deeper than MAX_BODY_NESTING, or naming too many fields", async () => {
    const deepArray = `{"id":1}\n{"a":${"[".repeat(200_000)}${"]".repeat(200_000)}}\n`;
    const deepObject = `{"a":${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}}\n`;
    for (const body of [deepArray, deepObject]) {
      const r = await post("e/deep?mode=append", body, "application/x-ndjson");
      expect(r.status).toBe(400);
      expect((await errorOf(r)).message).toMatch(new RegExp(`request body:\\d+: the JSON nests deeper than ${MAX_BODY_NESTING} levels`));
    }
    const ok = `{"a":${'{"a":'.repeat(MAX_BODY_NESTING - 2)}1${"}".repeat(MAX_BODY_NESTING - 2)}}\n`;
    expect((await post("e/deepok?mode=append", ok, "application/x-ndjson")).status).toBe(200);
    const wideLine = `{${Array.from({ length: MAX_BODY_COLUMNS + 1 }, (_, i) => `"k${i}":1`).join(",")}}\n`;
    const manyLines = Array.from({ length: MAX_BODY_COLUMNS + 1 }, (_, i) => `{"k${i}":1}`).join("\n");
    for (const body of [wideLine, manyLines]) {
      const r = await post("e/wide?mode=append", body, "application/x-ndjson");
      expect(r.status).toBe(413);
      expect((await errorOf(r)).message).toContain("MAX_BODY_COLUMNS");
    }
    expect((await w.api("api/tables/e/wide")).status).toBe(404);
  });

  it("Arrow IPC: a schema message over 1 MiB, too many columns, too deep, too many values", async () => {
    const huge = new Uint8Array(64);
    new DataView(huge.buffer).setInt32(0, -1, true);
    new DataView(huge.buffer).setInt32(4, 3 * 1024 * 1024, true);
    let r = await post("e/arrow?mode=append", huge, "application/vnd.apache.arrow.stream");
    expect(r.status).toBe(413);
    expect((await errorOf(r)).message).toContain("MAX_ARROW_SCHEMA_BYTES");
    const wide = new Table(Object.fromEntries(Array.from({ length: MAX_BODY_COLUMNS + 1 }, (_, i) => [`c${i}`, vectorFromArray([1], new Int32())])));
    r = await post("e/arrow?mode=append", tableToIPC(wide), "application/vnd.apache.arrow.stream");
    expect(r.status).toBe(413);
    expect((await errorOf(r)).message).toContain("MAX_BODY_COLUMNS");
    let type: Struct | Int32 = new Int32();
    for (let i = 0; i < MAX_BODY_NESTING + 1; i++) type = new Struct([new Field("x", type, true)]);
    r = await post("e/arrow?mode=append", tableToIPC(new Table(new Schema([new Field("s", type, true)]))), "application/vnd.apache.arrow.stream");
    expect(r.status).toBe(400);
    expect((await errorOf(r)).message).toContain("MAX_BODY_NESTING");
    // a null column of 2^30 rows is a few hundred bytes of IPC
    const nulls = makeData({ type: new Null(), length: 2 ** 30 });
    const batch = new RecordBatch(new Schema([new Field("n", new Null(), true)]), makeData({ type: new Struct([new Field("n", new Null(), true)]), length: 2 ** 30, children: [nulls] }));
    const bytes = tableToIPC(new Table([batch]));
    expect(bytes.byteLength).toBeLessThan(4096);
    r = await post("e/arrow?mode=append", bytes, "application/vnd.apache.arrow.stream");
    expect(r.status).toBe(413);
    expect((await errorOf(r)).message).toContain("MAX_BODY_VALUES");
    expect((await w.api("api/tables/e/arrow")).status).toBe(404);
  });

  it("a body streamed past MAX_BODY_BYTES without Content-Length is 413 and commits nothing (Arrow too)", async () => {
    const rows = MAX_BODY / 4 + 50_000;
    const bodies: [string, Uint8Array][] = [
      ["application/vnd.apache.arrow.stream", tableToIPC(new Table({ v: vectorFromArray(Int32Array.from({ length: rows }, (_, i) => i)) }), "stream")],
      ["application/x-ndjson", new TextEncoder().encode(Array.from({ length: rows / 2 }, (_, i) => `{"v":${i}}`).join("\n"))],
    ];
    for (const [type, bytes] of bodies) {
      expect(bytes.byteLength).toBeGreaterThan(MAX_BODY);
      const chunked = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < bytes.byteLength; at += 65536) controller.enqueue(bytes.slice(at, at + 65536));
          controller.close();
        },
      });
      const r = await w.api("api/tables/e/chunked?mode=append", { method: "POST", auth: true, headers: { "Content-Type": type }, body: chunked, duplex: "half" } as RequestInit);
      expect(r.status, type).toBe(413);
      expect((await errorOf(r)).code).toBe("PAYLOAD_TOO_LARGE");
      expect((await w.api("api/tables/e/chunked")).status).toBe(404);
    }
  });

  it("Parquet: too many columns, or a footer declaring 2^40 rows", async () => {
    // (a footer over 4 MiB needs a body over this Worker's 2 MiB limit: checked on its own below)
    const lying = new Uint8Array(64);
    lying.set([80, 65, 82, 49]);
    new DataView(lying.buffer).setUint32(56, 5 * 1024 * 1024, true); // longer than the file: not Parquet
    lying.set([80, 65, 82, 49], 60);
    let r = await post("e/pq?mode=append", lying, "application/vnd.apache.parquet");
    expect(r.status).toBe(400);
    r = await post("e/pq?mode=append", wideParquet(MAX_BODY_COLUMNS + 1), "application/vnd.apache.parquet");
    expect(r.status).toBe(413);
    expect((await errorOf(r)).message).toContain("MAX_BODY_COLUMNS");
    r = await post("e/pq?mode=append", withDeclaredRows(wideParquet(2), 2n ** 40n), "application/vnd.apache.parquet");
    expect(r.status).toBe(413);
    expect((await errorOf(r)).message).toContain("MAX_BODY_VALUES");
    expect((await post("e/pq?mode=append", wideParquet(3), "application/vnd.apache.parquet")).status).toBe(200);
  });
});

describe.skipIf(!availability.available)("Worker: predicates of any length", () => {
  const q = (where: string) => encodeURIComponent(where);
  it("5000 OR terms and 5000 AND terms in rows and files, 3000 in optimize; nesting past the bound is 400", async () => {
    const or = Array.from({ length: 5000 }, (_, i) => `id=${i + 1}`).join(" OR ");
    const and = Array.from({ length: 5000 }, (_, i) => `id!=${i + 2}`).join(" AND ");
    expect(await ndjsonRows(await w.api(`api/tables/e/t/rows?where=${q(or)}`))).toEqual([{ id: 1, p: "a" }]);
    expect(await ndjsonRows(await w.api(`api/tables/e/t/rows?where=${q(and)}&format=ndjson`))).toEqual([{ id: 1, p: "a" }]);
    const files = await w.api(`api/tables/e/t/files?where=${q(and)}`);
    expect(files.status).toBe(200);
    expect(((await files.json()) as unknown[]).length).toBe(1);
    const partitions = Array.from({ length: 3000 }, (_, i) => `p = 'v${i}'`).join(" OR ") + " OR p = 'a'"; // the maintenance body takes 64 KiB
    const optimize = await w.api("api/tables/e/t/maintenance", { method: "POST", auth: true, body: JSON.stringify({ op: "optimize", where: partitions }) });
    expect(optimize.status).toBe(200);
    for (const where of [`${"(".repeat(10000)}id=1${")".repeat(10000)}`, `${"NOT ".repeat(3000)}id=1`]) {
      for (const route of ["rows", "files"]) {
        const r = await w.api(`api/tables/e/t/${route}?where=${q(where)}`);
        expect(r.status).toBe(400);
        expect((await errorOf(r)).message).toMatch(/^predicate nests deeper than 256 levels/);
      }
    }
  });
});
