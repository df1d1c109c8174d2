/**
 * The parts of the Workers runtime the ingest path uses, typed structurally (as env.ts does for
 * R2), so neither @cloudflare/workers-types nor Miniflare is needed to compile and the package
 * entry still loads in Node: a Durable Object's state (SQLite storage, alarms), its namespace and
 * stubs, and Queues message batches. Nothing here runs; it only names shapes.
 */

/** A value SQLite storage binds or returns (BLOBs come back as ArrayBuffer). */
export type SqlValue = string | number | null | ArrayBuffer | Uint8Array;

/** The cursor `sql.exec` returns. */
export interface SqlCursorLike<T> extends Iterable<T> {
  toArray(): T[];
  one(): T;
  readonly rowsWritten: number;
}

/** A SQLite-backed Durable Object's `storage.sql`. */
export interface SqlStorageLike {
  exec<T = Record<string, SqlValue>>(query: string, ...bindings: SqlValue[]): SqlCursorLike<T>;
}

/** `ctx.storage` of a SQLite-backed Durable Object (the subset used here). */
export interface DurableObjectStorageLike {
  sql: SqlStorageLike;
  /** Runs `fn` as one SQLite transaction (rolled back when it throws). */
  transactionSync<T>(fn: () => T): T;
  getAlarm(): Promise<number | null>;
  setAlarm(scheduledTime: number | Date): Promise<void>;
  deleteAlarm(): Promise<void>;
  /** Resolves once every write so far is durable (workerd 2024+). */
  sync?(): Promise<void>;
}

/** A Durable Object's id. */
export interface DurableObjectIdLike {
  toString(): string;
  readonly name?: string | undefined;
}

/** `ctx` of a Durable Object (the subset used here). */
export interface DurableObjectStateLike {
  readonly id: DurableObjectIdLike;
  readonly storage: DurableObjectStorageLike;
  blockConcurrencyWhile<T>(callback: () => Promise<T>): Promise<T>;
  /** Resets the object as if it were evicted (in-memory state lost, unconfirmed writes dropped). */
  abort?(reason?: string): void;
}

/** A stub of one Durable Object. */
export interface DurableObjectStubLike {
  fetch(request: Request): Promise<Response>;
}

/** A Durable Object namespace binding (wrangler `[[durable_objects.bindings]]`). */
export interface DurableObjectNamespaceLike {
  idFromName(name: string): DurableObjectIdLike;
  get(id: DurableObjectIdLike): DurableObjectStubLike;
}

/** One message of a Queues batch. */
export interface QueueMessageLike<Body = unknown> {
  readonly id: string;
  readonly timestamp: Date;
  readonly body: Body;
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

/** A batch delivered to a Worker's `queue` handler. */
export interface MessageBatchLike<Body = unknown> {
  readonly queue: string;
  readonly messages: readonly QueueMessageLike<Body>[];
  ackAll(): void;
  retryAll(options?: { delaySeconds?: number }): void;
}
