/** Types of duckdb-bundles.mjs (duckdb-wasm's bundles into the Worker's bucket), for the TypeScript tests. */

/** The bundle files served by the Worker's /duckdb route. */
export const DUCKDB_BUNDLE_FILES: string[];

/** The installed duckdb-wasm: its version and dist folder. */
export function duckdbWasm(): { version: string; dist: string };

/** The bucket key of a bundle file. */
export function bundleKey(version: string, file: string, prefix?: string): string;

/** Puts the bundle files into an R2 bucket binding; files already there with the same size are skipped. */
export function uploadDuckdbBundles(
  bucket: { head(key: string): Promise<{ size: number } | null>; put(key: string, body: Uint8Array, options?: object): Promise<unknown> },
  options?: { prefix?: string; files?: string[] },
): Promise<{ version: string; uploaded: string[] }>;
