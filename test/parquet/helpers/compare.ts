/**
 * Compares the hyparquet reader's reading of Parquet files with pyarrow's, column by column and
 * row by row in file order (values compared as JSON; the first difference is shown in full).
 */
import type { RecordBatch } from "apache-arrow";
import { expect } from "vitest";
import { encodeValue } from "./arrow-json.js";
import type { OracleResult } from "../../helpers/oracle.js";
import { readRows } from "./read.js";
import { fileSource } from "./sources.js";

/** The encoded values of column `c` across batches. */
export function columnValues(batches: readonly RecordBatch[], c: number): unknown[] {
  const out: unknown[] = [];
  for (const b of batches) {
    const data = b.data.children[c]!;
    for (let i = 0; i < b.numRows; i++) out.push(encodeValue(data, i));
  }
  return out;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Expects the batches to hold exactly the oracle's columns. */
export function expectSameColumns(file: string, batches: readonly RecordBatch[], oracle: OracleResult | undefined): void {
  if (oracle === undefined) throw new Error(`no pyarrow result for ${file}`);
  if ("error" in oracle) throw new Error(`pyarrow cannot read ${file}: ${oracle.error}`);
  const names = batches[0]?.schema.fields.map((f) => f.name);
  const rows = batches.reduce((n, b) => n + b.numRows, 0);
  expect(rows, `row count of ${file}`).toBe(oracle.numRows);
  if (rows === 0) return;
  expect(names, `columns of ${file}`).toEqual(oracle.columns.map(([name]) => name));
  oracle.columns.forEach(([name, expected], c) => {
    const actual = columnValues(batches, c);
    for (let i = 0; i < rows; i++) {
      if (!same(actual[i], expected[i])) {
        expect(actual[i], `column ${name}, row ${i} of ${file}`).toEqual(expected[i]);
      }
    }
  });
}

/** Reads `file` with the adapter (all columns) and expects exactly pyarrow's reading. */
export async function expectSameAsPyarrow(file: string, oracle: OracleResult | undefined): Promise<void> {
  const { batches } = await readRows(fileSource(file), { batchSize: 4096 });
  expectSameColumns(file, batches, oracle);
}
