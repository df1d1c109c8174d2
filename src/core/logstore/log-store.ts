/**
 * The LogStore contract: how a commit file `_delta_log/<version>.json` becomes visible atomically.
 * A commit is visible exactly when that file exists and it is never overwritten, so every strategy
 * (put-if-absent, copy-if-absent, unsafe rename, an external lock table) must make "write N.json
 * unless it exists" atomic and report a lost race as a {@link CommitExistsError}.
 *
 * A commit PUT whose outcome is uncertain (a timeout, a 5xx, a 412 after a transport-level retry
 * of our own request) is never blindly repeated: the strategy reads N.json back and compares it
 * with the bytes it meant to write. Every commit carries a unique txnId in its commitInfo, so equal
 * bytes mean "this is my commit" and different bytes mean "someone else won".
 */
import { AlreadyExistsError, NotFoundError, type DeltaErrorOptions } from "../errors.js";
import type { ObjectStore, PutBody } from "../storage/object-store.js";

/** The commit at `version` already exists and is not ours: the writer lost the race for it. */
export class CommitExistsError extends AlreadyExistsError {
  /** The winning commit's bytes when the strategy already read them (saves the caller a GET). */
  readonly winner: Uint8Array | undefined;
  constructor(message: string, options: DeltaErrorOptions & { winner?: Uint8Array | undefined } = {}) {
    super(message, options);
    this.winner = options.winner;
  }
}

/** Options of {@link LogStore.writeCommit}. */
export interface WriteCommitOptions {
  /** The version to create. */
  version: number;
  /** The whole commit file (newline-delimited JSON actions). Must be unique to this attempt. */
  body: PutBody;
}

/** Options of {@link LogStore.readCommit}. */
export interface ReadCommitOptions {
  version: number;
}

/** How commit files are written and read. */
export interface LogStore {
  /** The object store holding the table (keys relative to the table root). */
  readonly store: ObjectStore;
  /** Name of the strategy, for messages and commitInfo ("put-if-absent", ...). */
  readonly name: string;
  /**
   * Creates `_delta_log/<version>.json` with `body`, atomically and only if it does not exist.
   * Resolves once the commit is known to be visible with exactly these bytes.
   * @throws CommitExistsError when the version exists with other content (a lost race).
   * @throws StorageError (or another DeltaError) when the outcome stays unknown or the store fails.
   */
  writeCommit(options: WriteCommitOptions): Promise<void>;
  /**
   * The bytes of a commit file.
   * @throws NotFoundError when the version does not exist.
   */
  readCommit(options: ReadCommitOptions): Promise<Uint8Array>;
  /**
   * The newest version the strategy knows of without listing (an external table may), or
   * undefined when it cannot tell. Only a hint: callers still verify with reads.
   */
  latestVersionHint?(): Promise<number | undefined>;
  /**
   * Finishes a commit another writer left half done (strategies with an external lock table: its
   * newest entry is marked incomplete and `N.json` may be missing). Readers call it before listing
   * the log (see {@link repairIncomplete}); strategies without such state do not define it.
   */
  repair?(): Promise<RepairResult | undefined>;
  /**
   * Throws the configuration error of a strategy that refuses to commit (no safe way to create
   * `N.json` atomically on this store), so a writer can fail before writing any data file.
   */
  checkCanCommit?(): void;
}

/** What {@link LogStore.repair} found: the newest known version and whether it had to finish it. */
export interface RepairResult {
  version: number;
  /** True when the entry was incomplete and this call completed it. */
  repaired: boolean;
}

/** What a read-back of a commit key found, compared with the bytes we tried to write. */
export type ReadBack = { kind: "mine" } | { kind: "theirs"; bytes: Uint8Array } | { kind: "missing" };

/** Reads a commit back and compares it byte for byte with what we tried to write. */
export async function readBack(store: ObjectStore, key: string, body: PutBody): Promise<ReadBack> {
  let actual: Uint8Array;
  try {
    actual = await store.get(key);
  } catch (err) {
    if (err instanceof NotFoundError) return { kind: "missing" };
    throw err;
  }
  const expected = typeof body === "string" ? new TextEncoder().encode(body) : body;
  return bytesEqual(actual, expected) ? { kind: "mine" } : { kind: "theirs", bytes: actual };
}

/** Byte equality of two arrays. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
