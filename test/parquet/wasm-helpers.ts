/**
 * Shared pieces of the parquet-wasm reader tests: the .wasm registered from the installed package
 * (as the Node entry does), a wasm reader that records every fallback to the JS decoder, and
 * whole-file reads with it (helpers/read.ts) compared with pyarrow or with the JS reader.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { ParquetReader } from "../../src/core/parquet/reader.js";
import { createWasmReader } from "../../src/core/parquet/wasm-reader.js";
import { setParquetWasm } from "../../src/core/parquet/wasm-loader.js";
import { expect } from "vitest";
import { columnValues, expectSameColumns } from "./helpers/compare.js";
import type { OracleResult } from "../helpers/oracle.js";
import { reader as jsReader, readWith } from "./helpers/read.js";
import { fileSource } from "./helpers/sources.js";

setParquetWasm(() => readFile(fileURLToPath(import.meta.resolve("parquet-wasm/esm/parquet_wasm_bg.wasm"))));

/** Fallbacks of `wasmReader` (path and reason), in order. */
export const fallbacks: { path: string | undefined; reason: string }[] = [];

/** The reader under test. */
export const wasmReader: ParquetReader = createWasmReader({ onFallback: (e) => fallbacks.push(e) });

/**
 * Reads `file` with the wasm reader (all columns) and expects exactly pyarrow's reading, and that
 * the wasm path did it (no fallback) unless `mayFallBack`.
 */
export async function expectWasmSameAsPyarrow(file: string, oracle: OracleResult | undefined, mayFallBack = false): Promise<void> {
  const before = fallbacks.length;
  const { batches } = await readWith(wasmReader, fileSource(file), { batchSize: 4096 });
  expectSameColumns(file, batches, oracle);
  const fell = fallbacks.slice(before);
  if (!mayFallBack && fell.length > 0) throw new Error(`${file} fell back to the JS decoder: ${fell.map((f) => f.reason).join("; ")}`);
}

/** Reads `file` with both readers (all columns) and expects the same columns and values. */
export async function expectWasmSameAsJs(file: string): Promise<void> {
  const before = fallbacks.length;
  const wasm = await readWith(wasmReader, fileSource(file), { batchSize: 4096 });
  const js = await readWith(jsReader, fileSource(file), { batchSize: 4096 });
  if (fallbacks.length > before) throw new Error(`${file} fell back to the JS decoder`);
  const names = js.metadata.schema.fields.map((f) => f.name);
  expect(wasm.batches[0]?.schema.fields.map((f) => f.name)).toEqual(js.batches[0]?.schema.fields.map((f) => f.name));
  names.forEach((name, c) => {
    const a = columnValues(wasm.batches, c);
    const b = columnValues(js.batches, c);
    expect(a.length, `rows of ${file}`).toBe(b.length);
    for (let i = 0; i < a.length; i++) {
      if (JSON.stringify(a[i]) !== JSON.stringify(b[i])) expect(a[i], `column ${name}, row ${i} of ${file}`).toEqual(b[i]);
    }
  });
}
