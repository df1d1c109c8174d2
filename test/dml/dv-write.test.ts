/**
 * Deletion vector files as we write them, decoded by the independent decoder (delta_oracle.py,
 * written from PROTOCOL.md) and by our reader: one file holding several DVs (offsets, sizes,
 * cardinalities), array, bitmap and run containers, row indexes beyond 2^32, the random prefix
 * of `delta.randomizeFilePrefixes`. The independent decoder is itself checked on the conformance
 * DV fixtures (Spark's and delta-rs's files), so agreeing with it means agreeing with them.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeDeletionVectors } from "../../src/core/dml/dv-write.js";
import { loadDeletionVector } from "../../src/core/log/deletion-vector.js";
import { deletionVectorReader } from "../../src/core/scan/execute.js";
import { LocalStore } from "../../src/node/storage/local.js";
import { oracleDeletionVector } from "../helpers/delta-oracle.js";
import { loadDvFixtures, tablePresent } from "../dv/conformance.js";
import { tempDir } from "./helpers.js";

const VECTORS: number[][] = [
  [0, 9],
  Array.from({ length: 5000 }, (_, i) => i * 3), // more than 4096 values in one container: a bitmap
  Array.from({ length: 3000 }, (_, i) => 100_000 + i), // one long run
  [2 ** 32 + 5, 2 ** 32 + 6, 7], // a second 32-bit bucket
];

describe("writeDeletionVectors", () => {
  it.each([{ prefix: false }, { prefix: true }])("several DVs in one file decode exactly (random prefix: $prefix)", async ({ prefix }) => {
    const dir = tempDir();
    const store = new LocalStore({ root: dir });
    const properties = prefix ? { "delta.randomizeFilePrefixes": "true", "delta.randomPrefixLength": "3" } : {};
    const written = await writeDeletionVectors({ store, properties, vectors: VECTORS.map((rows, key) => ({ key, rows })) });
    expect(written.descriptors.map((d) => d.key)).toEqual([0, 1, 2, 3]);
    expect(written.fileKey).toMatch(prefix ? /^[A-Za-z0-9]{3}\/deletion_vector_[0-9a-f-]{36}\.bin$/ : /^deletion_vector_[0-9a-f-]{36}\.bin$/);
    const bytes = readFileSync(join(dir, written.fileKey as string));
    expect(bytes[0]).toBe(1);
    expect(written.bytes).toBe(bytes.length);
    let offset = 1;
    for (const { key, descriptor } of written.descriptors) {
      const rows = [...new Set(VECTORS[key])].sort((a, b) => a - b);
      expect(descriptor).toMatchObject({ storageType: "u", offset, cardinality: rows.length });
      expect(descriptor.pathOrInlineDv).toHaveLength(prefix ? 23 : 20);
      offset += 4 + descriptor.sizeInBytes + 4;
      expect(await oracleDeletionVector(dir, descriptor)).toEqual(rows);
      const ours = await loadDeletionVector({ descriptor, tableRoot: dir, read: deletionVectorReader(store, { path: dir, version: 0 }) });
      expect(Array.from(ours, Number)).toEqual(rows);
    }
    expect(offset).toBe(bytes.length);
    // The long run is stored as a run container: far smaller than 3000 two-byte values.
    expect((written.descriptors[2]?.descriptor.sizeInBytes ?? 0) < 100).toBe(true);
  });
});

describe("the independent DV decoder on the conformance fixtures", () => {
  const fixtures = loadDvFixtures().filter((f) => tablePresent(f) && (f.deletionVector.storageType === "i" || existsSync(join(f.tableRoot, f.dvFile ?? ""))));
  it("decodes every present fixture to its published row indexes", async () => {
    expect(fixtures.length).toBeGreaterThan(100);
    for (const f of fixtures) expect(await oracleDeletionVector(f.tableRoot, f.deletionVector), `${f.table} ${f.path}`).toEqual(f.deletedRowIndexes);
  });
});
