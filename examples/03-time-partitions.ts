/**
 * Reference: "Storing partitioned assets" — time partitions. `iris_data_per_day` is partitioned
 * daily from 2023-01-01 and stores the day in `time`, seconds since the epoch (as the dagster
 * snippet describes). A partition is the whole window [start, end): `time >= 1672617600 AND
 * time < 1672704000` for 2023-01-02, not just rows equal to its start; a range of days is written
 * by one run. `readings_hourly` does the same per hour on a timestamp column with readings inside
 * the hour. `iris_cleaned` loads every day written so far.
 */
import type { Table } from "apache-arrow";
import { asset, dailyPartitions, deltaLakeIOManager, hourlyPartitions, materialize } from "../src/core/assets/index.js";
import { epochSeconds, irisRows, irisTable } from "./shared/iris.js";
import { runIfMain, type ExampleContext } from "./shared/setup.js";

export async function main(ctx: ExampleContext): Promise<void> {
  // A fixed end keeps the example's partitions the same whatever day it runs.
  const daily = dailyPartitions({ startDate: "2023-01-01", end: "2023-01-08" });
  const irisDataPerDay = asset({
    name: "iris_data_per_day",
    partitionsDef: daily,
    metadata: { partition_expr: "time" },
    // get_iris_data_for_date: one reading per species per day of the window, `time` = that day.
    compute: (context) => {
      const keys = context.partitionKeys;
      const tables = keys.map((day, i) => irisTable(irisRows(undefined, 10, i + 1), epochSeconds(day)));
      return tables.reduce((all, t) => all.concat(t));
    },
  });
  const irisCleaned = asset({
    name: "iris_cleaned",
    ins: { iris_data_per_day: {} },
    compute: (_context, { iris_data_per_day }) => iris_data_per_day as Table,
  });

  const hourly = hourlyPartitions({ startDate: "2023-01-01-00:00", end: "2023-01-02-00:00" });
  const readingsHourly = asset({
    name: "readings_hourly",
    partitionsDef: hourly,
    metadata: { partition_expr: "ts" },
    compute: (context) => {
      const start = (context.partitionTimeWindow as { start: Date }).start.getTime();
      return [0, 20, 40, 59].map((minute) => ({ ts: new Date(start + minute * 60_000), reading: minute / 10 }));
    },
  });

  const io = deltaLakeIOManager({ rootUri: ctx.root, storageOptions: { local: {} }, schema: "iris" });
  for (const day of ["2023-01-01", "2023-01-02", "2023-01-03"]) {
    ctx.report(await materialize({ assets: [irisDataPerDay], resources: { io_manager: io }, partitionKey: day }));
  }
  // A backfill of four days in one run: one commit replacing [2023-01-03, 2023-01-07).
  ctx.report(await materialize({ assets: [irisDataPerDay], resources: { io_manager: io }, partitionKeyRange: { start: "2023-01-03", end: "2023-01-06" } }));
  ctx.report(await materialize({ assets: [irisDataPerDay, irisCleaned], resources: { io_manager: io }, selection: ["iris_cleaned"] }));
  for (const hour of ["2023-01-01-05:00", "2023-01-01-06:00", "2023-01-01-05:00"]) {
    ctx.report(await materialize({ assets: [readingsHourly], resources: { io_manager: io }, partitionKey: hour }));
  }
}

runIfMain(import.meta.url, "03-time-partitions", main);
