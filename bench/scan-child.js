// One measurement of the scan benchmark, run in a fresh process by bench/scan.js:
//   node bench/scan-child.js MODE TABLE_DIR QUERY_JSON
// Scans the table's files with one reader (see MODES), twice in the same process: "cold" (with
// module initialization such as wasm compilation, DuckDB start-up and JIT warm-up) and "warm".
// Every mode produces the same thing: the projected columns of the rows that pass the filter,
// materialized in JS (Arrow batches or arrays), checked by row count and the sum of `id`.
// Prints one JSON line: {coldMs, warmMs, rows, idSum, maxRssMB}.
import { Blob } from "node:buffer";
import { readFile } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [mode, dir, queryJson] = process.argv.slice(2);
const query = JSON.parse(queryJson); // {columns: [...], filterColumn?, below?, limit?}
const files = readdirSync(dir).filter((f) => f.endsWith(".parquet")).sort().map((f) => join(dir, f));
const dist = (p) => pathToFileURL(resolve(import.meta.dirname, "../dist", p)).href;
const needed = [...new Set([...query.columns, query.filterColumn ?? query.columns[0]])];
const bound = BigInt(query.below ?? 0);

/** Sums an id column given as bigint or number values. */
const sumIds = (values, n = values.length) => {
  let s = 0;
  for (let i = 0; i < n; i++) s += Number(values[i]);
  return s;
};

const MODES = {
  /** delta-edge readBatches with a given reader or the default one (filter and limit are the scan's own). */
  async deltaEdge(readerName) {
    const { LocalStore } = await import(dist("node/index.js"));
    const { readBatches } = await import(dist("core/index.js"));
    const parquet = await import(dist("core/entries/parquet.js"));
    const reader = readerName === "wasm" ? parquet.createWasmReader() : readerName === "hyparquet" ? parquet.createHyparquetReader() : undefined;
    return async () => {
      const store = new LocalStore({ root: dir });
      let rows = 0;
      let idSum = 0;
      const batches = [];
      const options = {
        store,
        columns: query.columns,
        ...(query.filterColumn ? { where: `${query.filterColumn} < ${query.below}` } : {}),
        ...(query.limit ? { limit: query.limit } : {}),
        ...(reader ? { reader } : {}),
      };
      for await (const b of readBatches(options)) {
        batches.push(b);
        rows += b.numRows;
        idSum += sumIds(b.getChild("id").toArray());
      }
      return { rows, idSum };
    };
  },
  /** hyparquet's parquetRead of the needed columns (column chunks via onChunk), filter in JS. */
  async hyparquet() {
    const { parquetRead, asyncBufferFromFile } = await import("hyparquet");
    return async () => {
      const out = Object.fromEntries(query.columns.map((c) => [c, []]));
      let rows = 0;
      let idSum = 0;
      for (const file of files) {
        const chunks = new Map();
        await parquetRead({
          file: await asyncBufferFromFile(file),
          columns: needed,
          onChunk: (c) => chunks.set(`${c.columnName}@${c.rowStart}`, c.columnData),
        });
        for (const [key, filter] of chunks) {
          if (!key.startsWith(`${query.filterColumn}@`)) continue;
          const at = key.slice(query.filterColumn.length);
          const cols = query.columns.map((c) => chunks.get(`${c}${at}`));
          for (let i = 0; i < filter.length; i++) {
            if (!(filter[i] < bound)) continue;
            query.columns.forEach((c, k) => out[c].push(cols[k][i]));
            idSum += Number(cols[0][i]);
            rows++;
          }
        }
      }
      return { rows, idSum };
    };
  },
  /** parquet-wasm readParquet of each whole file (it ignores `columns`), Arrow IPC, filter in JS. */
  async parquetWasm() {
    const wasm = await import("parquet-wasm/esm");
    const { tableFromIPC } = await import("apache-arrow");
    let ready;
    return async () => {
      ready ??= readFile(resolve(import.meta.dirname, "../node_modules/parquet-wasm/esm/parquet_wasm_bg.wasm")).then((b) => wasm.default({ module_or_path: b }));
      await ready;
      return filterArrow(files, async (file) => tableFromIPC(wasm.readParquet(await readFile(file), { batchSize: 131072 }).intoIPCStream()));
    };
  },
  /** parquet-wasm's async ParquetFile on a Blob, which does honour `columns`, Arrow IPC, filter in JS. */
  async parquetWasmColumns() {
    const wasm = await import("parquet-wasm/esm");
    const { tableFromIPC } = await import("apache-arrow");
    let ready;
    return async () => {
      ready ??= readFile(resolve(import.meta.dirname, "../node_modules/parquet-wasm/esm/parquet_wasm_bg.wasm")).then((b) => wasm.default({ module_or_path: b }));
      await ready;
      return filterArrow(files, async (file) => {
        const pf = await wasm.ParquetFile.fromFile(new Blob([await readFile(file)]));
        return tableFromIPC((await pf.read({ columns: needed, batchSize: 131072 })).intoIPCStream());
      });
    };
  },
  /** DuckDB's read_parquet with the projection and filter in SQL, results read into JS values. */
  async duckdb() {
    const { DuckDBInstance } = await import("@duckdb/node-api");
    return async () => {
      const instance = await DuckDBInstance.create(":memory:");
      const con = await instance.connect();
      const list = files.map((f) => `'${f}'`).join(", ");
      const reader = await con.runAndReadAll(`SELECT ${query.columns.join(", ")} FROM read_parquet([${list}]) WHERE ${query.filterColumn} < ${query.below}`);
      const columns = reader.getColumns();
      const ids = columns[0];
      con.closeSync?.();
      return { rows: ids.length, idSum: sumIds(ids) };
    };
  },
};

/** Filters Arrow tables (one per file) on the filter column, keeping the projected columns. */
async function filterArrow(paths, tableOf) {
  const out = Object.fromEntries(query.columns.map((c) => [c, []]));
  let rows = 0;
  let idSum = 0;
  for (const file of paths) {
    const table = await tableOf(file);
    for (const batch of table.batches) {
      const filter = batch.getChild(query.filterColumn).data[0].values;
      const cols = query.columns.map((c) => batch.getChild(c));
      const ids = cols[0].data[0].values;
      for (let i = 0; i < batch.numRows; i++) {
        if (!(filter[i] < bound)) continue;
        query.columns.forEach((c, k) => out[c].push(cols[k].get(i)));
        idSum += Number(ids[i]);
        rows++;
      }
    }
  }
  return { rows, idSum };
}

const [kind, arg] = mode.split(":");
const run = await MODES[kind](arg);
let t = performance.now();
const cold = await run();
const coldMs = performance.now() - t;
t = performance.now();
const warm = await run();
const warmMs = performance.now() - t;
if (cold.rows !== warm.rows || cold.idSum !== warm.idSum) throw new Error("runs disagree");
console.log(JSON.stringify({ coldMs, warmMs, rows: warm.rows, idSum: warm.idSum, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
