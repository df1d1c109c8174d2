/**
 * Stats JSON from Arrow data: the exact string for rows with every type and edge value, the column
 * selection properties, and physical names (agreement with Spark: stats-spark.test.ts).
 */
import { describe, expect, it } from "vitest";
import { computeStats, StatsCollector } from "../../src/core/write/stats.js";
import { parseStatsColumnNames, statsColumnsSchema } from "../../src/core/write/stats-columns.js";
import { buildBatch } from "./helpers/arrow-build.js";
import { ALL_TYPES, ALL_TYPES_ROWS, dec, field, p, struct } from "./fixtures.js";

const EMOJI_MAX = `${"😀".repeat(32)}\u{10ffff}`;

describe("stats of every type", () => {
  it("writes the exact JSON (decimals exact, floats as Java, timestamps in ms, strings truncated)", () => {
    const stats = computeStats({ batches: [buildBatch(ALL_TYPES, ALL_TYPES_ROWS)], schema: ALL_TYPES });
    const min =
      '"b":-128,"s":-32768,"i":-2147483648,"l":-9223372036854775808,"f":-3.4028235E38,"str":"","date":"0001-01-01",' +
      '"ts":"0001-01-01T00:00:00.000Z","ntz":"0001-01-01T00:00:00.000","dec5_2":-999.99,"dec18_3":-999999999999999.999,' +
      '"dec25_0":-9999999999999999999999999,"dec38_10":-9999999999999999999999999999.9999999999,' +
      '"st":{"x":-1,"y":{"z":"nested"}},"nn":0';
    const max =
      `"b":127,"s":32767,"i":2147483647,"l":9223372036854775807,"str":${JSON.stringify(EMOJI_MAX)},"date":"9999-12-31",` +
      '"ts":"9999-12-31T23:59:59.999Z","ntz":"9999-12-31T23:59:59.999","dec5_2":999.99,"dec18_3":999999999999999.999,' +
      '"dec25_0":9999999999999999999999999,"dec38_10":9999999999999999999999999999.9999999999,' +
      '"st":{"x":7,"y":{"z":"z"}},"nn":4';
    const nulls =
      '"b":1,"s":1,"i":1,"l":1,"f":0,"d":0,"bool":1,"bin":1,"str":0,"date":1,"ts":1,"ntz":1,"dec5_2":1,"dec18_3":1,' +
      '"dec25_0":1,"dec38_10":1,"st":{"x":2,"y":{"z":3}},"arr":1,"arr_s":1,"m":1,"nn":0';
    expect(stats).toBe(`{"numRecords":5,"minValues":{${min}},"maxValues":{${max}},"nullCount":{${nulls}}}`);
  });

  it("accumulates over batches and slices like over one batch", () => {
    const batch = buildBatch(ALL_TYPES, ALL_TYPES_ROWS);
    const whole = computeStats({ batches: [batch], schema: ALL_TYPES });
    const sliced = computeStats({ batches: [batch.slice(0, 2), batch.slice(2, 3), batch.slice(3)], schema: ALL_TYPES });
    expect(sliced).toBe(whole);
  });

  it("numRecords only when no column is indexed; {} for all-null columns", () => {
    const schema = struct(field("a", p("integer")), field("b", p("string")));
    const batch = buildBatch(schema, [{ a: null, b: null }]);
    expect(computeStats({ batches: [batch], schema, properties: { "delta.dataSkippingNumIndexedCols": "0" } })).toBe('{"numRecords":1}');
    expect(computeStats({ batches: [batch], schema })).toBe('{"numRecords":1,"minValues":{},"maxValues":{},"nullCount":{"a":1,"b":1}}');
    const noMinMax = struct(field("flag", p("boolean")), field("raw", p("binary")));
    expect(computeStats({ batches: [buildBatch(noMinMax, [{ flag: true, raw: null }])], schema: noMinMax })).toBe('{"numRecords":1,"nullCount":{"flag":0,"raw":1}}');
  });

  it("floats: NaN leaves min but drops max, infinities are omitted, -0.0 kept", () => {
    const schema = struct(field("d", p("double")), field("f", p("float")));
    const stats = (rows: Record<string, unknown>[]) => computeStats({ batches: [buildBatch(schema, rows)], schema });
    expect(stats([{ d: 1.5, f: 0.1 }, { d: NaN, f: NaN }])).toBe('{"numRecords":2,"minValues":{"d":1.5,"f":0.1},"maxValues":{},"nullCount":{"d":0,"f":0}}');
    expect(stats([{ d: NaN, f: NaN }])).toBe('{"numRecords":1,"minValues":{},"maxValues":{},"nullCount":{"d":0,"f":0}}');
    expect(stats([{ d: -Infinity, f: 1e10 }, { d: 2, f: Infinity }])).toBe('{"numRecords":2,"minValues":{"f":1.0E10},"maxValues":{"d":2.0},"nullCount":{"d":0,"f":0}}');
    expect(stats([{ d: -0, f: -0 }, { d: 0, f: 0 }])).toBe('{"numRecords":2,"minValues":{"d":-0.0,"f":-0.0},"maxValues":{"d":-0.0,"f":-0.0},"nullCount":{"d":0,"f":0}}');
  });

  it("timestamps truncate towards minus infinity to milliseconds", () => {
    const schema = struct(field("t", p("timestamp")), field("n", p("timestamp_ntz")));
    const stats = computeStats({ batches: [buildBatch(schema, [{ t: -1n, n: 1999n }, { t: -1001n, n: 999n }])], schema });
    expect(stats).toBe(
      '{"numRecords":2,"minValues":{"t":"1969-12-31T23:59:59.998Z","n":"1970-01-01T00:00:00.000"},' +
        '"maxValues":{"t":"1969-12-31T23:59:59.999Z","n":"1970-01-01T00:00:00.001"},"nullCount":{"t":0,"n":0}}',
    );
  });

  it("decimals keep exactly their scale", () => {
    const schema = struct(field("a", dec(10, 4)), field("z", dec(3, 0)));
    const rows = [{ a: { unscaled: 5n, scale: 4 }, z: { unscaled: -7n, scale: 0 } }, { a: { unscaled: 12000n, scale: 4 }, z: { unscaled: 0n, scale: 0 } }];
    expect(computeStats({ batches: [buildBatch(schema, rows)], schema })).toBe('{"numRecords":2,"minValues":{"a":0.0005,"z":-7},"maxValues":{"a":1.2000,"z":0},"nullCount":{"a":0,"z":0}}');
  });
});

describe("stats column selection", () => {
  const nested = struct(
    field("a", p("integer")),
    field("s", struct(field("x", p("integer")), field("y", p("string")), field("z", p("long")))),
    field("arr", { kind: "array", elementType: p("integer"), containsNull: true }),
    field("Dotted.Name", p("string")),
    field("c", p("date")),
  );
  const names = (props: Record<string, string>) => JSON.stringify(statsColumnsSchema({ schema: nested, properties: props }).fields.map((f) => (f.type.kind === "struct" ? [f.name, f.type.fields.map((g) => g.name)] : f.name)));

  it("counts leaves for dataSkippingNumIndexedCols (struct fields one by one, arrays as one)", () => {
    expect(names({})).toBe('["a",["s",["x","y","z"]],"arr","Dotted.Name","c"]');
    expect(names({ "delta.dataSkippingNumIndexedCols": "2" })).toBe('["a",["s",["x"]]]');
    expect(names({ "delta.dataSkippingNumIndexedCols": "5" })).toBe('["a",["s",["x","y","z"]],"arr"]');
    expect(names({ "delta.dataSkippingNumIndexedCols": "-1" })).toBe('["a",["s",["x","y","z"]],"arr","Dotted.Name","c"]');
    expect(names({ "delta.dataSkippingNumIndexedCols": "0" })).toBe("[]");
    expect(() => names({ "delta.dataSkippingNumIndexedCols": "-2" })).toThrow(/dataSkippingNumIndexedCols/);
    expect(() => names({ "delta.dataSkippingNumIndexedCols": "x" })).toThrow(/dataSkippingNumIndexedCols/);
  });

  it("dataSkippingStatsColumns wins, case-insensitive, backticks and nested paths", () => {
    expect(names({ "delta.dataSkippingStatsColumns": "C, s.Y, `dotted.name`", "delta.dataSkippingNumIndexedCols": "1" })).toBe('[["s",["y"]],"Dotted.Name","c"]');
    expect(names({ "delta.dataSkippingStatsColumns": "s" })).toBe('[["s",["x","y","z"]]]');
    expect(names({ "delta.dataSkippingStatsColumns": "" })).toBe("[]");
    expect(names({ "delta.dataSkippingStatsColumns": "nope, a.b" })).toBe("[]");
  });

  it("parses multipart identifier lists", () => {
    expect(parseStatsColumnNames("a, b.c ,`x.y`.z, `we``ird`")).toEqual([["a"], ["b", "c"], ["x.y", "z"], ["we`ird"]]);
    expect(() => parseStatsColumnNames("`open")).toThrow(/unterminated/);
    expect(() => parseStatsColumnNames("a,,b")).toThrow(/empty/);
  });

  it("keys stats by physical names under column mapping", () => {
    const cm = (name: string, id: number) => ({ "delta.columnMapping.id": id, "delta.columnMapping.physicalName": `col-${name}` });
    const schema = struct(field("a", p("integer"), true, cm("a", 1)), field("s", struct(field("x", p("string"), true, cm("x", 3))), true, cm("s", 2)));
    const collector = new StatsCollector({ schema, columnMapping: "name" });
    collector.add(buildBatch(schema, [{ a: 1, s: { x: "q" } }]));
    expect(collector.statsJson()).toBe('{"numRecords":1,"minValues":{"col-a":1,"col-s":{"col-x":"q"}},"maxValues":{"col-a":1,"col-s":{"col-x":"q"}},"nullCount":{"col-a":0,"col-s":{"col-x":0}}}');
  });
});
