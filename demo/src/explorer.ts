/**
 * The explorer's data side (no DOM): a session over one table URL, read entirely in the browser
 * with the delta-edge/browser bundle. Requests go HttpStore (or a bucket store, see signer.ts) ->
 * CountingStore (network requests and bytes, as the page reports them) -> CachingStore (log and
 * footer bytes fetched once per session).
 * Snapshots come from openTable, the history from readHistory, rows from readRows with a limit, so
 * only the footers and column chunks a query needs are fetched.
 */
import {
  CachingStore,
  CountingStore,
  HttpStore,
  openTable,
  planScan,
  readHistory,
  readRows,
  type HistoryEntry,
  type ObjectStore,
  type Snapshot,
} from "../../src/browser/index.js";
import { numRecordsOf, schemaFields, type SchemaField } from "./format.js";

/** Network counts of one action (or of the whole session). */
export interface Traffic {
  requests: number;
  gets: number;
  heads: number;
  bytes: number;
}

/** Snapshot facts shown in the info panel. */
export interface SnapshotInfo {
  version: number;
  timestamp: number;
  minReaderVersion: number;
  minWriterVersion: number;
  features: string[];
  partitionColumns: string[];
  numFiles: number;
  sizeBytes: number;
  fields: SchemaField[];
  name: string | undefined;
}

/** One live file. */
export interface FileInfo {
  path: string;
  size: number;
  partitionValues: Record<string, string | null>;
  numRecords: number | undefined;
  deletionVector: boolean;
}

/** A query's options. */
export interface Query {
  columns: string[];
  where: string;
  limit: number;
}

/** A query's result. */
export interface QueryResult {
  fields: SchemaField[];
  rows: Record<string, unknown>[];
  filesTotal: number;
  filesToRead: number;
  prunedByPartition: number;
  skippedByStats: number;
}

/** An open table: its stores, history and the traffic so far. */
export class TableSession {
  readonly url: string;
  private readonly counting: CountingStore;
  /** The session's store (cached, and counted for the traffic report): the SQL engine reads through it too. */
  readonly store: CachingStore;
  private total: Traffic = { requests: 0, gets: 0, heads: 0, bytes: 0 };

  /** `store` reads the table (default: HTTP GETs of `url`; signer.ts picks one for s3:// URLs). */
  constructor(url: string, store: ObjectStore = new HttpStore({ url })) {
    this.url = url;
    this.counting = new CountingStore(store);
    this.store = new CachingStore(this.counting);
  }

  /** Session totals. */
  get traffic(): Traffic {
    return { ...this.total };
  }

  /** Runs an action and returns its result with the network traffic it caused. */
  async measure<T>(action: () => Promise<T>): Promise<{ value: T; traffic: Traffic }> {
    this.counting.reset();
    try {
      const value = await action();
      return { value, traffic: this.take() };
    } catch (error) {
      this.take();
      throw error;
    }
  }

  private take(): Traffic {
    const s = this.counting.stats();
    const t: Traffic = { requests: s.requests, gets: s.get, heads: s.head, bytes: s.bytesRead };
    this.total = {
      requests: this.total.requests + t.requests,
      gets: this.total.gets + t.gets,
      heads: this.total.heads + t.heads,
      bytes: this.total.bytes + t.bytes,
    };
    this.counting.reset();
    return t;
  }

  /** The snapshot at a version (latest when undefined). */
  snapshot(version?: number): Promise<Snapshot> {
    return openTable({ store: this.store, version });
  }

  /** The newest snapshot committed at or before a time (ISO 8601). */
  snapshotAt(timestamp: string): Promise<Snapshot> {
    return openTable({ store: this.store, timestamp });
  }

  /** Commits newest first (at most `limit`). */
  history(limit = 200): Promise<HistoryEntry[]> {
    return readHistory({ store: this.store, limit });
  }

  /** The first rows of a query at a snapshot. */
  async query(snapshot: Snapshot, q: Query): Promise<QueryResult> {
    const where = q.where.trim() === "" ? undefined : q.where;
    const all = schemaFields(snapshot.metadata.schemaString);
    const columns = q.columns.length > 0 ? q.columns : all.map((f) => f.name);
    const plan = planScan(snapshot, { columns, where });
    const rows: Record<string, unknown>[] = [];
    if (q.limit > 0) {
      for await (const row of readRows({ store: this.store, snapshot, columns, where, limit: q.limit })) rows.push(row);
    }
    const byName = new Map(all.map((f) => [f.name, f]));
    return {
      fields: columns.map((c) => byName.get(c) ?? { name: c, type: "string", nullable: true }),
      rows,
      filesTotal: plan.counts.total,
      filesToRead: plan.files.length,
      prunedByPartition: plan.counts.prunedByPartition,
      skippedByStats: plan.counts.skippedByStats,
    };
  }
}

/** The facts of a snapshot for the info panel. */
export function snapshotInfo(s: Snapshot): SnapshotInfo {
  const features = [...new Set([...(s.protocol.readerFeatures ?? []), ...(s.protocol.writerFeatures ?? [])])].sort();
  return {
    version: s.version,
    timestamp: s.timestamp,
    minReaderVersion: s.protocol.minReaderVersion,
    minWriterVersion: s.protocol.minWriterVersion,
    features,
    partitionColumns: [...s.partitionColumns],
    numFiles: s.numFiles,
    sizeBytes: s.sizeBytes,
    fields: schemaFields(s.metadata.schemaString),
    name: typeof s.metadata.name === "string" ? s.metadata.name : undefined,
  };
}

/** The live files of a snapshot. */
export function fileInfos(s: Snapshot): FileInfo[] {
  return s.files().map((f) => ({
    path: decodePath(f.path),
    size: Number(f.size),
    partitionValues: f.partitionValues,
    numRecords: numRecordsOf(f),
    deletionVector: f.deletionVector !== undefined && f.deletionVector !== null,
  }));
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
