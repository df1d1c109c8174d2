/**
 * Shared setup and checks of the DML tests: small tables in the four shapes the issue asks for
 * (copy-on-write or deletion vectors + change data feed, partitioned or not) written in several
 * commits so that they hold several files; row sets computed independently from the inputs; and
 * the checks every operation must pass: our reader and the independent oracle (delta_oracle.py)
 * both read exactly the expected rows, files that held no changed row are byte-identical and still
 * listed, every file's stats bound its live rows and count its physical rows.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import "../../src/node/index.js"; // registers parquet-wasm's .wasm for Node
import { LocalStore } from "../../src/node/storage/local.js";
import type { ObjectStore } from "../../src/core/storage/object-store.js";
import { readRows } from "../../src/core/scan/read.js";
import { planScan } from "../../src/core/scan/plan.js";
import { batchRows, formatRowJson } from "../../src/core/scan/rows.js";
import { scanFiles } from "../../src/core/scan/execute.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { writeTable } from "../../src/core/write/write-table.js";
import { canonicalPath } from "../../src/core/log/replay.js";
import { readHistory } from "../../src/core/table/history.js";
import { oracleTable, type OracleTable } from "../helpers/delta-oracle.js";
import { rowMultiset } from "../helpers/oracle.js";

/** A row of the test tables, in the CLI value encoding. */
export interface TestRow {
  id: number;
  part: string;
  value: string | null;
  score: number;
}

/** The four table shapes. */
export interface TableShape {
  name: string;
  /** Deletion vectors and change data feed on (else copy-on-write, no CDF). */
  dv: boolean;
  partitioned: boolean;
}

export const SHAPES: TableShape[] = [
  { name: "copy-on-write", dv: false, partitioned: false },
  { name: "copy-on-write, partitioned", dv: false, partitioned: true },
  { name: "DV + CDF", dv: true, partitioned: false },
  { name: "DV + CDF, partitioned", dv: true, partitioned: true },
];

/** Row `id` of the test data. */
export function testRow(id: number): TestRow {
  return { id, part: ["a", "b", "c"][id % 3] as string, value: id % 10 === 9 ? null : `v${id}`, score: id * 1.5 };
}

/** Rows [from, to) as row objects for writeTable (id as bigint: a long column). */
function inputRows(from: number, to: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let id = from; id < to; id++) {
    const r = testRow(id);
    out.push({ id: BigInt(id), part: r.part, value: r.value, score: r.score });
  }
  return out;
}

const SCHEMA = {
  kind: "struct" as const,
  fields: [
    { name: "id", type: { kind: "primitive" as const, name: "long" as const }, nullable: true, metadata: {} },
    { name: "part", type: { kind: "primitive" as const, name: "string" as const }, nullable: true, metadata: {} },
    { name: "value", type: { kind: "primitive" as const, name: "string" as const }, nullable: true, metadata: {} },
    { name: "score", type: { kind: "primitive" as const, name: "double" as const }, nullable: true, metadata: {} },
  ],
};

/** A fresh temp directory for a table. */
export function tempDir(): string {
  return join(mkdtempSync(join(tmpdir(), "delta-edge-dml-")), "t");
}

/** Table properties of a shape. */
export function shapeConfiguration(shape: TableShape): Record<string, string> {
  return shape.dv ? { "delta.enableDeletionVectors": "true", "delta.enableChangeDataFeed": "true" } : {};
}

/**
 * Creates a table of `rows` rows (ids 0..rows-1) in `commits` appends (so, several files; one
 * per partition per commit when partitioned). Returns its store and directory.
 */
export async function makeTable(
  shape: TableShape,
  options: { rows?: number; commits?: number; dir?: string; configuration?: Record<string, string> } = {},
): Promise<{ store: LocalStore; dir: string }> {
  const dir = options.dir ?? tempDir();
  const store = new LocalStore({ root: dir });
  await fillTable(store, shape, options);
  return { store, dir };
}

/** Creates the test table on any store (see {@link makeTable}). */
export async function fillTable(store: ObjectStore, shape: TableShape, options: { rows?: number; commits?: number; configuration?: Record<string, string> } = {}): Promise<void> {
  const n = options.rows ?? 60;
  const commits = options.commits ?? 3;
  const step = Math.ceil(n / commits);
  for (let c = 0; c < commits; c++) {
    await writeTable({
      store,
      data: inputRows(c * step, Math.min(n, (c + 1) * step)),
      schema: SCHEMA,
      mode: c === 0 ? "error" : "append",
      ...(shape.partitioned ? { partitionBy: ["part"] } : {}),
      configuration: { ...shapeConfiguration(shape), ...(options.configuration ?? {}) },
    });
  }
}

/** Rows 0..n-1 of the test data. */
export function allRows(n = 60): TestRow[] {
  return Array.from({ length: n }, (_, i) => testRow(i));
}

/** Our reader's rows in the CLI encoding, as a sorted multiset. */
export async function ourRows(store: ObjectStore): Promise<string[]> {
  const snapshot = await loadSnapshot({ store });
  const fields = planScan(snapshot, {}).outputFields;
  const out: unknown[] = [];
  for await (const r of readRows({ store, snapshot })) out.push(formatRowJson(r, fields));
  return rowMultiset(out);
}

/**
 * The checks of every operation: both readers see exactly `expected`; files in `untouched` are
 * still live with the same bytes; stats bound each file's live rows.
 */
export async function checkTable(
  store: LocalStore,
  dir: string,
  expected: readonly TestRow[],
  options: { untouched?: Map<string, Buffer> | undefined; changesOf?: number | undefined } = {},
): Promise<OracleTable> {
  const want = rowMultiset([...expected]);
  expect(await ourRows(store)).toEqual(want);
  const oracle = await oracleTable(dir, options.changesOf);
  const untouched = options.untouched;
  expect(rowMultiset(oracle.rows)).toEqual(want);
  const live = new Set(oracle.files.map((f) => f.path));
  for (const [path, bytes] of untouched ?? []) {
    expect(live.has(path), `untouched file ${path} still listed`).toBe(true);
    expect(readFileSync(join(dir, canonicalPath(path))).equals(bytes), `untouched file ${path} unchanged`).toBe(true);
  }
  for (const f of oracle.files) checkStats(f, oracle.physicalNames);
  return oracle;
}

function checkStats(f: OracleTable["files"][number], physical: Record<string, string>): void {
  const id = physical.id as string;
  const value = physical.value as string;
  const stats = f.stats as { numRecords: number; tightBounds?: boolean; minValues: Record<string, number>; maxValues: Record<string, number>; nullCount: Record<string, number> };
  expect(stats, `stats of ${f.path}`).not.toBeNull();
  expect(stats.numRecords).toBe(f.physicalRows);
  if (f.deleted.length > 0) expect(stats.tightBounds).toBe(false);
  const ids = f.rows.map((r) => r.id as number);
  if (ids.length === 0) return;
  expect(stats.minValues[id]).toBeLessThanOrEqual(Math.min(...ids));
  expect(stats.maxValues[id]).toBeGreaterThanOrEqual(Math.max(...ids));
  const nulls = f.rows.filter((r) => r.value === null).length;
  if (stats.tightBounds === false) expect(stats.nullCount[value]).toBeGreaterThanOrEqual(nulls);
  else expect(stats.nullCount[value]).toBe(nulls);
}

/** Files of the current table none of whose live rows satisfy `changed` (they must stay untouched), with their bytes. */
export async function filesWithout(store: LocalStore, dir: string, changed: (r: TestRow) => boolean): Promise<Map<string, Buffer>> {
  const snapshot = await loadSnapshot({ store });
  const plan = planScan(snapshot, {});
  const out = new Map<string, Buffer>();
  for await (const { file, batches } of scanFiles(plan, { store })) {
    const rows = batches.flatMap((b) => [...batchRows(b, plan.outputFields)].map((r) => formatRowJson(r, plan.outputFields) as unknown as TestRow));
    if (!rows.some(changed)) out.set(file.add.path, readFileSync(join(dir, canonicalPath(file.add.path))));
  }
  return out;
}

/**
 * The last commit's operation and commitInfo.operationMetrics: every metric the operation
 * returned, as Spark's string map (checked here), plus each name in `names` present.
 */
export async function expectRecordedMetrics(store: ObjectStore, operation: string, metrics: object, names: readonly string[] = []): Promise<Record<string, string>> {
  const [entry] = await readHistory({ store, limit: 1 });
  expect(entry?.operation).toBe(operation);
  const recorded = (entry?.commitInfo?.operationMetrics ?? {}) as Record<string, string>;
  expect(recorded).toEqual(Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, String(v)])));
  for (const n of names) expect(recorded, `metric ${n}`).toHaveProperty(n);
  return recorded;
}
