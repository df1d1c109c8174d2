/**
 * Child-process writer for the multi-process test (bundled by the test with rolldown, run with
 * node): waits until a shared start time, then makes `count` blind appends to the table at `dir`,
 * each from a freshly loaded snapshot, and prints the committed versions as JSON.
 */
import { LocalStore } from "../../src/node/storage/local.js";
import { loadSnapshot } from "../../src/core/table/snapshot-load.js";
import { Transaction } from "../../src/core/write/transaction.js";

const [dir, id, count, startAt] = process.argv.slice(2) as [string, string, string, string];
const store = new LocalStore({ root: dir });
while (Date.now() < Number(startAt)) await new Promise((r) => setTimeout(r, 2));
const versions: number[] = [];
for (let i = 0; i < Number(count); i++) {
  const snapshot = await loadSnapshot({ store });
  const add = {
    path: `w${id}-${i}.parquet`,
    partitionValues: {},
    size: 1,
    modificationTime: Date.now(),
    dataChange: true,
    stats: '{"numRecords":1}',
  };
  const result = await new Transaction({ store, snapshot, operation: "WRITE", maxAttempts: 200 }).addFiles([add]).commit();
  versions.push(result.version);
}
process.stdout.write(JSON.stringify(versions));
