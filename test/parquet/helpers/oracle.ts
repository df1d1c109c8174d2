/**
 * Runs pyarrow (helpers/pyarrow_dump.py) on Parquet files and returns their columns in the
 * shared JSON encoding; `hasPyarrow` tells whether the oracle is available on this machine.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("./pyarrow_dump.py", import.meta.url));
const PYTHON = process.env.PYTHON ?? "python3";

/**
 * Whether python3 with pyarrow is installed. Oracle tests skip without it on a developer
 * machine, but fail under CI (CI=true), where a missing oracle must not pass silently.
 */
export const hasPyarrow: boolean =
  spawnSync(PYTHON, ["-c", "import pyarrow"], { stdio: "ignore" }).status === 0;
if (!hasPyarrow && process.env.CI) {
  throw new Error(`${PYTHON} cannot import pyarrow: the Parquet oracle tests need it (pip install pyarrow)`);
}

/** The pyarrow reading of each file: its columns (name, encoded values), or pyarrow's error. */
export type OracleResult = { numRows: number; columns: [string, unknown[]][] } | { error: string };

/** Reads files with pyarrow (one Python process for the whole list). */
export function pyarrowRows(files: readonly string[]): Map<string, OracleResult> {
  if (files.length === 0) return new Map();
  const out = execFileSync(PYTHON, [SCRIPT, ...files], { maxBuffer: 1 << 30, encoding: "utf8" });
  return new Map(Object.entries(JSON.parse(out) as Record<string, OracleResult>));
}
