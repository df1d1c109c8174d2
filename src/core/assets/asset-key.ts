/**
 * Asset keys: a path of names (`["iris", "iris_dataset"]`), written `iris/iris_dataset` in
 * messages. A key may be given as an array or as a "/"-separated string. Names are used as folder
 * names, so they must be non-empty, not "." or "..", and free of "/" and "\".
 */
import { InvalidInputError } from "../errors.js";

/** A normalized asset key. */
export type AssetKey = readonly string[];

/** How callers may spell a key. */
export type AssetKeyLike = string | readonly string[];

/** Normalizes and validates a key. */
export function assetKey(key: AssetKeyLike): AssetKey {
  const parts = typeof key === "string" ? key.split("/") : [...key];
  if (parts.length === 0) throw new InvalidInputError("an asset key needs at least one name");
  for (const p of parts) {
    if (typeof p !== "string" || p === "" || p === "." || p === ".." || /[/\\]/.test(p)) {
      throw new InvalidInputError(`invalid asset key ${JSON.stringify(key)}: names must be non-empty, not "." or "..", without "/" or "\\"`);
    }
  }
  return Object.freeze(parts);
}

/** `iris/iris_dataset` */
export function keyString(key: AssetKey): string {
  return key.join("/");
}

/** Whether two keys are equal. */
export function sameKey(a: AssetKey, b: AssetKey): boolean {
  return a.length === b.length && a.every((p, i) => p === b[i]);
}
