/**
 * Writes store exactly what was sent, or refuse (issue 9, item 2), for every Delta primitive type
 * and every text-like input: CSV cells, NDJSON values (numbers as written, beyond 2^53 too) and
 * row objects given to writeTable. The values at the edges of each type's range are written and
 * read back exactly by pyarrow (raw integers for dates and timestamps, IEEE bits for floats, exact
 * decimals: an oracle independent of our reader); the first values past the edges, values that
 * would need rounding and malformed values are InvalidInputErrors naming the line or row, the
 * column and the value as written, and leave the log unchanged. Partition columns go through the
 * same conversions and their values are written as Spark and delta-rs read them (`+10000-01-01`).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { InvalidInputError } from "../../src/core/errors.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { parseSchema } from "../../src/core/schema/schema-json.js";
import type { StructType } from "../../src/core/schema/types.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { readRows } from "../../src/core/scan/read.js";
import { textBatches } from "../../src/core/write/text-input.js";
import { writeTable, type WriteTableOptions } from "../../src/core/write/write-table.js";
import { readWithPyarrow, tempStore, useNodeParquetWasm } from "../write-data/helpers/oracle.js";

beforeAll(() => useNodeParquetWasm());
const tmp = tempStore();
afterAll(() => tmp.cleanup());

/** A value as CSV text, as an NDJSON literal and as a JS row value. */
interface Value {
  text: string;
  json?: string;
  js?: unknown;
}
/** In-range values and what pyarrow reads back (read_parquet.py's encoding). */
interface Ok extends Value {
  oracle: unknown;
}
/** Values that must be refused; `why` is matched against the message. */
interface Bad extends Value {
  why: RegExp;
}
interface Case {
  column: string;
  type: string;
  ok: Ok[];
  bad: Bad[];
}

const NINES_38 = "9".repeat(38);
const CASES: Case[] = [
  {
    column: "b",
    type: "byte",
    ok: [{ text: "-128", oracle: "-128" }, { text: "127", oracle: "127" }],
    bad: [{ text: "128", why: /out of the range of byte/ }, { text: "-129", why: /out of the range/ }, { text: "1.5", why: /not an integer|expected an integer, got 1.5/ }],
  },
  {
    column: "s",
    type: "short",
    ok: [{ text: "-32768", oracle: "-32768" }, { text: "32767", oracle: "32767" }],
    bad: [{ text: "32768", why: /out of the range of short/ }, { text: "0x10", json: "[16]", js: "16", why: /not an integer|expected an integer/ }],
  },
  {
    column: "i",
    type: "integer",
    ok: [{ text: "-2147483648", oracle: "-2147483648" }, { text: "2147483647", oracle: "2147483647" }],
    bad: [{ text: "2147483648", why: /out of the range of integer/ }, { text: "-2147483649", why: /out of the range/ }],
  },
  {
    column: "l",
    type: "long",
    ok: [
      { text: "-9223372036854775808", js: -(2n ** 63n), oracle: "-9223372036854775808" },
      { text: "9223372036854775807", js: 2n ** 63n - 1n, oracle: "9223372036854775807" },
    ],
    bad: [
      { text: "9223372036854775808", js: 2n ** 63n, why: /"?9223372036854775808"?n? is out of the range of long/ },
      { text: "99999999999999999999", js: 99999999999999999999n, why: /"?99999999999999999999"?n? is out of the range of long/ },
      { text: "9007199254740993.5", js: 2 ** 60, why: /not an integer|beyond 2\^53/ },
    ],
  },
  {
    column: "f",
    type: "float",
    ok: [{ text: "3.4028234e38", oracle: "47efffffe0000000" }, { text: "-1.5", oracle: "bff8000000000000" }],
    bad: [{ text: "3.5e38", why: /"?3.5e\+?38"? is out of the range of float/ }, { text: "1e400", js: 1n + 2n ** 60n, why: /out of the range of float|cannot be held exactly/ }],
  },
  {
    column: "d",
    type: "double",
    ok: [{ text: "1.7976931348623157e308", oracle: "7fefffffffffffff" }, { text: "5e-324", oracle: "0000000000000001" }],
    bad: [{ text: "1e400", js: 2n ** 53n + 1n, why: /"1e400" is out of the range of double|cannot be held exactly/ }],
  },
  {
    column: "dec",
    type: "decimal(5,2)",
    ok: [
      { text: "999.99", oracle: "999.99" },
      { text: "-999.99", oracle: "-999.99" },
      { text: "1.230", json: "1.230", js: "1.230", oracle: "1.23" },
    ],
    bad: [
      { text: "1000", why: /"?1000"? is out of the range of decimal\(5,2\)/ },
      { text: "1.234", why: /"?1.234"? has more than 2 fraction digits/ },
    ],
  },
  {
    column: "dec38",
    type: "decimal(38,0)",
    ok: [{ text: NINES_38, oracle: NINES_38 }, { text: `-${NINES_38}`, oracle: `-${NINES_38}` }],
    bad: [{ text: `1${"0".repeat(38)}`, why: /out of the range of decimal\(38,0\)/ }],
  },
  {
    column: "day",
    type: "date",
    ok: [
      { text: "0001-01-01", oracle: "-719162" },
      { text: "9999-12-31", oracle: "2932896" },
      { text: "+10000-01-01", oracle: "2932897" },
      { text: "-0001-12-31", oracle: "-719529" },
    ],
    bad: [{ text: "2024-02-30", why: /"2024-02-30" is not a date/ }, { text: "+1000000-01-01", why: /not a date/ }],
  },
  {
    column: "ts",
    type: "timestamp",
    ok: [
      { text: "+294247-01-10T04:00:54.775807Z", oracle: "9223372036854775807" },
      { text: "-290308-12-21T19:59:05.224192Z", oracle: "-9223372036854775808" },
      { text: "2024-01-01T00:00:00.123456+02:00", oracle: "1704060000123456" },
      { text: "1970-01-01 00:00:00.1234560", oracle: "123456" },
    ],
    bad: [
      { text: "+294247-01-10T04:00:54.775808Z", js: 2n ** 63n, why: /out of the range of timestamp/ },
      { text: "2024-01-01T00:00:00.0000001Z", why: /digits beyond the microsecond/ },
    ],
  },
  {
    column: "ntz",
    type: "timestamp_ntz",
    ok: [
      { text: "+294247-01-10T04:00:54.775807", oracle: "9223372036854775807" },
      { text: "2024-01-01 00:00:00", oracle: "1704067200000000" },
    ],
    bad: [{ text: "-290308-12-21T19:59:05.224191", js: -(2n ** 63n) - 1n, why: /out of the range of timestamp_ntz/ }],
  },
  {
    column: "ok",
    type: "boolean",
    ok: [{ text: "true", oracle: true }, { text: "FALSE", json: "false", js: false, oracle: false }],
    bad: [{ text: "yes", json: '"yes"', js: "yes", why: /"yes" is not true or false|expected a boolean/ }],
  },
  {
    column: "str",
    type: "string",
    ok: [{ text: 'é😀, "q"', oracle: 'é😀, "q"' }],
    bad: [],
  },
  {
    column: "bin",
    type: "binary",
    ok: [{ text: "abc", js: new Uint8Array([97, 98, 99]), oracle: "616263" }],
    bad: [],
  },
];

const NUMERIC = new Set(["byte", "short", "integer", "long", "float", "double", "boolean"]);
const isNumberType = (c: Case) => NUMERIC.has(c.type) || c.type.startsWith("decimal");

const SCHEMA: StructType = parseSchema(JSON.stringify({ type: "struct", fields: CASES.map((c) => ({ name: c.column, type: c.type, nullable: true, metadata: {} })) }));

/** The NDJSON literal of a value: numbers as written, the rest as JSON strings. */
const jsonOf = (c: Case, v: Value): string => v.json ?? (isNumberType(c) ? v.text : JSON.stringify(v.text));
/** The JS row value: numbers, bigints for longs, strings for decimals, dates and timestamps. */
const jsOf = (c: Case, v: Value): unknown => {
  if (v.js !== undefined) return v.js;
  if (c.type === "long") return BigInt(v.text);
  if (c.type === "boolean") return v.text === "true";
  return ["byte", "short", "integer", "float", "double"].includes(c.type) ? Number(v.text) : v.text;
};
const csvCell = (text: string) => `"${text.replaceAll('"', '""')}"`;

/** Rows covering every ok value (columns with fewer values repeat their first). */
const rowCount = Math.max(...CASES.map((c) => c.ok.length));
const okAt = (c: Case, i: number) => (c.ok[i] ?? c.ok[0]) as Ok;

function inputOf(kind: "csv" | "ndjson" | "rows", rows: ((c: Case) => Value | null)[], schema: StructType | undefined): WriteTableOptions["data"] {
  const cases = CASES;
  if (kind === "rows") return rows.map((row) => Object.fromEntries(cases.map((c) => [c.column, row(c) === null ? null : jsOf(c, row(c) as Value)])));
  const text =
    kind === "csv"
      ? `${cases.map((c) => c.column).join(",")}\n${rows.map((row) => cases.map((c) => (row(c) === null ? "" : csvCell((row(c) as Value).text))).join(",")).join("\r\n")}\n`
      : rows.map((row) => `{${cases.map((c) => `${JSON.stringify(c.column)}: ${row(c) === null ? "null" : jsonOf(c, row(c) as Value)}`).join(", ")}}`).join("\n");
  return textBatches([new TextEncoder().encode(text)], { format: kind, tableSchema: schema, source: `in.${kind}` });
}

describe("values at the edges of every type are stored exactly", () => {
  for (const kind of ["csv", "ndjson", "rows"] as const) {
    it(`${kind}: pyarrow reads back every value as written`, async () => {
      const dir = join(tmp.dir, `ok-${kind}`);
      const { LocalStore } = await import("../../src/node/storage/local.js");
      const store = new LocalStore({ root: dir });
      await writeTable({ store, data: [], schema: SCHEMA });
      const rows = Array.from({ length: rowCount }, (_, i) => (c: Case) => okAt(c, i));
      const r = await writeTable({ store, data: inputOf(kind, rows, SCHEMA), mode: "append" });
      const reports = readWithPyarrow(r.files.map((f) => join(dir, f.path)));
      const got = reports.flatMap((rep) => rep.rows);
      expect(got).toEqual(rows.map((row) => Object.fromEntries(CASES.map((c) => [c.column, (row(c) as Ok).oracle]))));
      // Stats of years beyond 9999 and of the int64 edges read back too: the filters find their rows.
      const found = async (where: string) => {
        const out = [];
        for await (const row of readRows({ store, where, columns: ["i"] })) out.push(row);
        return out.length;
      };
      expect(await found("day = DATE '+10000-01-01'")).toBe(1);
      expect(await found("day < DATE '0001-01-01'")).toBe(1);
      expect(await found("ts = TIMESTAMP '+294247-01-10T04:00:54.775807Z'")).toBe(1);
      expect(await found("l = 9223372036854775807")).toBe(1);
      expect(await found("l < -9223372036854775807")).toBe(rowCount - 1);
    });
  }

  it("NDJSON numbers beyond 2^53 keep every digit, also where the schema is inferred", async () => {
    const store = new MemoryStore();
    const text = '{"l": 9007199254740993, "big": 99999999999999999999, "x": 0.1}\n{"l": -9223372036854775808, "big": 1, "x": 2}\n';
    await writeTable({ store, data: textBatches([text], { format: "ndjson", tableSchema: undefined, source: "in" }) });
    const snapshot = await loadSnapshot({ store });
    expect(JSON.parse(snapshot.metadata.schemaString).fields.map((f: { type: string }) => f.type)).toEqual(["long", "decimal(38,0)", "double"]);
    const rows = [];
    for await (const row of readRows({ store })) rows.push(row);
    expect(rows).toEqual([
      { l: 9007199254740993n, big: { unscaled: 99999999999999999999n, scale: 0 }, x: 0.1 },
      { l: -(2n ** 63n), big: { unscaled: 1n, scale: 0 }, x: 2 },
    ]);
  });

  it("CSV inference keeps integers of 16 to 19 digits as long and larger ones as decimal(38,0)", async () => {
    const store = new MemoryStore();
    const text = "a,b,c,d\n1234567890123456789,99999999999999999999,1.5,True\n-5,1,2,false\n";
    await writeTable({ store, data: textBatches([text], { format: "csv", tableSchema: undefined, source: "in" }) });
    const snapshot = await loadSnapshot({ store });
    expect(JSON.parse(snapshot.metadata.schemaString).fields.map((f: { type: string }) => f.type)).toEqual(["long", "decimal(38,0)", "double", "boolean"]);
    const rows = [];
    for await (const row of readRows({ store })) rows.push(row);
    expect(rows).toEqual([
      { a: 1234567890123456789n, b: { unscaled: 99999999999999999999n, scale: 0 }, c: 1.5, d: true },
      { a: -5n, b: { unscaled: 1n, scale: 0 }, c: 2, d: false },
    ]);
  });
});

describe("values past the edges are refused naming line or row, column and value; the log is unchanged", () => {
  const store = new MemoryStore();
  beforeAll(async () => {
    await writeTable({ store, data: [], schema: SCHEMA });
  });
  afterAll(async () => {
    expect((await loadSnapshot({ store })).version).toBe(0);
  });

  for (const kind of ["csv", "ndjson", "rows"] as const) {
    it(`${kind}`, async () => {
      for (const c of CASES) {
        for (const bad of c.bad) {
          // Row 0 is fine; row 1 holds the bad value (so the message must name line 3 / row 1).
          const rows = [(x: Case) => okAt(x, 0), (x: Case) => (x === c ? bad : null)];
          let error: unknown;
          try {
            await writeTable({ store, data: inputOf(kind, rows, SCHEMA), mode: "append" });
          } catch (e) {
            error = e;
          }
          const what = `${kind} ${c.type} ${bad.text}`;
          expect(error, what).toBeInstanceOf(InvalidInputError);
          const message = (error as Error).message;
          const where = kind === "csv" ? "in.csv:3, " : kind === "ndjson" ? "in.ndjson:2, " : "row 1, ";
          expect(message, what).toContain(`${where}column ${c.column}: `);
          expect(message, what).toMatch(bad.why);
        }
      }
    });
  }

  it("row objects: invalid Dates, dates that are not midnight UTC, day counts past int32, lone surrogates", async () => {
    const cases: [string, unknown, RegExp][] = [
      ["ts", new Date(NaN), /row 0, column ts: an invalid Date is not a timestamp/],
      ["day", new Date(NaN), /row 0, column day: an invalid Date is not a date/],
      ["day", new Date("2024-05-01T12:00:00Z"), /row 0, column day: the Date 2024-05-01T12:00:00.000Z is not midnight UTC/],
      ["day", 2 ** 31, /row 0, column day: 2147483648 days is out of the range of date/],
      ["str", "a\uD800b", /row 0, column str: "a\\ud800b" has a lone surrogate/],
      ["bin", "\uDFFF", /row 0, column bin: .* has a lone surrogate/],
      ["f", 1e39, /row 0, column f: 1e\+39 is out of the range of float/],
      ["l", 1.5, /row 0, column l: expected an integer, got 1.5/],
    ];
    for (const [column, value, why] of cases) {
      await expect(writeTable({ store, data: [{ [column]: value }], mode: "append" }), `${column} ${String(value)}`).rejects.toThrow(why);
    }
  });

  it("nested values (CSV cells as JSON, NDJSON arrays) are checked too, naming the nested column", async () => {
    const nested = parseSchema(JSON.stringify({ type: "struct", fields: [{ name: "arr", type: { type: "array", elementType: "long", containsNull: true }, nullable: true, metadata: {} }] }));
    const t = new MemoryStore();
    await writeTable({ store: t, data: [], schema: nested });
    await writeTable({ store: t, data: textBatches(['arr\n"[9007199254740993, -1]"\n'], { format: "csv", tableSchema: nested, source: "n.csv" }), mode: "append" });
    const got = [];
    for await (const row of readRows({ store: t })) got.push(row);
    expect(got).toEqual([{ arr: [9007199254740993n, -1n] }]);
    await expect(writeTable({ store: t, data: textBatches(['arr\n"[1]"\n"[2, 9223372036854775808]"\n'], { format: "csv", tableSchema: nested, source: "n.csv" }), mode: "append" })).rejects.toThrow(
      'n.csv:3, column arr.element: "9223372036854775808" is out of the range of long',
    );
    await expect(writeTable({ store: t, data: textBatches(['{"arr": [1, 1.5]}'], { format: "ndjson", tableSchema: nested, source: "n.ndjson" }), mode: "append" })).rejects.toThrow(
      "n.ndjson:1, column arr.element: expected an integer, got 1.5",
    );
    const strings = parseSchema(JSON.stringify({ type: "struct", fields: [{ name: "s", type: "string", nullable: true, metadata: {} }] }));
    await expect(writeTable({ store: t, data: textBatches(['{"s": "ok"}\n{"s": "\\ud800"}'], { format: "ndjson", tableSchema: strings, source: "s.ndjson" }), mode: "overwrite", schemaMode: "overwrite" })).rejects.toThrow(
      's.ndjson:2, column s: "\\ud800" has a lone surrogate',
    );
    expect((await loadSnapshot({ store: t })).version).toBe(1);
  });

  it("megabyte-long numbers are refused as out of range without parsing their digits", async () => {
    const digits = "7".repeat(4_000_000); // BigInt() of this takes seconds; refusing it must not
    const csv = (column: string) => textBatches([`${column}\n${digits}\n`], { format: "csv", tableSchema: SCHEMA, source: "huge.csv" });
    await expect(writeTable({ store, data: csv("l"), mode: "append" })).rejects.toThrow(/^huge\.csv:2, column l: "7{100}"\.\.\. \(4000000 characters\) is out of the range of long/);
    await expect(writeTable({ store, data: csv("dec38"), mode: "append" })).rejects.toThrow(/^huge\.csv:2, column dec38: "7{100}"\.\.\. \(4000000 characters\) is out of the range of decimal\(38,0\)/);
    await expect(writeTable({ store, data: textBatches([`{"day": ${digits}}`], { format: "ndjson", tableSchema: SCHEMA, source: "huge.ndjson" }), mode: "append" })).rejects.toThrow(/^huge\.ndjson:1, column day: .* is out of the range of date/);
    // Inferred: more than 38 digits is a double, and this one is beyond a double's range.
    const inferred = textBatches([`x\n${digits}\n`], { format: "csv", tableSchema: undefined, source: "new.csv" });
    await expect(writeTable({ store: new MemoryStore(), data: inferred })).rejects.toThrow(/^new\.csv:2, column x: .* is out of the range of double/);
  });

  it("NDJSON error messages quote the number as written, not a rounded copy", async () => {
    const text = '{"l": 1}\n{"l": 18446744073709551616}\n';
    await expect(writeTable({ store, data: textBatches([text], { format: "ndjson", tableSchema: SCHEMA, source: "in" }), mode: "append" })).rejects.toThrow(
      'in:2, column l: "18446744073709551616" is out of the range of long',
    );
    const dec = '{"dec": 1.2345678901234567891}\n';
    await expect(writeTable({ store, data: textBatches([dec], { format: "ndjson", tableSchema: SCHEMA, source: "in" }), mode: "append" })).rejects.toThrow(
      'in:1, column dec: "1.2345678901234567891" has more than 2 fraction digits (decimal(5,2) would round it)',
    );
  });
});

describe("partition columns", () => {
  const PARTS: StructType = parseSchema(
    JSON.stringify({
      type: "struct",
      fields: [
        ["id", "integer"], ["l", "long"], ["day", "date"], ["ts", "timestamp"], ["dec", "decimal(5,2)"], ["b", "byte"],
      ].map(([name, type]) => ({ name, type, nullable: true, metadata: {} })),
    }),
  );
  const partitionBy = ["l", "day", "ts", "dec", "b"];

  it("are written as Spark and delta-rs read them (signed years beyond 9999) and read back exactly", async () => {
    const store = new MemoryStore();
    await writeTable({ store, data: [], schema: PARTS, partitionBy });
    const csv = "id,l,day,ts,dec,b\n1,9223372036854775807,+10000-01-01,+294247-01-10T04:00:54.775807Z,-999.99,-128\n2,-1,-0001-12-31,1969-12-31T23:59:59.999999Z,1.5,127\n";
    await writeTable({ store, data: textBatches([csv], { format: "csv", tableSchema: PARTS, source: "p.csv" }), mode: "append" });
    const snapshot = await loadSnapshot({ store });
    const values = snapshot.files().map((f) => f.partitionValues).sort((a, b) => String(a.b).localeCompare(String(b.b)));
    expect(values).toEqual([
      { l: "9223372036854775807", day: "+10000-01-01", ts: "+294247-01-10T04:00:54.775807Z", dec: "-999.99", b: "-128" },
      { l: "-1", day: "-0001-12-31", ts: "1969-12-31T23:59:59.999999Z", dec: "1.50", b: "127" },
    ]);
    const rows = [];
    for await (const row of readRows({ store, where: "day = DATE '+10000-01-01'" })) rows.push(row);
    expect(rows).toEqual([{ id: 1, l: 2n ** 63n - 1n, day: 2932897, ts: 2n ** 63n - 1n, dec: { unscaled: -99999n, scale: 2 }, b: -128 }]);
  });

  it("refuse out-of-range values like data columns, before anything is committed", async () => {
    const store = new MemoryStore();
    await writeTable({ store, data: [], schema: PARTS, partitionBy });
    const bad: [string, RegExp][] = [
      ["1,9223372036854775808,2024-01-01,2024-01-01T00:00:00Z,1,1", /p.csv:2, column l: "9223372036854775808" is out of the range of long/],
      ["1,1,2024-01-01,+294247-01-10T04:00:54.775808Z,1,1", /p.csv:2, column ts: .* is out of the range of timestamp/],
      ["1,1,2024-01-01,2024-01-01T00:00:00Z,1000,1", /p.csv:2, column dec: "1000" is out of the range of decimal\(5,2\)/],
      ["1,1,2024-01-01,2024-01-01T00:00:00Z,1,128", /p.csv:2, column b: "128" is out of the range of byte/],
    ];
    for (const [line, why] of bad) {
      const data = textBatches([`id,l,day,ts,dec,b\n${line}\n`], { format: "csv", tableSchema: PARTS, source: "p.csv" });
      await expect(writeTable({ store, data, mode: "append" }), line).rejects.toThrow(why);
      await expect(writeTable({ store, data: [{ l: 2n ** 63n }], mode: "append" })).rejects.toThrow(/row 0, column l: 9223372036854775808 is out of the range of long/);
    }
    expect((await loadSnapshot({ store })).version).toBe(0);
  });
});
