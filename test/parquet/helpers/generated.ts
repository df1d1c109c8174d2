/**
 * Generates the pyarrow-written test files (pyarrow_write.py) into a fresh temporary folder;
 * nothing is stored in the repository.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("./pyarrow_write.py", import.meta.url));

/** Generated files by base name, and a cleanup function. */
export interface GeneratedFiles {
  dir: string;
  files: Map<string, string>;
  cleanup(): void;
}

/** Runs a Python generator script (default: pyarrow_write.py) into a new temporary folder. */
export function generateFiles(script: string = SCRIPT): GeneratedFiles {
  const dir = mkdtempSync(join(tmpdir(), "delta-edge-parquet-"));
  const out = execFileSync(process.env.PYTHON ?? "python3", [script, dir], { encoding: "utf8" });
  const paths = JSON.parse(out) as string[];
  return {
    dir,
    files: new Map(paths.map((p) => [basename(p), p])),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The path of a generated file, failing clearly when it is missing. */
export function generated(g: GeneratedFiles | undefined, name: string): string {
  const p = g?.files.get(name);
  if (p === undefined) throw new Error(`generated file ${name} is missing`);
  return p;
}
