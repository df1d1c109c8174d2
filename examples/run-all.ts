/**
 * `npm run examples`: runs every example in order against one folder (DELTA_EDGE_EXAMPLES_ROOT,
 * default a new temp dir), each in its own subfolder, prints where every table is, and writes
 * `<root>/tables.json` (example, asset, uri per table) for checkers. Exits non-zero if any
 * example fails (the others still run).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { main as downstreamColumns } from "./01-downstream-columns.js";
import { main as staticPartitions } from "./02-static-partitions.js";
import { main as timePartitions } from "./03-time-partitions.js";
import { main as multiPartitions } from "./04-multi-partitions.js";
import { main as dynamicPartitions } from "./05-dynamic-partitions.js";
import { main as schemas } from "./06-schemas.js";
import { main as multipleIoManagers } from "./07-multiple-io-managers.js";
import { main as arrowConfiguration } from "./08-arrow-configuration.js";
import { main as s3UnsafeRename } from "./09-s3-unsafe-rename.js";
import { main as s3DynamoDb } from "./10-s3-dynamodb-locking.js";
import { main as r2CopyHeader } from "./11-r2-copy-header.js";
import { main as s3CustomEndpoint } from "./12-s3-custom-endpoint.js";
import { main as azureEmulator } from "./13-azure-emulator.js";
import { exampleContext, examplesRoot, type ExampleMain, type TableRecord } from "./shared/setup.js";

const EXAMPLES: [string, ExampleMain][] = [
  ["01-downstream-columns", downstreamColumns],
  ["02-static-partitions", staticPartitions],
  ["03-time-partitions", timePartitions],
  ["04-multi-partitions", multiPartitions],
  ["05-dynamic-partitions", dynamicPartitions],
  ["06-schemas", schemas],
  ["07-multiple-io-managers", multipleIoManagers],
  ["08-arrow-configuration", arrowConfiguration],
  ["09-s3-unsafe-rename", s3UnsafeRename],
  ["10-s3-dynamodb-locking", s3DynamoDb],
  ["11-r2-copy-header", r2CopyHeader],
  ["12-s3-custom-endpoint", s3CustomEndpoint],
  ["13-azure-emulator", azureEmulator],
];

async function runAll(): Promise<number> {
  const root = examplesRoot();
  const only = process.argv.slice(2);
  console.log(`delta-edge examples in ${root}`);
  const tables: TableRecord[] = [];
  const failed: string[] = [];
  for (const [name, main] of EXAMPLES) {
    if (only.length > 0 && !only.some((o) => name.includes(o))) continue;
    const started = Date.now();
    try {
      await main(exampleContext(root, name, tables));
      console.log(`[${name}] ok in ${Date.now() - started} ms`);
    } catch (err) {
      failed.push(name);
      console.error(`[${name}] FAILED:`, err);
    }
  }
  writeFileSync(join(root, "tables.json"), JSON.stringify(tables, null, 2) + "\n");
  console.log(`\n${tables.length} tables:`);
  for (const t of tables) console.log(`  ${t.example.padEnd(24)} ${t.asset.padEnd(28)} ${t.uri}`);
  console.log(`(list in ${join(root, "tables.json")})`);
  if (failed.length > 0) console.error(`\nfailed: ${failed.join(", ")}`);
  return failed.length > 0 ? 1 : 0;
}

runAll().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
