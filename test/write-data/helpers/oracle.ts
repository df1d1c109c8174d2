/**
 * Test helpers around the pyarrow oracle (read_parquet.py, run by test/helpers/oracle.ts's PYTHON): reading written files back, the JS
 * side of its exact value encoding, parquet-wasm initialisation from the installed package, and a
 * temporary-directory LocalStore.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setParquetWasm } from "../../../src/core/parquet/wasm-loader.js";
import { LocalStore } from "../../../src/node/storage/local.js";
import { formatDecimal } from "../../../src/core/schema/decimal.js";
import type { DataType, DecimalValue } from "../../../src/core/schema/types.js";
import { PYTHON } from "../../helpers/oracle.js";

/** Registers parquet-wasm's wasm from node_modules (what the Node entry does). */
export function useNodeParquetWasm(): void {
  setParquetWasm(() => readFile(fileURLToPath(import.meta.resolve("parquet-wasm/esm/parquet_wasm_bg.wasm"))));
}

/** What read_parquet.py reports for one file. */
export interface ParquetReport {
  rows: Record<string, unknown>[];
  columns: string[];
  leaves: { path: string; physical: string; logical: string; maxDef: number }[];
  fieldIds: Record<string, number>;
  numRowGroups: number;
  rowGroupRows: number[];
  codecs: string[];
  numRows: number;
  dictionary: boolean;
  statistics: boolean;
  createdBy: string;
}

const SCRIPT = fileURLToPath(new URL("./read_parquet.py", import.meta.url));

/** Reads parquet files (absolute paths) with pyarrow. */
export function readWithPyarrow(paths: readonly string[]): ParquetReport[] {
  const out = execFileSync(PYTHON, [SCRIPT, ...paths], { encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
  return JSON.parse(out) as ParquetReport[];
}

/** A LocalStore over a fresh temp directory, and a cleanup function. */
export function tempStore(): { store: LocalStore; dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "delta-edge-write-"));
  return { store: new LocalStore({ root: dir }), dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function doubleBits(x: number): string {
  if (Number.isNaN(x)) return "nan";
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return Array.from(new Uint8Array(view.buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The oracle's encoding of a JS value of a Delta type. */
export function oracleValue(type: DataType, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (type.kind) {
    case "struct":
      return Object.fromEntries(type.fields.map((f) => [f.name, oracleValue(f.type, (v as Record<string, unknown>)[f.name])]));
    case "array":
      return (v as unknown[]).map((x) => oracleValue(type.elementType, x));
    case "map":
      return (v as [unknown, unknown][]).map(([k, x]) => [oracleValue(type.keyType, k), oracleValue(type.valueType, x)]);
    case "primitive":
      switch (type.name) {
        case "float":
          return doubleBits(Math.fround(v as number));
        case "double":
          return doubleBits(v as number);
        case "decimal":
          return formatDecimal({ unscaled: (v as DecimalValue).unscaled, scale: type.scale });
        case "binary":
          return Array.from(v as Uint8Array, (b) => b.toString(16).padStart(2, "0")).join("");
        case "string":
        case "boolean":
          return v;
        default:
          return String(v);
      }
  }
}
