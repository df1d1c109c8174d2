
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
  }
const { StatsCollector } = await import(process.env.OLD ? "../dist/core/write/stats_old.js" : "../dist/core/write/stats.js");
import { arrowSchemaToDelta } from "../dist/core/schema/index.js";
const t = makeData(1000000);
const all = arrowSchemaToDelta(t.schema);
const only = process.argv[2];
for (const f of all.fields) {
  if (only && f.name !== only) continue;
  const i = t.schema.fields.findIndex(x=>x.name===f.name);
  const sub = t.selectAt([i]);
  let best=1e9;
  for (let r=0;r<15;r++){
    const c = new StatsCollector({ schema: { ...all, fields: [f] } });
    const t0=process.cpuUsage(); for (const b of sub.batches) c.add(b); const du=process.cpuUsage(t0); best=Math.min(best, (du.user+du.system)/1000);
  }
  console.log(f.name, best.toFixed(1), "ms");
}
{ let best=1e9; for (let r=0;r<15;r++){ const c = new StatsCollector({ schema: all }); const t0=process.cpuUsage(); for (const b of t.batches) c.add(b); const du=process.cpuUsage(t0); best=Math.min(best, (du.user+du.system)/1000);} console.log("all", best.toFixed(1)); }
