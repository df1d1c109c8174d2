/**
 * The commitInfo action delta-edge writes (PROTOCOL.md "Commit Provenance Information"): Spark's
 * field names (timestamp, operation, operationParameters with string values, readVersion,
 * isolationLevel, isBlindAppend, operationMetrics, engineInfo, txnId, userMetadata) plus the
 * in-commit timestamp when the table has them. The txnId is a fresh UUID per transaction, which
 * makes every commit body unique so that a read-back can tell "my commit" from "theirs".
 */
import type { CommitInfo } from "../log/actions.js";

/** delta-edge's version, as written to commitInfo.engineInfo. */
export const DELTA_EDGE_VERSION = "0.1.0";

/** The engineInfo string of commits written by this library. */
export const ENGINE_INFO = `delta-edge/${DELTA_EDGE_VERSION}`;

/** The caller-facing part of a commitInfo. */
export interface CommitInfoInput {
  /** Spark-style operation name: "WRITE", "CREATE TABLE", "DELETE", "OPTIMIZE", ... */
  operation: string;
  /** Parameters; non-string values are JSON-encoded, as Spark stores them as strings. */
  operationParameters?: Readonly<Record<string, unknown>> | undefined;
  /** Metrics (numFiles, numOutputRows, ...); values are stringified like Spark's. */
  operationMetrics?: Readonly<Record<string, unknown>> | undefined;
  /** Free-form user metadata (Spark's `userMetadata`). */
  userMetadata?: string | undefined;
  /** Extra top-level fields, for engines that record more (must not clash with the fields above). */
  extra?: Readonly<Record<string, unknown>> | undefined;
}

/** Everything the transaction knows when it builds the commitInfo of one attempt. */
export interface CommitInfoContext {
  txnId: string;
  timestamp: number;
  /** The snapshot version the transaction read; undefined for a create. */
  readVersion: number | undefined;
  isolationLevel: string;
  isBlindAppend: boolean;
  /** The in-commit timestamp, when the table has them enabled. */
  inCommitTimestamp?: number | undefined;
  engineInfo?: string | undefined;
}

/** Builds the commitInfo action body (key order: ICT first, then Spark's order). */
export function buildCommitInfo(input: CommitInfoInput, ctx: CommitInfoContext): CommitInfo {
  const info: CommitInfo = {};
  if (ctx.inCommitTimestamp !== undefined) info.inCommitTimestamp = ctx.inCommitTimestamp;
  info.timestamp = ctx.timestamp;
  if (input.extra) for (const [k, v] of Object.entries(input.extra)) info[k] = v;
  info.operation = input.operation;
  info.operationParameters = stringValues(input.operationParameters ?? {});
  if (ctx.readVersion !== undefined) info.readVersion = ctx.readVersion;
  info.isolationLevel = ctx.isolationLevel;
  info.isBlindAppend = ctx.isBlindAppend;
  if (input.operationMetrics) info.operationMetrics = stringValues(input.operationMetrics);
  if (input.userMetadata !== undefined) info.userMetadata = input.userMetadata;
  info.engineInfo = ctx.engineInfo ?? ENGINE_INFO;
  info.txnId = ctx.txnId;
  return info;
}

/** Spark keeps operationParameters and operationMetrics as string maps. */
function stringValues(record: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) {
    if (v === undefined) continue;
    out[k] = typeof v === "string" ? v : JSON.stringify(v, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));
  }
  return out;
}
