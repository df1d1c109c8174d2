/**
 * Fetching log files for the change feed, each at most once: the commit at the start version is
 * both the first commit of the feed and the newest file of the log segment that tells the
 * schema at the start, and it is read once. A commit that disappears between the listing and
 * the read was removed by log cleanup: a ChangeFeedError naming its version.
 */
import { NotFoundError } from "../errors.js";
import type { LogFile } from "../log/listing.js";
import type { ObjectStore } from "../storage/object-store.js";
import { ChangeFeedError } from "./errors.js";

/** A memoizing reader of log files. */
export class CommitTexts {
  private readonly texts = new Map<string, Promise<Uint8Array>>();

  constructor(private readonly store: ObjectStore) {}

  /** The bytes of a log file (fetched on first use). */
  bytes(file: LogFile): Promise<Uint8Array> {
    let t = this.texts.get(file.key);
    if (t === undefined) {
      t = this.fetch(file);
      // Handled here so that a read nobody awaits yet is not an unhandled rejection.
      t.catch(() => undefined);
      this.texts.set(file.key, t);
    }
    return t;
  }

  /** Drops a text that is no longer needed (keeps memory bounded over long ranges). */
  forget(file: LogFile): void {
    this.texts.delete(file.key);
  }

  private async fetch(file: LogFile): Promise<Uint8Array> {
    const version = file.info.version;
    try {
      return await this.store.get(file.key);
    } catch (err) {
      if (err instanceof NotFoundError) {
        throw new ChangeFeedError("commitCleanedUp", `log file ${file.key} disappeared while reading (log cleanup?)`, { path: this.store.root, version, cause: err });
      }
      throw err;
    }
  }
}
