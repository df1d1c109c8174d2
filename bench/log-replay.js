// Log replay benchmark (issue 2): open kernel/300k-add-files-100-col-partitioned (300k add
// actions in 5 commits, ~46 MB of JSON) with delta-edge, beside the floor: the time Node needs to
// merely JSON.parse the same log lines. Each measurement runs in a fresh process (so peak RSS is
// its own); we report the median of RUNS runs. Wall time is the figure; CPU time (all threads:
// the garbage collector's helpers and file reads count) is printed beside it because on a shared
// machine it varies less.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { tmpdir } from "node:os";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARBALL = resolve(import.meta.dirname, "../../shared/conformance/kernel/300k-add-files-100-col-partitioned.tar.zst");
const TABLE_NAME = "300k-add-files-100-col-partitioned";

/** Unpacks the tarball into a temp folder once (needs the zstd and tar commands). */
function unpack() {
  const dir = join(tmpdir(), "delta-edge-bench");
  const table = join(dir, TABLE_NAME);
  if (existsSync(join(table, "_delta_log"))) return table;
  mkdirSync(dir, { recursive: true });
  execFileSync("sh", ["-c", `zstd -dc "${TARBALL}" | tar -x -C "${dir}"`], { stdio: "inherit" });
  return table;
}

const CHILD = {
  floor: `
    import { readdirSync, readFileSync } from "node:fs";
    const dir = process.argv[1] + "/_delta_log";
    const lines = [];
    for (const f of readdirSync(dir).filter((f) => /^\\d{20}\\.json$/.test(f)).sort()) {
      for (const l of readFileSync(dir + "/" + f, "utf8").split("\\n")) if (l) lines.push(l);
    }
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let n = 0;
    for (const l of lines) { JSON.parse(l); n++; }
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    console.log(JSON.stringify({ ms, cpuMs: (c.user + c.system) / 1000, lines: n, maxRssMB: process.resourceUsage().maxRSS / 1024 }));`,
  deltaEdge: `
    import { LocalStore } from "${resolve(import.meta.dirname, "../dist/node/index.js")}";
    import { openTable as loadSnapshot } from "${resolve(import.meta.dirname, "../dist/core/index.js")}";
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const s = await loadSnapshot({ store: new LocalStore({ root: process.argv[1] }) });
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    console.log(JSON.stringify({ ms, cpuMs: (c.user + c.system) / 1000, version: s.version, numFiles: s.numFiles, maxRssMB: process.resourceUsage().maxRSS / 1024 }));`,
};

function runChild(code, table) {
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", code, table], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function logReplayBench() {
  const table = unpack();
  const floor = [];
  const ours = [];
  for (let i = 0; i < RUNS; i++) {
    floor.push(runChild(CHILD.floor, table));
    ours.push(runChild(CHILD.deltaEdge, table));
  }
  const result = {
    table: TABLE_NAME,
    runs: RUNS,
    addActions: ours[0].numFiles,
    floorJsonParseMs: round(median(floor.map((r) => r.ms))),
    deltaEdgeReplayMs: round(median(ours.map((r) => r.ms))),
    floorCpuMs: round(median(floor.map((r) => r.cpuMs))),
    deltaEdgeCpuMs: round(median(ours.map((r) => r.cpuMs))),
    deltaEdgePeakRssMB: round(median(ours.map((r) => r.maxRssMB))),
    floorPeakRssMB: round(median(floor.map((r) => r.maxRssMB))),
  };
  result.ratio = round(result.deltaEdgeReplayMs / result.floorJsonParseMs);
  result.cpuRatio = round(result.deltaEdgeCpuMs / result.floorCpuMs);
  console.table([
    { what: "JSON.parse of every log line (floor)", ms: result.floorJsonParseMs, cpuMs: result.floorCpuMs, peakRssMB: result.floorPeakRssMB },
    { what: "delta-edge loadSnapshot (read + check + replay)", ms: result.deltaEdgeReplayMs, cpuMs: result.deltaEdgeCpuMs, peakRssMB: result.deltaEdgePeakRssMB },
  ]);
  console.log(`ratio delta-edge / floor: ${result.ratio}x wall, ${result.cpuRatio}x CPU (goal <= 1.3x); ${result.addActions} live files`);
  return result;
}

const round = (x) => Math.round(x * 100) / 100;
