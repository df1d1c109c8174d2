/**
 * Reference: "Storing partitioned assets" — static partitions. Each species is one partition of
 * `iris_dataset_partitioned`, stored in the `species` column (`partition_expr`). Materializing a
 * partition replaces exactly `WHERE species = '<key>'` in one commit (the table is created
 * partitioned by species); `iris_cleaned`, not partitioned, loads every partition.
 */
import type { Table } from "apache-arrow";
import { asset, deltaLakeIOManager, materialize, staticPartitions } from "../src/core/assets/index.js";
import { irisRows, irisTable, SPECIES } from "./shared/iris.js";
import { runIfMain, type ExampleContext } from "./shared/setup.js";

export async function main(ctx: ExampleContext): Promise<void> {
  const irisDatasetPartitioned = asset({
    name: "iris_dataset_partitioned",
    partitionsDef: staticPartitions(["Iris-setosa", "Iris-virginica", "Iris-versicolor"]),
    metadata: { partition_expr: "species" },
    compute: (context) => irisTable(irisRows([context.partitionKey as string])),
  });

  const irisCleaned = asset({
    name: "iris_cleaned",
    ins: { iris_dataset_partitioned: {} },
    // dropna().drop_duplicates(): keep complete rows, each once.
    compute: (_context, { iris_dataset_partitioned }) => {
      const seen = new Set<string>();
      return (iris_dataset_partitioned as Table).toArray().map((r) => (r as { toJSON(): Record<string, unknown> }).toJSON()).filter((row) => {
        const k = JSON.stringify(row);
        if (Object.values(row).some((v) => v === null) || seen.has(k)) return false;
        seen.add(k);
        return true;
      });
    },
  });

  const io = deltaLakeIOManager({ rootUri: ctx.root, storageOptions: { local: {} }, schema: "iris" });
  for (const species of SPECIES) {
    ctx.report(await materialize({ assets: [irisDatasetPartitioned], resources: { io_manager: io }, partitionKey: species }));
  }
  // Re-materializing one partition replaces only its rows.
  ctx.report(await materialize({ assets: [irisDatasetPartitioned], resources: { io_manager: io }, partitionKey: "Iris-setosa" }));
  ctx.report(await materialize({ assets: [irisDatasetPartitioned, irisCleaned], resources: { io_manager: io }, selection: ["iris_cleaned"] }));
}

runIfMain(import.meta.url, "02-static-partitions", main);
