/**
 * Every delta-rs, kernel and expectation-less golden table either scans completely, with as many
 * rows as its live files hold (pyarrow's row count of each live file, minus the rows its deletion
 * vector deletes), or is listed in REFUSES and fails with an UnsupportedFeatureError naming the
 * listed feature. Driven from the folders. Tables that must not even open are covered by test/table/conformance-open.test.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { CONFORMANCE, findTables } from "../helpers/conformance.js";
import { PYTHON } from "../helpers/oracle.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { planScan } from "../../src/core/scan/plan.js";
import { scanBatches } from "../../src/core/scan/execute.js";
import { dataFileKey } from "../../src/core/scan/data-path.js";
import { NotFoundError, ProtocolError, UnsupportedFeatureError } from "../../src/core/errors.js";
import type { Snapshot } from "../../src/core/table/snapshot.js";

const GROUPS = ["delta-rs/", "kernel/", "golden-noexpected/", "delta-rs-err-logs/"];
const tables = findTables().filter((t) => GROUPS.some((g) => t.startsWith(g)));

/** Tables whose snapshot cannot be opened at all (checked in conformance-open.test.ts). */
const DOES_NOT_OPEN = new Set([
  "delta-rs/simple_table_features",
  "delta-rs/spark-shredded-variant-preview-delta",
  "kernel/table-with-geo",
  "kernel/crc-malformed",
  ...["c", "d", "e", "f", "h", "i"].map((x) => `delta-rs-err-logs/table_${x}`),
]);

/**
 * Tables that open but whose scan refuses, with the feature the UnsupportedFeatureError must
 * name and why. None today: every table here that opens scans completely (refusals at open are
 * DOES_NOT_OPEN's, checked in conformance-open.test.ts). A new refusal must be added here with
 * its reason; an unlisted one fails.
 */
const REFUSES: Readonly<Record<string, { feature: string; reason: string }>> = {};

async function drain(snapshot: Snapshot, store: LocalStore): Promise<number> {
  let rows = 0;
  for await (const b of scanBatches(planScan(snapshot, {}), { store })) rows += b.numRows;
  return rows;
}

interface Opened {
  snapshot: Snapshot;
  store: LocalStore;
}

describe("delta-rs, kernel and golden tables scan completely or refuse clearly", () => {
  const opened = new Map<string, Opened>();
  const numRows = new Map<string, number | string>();

  beforeAll(async () => {
    const files: string[] = [];
    for (const t of tables) {
      if (DOES_NOT_OPEN.has(t)) continue;
      const store = new LocalStore({ root: join(CONFORMANCE, t) });
      const snapshot = await loadSnapshot({ store });
      opened.set(t, { snapshot, store });
      for (const f of snapshot.files()) {
        try {
          files.push(resolve(CONFORMANCE, t, dataFileKey(f.path, store.root, { path: t, version: snapshot.version })));
        } catch {
          // absolute paths outside the table: the scan must refuse them; no count needed
        }
      }
    }
    const r = spawnSync(PYTHON, [resolve(import.meta.dirname, "../helpers/parquet_num_rows.py")], { input: files.join("\n"), encoding: "utf8", maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(r.stderr);
    for (const [k, v] of Object.entries(JSON.parse(r.stdout) as Record<string, number | string>)) numRows.set(k, v);
  }, 180_000);

  it("found the tables", () => expect(tables.length).toBeGreaterThan(90));
  it("lists refusals and non-openers only for tables that exist", () => {
    for (const t of [...Object.keys(REFUSES), ...DOES_NOT_OPEN]) expect(tables, t).toContain(t);
  });

  for (const t of tables) {
    if (DOES_NOT_OPEN.has(t)) continue;
    it(t, async () => {
      const { snapshot, store } = opened.get(t) as Opened;
      let expectedRows = 0;
      let missing = false;
      for (const f of snapshot.files()) {
        let key: string;
        try {
          key = dataFileKey(f.path, store.root, { path: t, version: snapshot.version });
        } catch {
          missing = true;
          continue;
        }
        const n = numRows.get(resolve(CONFORMANCE, t, key));
        if (typeof n !== "number") {
          missing = true;
          continue;
        }
        expectedRows += n - (f.deletionVector?.cardinality ?? 0);
      }
      if (typeof snapshot.metadata.schemaString !== "string") {
        // Log-only fixtures (metaData without a schema): a clear ProtocolError, never rows.
        expect(() => planScan(snapshot, {})).toThrow(ProtocolError);
        expect(() => planScan(snapshot, {})).toThrow(/no schemaString.*version/);
        return;
      }
      if (missing) {
        // Fixtures whose data files were not copied: the scan names the missing file and version.
        const err = await drain(snapshot, store).then(() => undefined, (e: unknown) => e);
        expect(err, t).toBeInstanceOf(NotFoundError);
        expect(String((err as Error).message)).toMatch(new RegExp(`data file .* is missing .*version ${snapshot.version}`));
        return;
      }
      const refusal = REFUSES[t];
      if (refusal !== undefined) {
        const err = await drain(snapshot, store).then(() => undefined, (e: unknown) => e);
        expect(err, t).toBeInstanceOf(UnsupportedFeatureError);
        expect((err as UnsupportedFeatureError).feature).toBe(refusal.feature);
        return;
      }
      // Any other table scans: an error here (an unlisted refusal included) fails the test.
      expect(await drain(snapshot, store)).toBe(expectedRows);
    });
  }
});
