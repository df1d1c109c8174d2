/**
 * Every table under ../shared/conformance opens, or fails as its README says, through the same
 * LocalStore the CLI uses. Driven from the folders: a new table dropped in becomes a new test.
 * Where the table has a version checksum (N.crc) for the loaded version, its numFiles and
 * tableSizeBytes are an independent check of our replay.
 */
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CONFORMANCE, findTables } from "../helpers/conformance.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { NotFoundError, ProtocolError, UnsupportedFeatureError } from "../../src/core/errors.js";
import { padVersion } from "../../src/core/log/path.js";

type Expect = { error: typeof UnsupportedFeatureError | typeof ProtocolError | typeof NotFoundError; match: RegExp };

/** Tables that must fail, with the error they must fail with (conformance README "Must fail"). */
const MUST_FAIL: Record<string, Expect> = {
  "golden/deltalog-invalid-protocol-version/delta": { error: UnsupportedFeatureError, match: /reader version 99/ },
  "golden/deltalog-state-reconstruction-without-metadata/delta": { error: ProtocolError, match: /no metaData/ },
  "golden/deltalog-state-reconstruction-from-checkpoint-missing-metadata/delta": { error: ProtocolError, match: /no metaData/ },
  "golden/deltalog-state-reconstruction-from-checkpoint-missing-protocol/delta": { error: ProtocolError, match: /no protocol/ },
  "delta-rs/simple_table_features": { error: UnsupportedFeatureError, match: /blahabl/ },
  "delta-rs-err-logs/table_c": { error: ProtocolError, match: /gap: commit 12 is missing/ },
  "delta-rs-err-logs/table_d": { error: UnsupportedFeatureError, match: /catalogOwned/ },
  "delta-rs-err-logs/table_e": { error: UnsupportedFeatureError, match: /catalogOwned/ },
  "delta-rs-err-logs/table_f": { error: UnsupportedFeatureError, match: /catalogOwned/ },
  "delta-rs-err-logs/table_h": { error: UnsupportedFeatureError, match: /catalogOwned/ },
  "delta-rs-err-logs/table_i": { error: UnsupportedFeatureError, match: /catalogOwned/ },
  // Not in the README's list, but refused for a reason the README gives elsewhere:
  "delta-rs/spark-shredded-variant-preview-delta": { error: UnsupportedFeatureError, match: /variantShredding-preview/ },
  "kernel/table-with-geo": { error: UnsupportedFeatureError, match: /geospatial/ },
  // Its log was written by hand without any metaData action: nothing to read a schema from.
  "golden/data-reader-absolute-paths-escaped-chars/delta": { error: ProtocolError, match: /no metaData/ },
  // Only a stray .crc file, no commits: not a table.
  "kernel/crc-malformed": { error: NotFoundError, match: /no commits/ },
};

const tables = findTables();

describe("conformance tables open or fail as documented", () => {
  it("finds the conformance tables", () => {
    expect(tables.length).toBeGreaterThan(150);
    for (const t of Object.keys(MUST_FAIL)) expect(tables).toContain(t);
  });

  for (const table of tables) {
    const dir = join(CONFORMANCE, table);
    const failure = MUST_FAIL[table];
    it(table, async () => {
      const store = new LocalStore({ root: dir });
      if (failure) {
        const err = await loadSnapshot({ store }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err, `${table} must fail`).toBeInstanceOf(failure.error);
        expect(String((err as Error).message)).toMatch(failure.match);
        expect(String((err as Error).message)).toContain(dir);
        return;
      }
      const snapshot = await loadSnapshot({ store });
      expect(snapshot.version).toBeGreaterThanOrEqual(0);
      expect(snapshot.metadata.id).toBeTruthy();
      const crc = join(dir, "_delta_log", `${padVersion(snapshot.version)}.crc`);
      // kernel/crc-full's .crc is a parsing fixture (10 files) beside a log with no add actions.
      if (existsSync(crc) && table !== "kernel/crc-full") {
        const parsed = tryJson(readFileSync(crc, "utf8"));
        if (parsed && typeof parsed.numFiles === "number") {
          expect(snapshot.numFiles, "numFiles vs .crc").toBe(parsed.numFiles);
          expect(snapshot.sizeBytes, "sizeBytes vs .crc").toBe(parsed.tableSizeBytes);
        }
      }
    });
  }
});

function tryJson(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
