// Partition value codecs: unit cases per type, time zones, serialization forms, fast-check round
// trips, and every partitionValues entry in the conformance commits (with one value checked against
// Spark's expected output for the zone-less timestamp of golden/data-reader-partition-values).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { parquetReadObjects } from "hyparquet";
import { describe, expect, it } from "vitest";
import { InvalidInputError, ProtocolError } from "../../src/core/errors.js";
import { columnMappingMode, physicalName } from "../../src/core/schema/column-mapping.js";
import { parsePartitionValue, parsePartitionValues, serializePartitionValue } from "../../src/core/schema/partition-values.js";
import { compareScalars } from "../../src/core/schema/scalar.js";
import { parseSchema } from "../../src/core/schema/schema-json.js";
import type { DataType, Scalar, StructType } from "../../src/core/schema/types.js";
import { CONFORMANCE } from "../helpers/conformance.js";
import { checkpointMetadata, conformanceTables } from "./conformance.js";

const t = (name: string, extra: object = {}): DataType => ({ kind: "primitive", name, ...extra }) as DataType;
const parse = (type: DataType, value: string | null, timeZone?: string): Scalar => parsePartitionValue({ column: "c", type, value, timeZone });
const write = (type: DataType, value: Scalar, timestampFormat?: "iso8601" | "space") => serializePartitionValue({ column: "c", type, value, timestampFormat });

describe("parsePartitionValue", () => {
  it("reads null and empty as null for every type", () => {
    for (const name of ["string", "long", "date", "timestamp", "binary", "boolean"]) {
      expect(parse(t(name), null)).toBeNull();
      expect(parse(t(name), "")).toBeNull();
    }
    expect(parse(t("string"), "null")).toBe("null");
  });

  it("reads numbers in their plain forms", () => {
    expect(parse(t("byte"), "-1")).toBe(-1);
    expect(parse(t("short"), "32767")).toBe(32767);
    expect(parse(t("integer"), "-2147483648")).toBe(-2147483648);
    expect(parse(t("long"), "9223372036854775807")).toBe(9223372036854775807n);
    expect(parse(t("double"), "10.0")).toBe(10);
    expect(parse(t("double"), "1.0E-4")).toBe(0.0001);
    expect(parse(t("double"), "NaN")).toBeNaN();
    expect(parse(t("double"), "-Infinity")).toBe(-Infinity);
    expect(parse(t("double"), "inf")).toBe(Infinity);
    expect(parse(t("float"), "0.1")).toBe(Math.fround(0.1));
    expect(parse(t("boolean"), "true")).toBe(true);
    expect(parse(t("boolean"), "FALSE")).toBe(false);
  });

  it("rescales decimals to the column scale and refuses lost digits", () => {
    const d = t("decimal", { precision: 12, scale: 5 });
    expect(parse(d, "234.00000")).toEqual({ unscaled: 23400000n, scale: 5 });
    expect(parse(d, "-2342342.23423")).toEqual({ unscaled: -234234223423n, scale: 5 });
    expect(parse(d, "0.5")).toEqual({ unscaled: 50000n, scale: 5 });
    expect(parse(d, "1E+2")).toEqual({ unscaled: 10000000n, scale: 5 });
    expect(() => parse(d, "0.000001")).toThrow(/fraction digits/);
    expect(() => parse(d, "12345678.1")).toThrow(/12 digits/);
  });

  it("reads dates and timestamps, zone-less ones in the session zone", () => {
    expect(parse(t("date"), "1970-01-02")).toBe(1);
    expect(parse(t("date"), "1969-12-31")).toBe(-1);
    expect(parse(t("timestamp"), "1970-01-01 00:00:01.5")).toBe(1_500_000n);
    expect(parse(t("timestamp"), "1970-01-01T00:00:00.000001Z")).toBe(1n);
    expect(parse(t("timestamp"), "1970-01-01T02:00:00+02:00")).toBe(0n);
    expect(parse(t("timestamp"), "2021-09-08 11:11:11", "America/Los_Angeles")).toBe(BigInt(Date.UTC(2021, 8, 8, 18, 11, 11)) * 1000n);
    expect(parse(t("timestamp"), "2021-01-08 11:11:11", "America/Los_Angeles")).toBe(BigInt(Date.UTC(2021, 0, 8, 19, 11, 11)) * 1000n);
    // An explicit zone wins over the session zone.
    expect(parse(t("timestamp"), "2024-01-01T10:00:00.000000Z", "Asia/Tokyo")).toBe(BigInt(Date.UTC(2024, 0, 1, 10)) * 1000n);
    expect(parse(t("timestamp_ntz"), "2013-07-05 17:01:00.123456", "Asia/Tokyo")).toBe(BigInt(Date.UTC(2013, 6, 5, 17, 1)) * 1000n + 123456n);
  });

  it("reads binary as the string's UTF-8 bytes", () => {
    expect(parse(t("binary"), "😈")).toEqual(new Uint8Array([0xf0, 0x9f, 0x98, 0x88]));
  });

  it("names the column and raw value when a value does not parse", () => {
    const bad = (type: DataType, value: string) => () => parsePartitionValue({ column: "part", type, value });
    expect(bad(t("integer"), "1.5")).toThrow(ProtocolError);
    expect(bad(t("integer"), "1.5")).toThrow(/"1\.5" of column part/);
    expect(bad(t("byte"), "128")).toThrow(/out of range/);
    expect(bad(t("date"), "2021-02-30")).toThrow(/column part/);
    expect(bad(t("timestamp"), "yesterday")).toThrow(/column part/);
    expect(bad(t("timestamp_ntz"), "2021-01-01T00:00:00Z")).toThrow(/no zone/);
    expect(bad(t("boolean"), "yes")).toThrow(/column part/);
    expect(bad({ kind: "array", elementType: t("integer"), containsNull: true }, "1")).toThrow(/primitive/);
    expect(() => parse(t("timestamp"), "2021-01-01 00:00:00", "Mars/Olympus")).toThrow(InvalidInputError);
  });
});

describe("serializePartitionValue", () => {
  it("writes Spark's forms", () => {
    expect(write(t("integer"), -1)).toBe("-1");
    expect(write(t("long"), -(2n ** 63n))).toBe("-9223372036854775808");
    expect(write(t("double"), 10)).toBe("10.0");
    expect(write(t("double"), 1e7)).toBe("1.0E7");
    expect(write(t("double"), 0.0001)).toBe("1.0E-4");
    expect(write(t("double"), NaN)).toBe("NaN");
    expect(write(t("float"), Math.fround(0.1))).toBe("0.1");
    expect(write(t("boolean"), false)).toBe("false");
    expect(write(t("date"), -1)).toBe("1969-12-31");
    expect(write(t("decimal", { precision: 5, scale: 3 }), { unscaled: 1234n, scale: 2 })).toBe("12.340");
    expect(write(t("decimal", { precision: 5, scale: 3 }), { unscaled: -5n, scale: 3 })).toBe("-0.005");
    expect(write(t("string"), "")).toBeNull();
    expect(write(t("string"), null)).toBeNull();
    expect(write(t("binary"), new TextEncoder().encode("hi"))).toBe("hi");
  });

  it("writes timestamps as ISO-8601 UTC by default, zone-less UTC on request, ntz zone-less", () => {
    const micros = BigInt(Date.UTC(2021, 8, 8, 18, 11, 11)) * 1000n + 5n;
    expect(write(t("timestamp"), micros)).toBe("2021-09-08T18:11:11.000005Z");
    expect(write(t("timestamp"), micros, "space")).toBe("2021-09-08 18:11:11.000005");
    expect(write(t("timestamp_ntz"), micros)).toBe("2021-09-08 18:11:11.000005");
    expect(write(t("timestamp"), -1n)).toBe("1969-12-31T23:59:59.999999Z");
  });

  it("refuses values that do not fit, naming the column", () => {
    expect(() => write(t("byte"), 300)).toThrow(InvalidInputError);
    expect(() => write(t("decimal", { precision: 3, scale: 1 }), { unscaled: 12345n, scale: 2 })).toThrow(/column c/);
    expect(() => write(t("binary"), new Uint8Array([0xff]))).toThrow(/UTF-8/);
    expect(() => write(t("long"), "1")).toThrow(/column c/);
  });
});

/** Arbitrary (type, canonical value) pairs that survive a partition-value round trip. */
const arbTyped: fc.Arbitrary<[DataType, Scalar]> = fc.oneof(
  fc.integer({ min: -128, max: 127 }).map((v): [DataType, Scalar] => [t("byte"), v]),
  fc.integer({ min: -32768, max: 32767 }).map((v): [DataType, Scalar] => [t("short"), v]),
  fc.integer().map((v): [DataType, Scalar] => [t("integer"), v]),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((v): [DataType, Scalar] => [t("long"), v]),
  fc.double().map((v): [DataType, Scalar] => [t("double"), v]),
  fc.float().map((v): [DataType, Scalar] => [t("float"), v]),
  fc.boolean().map((v): [DataType, Scalar] => [t("boolean"), v]),
  fc.string({ minLength: 1 }).map((v): [DataType, Scalar] => [t("string"), v]),
  fc.string({ unit: "grapheme", minLength: 1 }).map((v): [DataType, Scalar] => [t("binary"), new TextEncoder().encode(v)]),
  fc.integer({ min: -719162, max: 2932896 }).map((v): [DataType, Scalar] => [t("date"), v]),
  fc.bigInt({ min: -62135596800000000n, max: 253402300799999999n }).map((v): [DataType, Scalar] => [t("timestamp"), v]),
  fc.bigInt({ min: -62135596800000000n, max: 253402300799999999n }).map((v): [DataType, Scalar] => [t("timestamp_ntz"), v]),
  fc.integer({ min: 1, max: 38 }).chain((precision) =>
    fc.integer({ min: 0, max: precision }).chain((scale) =>
      fc.bigInt({ min: -(10n ** BigInt(precision)) + 1n, max: 10n ** BigInt(precision) - 1n }).map((unscaled): [DataType, Scalar] => [t("decimal", { precision, scale }), { unscaled, scale }]),
    ),
  ),
);

describe("partition value round trips (property)", () => {
  it("parse(serialize(v)) equals v for every type", () => {
    fc.assert(
      fc.property(arbTyped, fc.constantFrom<"iso8601" | "space">("iso8601", "space"), ([type, value], format) => {
        const text = write(type, value, format);
        const back = parse(type, text);
        expect(compareScalars(back, value, type)).toBe(0);
        if (type.kind === "primitive" && (type.name === "double" || type.name === "float")) expect(Object.is(back, value) || back === value).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("zone-less timestamps written in a zone read back to the same instant outside DST overlaps", () => {
    const zone = "America/Los_Angeles";
    const fmt = new Intl.DateTimeFormat("sv-SE", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
    fc.assert(
      fc.property(fc.integer({ min: -2_000_000_000, max: 4_000_000_000 }), (seconds) => {
        const local = fmt.format(new Date(seconds * 1000)); // "YYYY-MM-DD HH:MM:SS"
        const back = parse(t("timestamp"), local, zone) as bigint;
        const diff = back - BigInt(seconds) * 1_000_000n;
        // In the repeated hour of an autumn transition the earlier instant is chosen (java.time).
        expect(diff === 0n || diff === -3_600_000_000n).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("conformance partitionValues", () => {
  it("parses every partition value in every commit with its column's type", async () => {
    const counts = new Map<string, number>();
    let files = 0;
    for (const table of conformanceTables()) {
      let meta: Record<string, any> | undefined;
      const timeZone = table.name === "golden/data-reader-partition-values/delta" ? "America/Los_Angeles" : undefined;
      for (const commit of table.commits) {
        for (const action of commit.actions) {
          if (action["metaData"]) meta = action["metaData"];
          const file = action["add"] ?? action["remove"] ?? action["cdc"];
          const values = file?.partitionValues as Record<string, string | null> | undefined;
          if (values === undefined || Object.keys(values).length === 0) continue;
          if (typeof meta?.schemaString !== "string") meta = await checkpointMetadata(table.logDir);
          expect(meta?.schemaString, `${table.name} has no schema for its partitions`).toBeTypeOf("string");
          const schema = parseSchema(meta?.schemaString);
          const mode = columnMappingMode(meta?.configuration);
          const parsed = parsePartitionValues({
            partitionValues: values,
            schema,
            partitionColumns: meta?.partitionColumns,
            columnMapping: mode,
            timeZone,
          });
          expect(Object.keys(parsed).sort()).toEqual([...(meta?.partitionColumns as string[])].sort());
          for (const [column, value] of Object.entries(parsed)) {
            const type = (schema.fields.find((f) => f.name === column) as { type: DataType }).type;
            const key = type.kind === "primitive" ? (type.name === "decimal" ? "decimal" : type.name) : type.kind;
            counts.set(key, (counts.get(key) ?? 0) + 1);
            // Re-serialize and re-read: the same value.
            const again = parsePartitionValue({ column, type, value: serializePartitionValue({ column, type, value }) });
            expect(compareScalars(again, value, type), `${table.name} ${column}`).toBe(0);
            expect(physicalName(schema.fields.find((f) => f.name === column)!, mode) in values || value === null).toBe(true);
          }
          files++;
        }
      }
    }
    expect(files).toBeGreaterThan(100);
    expect([...counts.keys()].sort()).toEqual(
      ["binary", "boolean", "byte", "date", "decimal", "double", "float", "integer", "long", "short", "string", "timestamp", "timestamp_ntz"].sort(),
    );
  });

  it("reads golden/data-reader-partition-values' zone-less timestamp as Spark did (America/Los_Angeles)", async () => {
    const dir = join(CONFORMANCE, "golden/data-reader-partition-values/expected");
    const instants = new Set<number>();
    for (const f of readdirSync(dir).filter((n) => n.endsWith(".parquet"))) {
      const bytes = readFileSync(join(dir, f));
      const rows = (await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), columns: ["as_timestamp"] })) as Array<{ as_timestamp: Date | null }>;
      for (const r of rows) if (r.as_timestamp !== null) instants.add(r.as_timestamp.getTime());
    }
    expect(instants.size).toBe(1);
    const expected = BigInt([...instants][0] as number) * 1000n;
    expect(parse(t("timestamp"), "2021-09-08 11:11:11", "America/Los_Angeles")).toBe(expected);
    expect(parse(t("timestamp"), "2021-09-08 11:11:11")).not.toBe(expected);
  });

  it("reads kernel-timestamp-pst's partition values in UTC, as its expected output does", () => {
    const schema: StructType = parseSchema('{"type":"struct","fields":[{"name":"part","type":"timestamp","nullable":true,"metadata":{}}]}');
    const [field] = schema.fields;
    expect(parse(field!.type, "2020-01-01 08:09:10.001")).toBe(BigInt(Date.UTC(2020, 0, 1, 8, 9, 10, 1)) * 1000n);
  });
});
