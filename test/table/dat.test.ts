/**
 * DAT (Delta Acceptance Testing) cases: for every `expected/<v>` folder, the snapshot at that
 * version reports the version, reader/writer versions and properties that
 * `table_version_metadata.json` gives. Driven from the folders.
 */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { CONFORMANCE } from "../helpers/conformance.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { openTable } from "../../src/core/table/open.js";

const DAT = join(CONFORMANCE, "dat/reader_tests/generated");

interface VersionMetadata {
  version: number;
  properties: Record<string, string>;
  min_reader_version: number;
  min_writer_version: number;
}

describe("DAT cases: every expected version", () => {
  const cases = readdirSync(DAT).sort();
  it("has cases", () => expect(cases.length).toBeGreaterThanOrEqual(4));
  for (const name of cases) {
    const expectedDir = join(DAT, name, "expected");
    if (!existsSync(expectedDir)) continue;
    for (const v of readdirSync(expectedDir).sort()) {
      const meta = JSON.parse(readFileSync(join(expectedDir, v, "table_version_metadata.json"), "utf8")) as VersionMetadata;
      it(`${name} ${v}`, async () => {
        const store = new LocalStore({ root: join(DAT, name, "delta") });
        const snapshot = await openTable({ store, version: v === "latest" ? undefined : Number(v.slice(1)) });
        expect(snapshot.version).toBe(meta.version);
        expect(snapshot.protocol.minReaderVersion).toBe(meta.min_reader_version);
        expect(snapshot.protocol.minWriterVersion).toBe(meta.min_writer_version);
        expect(snapshot.properties).toEqual(meta.properties);
      });
    }
  }
});
