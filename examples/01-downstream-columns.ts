/**
 * Reference: "Selecting specific columns in a downstream asset". `sepal_data` loads only the two
 * sepal columns of `iris/iris_dataset` through its input's `columns` metadata; the scan fetches
 * only those columns' chunks of each Parquet file.
 */
import type { Table } from "apache-arrow";
import { asset, deltaLakeIOManager, materialize } from "../src/core/assets/index.js";
import { irisRows, irisTable } from "./shared/iris.js";
import { runIfMain, type ExampleContext } from "./shared/setup.js";

export async function main(ctx: ExampleContext): Promise<void> {
  const irisDataset = asset({ name: "iris_dataset", compute: () => irisTable(irisRows()) });

  const sepalData = asset({
    name: "sepal_data",
    ins: { iris_sepal: { key: "iris_dataset", metadata: { columns: ["sepal_length_cm", "sepal_width_cm"] } } },
    compute: (_context, { iris_sepal }) => {
      const t = iris_sepal as Table;
      const length = t.getChild("sepal_length_cm")?.toArray() as Float64Array;
      const width = t.getChild("sepal_width_cm")?.toArray() as Float64Array;
      ctx.log(`sepal_data received columns ${t.schema.fields.map((f) => f.name).join(", ")} (${t.numRows} rows)`);
      // iris_sepal["sepal_area_cm2"] = length * width, as row objects.
      return Array.from(length, (l, i) => {
        const w = width[i] as number;
        return { sepal_length_cm: l, sepal_width_cm: w, sepal_area_cm2: Math.round(l * w * 100) / 100 };
      });
    },
  });

  const result = await materialize({
    assets: [irisDataset, sepalData],
    resources: { io_manager: deltaLakeIOManager({ rootUri: ctx.root, storageOptions: { local: {} }, schema: "iris" }) },
  });
  ctx.report(result);
}

runIfMain(import.meta.url, "01-downstream-columns", main);
