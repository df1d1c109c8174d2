/**
 * The change data feed's refusals: one typed error whose `refusal` says why a requested range
 * cannot be served, and whose message names the version concerned. It is an InvalidInputError
 * (code INVALID_INPUT, HTTP 400): the caller asked for changes the table cannot give. Unsupported
 * reader features are UnsupportedFeatureErrors from the table's protocol gate, as for scans.
 */
import { InvalidInputError, type DeltaErrorOptions } from "../errors.js";

/** Why a change feed request was refused. */
export type ChangeFeedRefusal =
  /** `delta.enableChangeDataFeed` is not `true` at a version of the range. */
  | "feedDisabled"
  /** The schema or the partition columns change inside the range. */
  | "schemaChanged"
  /** The range ends before it starts. */
  | "endBeforeStart"
  /** The range starts after the latest version (or a starting timestamp after the latest commit). */
  | "startAfterLatest"
  /** A commit of the range is no longer in the log (log cleanup removed it). */
  | "commitCleanedUp";

/** A change feed request the table cannot serve; `refusal` says why, the message names the version. */
export class ChangeFeedError extends InvalidInputError {
  readonly refusal: ChangeFeedRefusal;
  constructor(refusal: ChangeFeedRefusal, message: string, options: DeltaErrorOptions = {}) {
    super(message, options);
    this.refusal = refusal;
  }
}
