/**
 * parquet-wasm loading (its own file, so the module starts uninitialised): without a registered
 * source Node cannot fetch the wasm and the error says how to register it; a bad source fails and
 * is not cached; a compiled WebAssembly.Module (what Workers pass) works; later registrations are
 * ignored once loaded.
 */
import { describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { loadParquetWasm, parquetWasmReady, ParquetWasmError, setParquetWasm } from "../../src/core/parquet/wasm-loader.js";
import { arrowToParquet } from "../../src/core/write/parquet-writer.js";
import { buildBatch } from "./helpers/arrow-build.js";
import { field, p, struct } from "./fixtures.js";

describe("parquet-wasm loader", () => {
  it("explains how to register the wasm, retries after failures, accepts a compiled module", async () => {
    expect(parquetWasmReady()).toBe(false);
    await expect(loadParquetWasm()).rejects.toThrow(ParquetWasmError);
    await expect(loadParquetWasm()).rejects.toThrow(/setParquetWasm/);
    setParquetWasm(new Uint8Array([0, 1, 2, 3]));
    await expect(loadParquetWasm()).rejects.toThrow(/registered source could not be instantiated/);
    const bytes = await readFile(fileURLToPath(import.meta.resolve("parquet-wasm/esm/parquet_wasm_bg.wasm")));
    setParquetWasm(await WebAssembly.compile(bytes));
    const [a, b] = await Promise.all([loadParquetWasm(), loadParquetWasm()]);
    expect(a).toBe(b);
    expect(parquetWasmReady()).toBe(true);
    setParquetWasm(new Uint8Array([9]));
    await expect(loadParquetWasm()).resolves.toBe(a);
    const schema = struct(field("a", p("integer")));
    const file = await arrowToParquet({ data: buildBatch(schema, [{ a: 1 }]), schema });
    expect(new TextDecoder().decode(file.subarray(0, 4))).toBe("PAR1");
  });
});
