/**
 * The pyarrow oracle, the one place tests find Python and pyarrow: `PYTHON`, `hasPyarrow` (which
 * fails the run under CI=true instead of letting oracle tests skip), expected rows of parquet
 * files or tables in the CLI's value encoding (expected_rows.py), the change feed oracle
 * (expected_changes.py), the columns of Parquet files in the Parquet tests' JSON encoding
 * (parquet/helpers/pyarrow_dump.py), and canonical row comparison (sorted keys, sorted rows).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { resolve } from "node:path";

const SCRIPT = resolve(import.meta.dirname, "expected_rows.py");
const CHANGES_SCRIPT = resolve(import.meta.dirname, "expected_changes.py");
const DUMP_SCRIPT = resolve(import.meta.dirname, "../parquet/helpers/pyarrow_dump.py");
/** The Python that has pyarrow (override with PYTHON). */
export const PYTHON = process.env.PYTHON ?? "python3";

/**
 * Whether python3 with pyarrow is installed. Oracle tests skip without it on a developer
 * machine, but fail under CI (CI=true), where a missing oracle must not pass silently.
 */
export const hasPyarrow: boolean = spawnSync(PYTHON, ["-c", "import pyarrow"], { stdio: "ignore" }).status === 0;
if (!hasPyarrow && process.env.CI) {
  throw new Error(`${PYTHON} cannot import pyarrow: the pyarrow oracle tests need it (pip install pyarrow)`);
}

/** The pyarrow reading of a Parquet file: its columns (name, encoded values), or pyarrow's error. */
export type OracleResult = { numRows: number; columns: [string, unknown[]][] } | { error: string };

/** Reads Parquet files' columns with pyarrow (one Python process for the whole list). */
export function pyarrowColumns(files: readonly string[]): Map<string, OracleResult> {
  if (files.length === 0) return new Map();
  const out = execFileSync(PYTHON, [DUMP_SCRIPT, ...files], { maxBuffer: 1 << 30, encoding: "utf8" });
  return new Map(Object.entries(JSON.parse(out) as Record<string, OracleResult>));
}

/** Expected rows per folder or file, read by pyarrow. */
export function pyarrowRows(paths: string[]): Map<string, { rows?: unknown[]; error?: string }> {
  const r = spawnSync(PYTHON, [SCRIPT, "--multi", ...paths], { encoding: "utf8", maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`pyarrow oracle failed: ${r.stderr}`);
  const out = new Map<string, { rows?: unknown[]; error?: string }>();
  for (const line of r.stdout.trim().split("\n")) {
    const { path, ...rest } = JSON.parse(line) as { path: string; rows?: unknown[]; error?: string };
    out.set(path, rest);
  }
  return out;
}

/**
 * The rows the oracle read for `key`; throws when it has none (a missing expectation or a
 * pyarrow error must fail the test, never compare as "no rows").
 */
export function expectedRows(oracle: ReadonlyMap<string, { rows?: unknown[]; error?: string }>, key: string): unknown[] {
  const want = oracle.get(key);
  if (want === undefined) throw new Error(`the pyarrow oracle has no answer for ${key}`);
  if (want.error !== undefined || want.rows === undefined) throw new Error(`pyarrow could not read ${key}: ${want.error ?? "no rows"}`);
  return want.rows;
}

/** JSON with object keys sorted at every depth. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(sortKeys(v));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  }
  return v;
}

/** Rows as a sorted list of canonical JSON strings (a multiset). */
export function rowMultiset(rows: unknown[]): string[] {
  return rows.map(canonicalJson).sort();
}

/** What the change feed oracle says about one range: its rows, or a refusal at a version. */
export interface ChangeOracle {
  rows?: Record<string, unknown>[];
  refusal?: string;
  version?: number;
  error?: string;
}

/**
 * The change feed oracle (expected_changes.py) for several `TABLE:START:END` ranges (END empty
 * for the latest version), keyed by that argument.
 */
export function changeOracle(args: string[]): Map<string, ChangeOracle> {
  const r = spawnSync(PYTHON, [CHANGES_SCRIPT, ...args], { encoding: "utf8", maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`change feed oracle failed: ${r.stderr}`);
  const out = new Map<string, ChangeOracle>();
  for (const line of r.stdout.trim().split("\n")) {
    const { arg, ...rest } = JSON.parse(line) as ChangeOracle & { arg: string };
    out.set(arg, rest);
  }
  return out;
}
