/**
 * The layering rules of eslint.config.js bite: for each folder rule, a snippet that breaks it,
 * linted as if it lived in that folder, gets a no-restricted-imports error (and an allowed import
 * in the same place gets none), so a rule that silently stops matching fails here.
 */
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: new URL("..", import.meta.url).pathname });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

const CASES: { file: string; bad: string; good: string; says: string }[] = [
  { file: "src/core/scan/x.ts", bad: 'import { writeTable } from "../write/write-table.js";', good: 'import { takeRows } from "../arrow/take.js";', says: "scan/ must not import write/" },
  { file: "src/core/write/x.ts", bad: 'import { parquetRead } from "hyparquet";', good: 'import { encodeParquet } from "../parquet/writer.js";', says: "only src/core/parquet imports the Parquet libraries" },
  { file: "src/core/log/x.ts", bad: 'import { parquetMetadata } from "hyparquet";', good: 'import { readParquetRows } from "../parquet/rows-reader.js";', says: "only src/core/parquet" },
  { file: "src/core/log/x.ts", bad: 'import { S3Store } from "../storage/s3.js";', good: 'import type { ObjectStore } from "../storage/object-store.js";', says: "ObjectStore contract" },
  { file: "src/core/table/x.ts", bad: 'import { MemoryStore } from "../storage/memory.js";', good: 'import type { ObjectStore } from "../storage/object-store.js";', says: "ObjectStore contract" },
  { file: "src/core/storage/x.ts", bad: 'import { loadSnapshot } from "../table/snapshot-load.js";', good: 'import { rangeHeader } from "./http.js";', says: "knows nothing of Delta" },
  { file: "src/core/logstore/x.ts", bad: 'import { S3Store } from "../storage/s3.js";', good: 'import type { CopyCondition } from "../storage/s3-dialect.js";', says: "never by backend class" },
  { file: "src/core/parquet/x.ts", bad: 'import type { AddFile } from "../log/actions.js";', good: 'import { parquetRead } from "hyparquet";', says: "not Delta" },
  { file: "src/core/arrow/x.ts", bad: 'import { createHyparquetReader } from "../parquet/hyparquet-reader.js";', good: 'import type { DataType } from "../schema/types.js";', says: "Arrow data only" },
  { file: "src/core/expr/x.ts", bad: 'import { readFile } from "node:fs/promises";', good: 'import type { Scalar } from "../schema/types.js";', says: "fetch-only" },
  { file: "src/core/dml/x.ts", bad: 'import { env } from "cloudflare:workers";', good: 'import { writeTable } from "../write/write-table.js";', says: "fetch-only" },
  { file: "src/core/changes/x.ts", bad: 'import { LocalStore } from "../../node/storage/local.js";', good: 'import { scanFiles } from "../scan/execute.js";', says: "runtime-specific" },
];

describe("lint boundaries", () => {
  it.each(CASES)("$file: $bad is refused ($says)", async ({ file, bad, good, says }) => {
    const errors = await restricted(file, `${bad}\nexport const x = 1;\n`);
    expect(errors.length).toBe(1);
    expect(errors[0]).toContain(says);
    expect(await restricted(file, `${good}\nexport const x = 1;\n`)).toEqual([]);
  });

  it("the Worker's wasm loader may import parquet-wasm", async () => {
    expect(await restricted("src/worker/x.ts", 'import wasm from "parquet-wasm/esm/parquet_wasm_bg.wasm";\nexport const x = wasm;\n')).toEqual([]);
  });
});
