/**
 * A predicate on a partition column that is not among the selected columns still filters by it
 * (the partition value is materialized for the row filter like a read column): the rows equal
 * the same scan with every column, projected. Regression: such scans returned no rows at all.
 * On golden/dv-partitioned-with-checkpoint (partitioned by `part`, with deletion vectors).
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { readRows } from "../../src/core/scan/read.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { CONFORMANCE } from "../helpers/conformance.js";

const store = new LocalStore({ root: join(CONFORMANCE, "golden", "dv-partitioned-with-checkpoint", "delta") });

async function rows(where: string, columns?: string[]): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  for await (const r of readRows({ store, where, columns })) out.push(r);
  return out;
}

describe("predicates on partition columns left out of the selection", () => {
  for (const where of ["part = 1", "part = 1 AND col1 > 20", "part > 0 OR col1 = 0", "part IS NOT NULL AND col2 = 'foo2'"]) {
    it(where, async () => {
      const all = await rows(where);
      expect(all.length).toBeGreaterThan(0);
      const projected = await rows(where, ["col2", "col1"]);
      expect(projected).toEqual(all.map((r) => ({ col2: r["col2"], col1: r["col1"] })));
    });
  }
});
