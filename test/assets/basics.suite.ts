/**
 * The Delta I/O manager's unpartitioned behaviour, shared by the memory and moto S3 runs: table
 * paths and schemas (config, key prefix, metadata; two at once is an error; default public),
 * tableConfig as table properties, custom commit metadata, writer properties, materialization
 * metadata, column selection fetching only the selected column chunks (proved with a counting
 * store against hyparquet's own reading of each file's footer), data types in and out (Arrow
 * Table, streamed RecordBatches, row objects), modes, and the blob I/O manager beside it.
 */
import { describe, expect, it } from "vitest";
import { RecordBatch, type Table } from "apache-arrow";
import { parquetMetadata } from "hyparquet";
import {
  asset,
  blobIOManager,
  deltaLakeIOManager,
  deltaTableResource,
  materialize,
  type DeltaMaterialization,
  type TableRoot,
} from "../../src/core/assets/index.js";
import { CountingStore } from "../../src/core/storage/counting.js";
import type { ObjectStore } from "../../src/core/storage/object-store.js";
import { openTable } from "../../src/core/table/open.js";
import { readHistory } from "../../src/core/table/history.js";
import { arrowTable, IRIS_TYPES, irisRows, jsonRows, tableJson } from "./helpers.js";

export function basicsSuite(name: string, makeRoot: () => Promise<TableRoot>, makeStore: () => Promise<ObjectStore>): void {
  describe(`Delta I/O manager (${name})`, () => {
    it("tables at <root>/<schema>/<table>: config, key prefix, metadata or public; two sources is an error", async () => {
      const root = await makeRoot();
      const plain = deltaLakeIOManager(root);
      const configured = deltaLakeIOManager({ ...root, schema: "iris" });
      const data = () => arrowTable(irisRows(1), IRIS_TYPES);
      const r1 = await materialize({ assets: [asset({ name: "iris_dataset", compute: data })], resources: { io_manager: plain } });
      expect((r1.get("iris_dataset")?.metadata as DeltaMaterialization).tableUri).toMatch(/\/public\/iris_dataset$/);
      const r2 = await materialize({ assets: [asset({ name: "iris_dataset", compute: data })], resources: { io_manager: configured } });
      expect((r2.get("iris_dataset")?.metadata as DeltaMaterialization).tableUri).toMatch(/\/iris\/iris_dataset$/);
      const r3 = await materialize({ assets: [asset({ name: "daffodil_dataset", keyPrefix: ["daffodil"], compute: data })], resources: { io_manager: plain } });
      expect((r3.get("daffodil/daffodil_dataset")?.metadata as DeltaMaterialization).schema).toBe("daffodil");
      const r4 = await materialize({ assets: [asset({ name: "m", metadata: { schema: "meta" }, compute: data })], resources: { io_manager: plain } });
      expect((r4.get("m")?.metadata as DeltaMaterialization).tableUri).toMatch(/\/meta\/m$/);
      await expect(materialize({ assets: [asset({ key: ["iris", "iris_dataset"], compute: data })], resources: { io_manager: configured } })).rejects.toThrow(
        'asset iris/iris_dataset gets schema "iris" from the I/O manager config and schema "iris" from its key prefix; a schema can only be specified one way',
      );
      expect((await jsonRows(plain.tableStore("daffodil/daffodil_dataset"))).length).toBe(3);
    });

    it("tableConfig becomes table properties; customMetadata and writerProperties reach the commit and files", async () => {
      const io = deltaLakeIOManager({
        ...(await makeRoot()),
        tableConfig: { "delta.appendOnly": "false", "delta.logRetentionDuration": "interval 7 days", "owner.team": "botany" },
        customMetadata: { userName: "gardener" },
        writerProperties: { compression: "zstd" },
      });
      const run = await materialize({ assets: [asset({ name: "t", compute: () => arrowTable(irisRows(2), IRIS_TYPES) })], resources: { io_manager: io } });
      const md = run.get("t")?.metadata as DeltaMaterialization;
      expect(md.tableProperties).toMatchObject({ "delta.logRetentionDuration": "interval 7 days", "owner.team": "botany" });
      const store = io.tableStore("public/t");
      expect((await openTable({ store })).properties["owner.team"]).toBe("botany");
      const [last] = await readHistory({ store, limit: 1 });
      expect(JSON.parse(String(last?.commitInfo?.["userMetadata"]))).toEqual({ userName: "gardener" });
      const file = (await openTable({ store })).files()[0];
      const meta = parquetMetadata(toArrayBuffer(await store.get(decodeURIComponent(String(file?.path)))));
      expect(meta.row_groups[0]?.columns[0]?.meta_data?.codec).toBe("ZSTD");
      expect(() => deltaLakeIOManager({ store: new CountingStore(store), writerProperties: { compression: "zstd", engine: "rust" } as never })).toThrow(/writerProperties key "engine"/);
    });

    it("materialization metadata: URI, version, rows, bytes, columns with types", async () => {
      const io = deltaLakeIOManager(await makeRoot());
      const a = asset({ name: "typed", compute: () => arrowTable([{ s: "a", n: 1n, d: "2024-01-02", t: new Date("2024-01-02T03:04:05Z") }], { s: "string", n: "long", d: "date", t: "timestamp" }) });
      const md = (await materialize({ assets: [a], resources: { io_manager: io } })).get("typed")?.metadata as DeltaMaterialization;
      expect(md).toMatchObject({ schema: "public", table: "typed", status: "committed", version: 0, mode: "overwrite", numRows: 1, filesAdded: 1, partitionColumns: [] });
      expect(md.sizeBytes).toBeGreaterThan(100);
      expect(md.columns).toEqual([{ name: "s", type: "string" }, { name: "n", type: "long" }, { name: "d", type: "date" }, { name: "t", type: "timestamp" }]);
      const again = (await materialize({ assets: [a], resources: { io_manager: io } })).get("typed")?.metadata as DeltaMaterialization;
      expect([again.version, again.filesRemoved]).toEqual([1, 1]);
    });

    it("columns metadata loads only those columns and fetches only their column chunks", async () => {
      const counting = new CountingStore(await makeStore());
      const io = deltaLakeIOManager({ store: counting, schema: "iris", writerProperties: { compression: "uncompressed" } });
      const wide: Record<string, unknown>[] = [];
      let x = 1;
      const rnd = () => ((x = (x * 48271) % 2147483647), x / 2147483647);
      for (let i = 0; i < 40_000; i++) wide.push({ sepal_length_cm: rnd(), sepal_width_cm: rnd(), petal_length_cm: rnd(), petal_width_cm: rnd(), species: `s${Math.floor(rnd() * 1e6)}` });
      await materialize({ assets: [asset({ name: "iris_dataset", compute: () => arrowTable(wide, IRIS_TYPES) })], resources: { io_manager: io } });
      counting.reset();
      let sepal: Table | undefined;
      const sepalData = asset({
        name: "sepal_data",
        ins: { iris_sepal: { key: "iris/iris_dataset", metadata: { columns: ["sepal_length_cm", "sepal_width_cm"] } } },
        compute: (_ctx, { iris_sepal }) => ((sepal = iris_sepal as Table), iris_sepal),
      });
      await materialize({ assets: [asset({ key: ["iris", "iris_dataset"], compute: () => [] }), sepalData], resources: { io_manager: deltaLakeIOManager({ store: counting }) }, selection: ["sepal_data"] });
      expect(sepal?.schema.fields.map((f) => f.name)).toEqual(["sepal_length_cm", "sepal_width_cm"]);
      expect(sepal?.numRows).toBe(40_000);
      const reads = counting.operations().filter((o) => o.op === "get" && o.key.startsWith("iris/iris_dataset/") && !o.key.includes("_delta_log/"));
      const files = [...new Set(reads.map((o) => o.key))];
      expect(files.length).toBeGreaterThan(0);
      for (const key of files) {
        const bytes = await counting.inner.get(key);
        const meta = parquetMetadata(toArrayBuffer(bytes));
        const chunks = meta.row_groups.flatMap((rg) => rg.columns.map((c) => {
          const m = c.meta_data;
          const start = Number(m?.dictionary_page_offset ?? m?.data_page_offset);
          return { column: String(m?.path_in_schema[0]), start, end: start + Number(m?.total_compressed_size) };
        }));
        // Every read but the footer's (the one ending at the end of the file).
        const ranged = reads.filter((o) => o.key === key && o.range !== undefined && "offset" in o.range && o.range.offset + (o.range.length ?? 0) < bytes.byteLength);
        expect(ranged.length).toBeGreaterThan(0);
        for (const o of ranged) {
          const r = o.range as { offset: number; length?: number };
          const [s, e] = [r.offset, r.offset + (r.length ?? 0)];
          for (const c of chunks) {
            if (c.column === "sepal_length_cm" || c.column === "sepal_width_cm") continue;
            expect(s < c.end && c.start < e, `${key}: read [${s}, ${e}) overlaps unselected ${c.column} [${c.start}, ${c.end})`).toBe(false);
          }
        }
        const selected = chunks.filter((c) => c.column.startsWith("sepal")).reduce((n, c) => n + c.end - c.start, 0);
        const rangedBytes = ranged.reduce((n, o) => n + o.bytes, 0);
        expect(rangedBytes).toBeLessThanOrEqual(selected * 1.05);
      }
    });

    it("data in and out: Arrow Table, a streamed async iterable of RecordBatches, row objects", async () => {
      const io = deltaLakeIOManager(await makeRoot());
      let pulled = 0;
      const source = arrowTable(irisRows(50), IRIS_TYPES, 10);
      async function* stream(): AsyncGenerator<RecordBatch> {
        for (const b of source.batches) {
          pulled++;
          yield b;
        }
      }
      const streamed = asset({ name: "streamed", compute: () => stream() });
      const md = (await materialize({ assets: [streamed], resources: { io_manager: io } })).get("streamed")?.metadata as DeltaMaterialization;
      expect([pulled, md.numRows]).toEqual([15, 150]);
      const batches = (await io.loadInput({ assetKey: ["streamed"], metadata: {}, upstreamMetadata: {}, loadAs: "batches" })) as AsyncIterable<RecordBatch>;
      expect(typeof batches[Symbol.asyncIterator]).toBe("function");
      let rows = 0;
      for await (const b of batches) rows += b.numRows;
      expect(rows).toBe(150);
      const fromRows = asset({ name: "rows", compute: () => [{ a: 1, b: "x" }, { a: 2, b: null }] });
      await materialize({ assets: [fromRows], resources: { io_manager: io } });
      const back = (await io.loadInput({ assetKey: ["rows"], metadata: {}, upstreamMetadata: {}, loadAs: "rows" })) as Record<string, unknown>[];
      expect(back).toEqual([{ a: 1n, b: "x" }, { a: 2n, b: null }]);
      const table = (await io.loadInput({ assetKey: ["rows"], metadata: { columns: ["b"] }, upstreamMetadata: {} })) as Table;
      expect(tableJson(table)).toEqual([{ b: "x" }, { b: null }]);
      await expect(materialize({ assets: [asset({ name: "bad", compute: () => 42 })], resources: { io_manager: io } })).rejects.toThrow(/no handler for a number/);
      await expect(materialize({ assets: [asset({ name: "none", compute: () => undefined })], resources: { io_manager: io } })).rejects.toThrow(/returned undefined/);
      await expect(io.loadInput({ assetKey: ["nowhere"], metadata: {}, upstreamMetadata: {} })).rejects.toThrow(/has no Delta table at .*nowhere: materialize it first/);
      await expect(io.loadInput({ assetKey: ["rows"], metadata: { columns: ["zz"] }, upstreamMetadata: {} })).rejects.toThrow(/selects column\(s\) zz/);
    });

    it("modes (append, error, ignore), schema merge, time travel on input and in the table resource", async () => {
      const root = await makeRoot();
      const io = deltaLakeIOManager(root);
      let rows: Record<string, unknown>[] = [{ a: 1 }];
      const t = asset({ name: "t", compute: () => rows });
      await materialize({ assets: [t], resources: { io_manager: io } });
      await materialize({ assets: [asset({ name: "t", metadata: { mode: "append" }, compute: () => rows })], resources: { io_manager: io } });
      expect(await jsonRows(io.tableStore("public/t"))).toHaveLength(2);
      await expect(materialize({ assets: [asset({ name: "t", metadata: { mode: "error" }, compute: () => rows })], resources: { io_manager: io } })).rejects.toThrow(/already exists/);
      const ignored = await materialize({ assets: [asset({ name: "t", metadata: { mode: "ignore" }, compute: () => rows })], resources: { io_manager: io } });
      expect((ignored.get("t")?.metadata as DeltaMaterialization).status).toBe("ignored");
      rows = [{ a: 5, b: "new" }];
      await materialize({ assets: [t], resources: { io_manager: deltaLakeIOManager({ ...root, schemaMode: "merge", mode: "append" }) } });
      expect((await jsonRows(io.tableStore("public/t"))).map((r) => r["b"]).sort()).toEqual(["new", null, null]);
      const v0 = (await io.loadInput({ assetKey: ["t"], metadata: { version: 0 }, upstreamMetadata: {}, loadAs: "rows" })) as unknown[];
      expect(v0).toHaveLength(1);
      const resource = deltaTableResource({ ...(root.store ? { store: io.tableStore("public/t") } : { url: `${root.rootUri}/public/t`, storageOptions: root.storageOptions, clientOptions: root.clientOptions }), version: 1 });
      expect((await resource.load()).version).toBe(1);
      expect((await resource.readTable()).numRows).toBe(2);
    });

    it("a blob I/O manager beside the Delta one (ioManagerKey), JSON and bytes at <root>/<key path>", async () => {
      const root = await makeRoot();
      const warehouse = deltaLakeIOManager({ ...root, schema: "iris" });
      const blobs = blobIOManager(root.store ? { store: root.store } : { rootUri: `${root.rootUri}/blobs`, storageOptions: root.storageOptions as never, clientOptions: root.clientOptions });
      const iris = asset({ name: "iris_dataset", ioManagerKey: "warehouse_io_manager", compute: () => arrowTable(irisRows(3), IRIS_TYPES) });
      const plots = asset({ name: "iris_plots", ioManagerKey: "blob_io_manager", metadata: { format: "bytes" }, ins: { iris_dataset: {} }, compute: (_c, { iris_dataset }) => `<svg rows="${(iris_dataset as Table).numRows}"/>` });
      const summary = asset({ name: "iris_summary", ioManagerKey: "blob_io_manager", ins: { iris_plots: {} }, compute: (_c, { iris_plots }) => ({ bytes: (iris_plots as Uint8Array).byteLength }) });
      const run = await materialize({ assets: [iris, plots, summary], resources: { warehouse_io_manager: warehouse, blob_io_manager: blobs } });
      expect(new TextDecoder().decode(await blobs.store.get("iris_plots"))).toBe('<svg rows="9"/>');
      expect(JSON.parse(new TextDecoder().decode(await blobs.store.get("iris_summary")))).toEqual({ bytes: 15 });
      expect(String(run.get("iris_plots")?.metadata?.["uri"])).toMatch(/iris_plots$/);
      await expect(materialize({ assets: [plots], resources: { blob_io_manager: blobs } })).rejects.toThrow(/unknown asset iris_dataset/);
      await expect(materialize({ assets: [iris], resources: { io_manager: blobs } })).rejects.toThrow(/uses I\/O manager "warehouse_io_manager", but resources has no such key \(keys: io_manager\)/);
    });
  });
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
