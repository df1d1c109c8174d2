// Change feed benchmark (issue 12): the feed of the last 10 commits of a 10k-commit table with
// the change data feed on, read cold (a fresh process) from local files through a CountingStore:
// time, requests and bytes, split into the commits of the range, the data files they name and the
// rest (listing, _last_checkpoint, the checkpoint's protocol/metaData chunks). Goal: requests =
// commits read + a constant, whatever the table's length, so the same feed of a 1k-commit table is
// measured too. Baseline side by side: opening the snapshot at the start version (what a reader
// without the feed's start-state shortcut would replay first). The tables are built once in a temp
// folder: version 0 creates the table, every later version appends one file of 100 rows; only the
// last 20 versions' data files exist on disk (a read of any other would fail), and the checkpoints
// every tenth version that the writer makes are represented by the newest three. A second feed
// (the last 15 commits) starts between checkpoints, below the newest one.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { tmpdir } from "node:os";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DIST = resolve(import.meta.dirname, "../dist");
const FEED = 10;
const REAL = 20;

const pad = (v) => String(v).padStart(20, "0");

async function build(commits) {
  const dir = join(tmpdir(), `delta-edge-bench-changes-${commits}`);
  if (existsSync(join(dir, "_delta_log", "_last_checkpoint"))) return dir;
  const { LocalStore } = await import(`${DIST}/node/index.js`);
  const { MemoryStore, writeTable, createCheckpoint } = await import(`${DIST}/core/index.js`);
  mkdirSync(join(dir, "_delta_log"), { recursive: true });
  const schema = { type: "struct", fields: [{ name: "id", type: "long", nullable: true, metadata: {} }, { name: "v", type: "string", nullable: true, metadata: {} }] };
  const first = [
    { commitInfo: { timestamp: 0, operation: "CREATE TABLE" } },
    { protocol: { minReaderVersion: 1, minWriterVersion: 4 } },
    { metaData: { id: "bench", format: { provider: "parquet", options: {} }, schemaString: JSON.stringify(schema), partitionColumns: [], configuration: { "delta.enableChangeDataFeed": "true" }, createdTime: 0 } },
  ];
  writeFileSync(join(dir, "_delta_log", `${pad(0)}.json`), `${first.map((a) => JSON.stringify(a)).join("\n")}\n`);
  const scratch = new MemoryStore();
  for (let v = 1; v < commits; v++) {
    let add;
    if (v >= commits - REAL) {
      const rows = Array.from({ length: 100 }, (_, i) => ({ id: BigInt(v * 1000 + i), v: `r${v}-${i}` }));
      const written = await writeTable({ store: scratch, mode: "append", data: rows });
      add = written.files[0];
      writeFileSync(join(dir, add.path), await scratch.get(add.path));
    } else {
      add = { path: `part-${v}.parquet`, partitionValues: {}, size: 1500, modificationTime: v, dataChange: true, stats: JSON.stringify({ numRecords: 100, minValues: { id: v * 1000 }, maxValues: { id: v * 1000 + 99 }, nullCount: { id: 0, v: 0 } }) };
    }
    writeFileSync(join(dir, "_delta_log", `${pad(v)}.json`), `${JSON.stringify({ commitInfo: { timestamp: v, operation: "WRITE" } })}\n${JSON.stringify({ add })}\n`);
  }
  const last = commits - 1;
  const newest = last - (last % 10);
  for (const v of [newest - 20, newest - 10, newest]) await createCheckpoint({ store: new LocalStore({ root: dir }), version: v });
  return dir;
}

const CHILD = `
  import { LocalStore } from "${DIST}/node/index.js";
  import { CountingStore, openTable, readChanges } from "${DIST}/core/index.js";
  const [dir, mode, start, end] = process.argv.slice(1);
  const store = new CountingStore(new LocalStore({ root: dir }));
  const t0 = performance.now();
  let rows = 0;
  if (mode === "feed") rows = (await readChanges({ store, startingVersion: Number(start), endingVersion: Number(end) })).numRows;
  else await openTable({ store, version: Number(start) });
  const ms = performance.now() - t0;
  const ops = store.operations();
  const gets = ops.filter((o) => o.op === "get");
  const commitKeys = new Set(gets.filter((o) => /_delta_log\\/\\d{20}\\.json$/.test(o.key)).map((o) => o.key));
  const dataGets = gets.filter((o) => !o.key.startsWith("_delta_log/"));
  const s = store.stats();
  console.log(JSON.stringify({ ms, rows, requests: s.requests, bytes: s.bytesRead, commitsRead: commitKeys.size, commitGets: gets.filter((o) => commitKeys.has(o.key)).length, dataRequests: dataGets.length, dataFiles: new Set(dataGets.map((o) => o.key)).size, lists: s.list, heads: s.head }));`;

function runChild(args) {
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", CHILD, ...args], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x) => Math.round(x * 100) / 100;

function measure(dir, mode, start, end) {
  const runs = Array.from({ length: RUNS }, () => runChild([dir, mode, String(start), String(end)]));
  const r = runs[0];
  return { ...r, ms: round(median(runs.map((x) => x.ms))), other: r.requests - r.commitGets - r.dataRequests };
}

export async function changesBench() {
  const rows = [];
  const result = { runs: RUNS, feedCommits: FEED, tables: {} };
  for (const commits of [1000, 10000]) {
    const dir = await build(commits);
    const start = commits - FEED;
    const feed = measure(dir, "feed", start, commits - 1);
    const baseline = measure(dir, "snapshot", start, start);
    const between = measure(dir, "feed", commits - 15, commits - 1);
    result.tables[commits] = { feed, openTableAtStart: baseline, feedOfLast15: between };
    const row = (what, r) => ({ table: `${commits} commits`, what, ms: r.ms, requests: r.requests, commitsRead: r.commitsRead, dataRequests: r.dataRequests, other: r.other, bytes: r.bytes, rows: r.rows });
    rows.push(row(`feed of versions ${start}..${commits - 1}`, feed));
    rows.push(row(`baseline: openTable at ${start}`, baseline));
    rows.push(row(`feed of versions ${commits - 15}..${commits - 1}`, between));
  }
  console.table(rows);
  const big = result.tables[10000].feed;
  const small = result.tables[1000].feed;
  result.otherRequests = { 1000: small.other, 10000: big.other };
  console.log(
    `10k commits: requests = ${big.commitGets} commit reads + ${big.dataRequests} data-file reads (footer + chunks of ${big.dataFiles} files) + ${big.other} others ` +
      `(listing, checkpoint footer and protocol/metaData chunks per row group); 1k commits: ${small.commitGets} + ${small.dataRequests} + ${small.other}`,
  );
  return result;
}
