/**
 * Reference: "Using the Delta Lake I/O manager with other I/O managers". `iris_dataset` is stored
 * by the I/O manager under `warehouse_io_manager` (Delta Lake), `iris_plots` by the one under
 * `blob_io_manager` (a blob store: here an SVG scatter plot as bytes at <root>/blobs/iris_plots,
 * where dagster's snippet pickles to S3).
 */
import type { Table } from "apache-arrow";
import { asset, blobIOManager, deltaLakeIOManager, materialize } from "../src/core/assets/index.js";
import { irisRows, irisTable, SPECIES } from "./shared/iris.js";
import { runIfMain, type ExampleContext } from "./shared/setup.js";

const COLORS = ["#1b9e77", "#d95f02", "#7570b3"];

/** plot_data: petal length against petal width, one color per species, as SVG text. */
function plotData(t: Table): string {
  const length = t.getChild("petal_length_cm")?.toArray() as Float64Array;
  const width = t.getChild("petal_width_cm")?.toArray() as Float64Array;
  const species = t.getChild("species")?.toArray() as string[];
  const dots = Array.from(length, (l, i) => {
    const color = COLORS[SPECIES.indexOf(species[i] as (typeof SPECIES)[number])] ?? "#000";
    return `<circle cx="${(20 + l * 40).toFixed(1)}" cy="${(280 - (width[i] as number) * 100).toFixed(1)}" r="3" fill="${color}"/>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="300">${dots.join("")}</svg>`;
}

export async function main(ctx: ExampleContext): Promise<void> {
  const irisDataset = asset({ name: "iris_dataset", ioManagerKey: "warehouse_io_manager", compute: () => irisTable(irisRows()) });
  const irisPlots = asset({
    name: "iris_plots",
    ioManagerKey: "blob_io_manager",
    metadata: { format: "bytes" },
    ins: { iris_dataset: {} },
    compute: (_context, { iris_dataset }) => plotData(iris_dataset as Table),
  });

  const result = await materialize({
    assets: [irisDataset, irisPlots],
    resources: {
      warehouse_io_manager: deltaLakeIOManager({ rootUri: ctx.root, storageOptions: { local: {} }, schema: "iris" }),
      blob_io_manager: blobIOManager({ rootUri: `${ctx.root}/blobs`, storageOptions: { local: {} }, format: "json" }),
    },
  });
  ctx.report(result);
}

runIfMain(import.meta.url, "07-multiple-io-managers", main);
