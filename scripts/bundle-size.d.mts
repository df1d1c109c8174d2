/** Types of bundle-size.mjs (browser bundle sizes by rolldown + gzip), for the TypeScript tests. */

/** One measured entry: its source, its gzip budget in bytes (none for the explorer). */
export interface BundleEntry {
  name: string;
  code: string;
  budget: number | undefined;
}

/** The chunks of one bundled entry. */
export interface BundleMeasure {
  /** Gzipped bytes of the entry chunk and the chunks it imports statically. */
  initialGzip: number;
  /** Their minified bytes. */
  initialRaw: number;
  /** Module ids (relative to the repository) in the initial chunks. */
  initialModules: string[];
  /** Dynamically imported chunks. */
  lazy: Array<{ file: string; gzip: number; modules: string[] }>;
}

export const ENTRIES: BundleEntry[];
export const NEVER_INITIAL: RegExp[];
export function measureEntry(code: string): Promise<BundleMeasure>;
export function measureBundles(): Promise<Array<BundleEntry & BundleMeasure>>;
