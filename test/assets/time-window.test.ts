/**
 * Time-window partition definitions: keys in dagster's formats, windows as [start, end) instants
 * (hourly, daily, weekly from Sunday, monthly, 15-minute steps, time zones across DST), merged
 * ranges for several keys, overlap lookups, the "complete windows only" end, bad keys.
 */
import { describe, expect, it } from "vitest";
import { dailyPartitions, hourlyPartitions, monthlyPartitions, timeWindowPartitions, weeklyPartitions } from "../../src/core/assets/index.js";

const at = (iso: string) => () => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe("time-window partitions", () => {
  it("daily: keys up to the last complete day, windows [start, end)", () => {
    const d = dailyPartitions({ startDate: "2023-01-01", now: at("2023-01-04T10:00:00Z") });
    expect(d.keys()).toEqual(["2023-01-01", "2023-01-02", "2023-01-03"]);
    const w = d.windowForKey("2023-01-02");
    expect([iso(w.start), iso(w.end)]).toEqual(["2023-01-02T00:00:00.000Z", "2023-01-03T00:00:00.000Z"]);
    expect(d.hasKey("2023-01-04")).toBe(false); // in progress
    expect(d.hasKey("2023-1-02")).toBe(false);
    expect(() => d.windowForKey("2022-12-31")).toThrow(/not a partition key/);
    expect(timeWindowPartitions({ unit: "day", start: "2023-01-01", endOffset: 1, now: at("2023-01-04T10:00:00Z") }).keys()).toHaveLength(4);
  });

  it("hourly keys use dagster's format and merge into one range", () => {
    const h = hourlyPartitions({ startDate: "2024-03-01-00:00", now: at("2024-03-02T00:00:00Z") });
    expect(h.keys()).toHaveLength(24);
    expect(h.keys()[5]).toBe("2024-03-01-05:00");
    const merged = h.windowsForKeys(["2024-03-01-07:00", "2024-03-01-05:00", "2024-03-01-06:00", "2024-03-01-09:00"]);
    expect(merged.map((w) => [iso(w.start), iso(w.end)])).toEqual([
      ["2024-03-01T05:00:00.000Z", "2024-03-01T08:00:00.000Z"],
      ["2024-03-01T09:00:00.000Z", "2024-03-01T10:00:00.000Z"],
    ]);
  });

  it("weekly windows start on Sunday (or dayOffset), monthly on day 1", () => {
    const w = weeklyPartitions({ startDate: "2023-01-04", now: at("2023-02-01T00:00:00Z") });
    expect(w.keys()).toEqual(["2023-01-08", "2023-01-15", "2023-01-22"]); // the week of 01-29 is not over
    const monday = weeklyPartitions({ startDate: "2023-01-01", dayOffset: 1, now: at("2023-01-20T00:00:00Z") });
    expect(monday.keys()).toEqual(["2023-01-02", "2023-01-09"]);
    const m = monthlyPartitions({ startDate: "2023-01-01", now: at("2023-04-15T00:00:00Z") });
    expect(m.keys()).toEqual(["2023-01-01", "2023-02-01", "2023-03-01"]);
    const feb = m.windowForKey("2023-02-01");
    expect([iso(feb.start), iso(feb.end)]).toEqual(["2023-02-01T00:00:00.000Z", "2023-03-01T00:00:00.000Z"]);
  });

  it("15-minute windows and any [start, end) window's overlapping keys", () => {
    const q = timeWindowPartitions({ unit: "minute", step: 15, start: "2024-01-01", now: at("2024-01-01T02:00:00Z") });
    expect(q.keys()).toHaveLength(8);
    expect(q.keysInWindow({ start: new Date("2024-01-01T00:20:00Z"), end: new Date("2024-01-01T01:00:00Z") })).toEqual([
      "2024-01-01-00:15",
      "2024-01-01-00:30",
      "2024-01-01-00:45",
    ]);
  });

  it("a zone's wall clock: daily windows in New York across the DST change", () => {
    const d = dailyPartitions({ startDate: "2024-03-09", timezone: "America/New_York", now: at("2024-03-12T12:00:00Z") });
    expect(d.keys()).toEqual(["2024-03-09", "2024-03-10", "2024-03-11"]);
    const w = d.windowForKey("2024-03-10"); // 23 hours long
    expect([iso(w.start), iso(w.end)]).toEqual(["2024-03-10T05:00:00.000Z", "2024-03-11T04:00:00.000Z"]);
    expect(w.startLocal % 86400).toBe(0);
  });

  it("an explicit end and bad options", () => {
    expect(dailyPartitions({ startDate: "2023-01-01", end: "2023-01-04" }).keys()).toEqual(["2023-01-01", "2023-01-02", "2023-01-03"]);
    expect(() => timeWindowPartitions({ unit: "minute", step: 7, start: "2024-01-01" })).toThrow(/divide 60/);
    expect(() => dailyPartitions({ startDate: "yesterday" })).toThrow(/start/);
    expect(() => dailyPartitions({ startDate: "2023-01-01", timezone: "Mars/Base" })).toThrow(/time zone/);
    expect(() => dailyPartitions({ startDate: "2023-01-01", format: "%Y-%m" })).toThrow(/%d/);
  });
});
