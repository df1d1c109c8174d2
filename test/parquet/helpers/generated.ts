/**
 * Generates the pyarrow-written test files (pyarrow_write.py) into a fresh temporary folder;
 * nothing is stored in the repository. `generatedForSuite` is the per-suite setup (generate in
 * beforeAll, remove in afterAll) the Parquet test files share.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll } from "vitest";

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

/**
 * Generates the files (default script: pyarrow_write.py) in a beforeAll of the calling suite and
 * removes them in its afterAll; returns the path of a generated file by name (inside tests).
 */
export function generatedForSuite(script?: string): (name: string) => string {
  let gen: GeneratedFiles | undefined;
  beforeAll(() => {
    gen = generateFiles(script);
  });
  afterAll(() => gen?.cleanup());
  return (name) => generated(gen, name);
}
