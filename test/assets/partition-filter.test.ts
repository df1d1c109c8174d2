/**
 * Partition predicates (pure): every supported column type for static keys and time windows,
 * zones for timestamp_ntz and date columns, merged ranges, the OR form for multi keys that are
 * not a cross product, and the errors; plus storage settings -> delta-rs option names.
 */
import { describe, expect, it } from "vitest";
import {
  dailyPartitions,
  hourlyPartitions,
  multiPartitions,
  partitionFilter,
  staticPartitions,
  storageOptionStrings,
  deltaLakeIOManager,
} from "../../src/core/assets/index.js";
import { schemaOf } from "./helpers.js";

const now = () => new Date("2024-02-01T00:00:00Z");
const single = (column: string) => ({ "": column });

describe("partition predicates", () => {
  it("static keys as typed literals: = for one key, IN for several", () => {
    const s = schemaOf({ species: "string", n: "long", i: "integer", d: "date", t: "timestamp", weird: "string" });
    const f = (column: string, keys: string[]) => partitionFilter({ def: staticPartitions(keys), keys, columns: single(column) }, s, "a").text;
    expect(f("species", ["Iris-setosa"])).toBe("species = 'Iris-setosa'");
    expect(f("species", ["a", "it's"])).toBe("species IN ('a', 'it''s')");
    expect(f("n", ["1", "-2"])).toBe("n IN (1, -2)");
    expect(f("i", ["7"])).toBe("i = 7");
    expect(f("d", ["2024-01-02"])).toBe("d = DATE '2024-01-02'");
    expect(f("t", ["2024-01-02 03:04:05"])).toBe("t = TIMESTAMP '2024-01-02 03:04:05.000000Z'");
    const odd = schemaOf({ "my col": "string", x: "long" });
    expect(partitionFilter({ def: staticPartitions(["v"]), keys: ["v"], columns: single("my col") }, odd, "a").text).toBe("`my col` = 'v'");
    expect(() => f("i", ["9999999999"])).toThrow(/not a valid integer/);
    expect(() => f("d", ["tomorrow"])).toThrow(/not a valid date/);
  });

  it("time windows per column type and zone", () => {
    const s = schemaOf({ ts: "timestamp", ntz: "timestamp_ntz", d: "date", secs: "long", key: "string", small: "short" });
    const ny = dailyPartitions({ startDate: "2024-01-01", timezone: "America/New_York", now });
    const keys = ["2024-01-02", "2024-01-03", "2024-01-05"];
    const f = (column: string, def = ny) => partitionFilter({ def, keys, columns: single(column) }, s, "a").text;
    expect(f("ts")).toBe(
      "ts >= TIMESTAMP '2024-01-02 05:00:00.000000Z' AND ts < TIMESTAMP '2024-01-04 05:00:00.000000Z' OR ts >= TIMESTAMP '2024-01-05 05:00:00.000000Z' AND ts < TIMESTAMP '2024-01-06 05:00:00.000000Z'",
    );
    expect(f("ntz")).toBe(
      "ntz >= TIMESTAMP_NTZ '2024-01-02 00:00:00.000000' AND ntz < TIMESTAMP_NTZ '2024-01-04 00:00:00.000000' OR ntz >= TIMESTAMP_NTZ '2024-01-05 00:00:00.000000' AND ntz < TIMESTAMP_NTZ '2024-01-06 00:00:00.000000'",
    );
    expect(f("d")).toBe("d >= DATE '2024-01-02' AND d < DATE '2024-01-04' OR d >= DATE '2024-01-05' AND d < DATE '2024-01-06'");
    expect(f("secs")).toBe("secs >= 1704171600 AND secs < 1704344400 OR secs >= 1704430800 AND secs < 1704517200");
    expect(f("key")).toBe("key IN ('2024-01-02', '2024-01-03', '2024-01-05')");
    expect(() => f("small")).toThrow(/cannot hold epoch seconds/);
    const hourly = hourlyPartitions({ startDate: "2024-01-01-00:00", now });
    expect(() => partitionFilter({ def: hourly, keys: ["2024-01-01-05:00"], columns: single("d") }, s, "a")).toThrow(/does not start and end at midnight/);
  });

  it("multi keys: AND of dimensions, OR of cells when they are not a cross product", () => {
    const def = multiPartitions({ date: dailyPartitions({ startDate: "2024-01-01", now }), species: staticPartitions(["a", "b"]) });
    const s = schemaOf({ day: "date", species: "string", x: "long" });
    const columns = { date: "day", species: "species" };
    const text = (keys: string[]) => partitionFilter({ def, keys, columns }, s, "m").text;
    expect(text(["2024-01-02|a"])).toBe("day >= DATE '2024-01-02' AND day < DATE '2024-01-03' AND species = 'a'");
    expect(text(["2024-01-02|a", "2024-01-02|b", "2024-01-03|a", "2024-01-03|b"])).toBe("day >= DATE '2024-01-02' AND day < DATE '2024-01-04' AND species IN ('a', 'b')");
    expect(text(["2024-01-02|a", "2024-01-03|b"])).toBe(
      "day >= DATE '2024-01-02' AND day < DATE '2024-01-03' AND species = 'a' OR day >= DATE '2024-01-03' AND day < DATE '2024-01-04' AND species = 'b'",
    );
  });
});

describe("storage settings", () => {
  it("typed settings become delta-rs option names", () => {
    expect(storageOptionStrings({ s3: { allowUnsafeRename: true, copyIfNotExists: "header: cf-copy-destination-if-none-match: *", client: { allowHttp: true } } }, { timeout: 30 })).toEqual({
      AWS_S3_ALLOW_UNSAFE_RENAME: "true",
      AWS_COPY_IF_NOT_EXISTS: "header: cf-copy-destination-if-none-match: *",
      ALLOW_HTTP: "true",
      TIMEOUT: "30s",
    });
    expect(storageOptionStrings({ azure: { useEmulator: true, client: { allowHttp: true } } })).toEqual({ AZURE_STORAGE_USE_EMULATOR: "true", ALLOW_HTTP: "true" });
    expect(storageOptionStrings({ AWS_REGION: "eu-west-1" })).toEqual({ AWS_REGION: "eu-west-1" });
    expect(() => storageOptionStrings({ s3: { bucket: "x" } as never })).toThrow(/unknown s3 storage setting "bucket"/);
    expect(() => deltaLakeIOManager({ rootUri: "/tmp/dw", storageOptions: { s3: {} } })).toThrow(/storageOptions are for s3, but rootUri \/tmp\/dw is a local path/);
    expect(() => deltaLakeIOManager({ rootUri: "s3://b/dw", storageOptions: { AWS_REGIN: "x" } })).not.toThrow(); // option names are checked when a table is opened
    expect(() => deltaLakeIOManager({ storageOptions: { local: {} } })).toThrow(/give either rootUri or store/);
  });
});
