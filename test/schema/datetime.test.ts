// Calendar and time-zone helpers: civil date conversions against Date.UTC, formatting, zone
// offsets from Intl, and java.time's gap/overlap resolution.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/core/errors.js";
import {
  civilFromDays,
  daysFromCivil,
  formatDate,
  formatTimestampMicros,
  localSecondsToUtc,
  parseDateTimeString,
  resolveTimeZone,
} from "../../src/core/schema/datetime.js";
import { formatDoubleJava, formatFloatJava } from "../../src/core/schema/number-format.js";

describe("civil dates", () => {
  it("agree with Date.UTC (proleptic Gregorian) both ways (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -3_000_000, max: 3_000_000 }), (days) => {
        const { year, month, day } = civilFromDays(days);
        expect(daysFromCivil(year, month, day)).toBe(days);
        const d = new Date(days * 86_400_000);
        expect([d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()]).toEqual([year, month, day]);
      }),
      { numRuns: 2000 },
    );
  });

  it("formats dates and timestamps in Delta's fixed forms", () => {
    expect(formatDate(0)).toBe("1970-01-01");
    expect(formatDate(daysFromCivil(1, 1, 1))).toBe("0001-01-01");
    expect(formatDate(daysFromCivil(12345, 1, 1))).toBe("+12345-01-01");
    expect(formatDate(daysFromCivil(-1, 3, 1))).toBe("-0001-03-01");
    expect(formatTimestampMicros(1n, " ")).toBe("1970-01-01 00:00:00.000001");
    expect(formatTimestampMicros(-86_400_000_001n, "T")).toBe("1969-12-30T23:59:59.999999");
  });

  it("parses date-times with optional parts and offsets", () => {
    expect(parseDateTimeString("2021-09-08 11:11:11")).toEqual({ localMicros: BigInt(Date.UTC(2021, 8, 8, 11, 11, 11)) * 1000n, offsetSeconds: undefined });
    expect(parseDateTimeString("2021-09-08T11:11:11.123456789-07:00")?.offsetSeconds).toBe(-25200);
    expect(parseDateTimeString("2021-09-08T11:11:11.1234567Z")?.localMicros).toBe(BigInt(Date.UTC(2021, 8, 8, 11, 11, 11)) * 1000n + 123456n);
    expect(parseDateTimeString("2021-09-08")?.localMicros).toBe(BigInt(Date.UTC(2021, 8, 8)) * 1000n);
    expect(parseDateTimeString("2021-09-08 24:00:00")).toBeNull();
    expect(parseDateTimeString("2021-13-08 00:00:00")).toBeNull();
  });

  it("refuses offsets that are no offsets (minutes over 59, beyond ±18:00) instead of reading them", () => {
    expect(parseDateTimeString("2021-09-08 11:11:11+05:99")).toBeNull();
    expect(parseDateTimeString("2021-09-08 11:11:11-19:00")).toBeNull();
    expect(parseDateTimeString("2021-09-08 11:11:11+18:30")).toBeNull();
    expect(parseDateTimeString("2021-09-08 11:11:11+18:00")?.offsetSeconds).toBe(18 * 3600);
    expect(parseDateTimeString("2021-09-08 11:11:11-0530")?.offsetSeconds).toBe(-(5 * 3600 + 30 * 60));
  });
});

describe("time zones", () => {
  it("computes offsets with Intl, including fixed offsets and UTC", () => {
    const la = resolveTimeZone("America/Los_Angeles");
    expect(la(Date.UTC(2021, 0, 1) / 1000)).toBe(-8 * 3600);
    expect(la(Date.UTC(2021, 6, 1) / 1000)).toBe(-7 * 3600);
    expect(resolveTimeZone("Asia/Kolkata")(0)).toBe(5.5 * 3600);
    expect(resolveTimeZone("+05:45")(0)).toBe(5.75 * 3600);
    expect(resolveTimeZone("UTC")(123)).toBe(0);
    expect(() => resolveTimeZone("Not/AZone")).toThrow(InvalidInputError);
  });

  it("resolves gaps forward and overlaps to the earlier instant, like java.time", () => {
    const la = resolveTimeZone("America/Los_Angeles");
    const local = (y: number, mo: number, d: number, h: number, mi: number) => Date.UTC(y, mo - 1, d, h, mi) / 1000;
    // 2021-03-14 02:30 does not exist in LA: java.time gives 03:30 PDT = 10:30Z.
    expect(localSecondsToUtc(local(2021, 3, 14, 2, 30), la)).toBe(local(2021, 3, 14, 10, 30));
    // 2021-11-07 01:30 happens twice: the earlier (PDT) instant 08:30Z.
    expect(localSecondsToUtc(local(2021, 11, 7, 1, 30), la)).toBe(local(2021, 11, 7, 8, 30));
    expect(localSecondsToUtc(local(2021, 7, 1, 12, 0), la)).toBe(local(2021, 7, 1, 19, 0));
  });
});

describe("Java number formatting", () => {
  it("prints doubles and floats as Double.toString / Float.toString", () => {
    expect([1, 10, 0.5, 1e-3, 9999999, 1e7, 1.5e-4, -2.5e10, 0, -0, 123.456].map(formatDoubleJava)).toEqual([
      "1.0",
      "10.0",
      "0.5",
      "0.001",
      "9999999.0",
      "1.0E7",
      "1.5E-4",
      "-2.5E10",
      "0.0",
      "-0.0",
      "123.456",
    ]);
    expect(formatFloatJava(Math.fround(3.14))).toBe("3.14");
    expect(formatFloatJava(Math.fround(1e10))).toBe("1.0E10");
    expect(formatFloatJava(Math.fround(16777217))).toBe("1.6777216E7");
  });

  it("reads back to the same value (property)", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.float({ noNaN: true }), (d, f) => {
        expect(Number(formatDoubleJava(d))).toBe(d);
        expect(Math.fround(Number(formatFloatJava(f)))).toBe(f);
      }),
      { numRuns: 2000 },
    );
  });
});
