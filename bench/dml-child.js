// One measurement of the DML benchmark, run in a fresh process by bench/dml.js:
//   node bench/dml-child.js MODE TABLE_DIR ROWS FILES
// MODE "setup" writes the table (FILES appends of ROWS/FILES rows, ids in order, so each file
// holds one id range); "enable-dv" turns deletion vectors on (a property change). The other modes
// run one operation through a CountingStore and print, as one JSON line, its time, the data files
// and bytes it read and wrote (log requests apart) and the table's size before it.
import { performance } from "node:perf_hooks";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import * as A from "apache-arrow";

const [mode, dir, rowsArg, filesArg] = process.argv.slice(2);
const ROWS = Number(rowsArg);
const FILES = Number(filesArg);
const dist = (p) => pathToFileURL(resolve(import.meta.dirname, "../dist", p)).href;
const core = await import(dist("core/index.js"));
const { LocalStore } = await import(dist("node/index.js"));
const { CountingStore } = await import(dist("core/storage/counting.js"));

/** Rows [from, to): id, bucket = id % 100 (spreads a 1% predicate over every file), score, name. */
function batch(from, to) {
  const n = to - from;
  const id = new BigInt64Array(n), bucket = new Int32Array(n), score = new Float64Array(n), name = new Array(n);
  for (let i = 0; i < n; i++) {
    const k = from + i;
    id[i] = BigInt(k);
    bucket[i] = k % 100;
    score[i] = (k % 10007) / 7;
    name[i] = `name-${k % 5000}`;
  }
  return new A.Table({ id: A.makeVector(id), bucket: A.makeVector(bucket), score: A.makeVector(score), name: A.vectorFromArray(name, new A.Utf8()) }).batches[0];
}

/** The same rows, FILES batches of ROWS/FILES. */
function* allBatches() {
  const per = Math.ceil(ROWS / FILES);
  for (let f = 0; f < FILES; f++) yield batch(f * per, Math.min(ROWS, (f + 1) * per));
}

// 1% of the rows, all in the first 10% of the ids (the first 10% of the files): stats prune the rest.
const WHERE = `id < ${Math.floor(ROWS / 10)} AND bucket < 10`;

const OPS = {
  async setup(store) {
    let i = 0;
    for (const b of allBatches()) await core.writeTable({ store, data: b, mode: i++ === 0 ? "error" : "append" });
  },
  async "enable-dv"(store) {
    await core.setTableProperties({ store, properties: { "delta.enableDeletionVectors": "true" } });
  },
  delete: (store) => core.deleteRows({ store, where: WHERE }),
  update: (store) => core.updateRows({ store, where: WHERE, set: { score: "score * 2 + 1" } }),
  /** A 100k-row source of recent changes: half update every other one of the last 100k ids, half are new ids. */
  merge(store) {
    const half = 50_000;
    const id = new BigInt64Array(2 * half);
    for (let i = 0; i < half; i++) {
      id[i] = BigInt(ROWS - 2 * half + 2 * i);
      id[half + i] = BigInt(ROWS + i);
    }
    const n = id.length;
    const source = new A.Table({
      id: A.makeVector(id),
      bucket: A.makeVector(Int32Array.from(id, (k) => Number(k % 100n))),
      score: A.makeVector(new Float64Array(n).fill(-1)),
      name: A.vectorFromArray(Array.from({ length: n }, () => "merged"), new A.Utf8()),
    });
    return core.mergeInto({ store, source, on: "target.id = source.id", whenMatched: [{ action: "updateAll" }], whenNotMatched: [{ action: "insertAll" }] });
  },
  /** The baseline: the whole table written again (what a rewrite without DML costs at least). */
  overwrite: (store) => core.writeTable({ store, data: allBatches(), mode: "overwrite" }),
};

const local = new LocalStore({ root: dir });
if (mode === "setup" || mode === "enable-dv") {
  await OPS[mode](local);
  console.log("{}");
} else {
  const before = await core.openTable({ store: local });
  const tableBytes = before.files().reduce((n, f) => n + Number(f.size), 0);
  const store = new CountingStore(local);
  const t0 = performance.now();
  const result = await OPS[mode](store);
  const ms = performance.now() - t0;
  const data = store.operations().filter((o) => !o.key.startsWith("_delta_log/"));
  const read = data.filter((o) => o.op === "get");
  const written = data.filter((o) => o.op === "put" || o.op === "putIfAbsent");
  const after = await core.openTable({ store: local });
  console.log(
    JSON.stringify({
      ms,
      tableBytes,
      tableFiles: before.files().length,
      filesRead: new Set(read.map((o) => o.key)).size,
      bytesRead: read.reduce((n, o) => n + o.bytes, 0),
      filesWritten: written.length,
      dvFilesWritten: written.filter((o) => /deletion_vector_[^/]*\.bin$/.test(o.key)).length,
      bytesWritten: written.reduce((n, o) => n + o.bytes, 0),
      version: after.version,
      metrics: result.metrics ?? { rows: result.rows, files: result.files?.length },
    }),
  );
}
