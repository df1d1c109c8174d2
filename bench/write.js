// Write benchmark (issue 4): a 1M-row, 10-column table written by delta-edge (writeTable to a
// local folder: validation + parquet-wasm encode + stats + commit), beside its floor, parquet-wasm's
// own writeParquet of the same Arrow table with the same writer properties (IPC hand-over included,
// bytes written to a file; issue 10's goal: delta-edge within 1.15x of it), pyarrow's write_table
// of the same data (via python3) and hyparquet-writer's parquetWriteBuffer; plus commit latency
// on the local store (one small add per commit). Each measurement runs in a fresh process, the
// writers interleaved run by run; medians of RUNS. BENCH_DIST points at another build (a before/after).
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { tmpdir } from "node:os";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ROWS = Number(process.env.BENCH_WRITE_ROWS ?? 1_000_000);
const DIST = resolve(process.env.BENCH_DIST ?? resolve(import.meta.dirname, "../dist"));
const PYTHON = process.env.PYTHON ?? "python3";

// The same deterministic data in every process: 10 columns of mixed types.
const MAKE_DATA = `
  import * as A from "apache-arrow";
  function makeData(n) {
    const id = new BigInt64Array(n), qty = new Int32Array(n), price = new Float64Array(n), score = new Float32Array(n);
    const flag = [], city = [], note = [], ts = new BigInt64Array(n), day = new Int32Array(n), big = new BigInt64Array(n);
    const cities = ["Paris", "Berlin", "Lagos", "Lima", "Osaka", "Austin", "Hanoi", "Quito"];
    let x = 12345;
    for (let i = 0; i < n; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      id[i] = BigInt(i); qty[i] = x % 1000; price[i] = (x % 100000) / 100; score[i] = (x % 1000) / 7;
      flag.push((x & 1) === 1); city.push(cities[x % 8]); note.push("note-" + (x % 5000));
      ts[i] = 1700000000000000n + BigInt(i) * 1000n; day[i] = 19000 + (i % 365); big[i] = BigInt(x) * 1000003n;
    }
    const mk = (type, data) => A.makeVector(A.makeData({ type, length: n, data }));
    return new A.Table({
      id: A.makeVector(id), qty: A.makeVector(qty), price: A.makeVector(price), score: A.makeVector(score),
      flag: A.vectorFromArray(flag, new A.Bool()), city: A.vectorFromArray(city, new A.Utf8()), note: A.vectorFromArray(note, new A.Utf8()),
      ts: mk(new A.TimestampMicrosecond("UTC"), ts), day: mk(new A.DateDay(), day), big: A.makeVector(big),
    });
  }`;

const CHILD = {
  deltaEdge: `${MAKE_DATA}
    import { writeTable } from "${DIST}/core/index.js";
    import { LocalStore } from "${DIST}/node/index.js";
    const table = makeData(${ROWS});
    // parquet-wasm compiles its 5 MB module once per process, and the JIT warms up on the first
    // batches: a first write of 10k rows is measured apart (cold start), the big one after it.
    const w0 = performance.now();
    await writeTable({ store: new LocalStore({ root: process.argv[1] + "-warmup" }), data: makeData(10000) });
    const initMs = performance.now() - w0;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await writeTable({ store: new LocalStore({ root: process.argv[1] }), data: table, targetFileSize: 512 * 1024 * 1024 });
    const ms = performance.now() - t0, c = process.cpuUsage(c0);
    console.log(JSON.stringify({ ms, cpuMs: (c.user + c.system) / 1000, initMs, bytes: r.bytes, files: r.files.length, rows: r.rows }));`,
  parquetWasm: `${MAKE_DATA}
    import { readFileSync, writeFileSync } from "node:fs";
    import { fileURLToPath } from "node:url";
    import init, * as pw from "parquet-wasm/esm";
    // The writer properties delta-edge's arrowToParquet uses (snappy, 1Mi-row groups, dictionary, page statistics).
    const w0 = performance.now();
    await init({ module_or_path: readFileSync(fileURLToPath(import.meta.resolve("parquet-wasm/esm/parquet_wasm_bg.wasm"))) });
    const write = (t, file) => {
      const props = new pw.WriterPropertiesBuilder().setCompression(pw.Compression.SNAPPY).setMaxRowGroupSize(1024 * 1024)
        .setDictionaryEnabled(true).setStatisticsEnabled(pw.EnabledStatistics.Page).setCreatedBy("bench (parquet-wasm)").build();
      const bytes = pw.writeParquet(pw.Table.fromIPCStream(A.tableToIPC(t, "stream")), props);
      writeFileSync(file, bytes);
      return bytes.byteLength;
    };
    write(makeData(10000), process.argv[1] + "-warmup.parquet"); // the same warm-up as delta-edge's
    const initMs = performance.now() - w0;
    const table = makeData(${ROWS});
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const bytes = write(table, process.argv[1] + ".parquet");
    const ms = performance.now() - t0, c = process.cpuUsage(c0);
    console.log(JSON.stringify({ ms, cpuMs: (c.user + c.system) / 1000, initMs, bytes }));`,
  hyparquetWriter: `${MAKE_DATA}
    import { parquetWriteBuffer } from "hyparquet-writer";
    const table = makeData(${ROWS});
    const toArr = (name) => Array.from(table.getChild(name).toArray());
    const columnData = [
      { name: "id", data: toArr("id"), type: "INT64" }, { name: "qty", data: toArr("qty"), type: "INT32" },
      { name: "price", data: toArr("price"), type: "DOUBLE" }, { name: "score", data: toArr("score"), type: "FLOAT" },
      { name: "flag", data: table.getChild("flag").toArray().length ? Array.from({ length: table.numRows }, (_, i) => table.getChild("flag").get(i)) : [], type: "BOOLEAN" },
      { name: "city", data: toArr("city"), type: "STRING" }, { name: "note", data: toArr("note"), type: "STRING" },
      { name: "ts", data: Array.from(table.getChild("ts").data[0].values), type: "INT64" },
      { name: "day", data: Array.from(table.getChild("day").data[0].values), type: "INT32" }, { name: "big", data: toArr("big"), type: "INT64" },
    ];
    const t0 = performance.now();
    const buf = parquetWriteBuffer({ columnData });
    console.log(JSON.stringify({ ms: performance.now() - t0, bytes: buf.byteLength }));`,
  commitLatency: `
    import { Transaction, writeTable } from "${DIST}/core/index.js";
    import { LocalStore } from "${DIST}/node/index.js";
    const store = new LocalStore({ root: process.argv[1] });
    await writeTable({ store, data: [{ a: 1 }] });
    const { openTable } = await import("${DIST}/core/index.js");
    const times = [];
    for (let i = 0; i < 50; i++) {
      const snapshot = await openTable({ store });
      const t0 = performance.now();
      await new Transaction({ store, snapshot, operation: "WRITE", postCommit: false })
        .addFiles([{ path: "f" + i + ".parquet", partitionValues: {}, size: 1, modificationTime: Date.now(), dataChange: true }]).commit();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(JSON.stringify({ p50: times[25], p95: times[47], commits: times.length }));`,
};

function runNode(code, arg) {
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", code, arg], { encoding: "utf8", cwd: resolve(import.meta.dirname, ".."), maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x) => Math.round(x * 100) / 100;

export async function writeBench() {
  const base = mkdtempSync(join(tmpdir(), "delta-edge-bench-write-"));
  // The same data for pyarrow: written once as Arrow IPC by a child process.
  const ipc = join(base, "data.arrow");
  runNode(`${MAKE_DATA} import { writeFileSync } from "node:fs"; writeFileSync(process.argv[1], A.tableToIPC(makeData(${ROWS}), "file")); console.log("{}");`, ipc);
  const pyScript = join(base, "pyarrow_write.py");
  writeFileSync(pyScript, `import sys, time, pyarrow as pa, pyarrow.ipc as ipc, pyarrow.parquet as pq
t = ipc.open_file(sys.argv[1]).read_all()
t0 = time.perf_counter(); pq.write_table(t, sys.argv[2], compression="snappy"); ms = (time.perf_counter() - t0) * 1000
import os, json; print(json.dumps({"ms": ms, "bytes": os.path.getsize(sys.argv[2])}))`);
  const res = { deltaEdge: [], parquetWasm: [], pyarrow: [], hyparquetWriter: [] };
  let lat;
  for (let i = 0; i < RUNS; i++) {
    const d = join(base, `de-${i}`);
    res.deltaEdge.push(runNode(CHILD.deltaEdge, d));
    res.parquetWasm.push(runNode(CHILD.parquetWasm, join(base, `pw-${i}`)));
    const py = spawnSync(PYTHON, [pyScript, ipc, join(base, `pa-${i}.parquet`)], { encoding: "utf8" });
    if (py.status !== 0) throw new Error(py.stderr);
    res.pyarrow.push(JSON.parse(py.stdout));
    res.hyparquetWriter.push(runNode(CHILD.hyparquetWriter, ""));
  }
  lat = runNode(CHILD.commitLatency, join(base, "latency"));
  const summary = Object.fromEntries(
    Object.entries(res).map(([k, rs]) => {
      const ms = median(rs.map((r) => r.ms));
      const bytes = median(rs.map((r) => r.bytes));
      return [k, { ms: round(ms), rowsPerSec: Math.round(ROWS / (ms / 1000)), mbPerSec: round(bytes / 1048576 / (ms / 1000)), fileMB: round(bytes / 1048576) }];
    }),
  );
  console.table(summary);
  // Per run, delta-edge next to the parquet-wasm run beside it; the median of those ratios.
  // CPU time is the steadier figure on a shared machine (wall time waits for other processes too).
  const vsParquetWasm = round(median(res.deltaEdge.map((r, i) => r.ms / res.parquetWasm[i].ms)));
  const cpuVsParquetWasm = round(median(res.deltaEdge.map((r, i) => r.cpuMs / res.parquetWasm[i].cpuMs)));
  console.log(
    `delta-edge writeTable / parquet-wasm writeParquet on the same Arrow table: ${vsParquetWasm}x wall, ${cpuVsParquetWasm}x CPU ` +
      `(medians of per-run ratios; CPU ${round(median(res.deltaEdge.map((r) => r.cpuMs)))} vs ${round(median(res.parquetWasm.map((r) => r.cpuMs)))} ms; goal <= 1.15x)`,
  );
  const initMs = round(median(res.deltaEdge.map((r) => r.initMs)));
  console.log(`delta-edge cold start (first write in a process, 10k rows: parquet-wasm compile + JIT warm-up): ${initMs} ms, not included above`);
  console.log(`commit latency on the local store: p50 ${round(lat.p50)} ms, p95 ${round(lat.p95)} ms over ${lat.commits} commits`);
  return { rows: ROWS, columns: 10, runs: RUNS, ...summary, deltaEdgeVsParquetWasm: vsParquetWasm, deltaEdgeVsParquetWasmCpu: cpuVsParquetWasm, deltaEdgeColdStartMs: initMs, commitLatencyMs: { p50: round(lat.p50), p95: round(lat.p95) } };
}
