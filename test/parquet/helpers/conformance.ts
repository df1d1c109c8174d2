/**
 * Locates the shared conformance data (../shared/conformance from the project root) and lists
 * Parquet files in it: Spark's expected outputs and the data files that add actions reference.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CONFORMANCE } from "../../helpers/conformance.js";

/** Project root (this file is test/parquet/helpers/conformance.ts). */
export const PROJECT_ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../..");
export { CONFORMANCE }; // the one definition: test/helpers/conformance.ts

/** Every file under `dir` (recursively) whose name ends with `.parquet`, sorted. */
export function parquetFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((name) => name.endsWith(".parquet"))
    .map((name) => join(dir, name))
    .filter((p) => statSync(p).isFile())
    .sort();
}

/** Golden tables (folder names) that have expected/*.parquet outputs. */
export function goldenTablesWithExpected(): string[] {
  const golden = join(CONFORMANCE, "golden");
  return readdirSync(golden)
    .filter((name) => parquetFilesUnder(join(golden, name, "expected")).length > 0)
    .sort();
}

/**
 * Data files that the JSON commits of a Delta table add (deduplicated, existing on disk),
 * resolved against the table root. Checkpoint-only adds are not included.
 */
export function addedDataFiles(tableRoot: string): string[] {
  const log = join(tableRoot, "_delta_log");
  if (!existsSync(log)) return [];
  const out = new Set<string>();
  for (const name of readdirSync(log).filter((n) => /^\d{20}\.json$/.test(n)).sort()) {
    for (const line of readFileSync(join(log, name), "utf8").split("\n")) {
      if (!line.trim()) continue;
      const action = JSON.parse(line) as { add?: { path: string } };
      if (action.add === undefined) continue;
      const rel = decodeURIComponent(action.add.path);
      if (/^[a-z]+:/.test(rel)) continue;
      const file = join(tableRoot, rel);
      if (existsSync(file)) out.add(file);
    }
  }
  return [...out].sort();
}
