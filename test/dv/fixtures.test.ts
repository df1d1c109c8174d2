/**
 * The 163 independently decoded deletion vectors of ../shared/conformance/dv-fixtures, decoded
 * here from the real table data: the descriptor is checked against the table's commit, the DV
 * file name is derived from the descriptor, the bytes come from one ranged read of the real file
 * (or from the log, for inline DVs), and the deleted row indexes must match exactly. Two golden
 * tables the fixtures name are not part of ../shared/conformance; they are listed below, and
 * every other fixture's table must be present (a missing one fails, also outside CI).
 */

import { describe, expect, it } from "vitest";
import type { DeletionVectorDescriptor } from "../../src/core/log/actions.js";
import { deletionVectorLocation, dvUniqueId, loadDeletionVector } from "../../src/core/log/deletion-vector.js";
import { commitActions, fileReader, toList, loadDvFixtures, tablePresent, type LocatedFixture } from "./conformance.js";

const fixtures = loadDvFixtures();

/** Tables the fixture files name that ../shared/conformance does not hold, with why. */
const ABSENT_TABLES: Record<string, string> = {
  "dv-with-columnmapping": "a delta-golden / kernel-rs golden table not copied into the shared conformance set",
  "log-replay-dv-key-cases": "a delta-golden / kernel-rs golden table not copied into the shared conformance set",
};

/** The fixture's table name without kernel-rs's trailing `/delta`. */
const tableName = (f: LocatedFixture): string => f.table.replace(/\/delta$/, "");

function normalize(d: DeletionVectorDescriptor): Record<string, unknown> {
  return {
    storageType: d.storageType,
    pathOrInlineDv: d.pathOrInlineDv,
    offset: d.offset ?? null,
    sizeInBytes: d.sizeInBytes,
    cardinality: d.cardinality,
  };
}

function name(f: LocatedFixture): string {
  const dv = f.deletionVector;
  return `${f.source}#${f.index} ${f.table} ${f.commit} ${f.action} ${dv.storageType}:${dv.pathOrInlineDv}`;
}

describe("DV fixtures", () => {
  it("has all 163 fixtures with the documented fields", () => {
    expect(fixtures).toHaveLength(163);
    for (const f of fixtures) {
      expect(f.deletedRowIndexes).toHaveLength(f.deletionVector.cardinality);
      expect(["u", "i"]).toContain(f.deletionVector.storageType);
    }
  });

  describe.each(fixtures.map((f) => [name(f), f] as const))("%s", (_label, f) => {
    it("derives the DV file name and unique id from the descriptor", () => {
      const dv = f.deletionVector;
      const location = deletionVectorLocation(dv);
      if (dv.storageType === "i") {
        expect(location).toBeUndefined();
        expect(f.dvFile).toBeNull();
        expect(dvUniqueId(dv)).toBe(`i${dv.pathOrInlineDv}`);
      } else {
        expect(location).toEqual({ kind: "relative", key: f.dvFile });
        expect(dvUniqueId(dv)).toBe(`u${dv.pathOrInlineDv}@${dv.offset}`);
      }
    });

    // No silent skip: a fixture whose table is missing fails, unless the table is one of the
    // listed absentees, and a listed absentee that appears fails too (the list cannot go stale).
    const absent = ABSENT_TABLES[tableName(f)];
    if (absent !== undefined) {
      it(`has no table here (${absent})`, () => expect(tablePresent(f)).toBe(false));
      return;
    }
    it("decodes the exact deleted rows from the table data", async () => {
      expect(tablePresent(f), `${f.tableRoot} is missing`).toBe(true);
      const matching = commitActions(f).filter((action) => {
        const body = action[f.action] as { path?: string; deletionVector?: DeletionVectorDescriptor } | undefined;
        return body?.deletionVector != null && (body.path === f.path || decodeURIComponent(body.path ?? "") === f.path);
      });
      const descriptors = matching.map((a) => normalize((a[f.action] as { deletionVector: DeletionVectorDescriptor }).deletionVector));
      expect(descriptors).toContainEqual(normalize(f.deletionVector));

      const { read, calls } = fileReader(f.tableRoot);
      const rows = await loadDeletionVector({ descriptor: f.deletionVector, tableRoot: f.tableRoot, read });
      expect(rows).toBeInstanceOf(Uint32Array);
      expect(toList(rows)).toEqual(f.deletedRowIndexes);

      if (f.deletionVector.storageType === "i") {
        expect(calls).toHaveLength(0);
      } else {
        expect(calls).toEqual([
          {
            location: { kind: "relative", key: f.dvFile },
            range: { offset: f.deletionVector.offset, length: 4 + f.deletionVector.sizeInBytes + 4 },
          },
        ]);
      }
    });
  });
});
