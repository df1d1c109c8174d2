/**
 * Choosing the commit strategy of a store from its configuration, the way delta-rs's
 * S3LogStoreFactory does for S3 (first match wins):
 * 1. AWS_COPY_IF_NOT_EXISTS -> CopyIfAbsentLogStore (temp file + create-only CopyObject);
 * 2. AWS_S3_LOCKING_PROVIDER=dynamodb -> DynamoDbLogStore (lock table, delta-rs/Spark schema);
 * 3. AWS_CONDITIONAL_PUT unset or `etag` -> PutIfAbsentLogStore (If-None-Match: *), the default;
 * 4. AWS_S3_ALLOW_UNSAFE_RENAME=true -> UnsafeRenameLogStore (single writer only);
 * 5. otherwise RefusingLogStore: reads work, writes fail saying how to configure a safe strategy.
 * Every other store (R2 binding, Azure, GCS, local files, memory) has an atomic create-only put
 * and always gets PutIfAbsentLogStore. {@link repairIncomplete} is the hook readers call before
 * loading a snapshot, so a commit a DynamoDB writer left half done becomes visible. S3-compatible
 * stores are recognized by their `commitTarget()` capability (storage/object-store.ts), never by
 * class: logstore/ imports no storage backend.
 */
import { InvalidInputError } from "../errors.js";
import { DynamoDbClient } from "../storage/dynamodb.js";
import type { ObjectStore } from "../storage/object-store.js";
import { copyConditionOf, s3Config, type DynamoConfig, type S3CommitOptions } from "../storage/s3-config.js";
import type { ClientConfig } from "../storage/storage-options.js";
import { CopyIfAbsentLogStore } from "./copy-if-absent.js";
import { DynamoDbLogStore } from "./dynamodb.js";
import { DynamoLockTable } from "./dynamodb-lock.js";
import type { LogStore, RepairResult } from "./log-store.js";
import { PutIfAbsentLogStore } from "./put-if-absent.js";
import { RefusingLogStore, SAFE_S3_COMMIT_HELP } from "./refusing.js";
import { hasCopyIfAbsent } from "./temp-commit.js";
import { UnsafeRenameLogStore } from "./unsafe-rename.js";

/** Options of {@link selectLogStore}. */
export interface SelectLogStoreOptions {
  /** The table's store. An S3-compatible store carries its parsed commit settings (`store.commitTarget()`). */
  store: ObjectStore;
  /**
   * Commit settings to use instead of the store's (applies to any store, e.g. a wrapped S3Store).
   * Wins over `options`/`env`.
   */
  commit?: S3CommitOptions | undefined;
  /** delta-rs string options (AWS_S3_LOCKING_PROVIDER, ...) re-read for an S3Store; else the store's own settings count. */
  options?: Record<string, string | undefined> | undefined;
  /** Environment variables, read leniently with `options`. */
  env?: Record<string, string | undefined> | undefined;
  /**
   * The table URI as other writers spell it, the DynamoDB `tablePath` (trailing slashes dropped),
   * e.g. `s3a://bucket/t` for tables Spark writes through s3a. Default: `s3://<bucket>/<prefix>`.
   */
  tableUri?: string | undefined;
  /** HTTP client settings of the DynamoDB client (default: allowHttp when the S3 endpoint is http). */
  client?: ClientConfig | undefined;
  /** The fetch used by the DynamoDB client. */
  fetch?: typeof fetch | undefined;
  /** Clock in ms since the epoch (DynamoDB expireTime). */
  now?: (() => number) | undefined;
}

/** Returns the commit strategy for a store and its configuration (see the module comment). */
export function selectLogStore(options: SelectLogStoreOptions): LogStore {
  const { store } = options;
  const settings = commitSettings(options);
  const c: S3CommitOptions = settings.commit ?? {};
  if (c.copyIfNotExists !== undefined) {
    const condition = copyConditionOf(c.copyIfNotExists);
    if (condition === undefined) {
      return refuse(store, 'AWS_COPY_IF_NOT_EXISTS="multipart" is not supported; use AWS_CONDITIONAL_PUT=etag or a copy header');
    }
    if (!hasCopyIfAbsent(store)) return refuse(store, `AWS_COPY_IF_NOT_EXISTS is set but ${store.root} cannot copy objects (an S3 store is needed)`);
    return new CopyIfAbsentLogStore({ store, condition });
  }
  if (c.lockingProvider === "dynamodb") return dynamoLogStore(options, c.dynamo, settings.client);
  if (c.conditionalPut !== "disabled") return new PutIfAbsentLogStore({ store });
  if (c.allowUnsafeRename === true) return new UnsafeRenameLogStore({ store, allowUnsafeRename: true });
  return refuse(store, `AWS_CONDITIONAL_PUT is "disabled" and no other commit strategy is configured, so concurrent writers could overwrite each other's commits; ${SAFE_S3_COMMIT_HELP}`);
}

/** Options of {@link repairIncomplete}: a LogStore, or what {@link selectLogStore} needs to choose one. */
export type RepairIncompleteOptions = SelectLogStoreOptions & { logStore?: LogStore | undefined };

/**
 * Finishes a commit that a DynamoDB-locked writer left incomplete (copies its temp file to N.json
 * and marks the entry complete), so a snapshot loaded next sees it. Call it before loading a
 * snapshot of a table that may be written with AWS_S3_LOCKING_PROVIDER=dynamodb; for every other
 * strategy it does nothing and costs no request. Returns the newest lock-table version, if any.
 */
export async function repairIncomplete(options: RepairIncompleteOptions): Promise<RepairResult | undefined> {
  const logStore = options.logStore ?? selectLogStore(options);
  return logStore.repair ? logStore.repair() : undefined;
}

/** The DynamoDB `tablePath` of a store: delta-rs's table URI (scheme://bucket/prefix, path percent-encoded, no trailing slash). */
export function dynamoTablePath(store: ObjectStore, tableUri?: string): string {
  if (tableUri !== undefined) return tableUri.replace(/\/+$/, "");
  return store.commitTarget?.().tableUri ?? store.root.replace(/\/+$/, "");
}

function commitSettings(options: SelectLogStoreOptions): { commit: S3CommitOptions | undefined; client: ClientConfig | undefined } {
  if (options.commit !== undefined) return { commit: options.commit, client: options.client };
  const target = options.store.commitTarget?.();
  if (target === undefined) return { commit: undefined, client: options.client };
  if (options.options !== undefined || options.env !== undefined) {
    const parsed = s3Config({ options: options.options, env: options.env });
    return { commit: parsed.commit, client: options.client ?? parsed.client };
  }
  return { commit: target.commit, client: options.client };
}

function dynamoLogStore(options: SelectLogStoreOptions, dynamo: DynamoConfig | undefined, client: ClientConfig | undefined): LogStore {
  const { store } = options;
  const config: DynamoConfig = dynamo ?? { tableName: "delta_log", billingMode: "PAY_PER_REQUEST" };
  if (config.accessKeyId === undefined || config.secretAccessKey === undefined) {
    return refuse(store, "AWS_S3_LOCKING_PROVIDER=dynamodb needs credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or their _DYNAMODB variants)");
  }
  const target = store.commitTarget?.();
  const httpEndpoint = target?.httpEndpoint === true;
  const clientConfig: ClientConfig = { ...(client ?? {}) };
  if (clientConfig.allowHttp === undefined && httpEndpoint) clientConfig.allowHttp = true;
  let dynamoClient: DynamoDbClient;
  try {
    dynamoClient = new DynamoDbClient({
      region: config.region ?? target?.region,
      endpoint: config.endpoint,
      accessKeyId: config.accessKeyId,
      secretAccessKey: config.secretAccessKey,
      sessionToken: config.sessionToken,
      client: clientConfig,
      maxElapsedRequestTimeMs: config.maxElapsedRequestTimeMs,
      fetch: options.fetch,
    });
  } catch (err) {
    if (err instanceof InvalidInputError) throw new InvalidInputError(err.message, { path: store.root, cause: err });
    throw err;
  }
  const lockTable = new DynamoLockTable({ client: dynamoClient, tableName: config.tableName, tablePath: dynamoTablePath(store, options.tableUri) });
  return new DynamoDbLogStore({ store, lockTable, now: options.now });
}

function refuse(store: ObjectStore, reason: string): LogStore {
  return new RefusingLogStore({ store, reason });
}
