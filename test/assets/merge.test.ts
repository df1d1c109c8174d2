/**
 * The Delta I/O manager's mode "merge" (dagster-io/dagster#32644: upsert by key) on the memory
 * store: the first run creates the table, later runs upsert by the merge predicate (one MERGE
 * commit, metrics in the materialization); the merge type and explicit clauses from config or
 * output metadata (metadata wins); a partitioned output merges only inside its partition (other
 * partitions byte-identical, even with replaceDeleteUnmatched); bad settings and a source
 * lacking the key column are refused with the table unchanged.
 */
import "../../src/node/index.js"; // registers parquet-wasm's .wasm for Node
import { describe, expect, it } from "vitest";
import { asset, deltaLakeIOManager, materialize, staticPartitions, type DeltaMaterialization } from "../../src/core/assets/index.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { readHistory } from "../../src/core/table/history.js";
import { arrowTable, jsonRows, tableState } from "./helpers.js";

let n = 0;
const root = () => ({ store: new MemoryStore({ name: `assets-merge-${++n}` }) });
const TYPES = { id: "long", name: "string", score: "integer" } as const;
type Row = { id: number; name: string; score: number };
const byId = (rows: Record<string, unknown>[]) => [...rows].sort((a, b) => Number(a.id) - Number(b.id));

/** Materializes asset `users` once with the given rows (an Arrow table) and metadata. */
async function run(io: ReturnType<typeof deltaLakeIOManager>, rows: Row[] | (() => unknown), metadata: Record<string, unknown> = {}): Promise<DeltaMaterialization> {
  const compute = typeof rows === "function" ? rows : () => arrowTable(rows, TYPES);
  const result = await materialize({ assets: [asset({ name: "users", metadata, compute })], resources: { io_manager: io } });
  return result.get("users")?.metadata as DeltaMaterialization;
}

describe("Delta I/O manager, mode merge", () => {
  it("upserts by the merge predicate: creates the table, then updates matches and inserts the rest in one MERGE", async () => {
    const io = deltaLakeIOManager({ ...root(), mode: "merge", mergeConfig: { predicate: "target.id = source.id" } });
    const first = await run(io, [
      { id: 1, name: "ann", score: 1 },
      { id: 2, name: "bob", score: 2 },
    ]);
    expect(first).toMatchObject({ status: "committed", version: 0, mode: "merge", numRows: 2 });
    expect(first.mergeMetrics).toBeUndefined(); // created, not merged
    const second = await run(io, [
      { id: 2, name: "bobby", score: 20 },
      { id: 3, name: "cy", score: 3 },
    ]);
    expect(second).toMatchObject({ status: "committed", version: 1, mode: "merge", mergeType: "upsert", mergePredicate: "target.id = source.id", numRows: 2 });
    expect(second.mergeMetrics).toMatchObject({ numSourceRows: 2, numTargetRowsUpdated: 1, numTargetRowsInserted: 1, numTargetRowsDeleted: 0, numTargetRowsCopied: 1 });
    const store = io.tableStore("public/users");
    expect(byId(await jsonRows(store))).toEqual([
      { id: 1, name: "ann", score: 1 },
      { id: 2, name: "bobby", score: 20 },
      { id: 3, name: "cy", score: 3 },
    ]);
    const history = await readHistory({ store });
    expect(history.map((h) => h.operation)).toEqual(["MERGE", "WRITE"]);
    // the same output again changes nothing: no commit
    const again = await run(io, [{ id: 1, name: "ann", score: 1 }], { merge_clauses: { whenNotMatched: [{ action: "insertAll" }] } });
    expect(again).toMatchObject({ status: "unchanged", version: 1, numRows: 0 });
  });

  it("output metadata picks the merge: merge_predicate, merge_type, merge_clauses; metadata wins over config", async () => {
    const io = deltaLakeIOManager({ ...root(), mode: "append", mergeConfig: { predicate: "target.name = source.name", mergeType: "updateOnly" } });
    await run(io, [
      { id: 1, name: "ann", score: 1 },
      { id: 2, name: "bob", score: 2 },
    ]);
    const store = io.tableStore("public/users");
    // metadata mode merge with the config's predicate and type: update only, by name
    const upd = await run(io, [{ id: 9, name: "bob", score: 5 }, { id: 10, name: "zed", score: 0 }], { mode: "merge" });
    expect(upd).toMatchObject({ mergeType: "updateOnly", mergePredicate: "target.name = source.name" });
    expect(upd.mergeMetrics).toMatchObject({ numTargetRowsUpdated: 1, numTargetRowsInserted: 0 });
    // metadata predicate and type (dagster-delta's snake_case spelling)
    const dedup = await run(io, [{ id: 1, name: "x", score: 0 }, { id: 3, name: "cy", score: 3 }], { mode: "merge", merge_predicate: "target.id = source.id", merge_type: "deduplicate_insert" });
    expect(dedup.mergeMetrics).toMatchObject({ numTargetRowsInserted: 1, numTargetRowsUpdated: 0 });
    // explicit clauses with conditions and aliases: keep the higher score, never insert
    const clauses = {
      mode: "merge",
      merge_config: { predicate: "t.id = s.id", sourceAlias: "s", targetAlias: "t", clauses: { whenMatched: [{ action: "update", set: { score: "s.score" }, condition: "s.score > t.score" }] } },
    };
    const cond = await run(io, [{ id: 1, name: "ann", score: 100 }, { id: 3, name: "cy", score: -1 }, { id: 4, name: "new", score: 4 }], clauses);
    expect(cond).toMatchObject({ mergeType: "clauses" });
    expect(cond.mergeMetrics).toMatchObject({ numTargetRowsUpdated: 1, numTargetRowsInserted: 0 });
    expect(byId(await jsonRows(store))).toEqual([
      { id: 1, name: "ann", score: 100 },
      { id: 3, name: "cy", score: 3 },
      { id: 9, name: "bob", score: 5 },
    ]);
    // row objects work as a source too (typed by the table)
    const objects = await run(io, () => [{ id: 3, name: "cy", score: 30 }], { mode: "merge", merge_predicate: "target.id = source.id", merge_type: "upsert" });
    expect(objects.mergeMetrics).toMatchObject({ numTargetRowsUpdated: 1 });
  });

  it("a partitioned output merges only inside its partition: other partitions stay byte-identical", async () => {
    const io = deltaLakeIOManager({ ...root(), mode: "merge", mergeConfig: { predicate: "target.id = source.id", mergeType: "replaceDeleteUnmatched" } });
    const regions = staticPartitions(["eu", "us"]);
    let data: Record<string, Row[]> = {
      eu: [{ id: 1, name: "a", score: 1 }, { id: 2, name: "b", score: 2 }],
      us: [{ id: 1, name: "c", score: 3 }, { id: 3, name: "d", score: 4 }],
    };
    const regional = asset({
      name: "users",
      partitionsDef: regions,
      metadata: { partition_expr: "region" },
      compute: (ctx) => arrowTable((data[ctx.partitionKey as string] ?? []).map((r) => ({ ...r, region: ctx.partitionKey })), { ...TYPES, region: "string" }),
    });
    for (const key of ["eu", "us"]) await materialize({ assets: [regional], resources: { io_manager: io }, partitionKey: key });
    const store = io.tableStore("public/users");
    const before = await tableState(store);
    // eu now has id 1 updated, id 2 gone, id 4 new; us (which also has an id 1) must not change
    data = { eu: [{ id: 1, name: "a2", score: 10 }, { id: 4, name: "e", score: 5 }] };
    const md = (await materialize({ assets: [regional], resources: { io_manager: io }, partitionKey: "eu" })).get("users")?.metadata as DeltaMaterialization;
    expect(md.predicate).toBe("region = 'eu'");
    expect(md.mergePredicate).toBe("(target.id = source.id) AND (target.region = 'eu')");
    expect(md.mergeMetrics).toMatchObject({ numTargetRowsUpdated: 1, numTargetRowsDeleted: 1, numTargetRowsInserted: 1 });
    const after = await tableState(store);
    for (const [path, f] of before.files) if (f.partitionValues["region"] === "us") expect(after.files.get(path)?.bytes).toEqual(f.bytes);
    expect(byId(await jsonRows(store, "region = 'us'"))).toEqual([
      { id: 1, name: "c", score: 3, region: "us" },
      { id: 3, name: "d", score: 4, region: "us" },
    ]);
    expect(byId(await jsonRows(store, "region = 'eu'"))).toEqual([
      { id: 1, name: "a2", score: 10, region: "eu" },
      { id: 4, name: "e", score: 5, region: "eu" },
    ]);
    // a row outside the partition is refused before anything is merged
    data = { eu: [] };
    const outside = asset({ name: "users", partitionsDef: regions, metadata: { partition_expr: "region" }, compute: () => arrowTable([{ id: 7, name: "x", score: 0, region: "us" }], { ...TYPES, region: "string" }) });
    await expect(materialize({ assets: [outside], resources: { io_manager: io }, partitionKey: "eu" })).rejects.toThrow(/region/);
    expect((await tableState(store)).version).toBe(after.version);
  });

  it("refuses bad settings and a source without the key column; the table is unchanged", async () => {
    const io = deltaLakeIOManager({ ...root(), mode: "merge", mergeConfig: { predicate: "target.id = source.id" } });
    await run(io, [{ id: 1, name: "ann", score: 1 }]);
    const store = io.tableStore("public/users");
    const version = (await tableState(store)).version;
    const rows: Row[] = [{ id: 1, name: "x", score: 2 }];
    const none = deltaLakeIOManager({ ...root(), mode: "merge" });
    await expect(run(none, rows)).rejects.toThrow(/mode "merge" needs a merge predicate/);
    await expect(run(io, rows, { merge_type: "upsurt" })).rejects.toThrow(/unknown merge type "upsurt"/);
    await expect(run(io, rows, { merge_config: { predicat: "x" } })).rejects.toThrow(/unknown key "predicat"/);
    await expect(run(io, rows, { merge_type: "upsert", merge_clauses: { whenMatched: [] } })).rejects.toThrow(/either mergeType or clauses/);
    await expect(run(io, rows, { merge_clauses: { whenMatched: [{ action: "upsert" }] } })).rejects.toThrow(/unknown action "upsert"/);
    await expect(run(io, rows, { schema_mode: "merge" })).rejects.toThrow(/does not change the table's schema/);
    // row objects without the key: refused (not merged as null keys)
    await expect(run(io, () => [{ name: "nokey", score: 3 }])).rejects.toThrow(/unknown column source\.id/);
    await expect(run(io, [{ id: 1, name: "a", score: 1 }, { id: 1, name: "b", score: 2 }])).rejects.toThrow(/matched 2 source rows/);
    expect((await tableState(store)).version).toBe(version);
    expect(await jsonRows(store)).toEqual([{ id: 1, name: "ann", score: 1 }]);
  });
});
