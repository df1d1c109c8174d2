// Scan benchmark (issue 3): one realistic table (bench/scan-data.js: 2M rows, 10 mixed columns,
// 4 snappy files of 128Ki-row groups, written by pyarrow) scanned with the same projection
// (3 columns) and filter (user_id < 100000, ~10% of rows) by:
//   delta-edge readBatches with the hyparquet reader, with the parquet-wasm reader and with the
//   default reader; raw hyparquet parquetRead + filter in JS; raw parquet-wasm readParquet
//   (whole files: its sync API ignores `columns`) and its async ParquetFile (with `columns`) +
//   filter in JS; DuckDB (read_parquet with the projection and filter in SQL, rows into JS).
// Each measurement is a fresh process (bench/scan-child.js) that scans twice: cold (module
// loading, wasm compile, JIT) and warm. Runs are interleaved across readers; we report medians
// of BENCH_RUNS runs, rows/s over the table's rows, and ratios to the fastest raw JS/WASM reader.
// A second scenario reads the first 10 rows (limit) cold, where the default reader is the JS one.
// The machine is shared (2 cores, other work running): compare ratios, not absolute times.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { scanTable } from "./scan-data.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ROWS = Number(process.env.BENCH_SCAN_ROWS ?? 2_000_000);
const FILES = 4;
const CHILD = join(import.meta.dirname, "scan-child.js");
const QUERY = { columns: ["id", "amount", "country"], filterColumn: "user_id", below: 100000 };

const READERS = [
  { key: "deltaEdgeHyparquet", mode: "deltaEdge:hyparquet", what: "delta-edge readBatches, hyparquet reader" },
  { key: "deltaEdgeWasm", mode: "deltaEdge:wasm", what: "delta-edge readBatches, parquet-wasm reader" },
  { key: "deltaEdgeDefault", mode: "deltaEdge:default", what: "delta-edge readBatches, default reader" },
  { key: "rawHyparquet", mode: "hyparquet", what: "raw hyparquet parquetRead + JS filter", raw: true },
  { key: "rawParquetWasm", mode: "parquetWasm", what: "raw parquet-wasm readParquet (whole file) + JS filter", raw: true },
  { key: "rawParquetWasmColumns", mode: "parquetWasmColumns", what: "raw parquet-wasm ParquetFile.read(columns) + JS filter", raw: true },
  { key: "duckdb", mode: "duckdb", what: "DuckDB read_parquet (native, multi-threaded)" },
];
const LIMIT_READERS = READERS.filter((r) => r.key.startsWith("deltaEdge"));

function runChild(mode, dir, query) {
  const r = spawnSync(process.execPath, [CHILD, mode, dir, JSON.stringify(query)], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${mode}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** Runs every reader RUNS times (interleaved) and returns medians per reader key. */
function measure(readers, dir, query) {
  const runs = Object.fromEntries(readers.map((r) => [r.key, []]));
  for (let i = 0; i < RUNS; i++) for (const r of readers) runs[r.key].push(runChild(r.mode, dir, query));
  const first = runs[readers[0].key][0];
  for (const r of readers) {
    for (const m of runs[r.key]) {
      if (m.rows !== first.rows || m.idSum !== first.idSum) throw new Error(`${r.key} returned ${m.rows} rows (id sum ${m.idSum}), expected ${first.rows} (${first.idSum})`);
    }
  }
  return Object.fromEntries(
    readers.map((r) => {
      const ms = runs[r.key];
      return [r.key, { what: r.what, warmMs: round(median(ms.map((m) => m.warmMs))), coldMs: round(median(ms.map((m) => m.coldMs))), peakRssMB: round(median(ms.map((m) => m.maxRssMB)), 0), rowsOut: first.rows }];
    }),
  );
}

export async function scanBench() {
  const table = scanTable({ rows: ROWS, files: FILES });
  const scan = measure(READERS, table.dir, QUERY);
  const fastestRaw = Math.min(...READERS.filter((r) => r.raw).map((r) => scan[r.key].warmMs));
  for (const r of READERS) {
    const m = scan[r.key];
    m.rowsPerSec = Math.round(ROWS / (m.warmMs / 1000));
    m.vsFastestRaw = round(m.warmMs / fastestRaw);
  }
  console.table(READERS.map((r) => ({ reader: r.what, warmMs: scan[r.key].warmMs, coldMs: scan[r.key].coldMs, "rows/s": scan[r.key].rowsPerSec, "x fastest raw": scan[r.key].vsFastestRaw, peakRssMB: scan[r.key].peakRssMB })));
  const limit = measure(LIMIT_READERS, table.dir, { columns: QUERY.columns, limit: 10 });
  console.table(LIMIT_READERS.map((r) => ({ "first 10 rows": r.what, coldMs: limit[r.key].coldMs, warmMs: limit[r.key].warmMs })));
  const best = Math.min(scan.deltaEdgeWasm.warmMs, scan.deltaEdgeDefault.warmMs);
  console.log(`delta-edge (best reader) / fastest raw JS/WASM reader: ${round(best / fastestRaw)}x (goal <= 1.1x); DuckDB / fastest raw: ${scan.duckdb.vsFastestRaw}x`);
  const result = { table: { rows: ROWS, files: FILES, dir: table.dir }, query: QUERY, runs: RUNS, scan, limit10: limit, fastestRawWarmMs: fastestRaw };
  const outDir = join(import.meta.dirname, "out");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "scan.json"), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
