/**
 * A table given by its store or by its URL: the `store | url + storageOptions` pair that public
 * entry points (writeTable, attachDeltaTable) accept, resolved to one ObjectStore through
 * storeFromUrl. Knows nothing of Delta; imports no backend directly.
 */
import { InvalidInputError } from "../errors.js";
import type { ObjectStore } from "./object-store.js";
import { storeFromUrl } from "./url.js";

/** Where a table is: a store, or a URL that {@link storeFromUrl} understands (give one). */
export interface TableLocation {
  /** The table's store (give this or `url`). */
  store?: ObjectStore | undefined;
  /** The table's URL (`s3://bucket/t`, `https://...`, `memory://t`; paths once delta-edge/node is imported). */
  url?: string | URL | undefined;
  /** Settings of the store made from `url` (delta-rs names, e.g. AWS_REGION); unknown keys are errors. */
  storageOptions?: Record<string, string> | undefined;
}

/** The store of a location: the one given, or one made from `url` (`what` names the caller in errors). */
export function storeOfLocation(location: TableLocation, what: string): ObjectStore {
  if (location.store !== undefined) {
    if (location.url !== undefined) throw new InvalidInputError(`${what} takes a store or a url, not both`, { path: location.store.root });
    return location.store;
  }
  if (location.url === undefined) throw new InvalidInputError(`${what} needs a store or a url`);
  const url = String(location.url);
  return storeFromUrl({ url, ...(location.storageOptions === undefined ? {} : { options: location.storageOptions }) });
}
