// Hive escaping of partition directories and the URI encoding of add.path: unit cases, fast-check
// round trips, and the directories of every partitioned add in the conformance commits.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  HIVE_DEFAULT_PARTITION,
  decodeAddPath,
  encodeAddPath,
  escapePartitionPathComponent,
  parsePartitionDirectory,
  partitionDirectory,
  partitionPathSegment,
  unescapePartitionPathComponent,
} from "../../src/core/schema/partition-path.js";
import { parsePartitionValue } from "../../src/core/schema/partition-values.js";
import { conformanceTables } from "./conformance.js";

const asTimestamp = (value: string) => parsePartitionValue({ column: "ts", type: { kind: "primitive", name: "timestamp" }, value });

describe("Hive escaping", () => {
  it("escapes the characters Spark escapes, uppercase, and keeps the rest", () => {
    expect(escapePartitionPathComponent('a/b:c=d%e"f#g\'h*i?j\\k{l[m]n^o')).toBe("a%2Fb%3Ac%3Dd%25e%22f%23g%27h%2Ai%3Fj%5Ck%7Bl%5Bm%5Dn%5Eo");
    expect(escapePartitionPathComponent("\u0001\u001f\u007f")).toBe("%01%1F%7F");
    expect(escapePartitionPathComponent("a b+c~😈é")).toBe("a b+c~😈é");
    expect(unescapePartitionPathComponent("A%2FA%zz%4")).toBe("A/A%zz%4");
  });

  it("builds and parses partition directories, null as __HIVE_DEFAULT_PARTITION__", () => {
    expect(partitionPathSegment("x", "A/A")).toBe("x=A%2FA");
    expect(partitionPathSegment("x", null)).toBe(`x=${HIVE_DEFAULT_PARTITION}`);
    expect(partitionPathSegment("x", "")).toBe(`x=${HIVE_DEFAULT_PARTITION}`);
    const dir = partitionDirectory([
      ["a=b", "1:2"],
      ["c", null],
    ]);
    expect(dir).toBe(`a%3Db=1%3A2/c=${HIVE_DEFAULT_PARTITION}`);
    expect(parsePartitionDirectory(`${dir}/part-0.parquet`)).toEqual([
      ["a=b", "1:2"],
      ["c", null],
    ]);
  });

  it("round-trips any string (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const escaped = escapePartitionPathComponent(s);
        expect(escaped).not.toMatch(/[/=:%](?![0-9A-F]{2})/);
        expect(unescapePartitionPathComponent(escaped)).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("add.path URI encoding", () => {
  it("encodes like Hadoop Path.toUri on top of Hive escaping", () => {
    expect(encodeAddPath("x=A%2FA/part-0.parquet")).toBe("x=A%252FA/part-0.parquet");
    expect(encodeAddPath("as_timestamp=2021-09-08 11%3A11%3A11/f.parquet")).toBe("as_timestamp=2021-09-08%2011%253A11%253A11/f.parquet");
    expect(encodeAddPath("data=😈/f.parquet")).toBe("data=😈/f.parquet");
    expect(encodeAddPath("a b#c?d<e>f|g`h{i}/\u00a0")).toBe("a%20b%23c%3Fd%3Ce%3Ef%7Cg%60h%7Bi%7D/%C2%A0");
    expect(decodeAddPath("x=A%252FA/p%C3%A9.parquet")).toBe("x=A%2FA/pé.parquet");
    expect(decodeAddPath("100%")).toBe("100%");
  });

  it("decode(encode(p)) is p for any well-formed path (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (s) => {
        expect(decodeAddPath(encodeAddPath(s))).toBe(s);
        expect(decodeAddPath(encodeAddPath(partitionPathSegment("k", s)))).toBe(partitionPathSegment("k", s));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("conformance add paths", () => {
  it("partition directories agree with partitionValues, and Spark's paths re-encode exactly", () => {
    let checked = 0;
    const reencodeMismatches: string[] = [];
    for (const table of conformanceTables()) {
      for (const commit of table.commits) {
        for (const action of commit.actions) {
          const add = action["add"];
          const values = add?.partitionValues as Record<string, string | null> | undefined;
          if (values === undefined || Object.keys(values).length === 0 || /^[a-z]+:/.test(add.path)) continue;
          const decoded = decodeAddPath(add.path as string);
          if (encodeAddPath(decoded) !== add.path) reencodeMismatches.push(`${table.name}: ${add.path}`);
          const dirs = new Map(parsePartitionDirectory(decoded.split("/").slice(0, -1).join("/")));
          for (const [column, raw] of Object.entries(values)) {
            if (!dirs.has(column)) continue; // writers may lay files out differently
            const expected = raw === "" ? null : raw;
            const dir = dirs.get(column) ?? null;
            // Spark writes ISO-8601 timestamps in the log but its session format in directory names.
            if (dir !== expected && expected !== null && dir !== null && /^\d{4}-\d\d-\d\dT.*Z$/.test(expected)) {
              expect(asTimestamp(dir), `${table.name}: ${add.path}`).toBe(asTimestamp(expected));
            } else {
              expect(dir, `${table.name}: ${add.path}`).toBe(expected);
            }
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(200);
    expect(reencodeMismatches).toEqual([]);
  });
});
