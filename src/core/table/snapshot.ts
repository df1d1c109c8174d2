/**
 * A Snapshot: the state of a table at one version, the result of log replay. It holds the
 * protocol, metadata, live files, tombstones, app transactions and domain metadata, and answers
 * the questions `info` and a scan planner ask (schema, partition columns, properties, sizes).
 */
import type { AddFile, CommitInfo, DomainMetadata, Metadata, Protocol, RemoveFile, SetTransaction } from "../log/actions.js";
import type { LogSegment } from "../log/segment.js";
import { materializeAdd, materializeRemove, pendingSize, type ReplayState } from "../log/replay.js";
import { ProtocolError } from "../errors.js";
import { parseSchema } from "../schema/schema-json.js";
import type { StructType } from "../schema/types.js";
import { txnRetentionMs } from "./properties.js";

/** Table state at one version. */
export class Snapshot {
  /** Table root (URL) for messages and for resolving file paths. */
  readonly tableRoot: string;
  readonly version: number;
  readonly protocol: Protocol;
  readonly metadata: Metadata;
  /** Commit time of this version in ms since the epoch (in-commit timestamp where enabled). */
  readonly timestamp: number;
  /** commitInfo of this version's commit, when it had one. */
  readonly commitInfo: CommitInfo | undefined;
  /** The log files this snapshot was built from. */
  readonly segment: LogSegment;
  private readonly state: ReplayState;
  private liveFiles: AddFile[] | undefined;
  private parsedSchema: StructType | undefined;

  constructor(init: {
    tableRoot: string;
    version: number;
    protocol: Protocol;
    metadata: Metadata;
    timestamp: number;
    segment: LogSegment;
    state: ReplayState;
  }) {
    this.tableRoot = init.tableRoot;
    this.version = init.version;
    this.protocol = init.protocol;
    this.metadata = init.metadata;
    this.timestamp = init.timestamp;
    this.segment = init.segment;
    this.state = init.state;
    this.commitInfo = init.state.lastCommitInfo;
  }

  /**
   * The table's logical schema (metaData.schemaString), parsed on first use. Every reader of the
   * schema (scan planning, `info`, writers) goes through here, so a bad schemaString fails the
   * same way everywhere.
   * @throws ProtocolError naming table and version when the schemaString is missing or malformed;
   *   UnsupportedFeatureError for a type delta-edge does not know.
   */
  get schema(): StructType {
    if (this.parsedSchema === undefined) {
      const context = { path: this.tableRoot, version: this.version };
      const text = this.metadata.schemaString as string | null | undefined;
      if (typeof text !== "string") throw new ProtocolError("the table's metaData has no schemaString", context);
      try {
        this.parsedSchema = parseSchema(text);
      } catch (err) {
        if (err instanceof ProtocolError && err.path === undefined) throw new ProtocolError(err.message, { ...context, cause: err });
        throw err;
      }
    }
    return this.parsedSchema;
  }

  /** Live data files (add actions), in log order. Parsed on first call, then cached. */
  files(): readonly AddFile[] {
    if (this.liveFiles === undefined) {
      const out: AddFile[] = new Array<AddFile>(this.state.files.size);
      let i = 0;
      for (const entry of this.state.files.values()) out[i++] = materializeAdd(entry);
      this.liveFiles = out;
    }
    return this.liveFiles;
  }

  /** Number of live files. */
  get numFiles(): number {
    return this.state.files.size;
  }

  /** Total bytes of live files. */
  get sizeBytes(): number {
    let total = 0;
    if (this.liveFiles) for (const f of this.liveFiles) total += Number(f.size);
    else for (const f of this.state.files.values()) total += pendingSize(f);
    return total;
  }

  /** Remove actions still in the log's memory (for vacuum and checkpoints). */
  tombstones(): readonly RemoveFile[] {
    return [...this.state.tombstones.values()].map(materializeRemove);
  }

  /**
   * The last committed version of an application's idempotent writes, if any. With
   * `delta.setTransactionRetentionDuration` set, a txn whose lastUpdated is older than now minus
   * the retention has expired and is not returned.
   */
  appTransactionVersion(appId: string, now = Date.now()): number | undefined {
    const txn = this.state.txns.get(appId);
    return txn && !this.expired(txn, now) ? txn.version : undefined;
  }

  /** Live app transactions (txn actions), newest per appId, expired ones left out. */
  appTransactions(now = Date.now()): readonly SetTransaction[] {
    return [...this.state.txns.values()].filter((t) => !this.expired(t, now));
  }

  private expired(txn: SetTransaction, now: number): boolean {
    const retention = txnRetentionMs(this.properties);
    return retention !== undefined && typeof txn.lastUpdated === "number" && txn.lastUpdated < now - retention;
  }

  /** Live domain metadata, by domain. */
  domainMetadata(): ReadonlyMap<string, DomainMetadata> {
    return this.state.domains;
  }

  /** Partition columns, in table order. */
  get partitionColumns(): readonly string[] {
    return this.metadata.partitionColumns;
  }

  /** Table properties (metaData.configuration). */
  get properties(): Readonly<Record<string, string>> {
    return this.metadata.configuration ?? {};
  }

  /** Whether in-commit timestamps are enabled at this version. */
  get inCommitTimestampsEnabled(): boolean {
    return this.properties["delta.enableInCommitTimestamps"] === "true";
  }
}
