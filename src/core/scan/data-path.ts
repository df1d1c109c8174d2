/**
 * Where a data file (or deletion vector file) lives: `add.path` is a URI reference, relative to
 * the table root or absolute. Relative paths become store keys (percent-decoded); absolute paths
 * are accepted when they point inside the store's root, otherwise refused clearly (a store reads
 * only its own bucket or folder).
 */
import { UnsupportedFeatureError } from "../errors.js";
import { canonicalPath } from "../log/replay.js";

/** The store key of a data file path from the log. */
export function dataFileKey(path: string, storeRoot: string, context: { path: string; version: number }): string {
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(path) && !path.startsWith("/")) return canonicalPath(path);
  const abs = canonicalPath(path);
  const root = canonicalPath(storeRoot.replace(/\/+$/, ""));
  const rootPath = root.replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/]*/, "");
  for (const prefix of [`${root}/`, `${rootPath}/`]) {
    if (prefix.length > 1 && abs.startsWith(prefix)) return abs.slice(prefix.length);
  }
  throw new UnsupportedFeatureError(
    "absolutePaths",
    `data file ${path} lies outside the table root ${storeRoot}; reading files from other locations is not supported`,
    context,
  );
}
