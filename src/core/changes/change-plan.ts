/**
 * Planning a change feed: resolve the range, learn the table's protocol and metaData at its start
 * (start-state.ts), read every commit of the range and check the feed's rules at each version
 * (feed-rules.ts) before any data is read, so that a refusal is never a half-streamed result;
 * then turn runs of commits into scan plans (change-scan.ts) and resolve the rows whose deletion
 * state changed (dv-diff.ts) for the files that survive pruning. Reads: the listing, the commits
 * of the range, what the start state needs, and the deletion vectors of DV updates.
 */
import { InvalidInputError, ProtocolError } from "../errors.js";
import type { Metadata, RemoveFile } from "../log/actions.js";
import { parseActions } from "../log/commit-file.js";
import type { BoundExpr } from "../expr/bound.js";
import { columnMappingMode, validateColumnMapping, type ColumnMappingMode } from "../schema/column-mapping.js";
import { parseSchema } from "../schema/schema-json.js";
import type { StructField, StructType } from "../schema/types.js";
import type { ScanOptions, ScanPlan } from "../scan/plan.js";
import { dataFileKey } from "../scan/data-path.js";
import { prepareReads, type ObjectStore } from "../storage/object-store.js";
import { parseTimestamp } from "../table/time-travel.js";
import { mapLimit } from "../util/pool.js";
import { checkNoReservedColumns } from "./change-columns.js";
import { planChangeRun, type ChangeScanOptions, type TimedCommit } from "./change-scan.js";
import { commitChanges, type ChangeFile } from "./commit-changes.js";
import { CommitTexts } from "./commit-texts.js";
import { commitTimestamp } from "./commit-timestamp.js";
import { dvChange, type DvChange } from "./dv-diff.js";
import { ChangeFeedError } from "./errors.js";
import { checkFeedEnabled, checkFeedProtocol, checkSameShape, inCommitTimestampsEnabled } from "./feed-rules.js";
import { stateAtStart, type TableState } from "./start-state.js";
import { firstVersionAtOrAfter, lastVersionAtOrBefore } from "./timestamp-range.js";
import { resolveVersionRange, type ChangeRange } from "./version-range.js";

/** What to read: a range of versions (or times) and, as in scans, columns, a predicate and `timeZone`. */
export interface ChangesOptions extends ScanOptions {
  store: ObjectStore;
  /** First version of the feed (inclusive). Exclusive with startingTimestamp; one is required. */
  startingVersion?: number | undefined;
  /** The feed starts at the first commit at or after this time (ISO 8601, Date or epoch ms). */
  startingTimestamp?: string | number | Date | undefined;
  /** Last version (inclusive; default and upper bound: the latest). */
  endingVersion?: number | undefined;
  /** The feed ends at the last commit at or before this time. */
  endingTimestamp?: string | number | Date | undefined;
  /** Table columns to return, in this order (default all); the change columns are always added. */
  columns?: readonly string[] | undefined;
  /** A predicate over the table's columns and the change columns; prunes files, filters rows. */
  where?: string | BoundExpr | undefined;
  /**
   * A start of exactly latest + 1 (a client that has seen every commit asks for the next one)
   * yields an empty feed instead of a "startAfterLatest" ChangeFeedError. Such a feed costs one
   * listing (or two HEAD probes) and reads no commit.
   */
  emptyWhenCaughtUp?: boolean | undefined;
  /** Parallel log and DV fetches (default 8). */
  concurrency?: number | undefined;
}

/** A planned feed. */
export interface ChangePlan {
  /** Table root. */
  path: string;
  startVersion: number;
  /** Last version read; `startVersion - 1` for an empty (caught-up) feed. */
  endVersion: number;
  /** Protocol and metaData at the start (undefined for an empty feed). */
  state: TableState | undefined;
  /** Output fields; undefined only for an empty feed (see changePlanFields). */
  outputFields: StructField[] | undefined;
  /** Scan plans in commit order (commits without changed rows have none). */
  runs: ScanPlan[];
  /** Commit times by version, ms since the epoch. */
  timestamps: Map<number, number>;
}

/** Plans a change feed (reads the log; no data file is read). */
export async function planChanges(options: ChangesOptions): Promise<ChangePlan> {
  const { store } = options;
  const path = store.root;
  const concurrency = options.concurrency ?? 8;
  const range = await resolveRange(options);
  const base = { path, startVersion: range.start, endVersion: range.end, timestamps: new Map<number, number>() };
  if (range.segment === undefined) return { ...base, state: undefined, outputFields: undefined, runs: [] };
  const texts = new CommitTexts(store);
  // One hint for every log file the plan reads (a signing store signs them in one round trip).
  const logKeys = [...(range.segment.checkpoint?.files ?? []), ...range.segment.deltas, ...range.commits].map((f) => f.key);
  await prepareReads(store, [...new Set(logKeys)]);
  const state = await stateAtStart({ store, segment: range.segment, hint: range.hint, texts, concurrency });
  const start = { path, version: range.start };
  checkFeedProtocol(state.protocol, start);
  checkFeedEnabled(state.metadata, start);
  const scan = scanOptions(options, state);
  const commits = await readCommits(options, range, texts, state.metadata);
  for (const c of commits) base.timestamps.set(c.version, c.timestamp);
  const runs: ScanPlan[] = [];
  for (const run of groupRuns(commits)) {
    await completeRemoves(store, run.commits, state.metadata.partitionColumns ?? [], concurrency);
    const planned = planChangeRun(scan, run.commits, run.cdc);
    const changes = new Map<ChangeFile, Promise<DvChange>>();
    const sides = [...planned.dvSides.values()];
    await mapLimit(sides, concurrency, async (s) => {
      let change = changes.get(s.file);
      if (change === undefined) {
        change = dvChange({ store, before: s.file.remove.deletionVector, after: s.file.add.deletionVector, context: { path, version: s.version } });
        changes.set(s.file, change);
      }
      await change;
    });
    const files = [];
    for (const f of planned.plan.files) {
      const side = planned.dvSides.get(f.add);
      if (side === undefined) files.push(f);
      else {
        const rows = (await (changes.get(side.file) as Promise<DvChange>))[side.side];
        if (rows.length > 0) files.push({ ...f, selectedRows: rows });
      }
    }
    if (files.length > 0) runs.push({ ...planned.plan, files });
  }
  const outputFields = planChangeRun(scan, [], false).plan.outputFields;
  return { ...base, state, outputFields, runs };
}

/** The output fields of a plan; for an empty feed, read from the table state at its latest version. */
export async function changePlanFields(plan: ChangePlan, options: ChangesOptions): Promise<StructField[]> {
  if (plan.outputFields !== undefined) return plan.outputFields;
  const latest = plan.startVersion - 1;
  const range = await resolveVersionRange({ store: options.store, start: latest, end: latest });
  const texts = new CommitTexts(options.store);
  const state = await stateAtStart({ store: options.store, segment: range.segment as NonNullable<ChangeRange["segment"]>, hint: range.hint, texts });
  return planChangeRun(scanOptions(options, state), [], false).plan.outputFields;
}

async function resolveRange(options: ChangesOptions): Promise<ChangeRange> {
  const { store } = options;
  const path = store.root;
  if ((options.startingVersion === undefined) === (options.startingTimestamp === undefined)) {
    throw new InvalidInputError("give exactly one of startingVersion and startingTimestamp", { path });
  }
  if (options.endingVersion !== undefined && options.endingTimestamp !== undefined) {
    throw new InvalidInputError("give at most one of endingVersion and endingTimestamp", { path });
  }
  const startTs = options.startingTimestamp === undefined ? undefined : parseTimestamp(options.startingTimestamp);
  const endTs = options.endingTimestamp === undefined ? undefined : parseTimestamp(options.endingTimestamp);
  const start = startTs === undefined ? (options.startingVersion as number) : await firstVersionAtOrAfter(store, startTs);
  const end = endTs === undefined ? options.endingVersion : await lastVersionAtOrBefore(store, endTs);
  if (end !== undefined && startTs !== undefined && end < start) {
    const to = endTs === undefined ? `version ${end}` : `${new Date(endTs).toISOString()} (version ${end})`;
    throw new ChangeFeedError("endBeforeStart", `no commit between ${new Date(startTs).toISOString()} (version ${start}) and ${to}`, { path, version: start });
  }
  try {
    return await resolveVersionRange({ store, start, end, emptyWhenCaughtUp: options.emptyWhenCaughtUp });
  } catch (err) {
    if (err instanceof ChangeFeedError && err.refusal === "startAfterLatest" && startTs !== undefined) {
      throw new ChangeFeedError("startAfterLatest", `no commit at or after ${new Date(startTs).toISOString()}: ${err.message}`, { path, version: start, cause: err });
    }
    throw err;
  }
}

function scanOptions(options: ChangesOptions, state: TableState): ChangeScanOptions {
  const context = { path: options.store.root, version: state.version };
  const schema: StructType = parseSchema(state.metadata.schemaString);
  const columnMapping: ColumnMappingMode = columnMappingMode(state.metadata.configuration);
  validateColumnMapping(schema, columnMapping);
  checkNoReservedColumns(schema, context);
  return { tableRoot: options.store.root, state, schema, columnMapping, columns: options.columns, where: options.where, timeZone: options.timeZone };
}

/** Reads, parses and checks every commit of the range, in order. */
async function readCommits(options: ChangesOptions, range: ChangeRange, texts: CommitTexts, startMetadata: Metadata): Promise<(TimedCommit & { hasCdc: boolean })[]> {
  const { store } = options;
  const path = store.root;
  const parsed = await mapLimit(range.commits, options.concurrency ?? 8, async (file) => {
    const version = file.info.version;
    const changes = commitChanges(parseActions(await texts.bytes(file), { path: `${path}/${file.key}`, version }), { path, version });
    texts.forget(file);
    return { file, changes };
  });
  let metadata = startMetadata;
  const out: (TimedCommit & { hasCdc: boolean })[] = [];
  for (const { file, changes } of parsed) {
    const context = { path, version: changes.version };
    // The start commit's own metaData and protocol are part of the start state, checked already.
    if (changes.metadata && changes.version > range.start) {
      checkFeedEnabled(changes.metadata, context);
      checkSameShape(startMetadata, changes.metadata, context);
      metadata = changes.metadata;
    }
    if (changes.protocol && changes.version > range.start) checkFeedProtocol(changes.protocol, context);
    const timestamp = await commitTimestamp({ store, file, commitInfo: changes.commitInfo, inCommitTimestamps: inCommitTimestampsEnabled(metadata) });
    out.push({ version: changes.version, timestamp, files: changes.files, hasCdc: changes.hasCdc });
  }
  return out;
}

/** Consecutive commits with and without change data files, as runs (commits without files dropped). */
function groupRuns(commits: readonly (TimedCommit & { hasCdc: boolean })[]): { cdc: boolean; commits: TimedCommit[] }[] {
  const runs: { cdc: boolean; commits: TimedCommit[] }[] = [];
  for (const c of commits) {
    if (c.files.length === 0) continue;
    const last = runs.at(-1);
    if (last !== undefined && last.cdc === c.hasCdc) last.commits.push(c);
    else runs.push({ cdc: c.hasCdc, commits: [c] });
  }
  return runs;
}

/**
 * Removes written without `size` (old writers): ask the store, since a Parquet read needs it. A
 * remove without partition values in a partitioned table cannot give its rows: refused.
 */
async function completeRemoves(store: ObjectStore, commits: readonly TimedCommit[], partitionColumns: readonly string[], concurrency: number): Promise<void> {
  const missing: { commit: TimedCommit; index: number; remove: RemoveFile }[] = [];
  for (const commit of commits) {
    commit.files.forEach((f, index) => {
      if (f.kind !== "delete") return;
      if (partitionColumns.length > 0 && (f.remove.partitionValues === undefined || f.remove.partitionValues === null)) {
        throw new ProtocolError(`the remove of ${f.remove.path} has no partitionValues, so its deleted rows cannot be given`, { path: store.root, version: commit.version });
      }
      if (f.remove.size === undefined || f.remove.size === null) missing.push({ commit, index, remove: f.remove });
    });
  }
  await mapLimit(missing, concurrency, async ({ commit, index, remove }) => {
    const key = dataFileKey(remove.path, store.root, { path: store.root, version: commit.version });
    const size = (await store.head(key)).size;
    commit.files[index] = { kind: "delete", remove: { ...remove, size } };
  });
}
