/**
 * The change rows delta-kernel-rs's own tests publish for its cdf-* tables (kernel/tests/cdf.rs:
 * pretty-printed Arrow tables without `_commit_timestamp`, rows in any order), read through
 * readChanges. The tables below are kernel's, cell for cell; only their border lines are left out.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONFORMANCE, memoryStoreFromDir } from "../helpers/conformance.js";
import { planChanges } from "../../src/core/changes/change-plan.js";
import { readChangeRows } from "../../src/core/changes/read-changes.js";
import { formatRowJson, type JsonValue } from "../../src/core/scan/rows.js";
import type { DataType } from "../../src/core/schema/types.js";

interface Case {
  table: string;
  start: number;
  end?: number;
  /** Kernel's table: a header line, then one line per row. */
  expected: string;
}

const insert10 = (v: number) => Array.from({ length: 10 }, (_, i) => `| ${i} | insert | ${v} |`).join("\n");
const delete10 = (v: number) => Array.from({ length: 10 }, (_, i) => `| ${i} | delete | ${v} |`).join("\n");

const CASES: Case[] = [
  {
    table: "cdf-table-with-dv",
    start: 0,
    expected: `| value | _change_type | _commit_version |
${insert10(0)}
| 0 | delete | 1 |
| 9 | delete | 1 |
| 0 | insert | 2 |
| 9 | insert | 2 |
| 0 | delete | 3 |
| 1 | delete | 3 |
| 4 | delete | 3 |
| 5 | delete | 3 |
| 1 | insert | 4 |
| 4 | insert | 4 |
| 3 | delete | 5 |
| 0 | insert | 5 |
| 5 | insert | 5 |
| 3 | insert | 6 |`,
  },
  {
    table: "cdf-table",
    start: 0,
    expected: `| id | name | birthday | _change_type | _commit_version |
| 1  | Steve  | 2023-12-22 | insert           | 0               |
| 2  | Bob    | 2023-12-23 | insert           | 0               |
| 3  | Dave   | 2023-12-23 | insert           | 0               |
| 4  | Kate   | 2023-12-23 | insert           | 0               |
| 5  | Emily  | 2023-12-24 | insert           | 0               |
| 6  | Carl   | 2023-12-24 | insert           | 0               |
| 7  | Dennis | 2023-12-24 | insert           | 0               |
| 8  | Claire | 2023-12-25 | insert           | 0               |
| 9  | Ada    | 2023-12-25 | insert           | 0               |
| 10 | Borb   | 2023-12-25 | insert           | 0               |
| 3  | Dave   | 2023-12-22 | update_postimage | 1               |
| 3  | Dave   | 2023-12-23 | update_preimage  | 1               |
| 4  | Kate   | 2023-12-22 | update_postimage | 1               |
| 4  | Kate   | 2023-12-23 | update_preimage  | 1               |
| 2  | Bob    | 2023-12-22 | update_postimage | 1               |
| 2  | Bob    | 2023-12-23 | update_preimage  | 1               |
| 7  | Dennis | 2023-12-24 | update_preimage  | 2               |
| 7  | Dennis | 2023-12-29 | update_postimage | 2               |
| 5  | Emily  | 2023-12-24 | update_preimage  | 2               |
| 5  | Emily  | 2023-12-29 | update_postimage | 2               |
| 6  | Carl   | 2023-12-24 | update_preimage  | 2               |
| 6  | Carl   | 2023-12-29 | update_postimage | 2               |
| 7  | Dennis | 2023-12-29 | delete           | 3               |`,
  },
  {
    table: "cdf-table-non-partitioned",
    start: 0,
    expected: `| id | name   | birthday   | long_field        | boolean_field | double_field | smallint_field | _change_type     | _commit_version |
| 1  | Steve  | 2024-04-14 | 1                 | true          | 3.14         | 1              | insert           | 0               |
| 2  | Bob    | 2024-04-15 | 1                 | true          | 3.14         | 1              | insert           | 0               |
| 3  | Dave   | 2024-04-15 | 2                 | true          | 3.14         | 1              | insert           | 0               |
| 4  | Kate   | 2024-04-15 | 3                 | true          | 3.14         | 1              | insert           | 0               |
| 5  | Emily  | 2024-04-16 | 4                 | true          | 3.14         | 1              | insert           | 0               |
| 6  | Carl   | 2024-04-16 | 5                 | true          | 3.14         | 1              | insert           | 0               |
| 7  | Dennis | 2024-04-16 | 6                 | true          | 3.14         | 1              | insert           | 0               |
| 8  | Claire | 2024-04-17 | 7                 | true          | 3.14         | 1              | insert           | 0               |
| 9  | Ada    | 2024-04-17 | 8                 | true          | 3.14         | 1              | insert           | 0               |
| 10 | Borb   | 2024-04-17 | 99999999999999999 | true          | 3.14         | 1              | insert           | 0               |
| 3  | Dave   | 2024-04-15 | 2                 | true          | 3.14         | 1              | update_preimage  | 1               |
| 3  | Dave   | 2024-04-14 | 2                 | true          | 3.14         | 1              | update_postimage | 1               |
| 4  | Kate   | 2024-04-15 | 3                 | true          | 3.14         | 1              | update_preimage  | 1               |
| 4  | Kate   | 2024-04-14 | 3                 | true          | 3.14         | 1              | update_postimage | 1               |
| 2  | Bob    | 2024-04-15 | 1                 | true          | 3.14         | 1              | update_preimage  | 1               |
| 2  | Bob    | 2024-04-14 | 1                 | true          | 3.14         | 1              | update_postimage | 1               |
| 7  | Dennis | 2024-04-16 | 6                 | true          | 3.14         | 1              | update_preimage  | 2               |
| 7  | Dennis | 2024-04-14 | 6                 | true          | 3.14         | 1              | update_postimage | 2               |
| 5  | Emily  | 2024-04-16 | 4                 | true          | 3.14         | 1              | update_preimage  | 2               |
| 5  | Emily  | 2024-04-14 | 4                 | true          | 3.14         | 1              | update_postimage | 2               |
| 6  | Carl   | 2024-04-16 | 5                 | true          | 3.14         | 1              | update_preimage  | 2               |
| 6  | Carl   | 2024-04-14 | 5                 | true          | 3.14         | 1              | update_postimage | 2               |
| 7  | Dennis | 2024-04-14 | 6                 | true          | 3.14         | 1              | delete           | 3               |
| 1  | Alex   | 2024-04-14 | 1                 | true          | 3.14         | 1              | insert           | 4               |
| 2  | Alan   | 2024-04-15 | 1                 | true          | 3.14         | 1              | insert           | 4               |`,
  },
  {
    table: "cdf-table-with-cdc-and-dvs",
    start: 0,
    expected: `| id | comment            | _change_type     | _commit_version |
| 1  | initial            | insert           | 0               |
| 2  | insert1            | insert           | 1               |
| 3  | insert1-delete1    | insert           | 1               |
| 4  | insert1-delete2    | insert           | 1               |
| 5  | insert1-delete2    | insert           | 1               |
| 3  | insert1-delete1    | delete           | 2               |
| 3  | insert1-delete1    | insert           | 4               |
| 4  | insert1-delete2    | delete           | 5               |
| 5  | insert1-delete2    | delete           | 5               |
| 4  | insert1-delete2    | insert           | 7               |
| 5  | insert2            | insert           | 8               |
| 1  | initial            | update_preimage  | 9               |
| 1  | update1            | update_postimage | 9               |
| 2  | insert1            | update_preimage  | 9               |
| 2  | update1            | update_postimage | 9               |
| 3  | insert1-delete1    | update_preimage  | 9               |
| 3  | update1            | update_postimage | 9               |
| 1  | update1            | delete           | 10              |
| 2  | update1            | update_preimage  | 12              |
| 2  | update2            | update_postimage | 12              |
| 6  | insert3            | insert           | 14              |
| 7  | insert3            | insert           | 14              |
| 8  | insert4            | insert           | 15              |
| 9  | insert4            | insert           | 15              |
| 8  | insert4            | delete           | 16              |
| 7  | insert3            | delete           | 16              |
| 10 | merge1-insert      | insert           | 18              |
| 11 | merge1-insert      | insert           | 18              |
| 9  | merge1-update      | update_postimage | 18              |
| 9  | insert4            | update_preimage  | 18              |
| 11 | merge1-insert      | update_preimage  | 20              |
| 11 |                    | update_postimage | 20              |
| 12 | merge2-insert      | insert           | 22              |
| 11 |                    | delete           | 22              |
| 3  | update1            | delete           | 24              |
| 4  | insert1-delete2    | delete           | 24              |
| 5  | insert2            | delete           | 24              |
| 2  | update2            | delete           | 24              |
| 6  | insert3            | delete           | 24              |
| 9  | merge1-update      | delete           | 24              |
| 0  | new                | insert           | 25              |
| 1  | after-large-delete | insert           | 25              |
| 2  |                    | insert           | 25              |`,
  },
  { table: "cdf-table-simple", start: 0, end: 0, expected: `| id | _change_type | _commit_version |\n${insert10(0)}` },
  { table: "cdf-table-simple", start: 1, end: 1, expected: `| id | _change_type | _commit_version |\n${delete10(1)}` },
  {
    table: "cdf-table-simple",
    start: 2,
    end: 2,
    expected: `| id | _change_type | _commit_version |
| 20 | insert | 2 |
| 21 | insert | 2 |
| 22 | insert | 2 |
| 23 | insert | 2 |
| 24 | insert | 2 |`,
  },
  {
    table: "cdf-table-simple",
    start: 0,
    end: 2,
    expected: `| id | _change_type | _commit_version |
${insert10(0)}
${delete10(1)}
| 20 | insert | 2 |
| 21 | insert | 2 |
| 22 | insert | 2 |
| 23 | insert | 2 |
| 24 | insert | 2 |`,
  },
  {
    table: "cdf-table-update-ops",
    start: 0,
    end: 2,
    expected: `| id | _change_type | _commit_version |
${insert10(0)}
| 20 | update_pre   | 1 |
| 21 | update_pre   | 1 |
| 22 | update_pre   | 1 |
| 23 | update_pre   | 1 |
| 24 | update_pre   | 1 |
| 30 | update_post  | 2 |
| 31 | update_post  | 2 |
| 32 | update_post  | 2 |
| 33 | update_post  | 2 |
| 34 | update_post  | 2 |`,
  },
  { table: "cdf-table-data-change", start: 0, end: 1, expected: `| id | _change_type | _commit_version |\n${insert10(0)}` },
  {
    table: "cdf-table-partitioned",
    start: 0,
    end: 2,
    expected: `| id | text | part | _change_type     | _commit_version |
| 0  | old  | 0    | insert           | 0               |
| 1  | old  | 1    | insert           | 0               |
| 2  | old  | 0    | insert           | 0               |
| 3  | old  | 1    | insert           | 0               |
| 4  | old  | 0    | insert           | 0               |
| 5  | old  | 1    | insert           | 0               |
| 3  | old  | 1    | delete           | 1               |
| 1  | old  | 1    | update_preimage  | 1               |
| 1  | new  | 1    | update_postimage | 1               |
| 0  | old  | 0    | delete           | 2               |
| 2  | old  | 0    | delete           | 2               |
| 4  | old  | 0    | delete           | 2               |`,
  },
  {
    table: "cdf-table-backtick-column-names",
    start: 0,
    expected: `| id.num | id.num\`s | struct_col               | _change_type | _commit_version |
| 2      | 10       | {field: 1, field.one: 2} | insert       | 0               |
| 4      | 10       | {field: 1, field.one: 2} | insert       | 0               |
| 1      | 10       | {field: 1, field.one: 2} | insert       | 1               |
| 3      | 10       | {field: 1, field.one: 2} | insert       | 1               |
| 5      | 10       | {field: 1, field.one: 2} | insert       | 1               |`,
  },
  { table: "cdf-table-delete-unconditional", start: 0, expected: `| id | _change_type | _commit_version |\n${insert10(0)}\n${delete10(1)}` },
  { table: "cdf-table-delete-conditional-all-rows", start: 0, expected: `| id | _change_type | _commit_version |\n${insert10(0)}\n${delete10(1)}` },
  {
    table: "cdf-table-delete-conditional-two-rows",
    start: 0,
    expected: `| id | _change_type | _commit_version |\n${insert10(0)}\n| 2 | delete | 1 |\n| 8 | delete | 1 |`,
  },
  ...["cdf-column-mapping-name-mode", "cdf-column-mapping-name-mode-3-7"].map((table) => ({
    table,
    start: 1,
    expected: `| id | name  | value | _change_type     | _commit_version |
| 1  | Alice | 100.0 | delete           | 4               |
| 2  | Bob   | 200.0 | update_preimage  | 2               |
| 2  | Bob   | 250.0 | update_postimage | 2               |
| 4  | David | 400.0 | insert           | 3               |`,
  })),
  {
    table: "cdf-column-mapping-id-mode",
    start: 1,
    expected: `| id | name  | value | _change_type     | _commit_version |
| 2  | Frank | 250.0 | update_preimage  | 2               |
| 2  | Frank | 275.0 | update_postimage | 2               |
| 3  | Grace | 350.0 | delete           | 4               |
| 4  | Henry | 450.0 | insert           | 3               |`,
  },
];

function cells(line: string): string[] {
  // Split on " | " boundaries of the pretty-printed table (cell text may contain "|"-free backticks and dots).
  return line
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split("|")
    .map((c) => c.trim());
}

/** A cell as kernel prints it: null empty, numbers by value, structs as {k: v}. */
function display(v: JsonValue, type: DataType | undefined): string {
  if (v === null) return "";
  if (typeof v === "object" && !Array.isArray(v)) return `{${Object.entries(v).map(([k, x]) => `${k}: ${display(x, undefined)}`).join(", ")}}`;
  if (type?.kind === "primitive" && ["float", "double"].includes(type.name)) return String(Number(v));
  return String(v);
}

function canonicalCell(cell: string, type: DataType | undefined): string {
  return type?.kind === "primitive" && ["float", "double"].includes(type.name) && cell !== "" ? String(Number(cell)) : cell;
}

describe("change rows = delta-kernel-rs's published expected rows", () => {
  for (const c of CASES) {
    it(`${c.table} [${c.start}, ${c.end ?? "latest"}]`, async () => {
      const store = memoryStoreFromDir(join(CONFORMANCE, "kernel", c.table));
      const plan = await planChanges({ store, startingVersion: c.start, endingVersion: c.end });
      const fields = plan.outputFields ?? [];
      const [header, ...lines] = c.expected.split("\n");
      const names = cells(header as string);
      const typeOf = (name: string) => fields.find((f) => f.name === name)?.type;
      const want = lines.map((l) => cells(l).map((cell, i) => canonicalCell(cell, typeOf(names[i] as string))).join(" | ")).sort();
      const got: string[] = [];
      for await (const row of readChangeRows({ store, startingVersion: c.start, endingVersion: c.end })) {
        const json = formatRowJson(row, fields);
        got.push(names.map((n) => display(json[n] ?? null, typeOf(n))).join(" | "));
      }
      expect(got.sort()).toEqual(want);
    });
  }
});
