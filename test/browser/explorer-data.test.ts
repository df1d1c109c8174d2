/**
 * The explorer's data helpers in Node (no browser): the partition summary equals a count of the
 * scanned rows per partition (deletion vectors applied by the scan, not by the summary's stats
 * arithmetic); per-file stats come out under logical column names for a column-mapped table with
 * the values the log holds under the physical names; the chart takes the first label column and
 * the numeric ones (decimals and longs as numbers) and caps its bars; operation metrics are the
 * commitInfo's, and DML commits (DELETE, UPDATE, MERGE, RESTORE, made here) are summarized in
 * words with their metrics grouped and their parameters unwrapped.
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { LocalStore } from "../../src/node/storage/local.js";
import { openTable } from "../../src/core/table/open.js";
import { readRows } from "../../src/core/scan/read.js";
import { readHistory } from "../../src/core/table/history.js";
import { partitionGroups } from "../../demo/src/partitions.js";
import { snapshotFileStats } from "../../demo/src/file-stats.js";
import { chartSpec, MAX_BARS } from "../../demo/src/chart.js";
import { operationMetrics } from "../../demo/src/history-metrics.js";
import { commitSummary, groupedMetrics, shownParameters } from "../../demo/src/commit-summary.js";
import "../../src/node/index.js"; // registers parquet-wasm's .wasm for Node
import { MemoryStore } from "../../src/core/storage/memory.js";
import { writeTable } from "../../src/core/write/write-table.js";
import { deleteRows, mergeInto, restoreTable, updateRows } from "../../src/core/dml/index.js";
import { CONFORMANCE } from "../helpers/conformance.js";

const golden = (t: string): LocalStore => new LocalStore({ root: join(CONFORMANCE, "golden", t, "delta") });

describe("explorer data helpers", () => {
  it("partition summary: records per partition equal the scanned rows per partition", async () => {
    const store = golden("dv-partitioned-with-checkpoint");
    for (const version of [0, 5, 15]) {
      const snapshot = await openTable({ store, version });
      const scanned = new Map<string, number>();
      for await (const r of readRows({ store, snapshot })) scanned.set(`part=${String(r["part"])}`, (scanned.get(`part=${String(r["part"])}`) ?? 0) + 1);
      const groups = partitionGroups(snapshot);
      expect(groups.map((g) => [g.label, g.records])).toEqual([...scanned].sort(([a], [b]) => (a < b ? -1 : 1)));
      expect(groups.reduce((n, g) => n + g.files, 0)).toBe(snapshot.numFiles);
    }
    expect(partitionGroups(await openTable({ store: golden("data-reader-primitives") }))).toEqual([]);
  });

  it("per-file stats use logical names and the log's values under physical names", async () => {
    const snapshot = await openTable({ store: golden("data-skipping-basic-stats-all-types-columnmapping-name") });
    const fields = (JSON.parse(snapshot.metadata.schemaString as string) as { fields: Array<{ name: string; metadata: Record<string, unknown> }> }).fields;
    const stats = snapshotFileStats(snapshot);
    const files = snapshot.files();
    expect(stats.length).toBe(files.length);
    for (const [i, add] of files.entries()) {
      const raw = JSON.parse(add.stats as string) as Record<string, Record<string, unknown>>;
      const got = stats[i]!;
      expect(got.length).toBeGreaterThan(0);
      for (const f of fields) {
        const physical = f.metadata["delta.columnMapping.physicalName"] as string;
        const s = got.find((c) => c.column === f.name);
        expect(s, f.name).toBeDefined();
        expect([s!.min, s!.max, s!.nullCount]).toEqual([raw["minValues"]?.[physical], raw["maxValues"]?.[physical], raw["nullCount"]?.[physical]]);
      }
    }
  });

  it("chart: first label column, numeric series, capped bars", () => {
    const fields = [
      { name: "part", type: "string", nullable: true },
      { name: "n", type: "long", nullable: true },
      { name: "note", type: "string", nullable: true },
      { name: "total", type: "decimal(10,2)", nullable: true },
    ];
    const rows = [
      { part: "a", n: 3n, note: "x", total: { unscaled: 1234n, scale: 2 } },
      { part: "b", n: 2n, note: "y", total: null },
    ];
    expect(chartSpec(fields, rows)).toEqual({
      label: "part",
      series: ["n", "total"],
      points: [
        { label: "a", series: "n", value: 3 },
        { label: "a", series: "total", value: 12.34 },
        { label: "b", series: "n", value: 2 },
      ],
      omitted: 0,
    });
    expect(chartSpec(fields.slice(1, 2), [{ n: 1n }]), "no label column").toBeUndefined();
    expect(chartSpec(fields.slice(0, 1), [{ part: "a" }]), "no numeric column").toBeUndefined();
    const many = Array.from({ length: MAX_BARS + 7 }, (_, i) => ({ part: `p${i}`, n: BigInt(i) }));
    const capped = chartSpec(fields.slice(0, 2), many)!;
    expect(capped.points.length).toBe(MAX_BARS);
    expect(capped.omitted).toBe(7);
  });

  it("operation metrics are the commitInfo's", async () => {
    const [entry] = await readHistory({ store: golden("data-skipping-basic-stats-all-types-columnmapping-name") });
    expect(operationMetrics(entry!)).toEqual({ numFiles: "2", numOutputRows: "1", numOutputBytes: "7974" });
  });

  it("DML commits: summaries in words, metrics grouped, parameters unwrapped", async () => {
    const store = new MemoryStore({ name: "explorer-dml" });
    await writeTable({ store, data: [1, 2, 3, 4].map((id) => ({ id, v: `v${id}` })), configuration: { "delta.enableDeletionVectors": "true" } });
    await deleteRows({ store, where: "id = 2" });
    await updateRows({ store, set: { v: "'x'" }, where: "id >= 3" });
    await mergeInto({ store, source: [{ id: 1, v: "new" }, { id: 9, v: "nine" }], on: "target.id = source.id", whenMatched: [{ action: "update", set: { v: "source.v" }, condition: "source.v <> 'skip'" }], whenNotMatched: [{ action: "insertAll" }] });
    await restoreTable({ store, version: 1 });
    const history = await readHistory({ store });
    const summaries = history.map((e) => commitSummary(e.operation, operationMetrics(e), e.operationParameters ?? {}));
    expect(summaries).toEqual([
      "restored version 1: 1 file restored, 2 removed",
      // every live row of the file left it: the file (and its DV) removed, not a new DV
      "1 inserted, 1 updated, 0 deleted of 2 source rows",
      "2 rows updated (1 deletion vector written)",
      "1 row deleted (1 deletion vector written)",
      "4 rows written",
    ]);
    const merge = history[1]!;
    const groups = groupedMetrics(operationMetrics(merge));
    expect(groups.map((g) => g.group)).toEqual(["rows", "files", "deletion vectors", "bytes", "time"]);
    const shown = Object.fromEntries(groups.flatMap((g) => g.values.map((v) => [v.key, v.text])));
    expect(shown["numTargetRowsInserted"]).toBe("1");
    expect(shown["executionTimeMs"]).toMatch(/^\d+ ms$/);
    expect(shown["numAddedBytes"]).toMatch(/^[\d.]+ (B|KiB)$/);
    const params = Object.fromEntries(shownParameters(merge.operationParameters ?? {}).map((p) => [p.key, p.text]));
    expect(params).toEqual({ predicate: "target.id = source.id", matchedPredicates: "update when source.v <> 'skip'", notMatchedPredicates: "insertAll", notMatchedBySourcePredicates: "none" });
    expect(Object.fromEntries(shownParameters(history[3]!.operationParameters ?? {}).map((p) => [p.key, p.text]))).toEqual({ predicate: "id = 2" });
  });
});
