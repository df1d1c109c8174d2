
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
import { writeTable } from "/work/main/dist/core/index.js";
import { LocalStore } from "/work/main/dist/node/index.js";
const table = makeData(1000000);
await writeTable({ store: new LocalStore({ root: "/tmp/wp-warm" + Date.now() }), data: makeData(10000) });
import { Session } from "node:inspector/promises";
const ses = new Session(); ses.connect(); await ses.post("Profiler.enable"); await ses.post("Profiler.setSamplingInterval",{interval:200}); await ses.post("Profiler.start");
for (let i=0;i<3;i++){ const c0=process.cpuUsage(); const t0 = performance.now();
const r = await writeTable({ store: new LocalStore({ root: "/tmp/wp-" + Date.now() }), data: table, targetFileSize: 512*1024*1024 });
const c=process.cpuUsage(c0); console.log("ms", performance.now()-t0, "cpu", (c.user+c.system)/1000); }
const { profile } = await ses.post("Profiler.stop"); (await import("node:fs")).writeFileSync("/tmp/wprof/w.cpuprofile", JSON.stringify(profile));
