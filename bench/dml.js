// DML benchmark (issue 11): on a table of BENCH_DML_ROWS rows (default 10M) in BENCH_DML_FILES
// files (default 100; 4 columns: id, bucket = id % 100, score, name), each operation runs on a
// fresh copy of the table, in a fresh process (bench/dml-child.js), through a CountingStore:
//   delete 1% of the rows (id < ROWS/10 AND bucket < 10: 10% of the files may match, stats
//   prune the others), copy-on-write and with deletion vectors; update the same 1% (score);
//   merge a 100k-row source (half updates of recent ids, half new ids; update all / insert all);
//   and, as the baseline, a full overwrite of the same table with the same rows.
// Reported: time (median of BENCH_RUNS, default 1), data files and bytes read and written (log
// requests apart), written bytes as a share of the table's bytes. The machine is shared: compare
// the operations with each other and with the overwrite, not across runs.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { performance } from "node:perf_hooks";

const ROWS = Number(process.env.BENCH_DML_ROWS ?? 10_000_000);
const FILES = Number(process.env.BENCH_DML_FILES ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const CHILD = join(import.meta.dirname, "dml-child.js");

const SCENARIOS = [
  { key: "deleteCopyOnWrite", table: "cow", mode: "delete", what: "DELETE 1%, copy-on-write" },
  { key: "deleteDeletionVectors", table: "dv", mode: "delete", what: "DELETE 1%, deletion vectors" },
  { key: "updateCopyOnWrite", table: "cow", mode: "update", what: "UPDATE 1%, copy-on-write" },
  { key: "updateDeletionVectors", table: "dv", mode: "update", what: "UPDATE 1%, deletion vectors" },
  { key: "mergeCopyOnWrite", table: "cow", mode: "merge", what: "MERGE 100k rows (half match), copy-on-write" },
  { key: "mergeDeletionVectors", table: "dv", mode: "merge", what: "MERGE 100k rows (half match), deletion vectors" },
  { key: "overwrite", table: "cow", mode: "overwrite", what: "full overwrite (baseline)" },
];

function runChild(mode, dir) {
  const r = spawnSync(process.execPath, ["--max-old-space-size=8192", CHILD, mode, dir, String(ROWS), String(FILES)], { encoding: "utf8", maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${mode}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const mb = (b) => round(b / 1048576, 3);

export async function dmlBench() {
  const base = mkdtempSync(join(tmpdir(), "delta-edge-bench-dml-"));
  const tables = { cow: join(base, "cow"), dv: join(base, "dv") };
  const t0 = performance.now();
  runChild("setup", tables.cow);
  cpSync(tables.cow, tables.dv, { recursive: true });
  runChild("enable-dv", tables.dv);
  console.log(`table: ${ROWS} rows in ${FILES} files, written in ${round((performance.now() - t0) / 1000, 1)} s`);
  const out = {};
  let tableBytes = 0;
  for (const s of SCENARIOS) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const dir = join(base, `${s.key}-${i}`);
      cpSync(tables[s.table], dir, { recursive: true });
      runs.push(runChild(s.mode, dir));
      rmSync(dir, { recursive: true, force: true });
    }
    const m = runs[0];
    tableBytes = m.tableBytes;
    out[s.key] = {
      what: s.what,
      ms: round(median(runs.map((r) => r.ms)), 0),
      filesRead: `${m.filesRead}/${m.tableFiles}`,
      readMB: mb(m.bytesRead),
      filesWritten: m.filesWritten,
      dvFiles: m.dvFilesWritten,
      writtenMB: mb(m.bytesWritten),
      writtenPctOfTable: round((100 * m.bytesWritten) / m.tableBytes, 3),
      metrics: m.metrics,
    };
  }
  const tableMB = mb(tableBytes);
  rmSync(base, { recursive: true, force: true });
  console.table(Object.fromEntries(Object.entries(out).map(([k, { metrics: _, ...v }]) => [k, v])));
  console.log(`table size ${tableMB} MB; machine shared with other work: compare rows, not runs`);
  return { rows: ROWS, files: FILES, runs: RUNS, tableMB, ...Object.fromEntries(Object.entries(out).map(([k, v]) => [k, { ...v, metrics: pick(v.metrics) }])) };
}

/** The row and file counts of an operation's metrics (the JSON keeps these, not every timer). */
function pick(metrics) {
  const keep = ["numDeletedRows", "numUpdatedRows", "numCopiedRows", "numSourceRows", "numTargetRowsInserted", "numTargetRowsUpdated", "numTargetRowsCopied", "numAddedFiles", "numRemovedFiles", "numDeletionVectorsAdded", "numFilesScanned", "numFilesSkipped", "rows", "files"];
  return Object.fromEntries(keep.filter((k) => metrics?.[k] !== undefined).map((k) => [k, metrics[k]]));
}
