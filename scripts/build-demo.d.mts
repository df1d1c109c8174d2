/** Types of build-demo.mjs (the browser demo's build), for the TypeScript tests. */

/** The demo's source folder. */
export const DEMO_DIR: string;

/** The built demo (the Worker's static-assets folder). */
export const DEMO_DIST: string;

/** Packages that must never be in the chunks a page loads at first. */
export const LAZY_ONLY_PACKAGES: string[];

/** A written chunk and its size in bytes. */
export interface BuiltChunk {
  file: string;
  bytes: number;
}

/**
 * Bundles the demo and writes `<outDir>/index.html` and `<outDir>/assets/` (default demo/dist).
 * `initial`: the chunks the page loads at first; `lazy`: those loaded by `import()`.
 */
export function buildDemo(options?: { outDir?: string; minify?: boolean; duckdbBundles?: string }): Promise<{ file: string; bytes: number; initial: BuiltChunk[]; lazy: BuiltChunk[] }>;
