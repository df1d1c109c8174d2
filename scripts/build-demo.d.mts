/** Types of build-demo.mjs (the browser demo's build), for the TypeScript tests. */

/** The demo's source folder. */
export const DEMO_DIR: string;

/** The built demo (the Worker's static-assets folder). */
export const DEMO_DIST: string;

/** Bundles the demo and writes `<outDir>/index.html` (default demo/dist). */
export function buildDemo(options?: { outDir?: string; minify?: boolean }): Promise<{ file: string; bytes: number }>;
