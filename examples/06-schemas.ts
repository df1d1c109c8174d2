/**
 * Reference: "Storing tables in multiple schemas". The schema is the asset key's prefix
 * (`iris/iris_dataset` -> <root>/iris/iris_dataset, `daffodil/daffodil_dataset` ->
 * <root>/daffodil/daffodil_dataset), or the I/O manager's `schema` config, never both: giving
 * both is an error, and with neither the table goes to `public`.
 */
import { asset, deltaLakeIOManager, materialize } from "../src/core/assets/index.js";
import { irisRows, irisTable } from "./shared/iris.js";
import { runIfMain, type ExampleContext } from "./shared/setup.js";

export async function main(ctx: ExampleContext): Promise<void> {
  const irisDataset = asset({ name: "iris_dataset", keyPrefix: ["iris"], compute: () => irisTable(irisRows()) });
  const daffodilDataset = asset({
    key: ["daffodil", "daffodil_dataset"],
    compute: () => [
      { variety: "Tête-à-tête", height_cm: 15, color: "yellow" },
      { variety: "Thalia", height_cm: 35, color: "white" },
    ],
  });
  const unprefixed = asset({ name: "unfiled_dataset", compute: () => irisTable(irisRows(["Iris-setosa"], 5)) });

  const byPrefix = deltaLakeIOManager({ rootUri: ctx.root, storageOptions: { local: {} } });
  ctx.report(await materialize({ assets: [irisDataset, daffodilDataset, unprefixed], resources: { io_manager: byPrefix } }));

  // The two ways are mutually exclusive.
  const withSchema = deltaLakeIOManager({ rootUri: ctx.root, storageOptions: { local: {} }, schema: "iris" });
  try {
    await materialize({ assets: [irisDataset], resources: { io_manager: withSchema } });
    throw new Error("expected the schema conflict to be refused");
  } catch (err) {
    ctx.log(`refused as expected: ${(err as Error).message}`);
  }
}

runIfMain(import.meta.url, "06-schemas", main);
