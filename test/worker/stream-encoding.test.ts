/**
 * The streaming pieces the Worker relies on, in Node: request bodies arrive in arbitrary chunks
 * (lines, CRLF pairs and UTF-8 sequences split anywhere), and /rows output is produced batch by
 * batch (an Arrow IPC stream whose chunks concatenate to a valid stream). Property-based where an
 * invariant exists: any chunking of a text yields the same lines and rows.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Int32, RecordBatch, Table, Utf8, tableFromIPC, vectorFromArray } from "apache-arrow";
import { arrowIpcChunks, encodeRows } from "../../src/core/scan/row-output.js";
import { textBatches } from "../../src/core/write/text-input.js";
import { arrowSchemaToDelta } from "../../src/core/schema/arrow-schema.js";

/** The UTF-8 bytes of `text`, cut at the given byte offsets (anywhere, also inside a character). */
function chunked(text: string, cuts: number[]): Uint8Array[] {
  const bytes = new TextEncoder().encode(text);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)) {
    out.push(bytes.subarray(at, cut));
    at = cut;
  }
  out.push(bytes.subarray(at));
  return out;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const rowsOf = async (format: "csv" | "ndjson", input: Uint8Array[] | string[]) =>
  (await collect(textBatches(input, { format, tableSchema: undefined, source: "t" }))).flatMap((b) => b.toArray().map((r) => r.toJSON() as Record<string, unknown>));

describe("streamed text input", () => {
  it("CSV: any chunking of the bytes (UTF-8, CRLF, quotes split anywhere) gives the same rows", async () => {
    const cell = fc.string({ unit: fc.constantFrom("a", "é", "😀", ",", '"', " ", "\n", "\r\n") });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(cell, cell), { minLength: 1, maxLength: 6 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 8 }), async (rows, crlf, cuts) => {
        const eol = crlf ? "\r\n" : "\n";
        const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
        const text = `a,b${eol}${rows.map(([a, b]) => `${quote(a)},${quote(b)}`).join(eol)}${eol}`;
        expect(await rowsOf("csv", chunked(text, cuts))).toEqual(rows.map(([a, b]) => ({ a, b })));
      }),
      { numRuns: 200 },
    );
  });

  it("NDJSON and CSV rows are the same whatever the chunking", async () => {
    const ndjson = '{"id": 1, "s": "x\\u00e9"}\n\n{"id": 2, "s": null}\r\n';
    const csv = 'id,s\n1,"multi\nline ""q"""\n2,\n';
    for (const cuts of [[], [1], [5, 17, 30], [3, 4, 5, 6, 7]]) {
      const a = await rowsOf("ndjson", chunked(ndjson, cuts));
      expect(a.map((r) => ({ ...r, id: Number(r.id) }))).toEqual([
        { id: 1, s: "xé" },
        { id: 2, s: null },
      ]);
      const c = await rowsOf("csv", chunked(csv, cuts));
      expect(c.map((r) => ({ ...r, id: Number(r.id) }))).toEqual([
        { id: 1, s: 'multi\nline "q"' },
        { id: 2, s: null },
      ]);
    }
    expect(await rowsOf("csv", ['x,y,z,w,v\na,"b,c",,"",d'])).toEqual([{ x: "a", y: "b,c", z: null, w: "", v: "d" }]);
    await expect(collect(textBatches(["{not json"], { format: "ndjson", tableSchema: undefined, source: "body" }))).rejects.toThrow(/body:1: not valid JSON/);
  });
});

describe("streamed row output", () => {
  const table = new Table({ id: vectorFromArray([1, 2, 3, 4], new Int32()), name: vectorFromArray(["a", "b", null, "d"], new Utf8()) });
  const batches = async function* (): AsyncGenerator<RecordBatch> {
    yield table.slice(0, 2).batches[0] as RecordBatch;
    yield table.slice(2, 2).batches[0] as RecordBatch; // empty
    yield table.slice(2).batches[0] as RecordBatch;
  };

  it("arrow: one chunk for the schema, one per non-empty batch, one for end-of-stream; they concatenate to the table", async () => {
    const chunks = await collect(arrowIpcChunks(table.schema, batches()));
    expect(chunks.length).toBe(4);
    const all = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.byteLength;
    }
    const back = tableFromIPC(all);
    expect(back.toArray().map((r) => r.toJSON())).toEqual(table.toArray().map((r) => r.toJSON()));
    const empty = await collect(arrowIpcChunks(table.schema, (async function* () {})()));
    expect(tableFromIPC(empty.reduce((a, c) => new Uint8Array([...a, ...c]), new Uint8Array(0))).numRows).toBe(0);
  });

  it("ndjson, json and csv: text per batch, the same rows", async () => {
    const fields = arrowSchemaToDelta(table.schema).fields;
    const text = async (format: "ndjson" | "json" | "csv") => (await collect(encodeRows({ batches: batches(), fields, arrowSchema: table.schema, format }))).join("");
    expect(await text("ndjson")).toBe('{"id":1,"name":"a"}\n{"id":2,"name":"b"}\n{"id":3,"name":null}\n{"id":4,"name":"d"}\n');
    expect(JSON.parse(await text("json"))).toEqual([
      { id: 1, name: "a" },
      { id: 2, name: "b" },
      { id: 3, name: null },
      { id: 4, name: "d" },
    ]);
    expect(await text("csv")).toBe("id,name\n1,a\n2,b\n3,\n4,d\n");
  });
});
