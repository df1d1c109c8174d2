/**
 * Reference: "Storing partitioned assets" — multi-partitions. Two dimensions, `date` (daily) and
 * `species` (static), stored in the `time` and `species` columns (`partition_expr` maps each
 * dimension to its column). Materializing `2023-01-02|Iris-setosa` replaces exactly
 * `time >= 1672617600 AND time < 1672704000 AND species = 'Iris-setosa'`.
 */
import type { Table } from "apache-arrow";
import { asset, dailyPartitions, deltaLakeIOManager, materialize, multiPartitions, staticPartitions } from "../src/core/assets/index.js";
import { epochSeconds, irisRows, irisTable } from "./shared/iris.js";
import { runIfMain, type ExampleContext } from "./shared/setup.js";

export async function main(ctx: ExampleContext): Promise<void> {
  const irisDatasetPartitioned = asset({
    name: "iris_dataset_partitioned",
    partitionsDef: multiPartitions({
      date: dailyPartitions({ startDate: "2023-01-01", end: "2023-01-05" }),
      species: staticPartitions(["Iris-setosa", "Iris-virginica", "Iris-versicolor"]),
    }),
    metadata: { partition_expr: { date: "time", species: "species" } },
    compute: (context) => {
      const { date, species } = context.keysByDimension as { date: string; species: string };
      return irisTable(irisRows([species], 20), epochSeconds(date));
    },
  });
  const irisCleaned = asset({
    name: "iris_cleaned",
    ins: { iris_dataset_partitioned: {} },
    compute: (_context, { iris_dataset_partitioned }) => iris_dataset_partitioned as Table,
  });

  const io = deltaLakeIOManager({ rootUri: ctx.root, storageOptions: { local: {} }, schema: "iris" });
  for (const key of ["2023-01-01|Iris-setosa", "2023-01-02|Iris-setosa", "2023-01-02|Iris-virginica", "2023-01-03|Iris-versicolor", "2023-01-02|Iris-setosa"]) {
    ctx.report(await materialize({ assets: [irisDatasetPartitioned], resources: { io_manager: io }, partitionKey: key }));
  }
  ctx.report(await materialize({ assets: [irisDatasetPartitioned, irisCleaned], resources: { io_manager: io }, selection: ["iris_cleaned"] }));
}

runIfMain(import.meta.url, "04-multi-partitions", main);
