/**
 * Round trip of every Delta type through writeTable: our reader gives back exactly the rows
 * written, pyarrow reads the live files to the same rows (in the CLI value encoding), and the
 * stats written bound the data.
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import "../../src/node/index.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { writeTable } from "../../src/core/write/write-table.js";
import { readRows } from "../../src/core/scan/read.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { planScan } from "../../src/core/scan/plan.js";
import { formatRowJson } from "../../src/core/scan/rows.js";
import { canonicalPath } from "../../src/core/log/replay.js";
import { parseSchema } from "../../src/core/schema/schema-json.js";
import { pyarrowRows, rowMultiset } from "../helpers/oracle.js";

const SCHEMA = parseSchema(
  JSON.stringify({
    type: "struct",
    fields: [
      ["b", "byte"], ["s", "short"], ["i", "integer"], ["l", "long"], ["f", "float"], ["d", "double"],
      ["bool", "boolean"], ["str", "string"], ["bin", "binary"], ["date", "date"], ["ts", "timestamp"],
      ["ntz", "timestamp_ntz"], ["dec", "decimal(10,2)"], ["dec38", "decimal(38,6)"],
      ["arr", { type: "array", elementType: "long", containsNull: true }],
      ["m", { type: "map", keyType: "string", valueType: "double", valueContainsNull: true }],
      ["st", { type: "struct", fields: [{ name: "x", type: "string", nullable: true, metadata: {} }, { name: "y", type: { type: "array", elementType: "date", containsNull: true }, nullable: true, metadata: {} }] }],
    ].map(([name, type]) => ({ name, type, nullable: true, metadata: {} })),
  }),
);

const ROWS: Record<string, unknown>[] = [
  {
    b: -128, s: 32767, i: -2147483648, l: 9007199254740993n, f: 1.5, d: -0.1, bool: true, str: "héllo 日本 😀 a long string well beyond thirty-two characters",
    bin: new Uint8Array([0, 255, 7]), date: 19723, ts: 1704067200123456n, ntz: -1000001n, dec: { unscaled: -12345n, scale: 2 },
    dec38: { unscaled: 12345678901234567890123456789012345678n, scale: 6 }, arr: [1n, null, 3n], m: [["k", 1.5], ["z", null]], st: { x: "in", y: [19000, null] },
  },
  { b: null, s: null, i: null, l: null, f: null, d: null, bool: null, str: null, bin: null, date: null, ts: null, ntz: null, dec: null, dec38: null, arr: null, m: null, st: null },
  { b: 0, s: 0, i: 0, l: 0n, f: Number.NaN, d: Number.POSITIVE_INFINITY, bool: false, str: "", bin: new Uint8Array(0), date: -1, ts: 0n, ntz: 0n, dec: { unscaled: 0n, scale: 2 }, dec38: { unscaled: -1n, scale: 6 }, arr: [], m: [], st: { x: null, y: [] } },
];

describe("round trip of every type", () => {
  it("our reader and pyarrow read back exactly what was written; stats bound the data", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "delta-edge-types-")), "t");
    const store = new LocalStore({ root: dir });
    await writeTable({ store, data: ROWS, schema: SCHEMA });
    const back: Record<string, unknown>[] = [];
    for await (const r of readRows({ store })) back.push(r);
    expect(back.length).toBe(ROWS.length);
    // Canonical values: maps come back as [key, value] pairs, binary as bytes, NaN as NaN.
    expect(back).toEqual(ROWS);

    const snapshot = await loadSnapshot({ store });
    const fields = planScan(snapshot, {}).outputFields;
    const ours = rowMultiset(back.map((r) => formatRowJson(r, fields)));
    const files = snapshot.files().map((f) => join(dir, canonicalPath(f.path)));
    const py = [...pyarrowRows(files).values()].flatMap((v) => {
      expect(v.error).toBeUndefined();
      return v.rows ?? [];
    });
    expect(rowMultiset(py)).toEqual(ours);

    const stats = JSON.parse(snapshot.files()[0]?.stats as string) as { numRecords: number; minValues: Record<string, unknown>; maxValues: Record<string, unknown>; nullCount: Record<string, unknown> };
    expect(stats.numRecords).toBe(3);
    expect(stats.nullCount.i).toBe(1);
    expect(stats.minValues.i).toBe(-2147483648);
    expect(stats.maxValues.i).toBe(0);
    expect(stats.minValues.date).toBe("1969-12-31");
    expect(stats.maxValues.date).toBe("2024-01-01");
    expect(String(stats.minValues.str)).toBe("");
    expect(String(stats.maxValues.str) >= "héllo 日本 😀 a long string well").toBe(true);
  });
});
