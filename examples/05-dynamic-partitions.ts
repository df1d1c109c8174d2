/**
 * Reference: "Storing partitioned assets" — dynamic partitions (the page's empty tab). Keys are
 * added while the program runs (one per delivered batch of measurements); each is replaced like a
 * static key. Deleting a key removes it from "all partitions", so the unpartitioned downstream no
 * longer loads its rows (they stay in the table, as in dagster).
 */
import type { Table } from "apache-arrow";
import { asset, deltaLakeIOManager, dynamicPartitions, materialize } from "../src/core/assets/index.js";
import { irisRows } from "./shared/iris.js";
import { runIfMain, type ExampleContext } from "./shared/setup.js";

export async function main(ctx: ExampleContext): Promise<void> {
  const deliveries = dynamicPartitions({ name: "deliveries" });
  const measurements = asset({
    name: "measurements",
    partitionsDef: deliveries,
    metadata: { partition_expr: "delivery" },
    // Row objects work as well as Arrow: their types are inferred (or taken from the table).
    compute: (context) => irisRows(undefined, 3, context.partitionKey?.length ?? 1).map((r) => ({ ...r, delivery: context.partitionKey })),
  });
  const summary = asset({
    name: "measurement_count",
    ins: { measurements: { metadata: { columns: ["delivery"] } } },
    compute: (_context, { measurements: m }) => {
      const counts = new Map<string, number>();
      for (const d of (m as Table).getChild("delivery")?.toArray() as string[]) counts.set(d, (counts.get(d) ?? 0) + 1);
      return [...counts].map(([delivery, rows]) => ({ delivery, rows }));
    },
  });

  const io = deltaLakeIOManager({ rootUri: ctx.root, storageOptions: { local: {} } });
  deliveries.addPartitions(["lab-a-0001", "lab-b-0001"]);
  for (const key of deliveries.keys()) ctx.report(await materialize({ assets: [measurements], resources: { io_manager: io }, partitionKey: key }));
  deliveries.addPartitions(["lab-a-0002"]);
  ctx.report(await materialize({ assets: [measurements], resources: { io_manager: io }, partitionKey: "lab-a-0002" }));
  deliveries.deletePartition("lab-b-0001");
  ctx.report(await materialize({ assets: [measurements, summary], resources: { io_manager: io }, selection: ["measurement_count"] }));
}

runIfMain(import.meta.url, "05-dynamic-partitions", main);
