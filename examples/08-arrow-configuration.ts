/**
 * Reference: "Storing and loading PyArrow Tables" (apache-arrow here) and the tutorial's
 * configuration. The I/O manager takes a root URI, storage settings and an optional schema
 * (default `public`). Outputs may be an Arrow Table, an async iterable of RecordBatches (written
 * as it streams) or row objects; inputs come as a Table, a RecordBatch stream (`loadAs:
 * "batches"`) or rows. `tableConfig` becomes the table's properties; `deltaTableResource` opens
 * one table directly (dagster's DeltaTableResource), also at an older version.
 */
import type { RecordBatch } from "apache-arrow";
import { asset, deltaLakeIOManager, deltaTableResource, materialize } from "../src/core/assets/index.js";
import { irisRows, irisTable } from "./shared/iris.js";
import { runIfMain, type ExampleContext } from "./shared/setup.js";

export async function main(ctx: ExampleContext): Promise<void> {
  const ioManager = deltaLakeIOManager({
    rootUri: ctx.root, // required
    storageOptions: { local: {} }, // required
    schema: "iris", // optional, defaults to public
    tableConfig: { "delta.dataSkippingNumIndexedCols": "5" },
    customMetadata: { pipeline: "delta-edge examples" },
    writerProperties: { compression: "zstd" },
  });

  const irisDataset = asset({ name: "iris_dataset", compute: () => irisTable(irisRows()) });

  // Streams out: batches are written as they come, never all held at once.
  const irisStream = asset({
    name: "iris_stream",
    compute: async function* () {
      for (let seed = 1; seed <= 5; seed++) yield* irisTable(irisRows(undefined, 50, seed)).batches;
    },
  });

  // Streams in: `loadAs: "batches"` hands over an async iterable of RecordBatches.
  const speciesCounts = asset({
    name: "species_counts",
    ins: { iris_stream: { loadAs: "batches", metadata: { columns: ["species"] } } },
    compute: async (_context, { iris_stream }) => {
      const counts = new Map<string, number>();
      for await (const batch of iris_stream as AsyncIterable<RecordBatch>) {
        for (const s of batch.getChild("species")?.toArray() as string[]) counts.set(s, (counts.get(s) ?? 0) + 1);
      }
      return [...counts].map(([species, rows]) => ({ species, rows }));
    },
  });

  ctx.report(await materialize({ assets: [irisDataset, irisStream, speciesCounts], resources: { io_manager: ioManager } }));
  ctx.report(await materialize({ assets: [irisDataset], resources: { io_manager: ioManager } }));

  const table = deltaTableResource({ url: `${ctx.root}/iris/iris_dataset`, storageOptions: { local: {} } });
  const snapshot = await table.load();
  ctx.log(`iris_dataset is at version ${snapshot.version}; properties ${JSON.stringify(snapshot.properties)}`);
  const first = deltaTableResource({ url: `${ctx.root}/iris/iris_dataset`, storageOptions: { local: {} }, version: 0 });
  ctx.log(`version 0 had ${(await first.readTable()).numRows} rows`);
}

runIfMain(import.meta.url, "08-arrow-configuration", main);
