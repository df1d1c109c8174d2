/**
 * The optimistic commit loop: write the commit at the next version through the LogStore; when
 * another writer won that version, read the winning commits one by one up to the newest, check
 * each for a logical conflict (conflict.ts), and try again at the version after the last winner.
 * Bounded: after `maxAttempts` commit PUTs it gives up with a CommitConflictError naming every
 * version tried. The commit body is rebuilt for each attempt (its version-dependent parts, such as
 * the in-commit timestamp, change); the PUT itself is never blindly repeated (see logstore/).
 */
import { CommitConflictError, NotFoundError, ProtocolError } from "../errors.js";
import { parseActions } from "../log/commit-file.js";
import { commitKey } from "../log/path.js";
import { CommitExistsError, type LogStore } from "../logstore/log-store.js";
import { checkWinner, type TransactionFootprint } from "./conflict.js";

/** What one attempt needs to build its commit body. */
export interface AttemptContext {
  version: number;
  /** The in-commit timestamp to write, when the table has them. */
  inCommitTimestamp: number | undefined;
}

/** Options of {@link runCommitLoop}. */
export interface CommitLoopOptions {
  logStore: LogStore;
  path: string;
  /** The first version to try: readVersion + 1, or 0 for a create. */
  firstVersion: number;
  /** A create cannot move to a later version: losing version 0 means the table now exists. */
  isCreate: boolean;
  maxAttempts: number;
  footprint: TransactionFootprint;
  /** Builds the commit file for an attempt. */
  buildBody: (attempt: AttemptContext) => string;
  /** In-commit timestamps: undefined when the table does not write them. */
  ict?: { now: () => number; previous: number | undefined } | undefined;
}

/** The loop's outcome. */
export type CommitLoopResult =
  | { kind: "committed"; version: number; attempts: number; winners: number[]; inCommitTimestamp: number | undefined }
  | { kind: "skipped"; version: number; attempts: number; winners: number[]; appId: string; winnerTxnVersion: number };

/** Runs the commit loop. */
export async function runCommitLoop(options: CommitLoopOptions): Promise<CommitLoopResult> {
  const { logStore, path, footprint } = options;
  const tried: number[] = [];
  const winners: number[] = [];
  let version = options.firstVersion;
  let previousIct = options.ict?.previous;
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    let inCommitTimestamp: number | undefined;
    if (options.ict) {
      const previous = previousIct ?? (await previousCommitTime(logStore, version));
      inCommitTimestamp = Math.max(options.ict.now(), previous === undefined ? 0 : previous + 1);
    }
    const body = options.buildBody({ version, inCommitTimestamp });
    tried.push(version);
    try {
      await logStore.writeCommit({ version, body });
      return { kind: "committed", version, attempts: attempt, winners, inCommitTimestamp };
    } catch (err) {
      if (!(err instanceof CommitExistsError)) throw err;
      if (options.isCreate) {
        throw new CommitConflictError("the table was created concurrently by another writer", { path, version, cause: err });
      }
      // Read the winners from `version` up to the newest commit, checking each in order.
      const read = await readWinners(logStore, path, version, err.winner);
      for (const bytes of read) {
        const actions = parseActions(bytes, { path: `${path}/${commitKey(version)}`, version });
        const outcome = checkWinner(footprint, { version, actions });
        winners.push(version);
        if (outcome.kind === "skip") {
          return { kind: "skipped", version, attempts: attempt, winners, appId: outcome.appId, winnerTxnVersion: outcome.winnerTxnVersion };
        }
        previousIct = outcome.inCommitTimestamp;
        version++;
      }
    }
  }
  throw new CommitConflictError(
    `commit failed after ${options.maxAttempts} attempts: versions ${describeVersions(tried)} were all taken by concurrent writers`,
    { path, version: tried.at(-1) },
  );
}

/**
 * The winning commits from `first` (which exists) to the newest, in order. Later versions are
 * fetched in parallel windows that double while full (1, 2, 4, ... up to 32), so catching up with
 * k winners costs about log2(k) round trips plus a few not-found reads.
 */
async function readWinners(logStore: LogStore, path: string, first: number, known: Uint8Array | undefined): Promise<Uint8Array[]> {
  const firstBytes = known ?? (await readOne(logStore, path, first, true));
  const out: Uint8Array[] = firstBytes === undefined ? [] : [firstBytes];
  let next = first + 1;
  for (let width = 1; ; width = Math.min(width * 2, 32)) {
    const batch = await Promise.all(Array.from({ length: width }, (_, i) => readOne(logStore, path, next + i, false)));
    for (const bytes of batch) {
      if (bytes === undefined) return out;
      out.push(bytes);
      next++;
    }
  }
}

/** One commit's bytes; undefined when it does not exist (an error when it must). */
async function readOne(logStore: LogStore, path: string, version: number, mustExist: boolean): Promise<Uint8Array | undefined> {
  try {
    return await logStore.readCommit({ version });
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    if (mustExist) throw new ProtocolError("a concurrent commit was reported but cannot be read", { path, version, cause: err });
    return undefined;
  }
}

/** File time of the commit before `version` (ICT rule: the first ICT exceeds it). */
async function previousCommitTime(logStore: LogStore, version: number): Promise<number | undefined> {
  if (version === 0) return undefined;
  try {
    const meta = await logStore.store.head(commitKey(version - 1));
    return meta.lastModified > 0 ? meta.lastModified : undefined;
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
}

function describeVersions(versions: number[]): string {
  if (versions.length <= 6) return versions.join(", ");
  return `${versions.slice(0, 3).join(", ")}, ..., ${versions.slice(-2).join(", ")}`;
}
