#!/usr/bin/env node
// `npm run bench`: runs every benchmark in bench/ (each in fresh child processes), prints a table
// and writes the combined JSON to bench/out/results.json. Benchmarks import the built dist/.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bundleBench } from "./bundle.js";
import { changesBench } from "./changes.js";
import { dmlBench } from "./dml.js";
import { ingestBench } from "./ingest.js";
import { logReplayBench } from "./log-replay.js";
import { scanBench } from "./scan.js";
import { writeBench } from "./write.js";

const only = process.argv[2];
const benches = { "log-replay": logReplayBench, write: writeBench, scan: scanBench, bundle: bundleBench, changes: changesBench, ingest: ingestBench, dml: dmlBench };
const results = {};
for (const [name, fn] of Object.entries(benches)) {
  if (only && only !== name) continue;
  console.log(`\n## ${name}`);
  results[name] = await fn();
}
const outDir = join(import.meta.dirname, "out");
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nJSON: ${join(outDir, "results.json")}`);
console.log(JSON.stringify(results));
