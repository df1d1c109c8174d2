/**
 * The pyarrow oracle (test/helpers/expected_rows.py) from TypeScript: expected rows of parquet
 * files in the CLI's value encoding, and canonical row comparison (sorted keys, sorted rows).
 */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

const SCRIPT = resolve(import.meta.dirname, "expected_rows.py");
const CHANGES_SCRIPT = resolve(import.meta.dirname, "expected_changes.py");
/** The Python that has pyarrow (override with PYTHON). */
export const PYTHON = process.env.PYTHON ?? "python3";

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
