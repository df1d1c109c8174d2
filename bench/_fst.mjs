import * as A from "apache-arrow";
import { parquetMetadata } from "hyparquet";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import init, * as pw from "parquet-wasm/esm";
await init({ module_or_path: readFileSync(fileURLToPath(import.meta.resolve("parquet-wasm/esm/parquet_wasm_bg.wasm"))) });
const long = "é".repeat(70) + "z";
const t = new A.Table({
  s: A.vectorFromArray(["b", null, long, "a" + "x".repeat(100), "\u{10ffff}".repeat(40)], new A.Utf8()),
  i: A.vectorFromArray([3, null, -5, 7, 0], new A.Int32()),
  b8: A.vectorFromArray([3, null, -5, 7, 0], new A.Int8()),
  l: A.vectorFromArray([3n, null, -5n, 7n, 0n], new A.Int64()),
  st: A.makeVector(A.makeData({ type: new A.Struct([new A.Field("x", new A.Int64(), true)]), length: 5, nullCount: 1, nullBitmap: Uint8Array.from([0b11101]), children: [A.makeData({ type: new A.Int64(), length: 5, nullCount: 1, nullBitmap: Uint8Array.from([0b11011]), data: BigInt64Array.from([1n, 2n, 3n, 4n, 5n]) })] })),
});
const props = new pw.WriterPropertiesBuilder().setCompression(pw.Compression.SNAPPY).setDictionaryEnabled(true).setStatisticsEnabled(pw.EnabledStatistics.Page).build();
const bytes = pw.writeParquet(pw.Table.fromIPCStream(A.tableToIPC(t, "stream")), props);
const md = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), { parsers: { stringFromBytes: (b) => b, dateFromDays: (d) => d, timestampFromMicroseconds: (v) => v, timestampFromMilliseconds: (v) => v, timestampFromNanoseconds: (v) => v } });
for (const c of md.row_groups[0].columns) { const s = c.meta_data.statistics; console.log(c.meta_data.path_in_schema.join("."), c.meta_data.type, { ...s, min_value: s.min_value instanceof Uint8Array ? new TextDecoder().decode(s.min_value) : s.min_value, max_value: s.max_value instanceof Uint8Array ? new TextDecoder().decode(s.max_value) : s.max_value, min: undefined, max: undefined }); }
