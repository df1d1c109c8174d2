/**
 * The DynamoDB lock table of delta-rs's S3DynamoDbLogStore and Spark's S3DynamoDBLogStore: one
 * item per commit, keyed by HASH `tablePath` (S, the table URI, e.g. `s3://bucket/prefix` without a
 * trailing slash) and RANGE `fileName` (S, `<20-digit version>.json`), with `tempPath` (S, the
 * temp commit file relative to `_delta_log/`), `complete` (S, "true"/"false") and `expireTime` (N,
 * epoch seconds, set when the entry completes; a TTL on it lets DynamoDB drop old entries). The
 * requests and conditions are the ones delta-rs sends, so both can share a table.
 */
import { InvalidInputError, ProtocolError, StorageError } from "../errors.js";
import { padVersion } from "../log/path.js";
import { attrN, attrS, DynamoDbError, numberOf, stringOf, type DynamoDbClient, type DynamoItem } from "../storage/dynamodb.js";

/** One commit's entry in the lock table. */
export interface CommitEntry {
  version: number;
  /** Temp commit file, relative to `_delta_log/` (e.g. `_commit_<uuid>.json.tmp`). */
  tempPath: string;
  /** Whether the temp file has been copied to `<version>.json`. */
  complete: boolean;
  /** Epoch seconds after which the entry may be deleted (set on completion). */
  expireTime?: number | undefined;
}

/** Options of {@link DynamoLockTable}. */
export interface DynamoLockTableOptions {
  client: DynamoDbClient;
  /** The lock table's name (DELTA_DYNAMO_TABLE_NAME; default `delta_log`). */
  tableName: string;
  /** The table URI used as the hash key; must match other writers' exactly. */
  tablePath: string;
}

/** Options of {@link DynamoLockTable.create}. */
export interface CreateLockTableOptions {
  billingMode?: "PAY_PER_REQUEST" | "PROVISIONED" | undefined;
  /** Turn on DynamoDB TTL on `expireTime` (default true). */
  ttl?: boolean | undefined;
}

/** Seconds a completed entry is kept (delta-rs's DEFAULT_COMMIT_ENTRY_EXPIRATION_DELAY). */
export const COMMIT_ENTRY_EXPIRATION_SECONDS = 86_400;

const CONDITION_CREATE = "attribute_not_exists(tablePath) and attribute_not_exists(fileName)";
const CONDITION_DELETE_INCOMPLETE = "(complete = :f) or (attribute_not_exists(tablePath) and attribute_not_exists(fileName))";
const FILE_NAME = /^(\d{20})\.json$/;

/** The lock table, for one Delta table. */
export class DynamoLockTable {
  readonly client: DynamoDbClient;
  readonly tableName: string;
  readonly tablePath: string;

  constructor(options: DynamoLockTableOptions) {
    if (options.tableName.trim() === "") throw new InvalidInputError("DELTA_DYNAMO_TABLE_NAME must not be empty");
    this.client = options.client;
    this.tableName = options.tableName;
    this.tablePath = options.tablePath;
  }

  /**
   * Creates the entry unless one exists for its version. On ConditionalCheckFailed the existing
   * entry comes back in the same request (ReturnValuesOnConditionCheckFailure=ALL_OLD) when the
   * service supports it.
   */
  async putEntry(entry: CommitEntry): Promise<{ created: true } | { created: false; existing: CommitEntry | undefined }> {
    const item: DynamoItem = {
      tablePath: attrS(this.tablePath),
      fileName: attrS(fileNameOf(entry.version)),
      tempPath: attrS(entry.tempPath),
      complete: attrS(entry.complete ? "true" : "false"),
    };
    if (entry.expireTime !== undefined) item.expireTime = attrN(entry.expireTime);
    try {
      await this.call("PutItem", {
        TableName: this.tableName,
        Item: item,
        ConditionExpression: CONDITION_CREATE,
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      });
      return { created: true };
    } catch (err) {
      if (!(err instanceof DynamoDbError && err.type === "ConditionalCheckFailedException")) throw err;
      const old = err.body.Item as DynamoItem | undefined;
      return { created: false, existing: old === undefined ? undefined : this.parse(old) };
    }
  }

  /** The entry of a version (consistent read), or undefined. */
  async getEntry(version: number): Promise<CommitEntry | undefined> {
    const res = await this.call<{ Item?: DynamoItem }>("GetItem", { TableName: this.tableName, Key: this.key(version), ConsistentRead: true });
    return res.Item === undefined ? undefined : this.parse(res.Item);
  }

  /** The newest entry of the table (consistent read), or undefined when there is none. */
  async latestEntry(): Promise<CommitEntry | undefined> {
    const res = await this.call<{ Items?: DynamoItem[] }>("Query", {
      TableName: this.tableName,
      ConsistentRead: true,
      Limit: 1,
      ScanIndexForward: false,
      KeyConditionExpression: "tablePath = :tn",
      ExpressionAttributeValues: { ":tn": attrS(this.tablePath) },
    });
    const item = res.Items?.[0];
    return item === undefined ? undefined : this.parse(item);
  }

  /**
   * Marks an entry complete with `expireTime = nowSeconds + 86400`, only if it is incomplete:
   * "updated", or "already-complete" on ConditionalCheckFailed.
   */
  async completeEntry(version: number, nowSeconds: number): Promise<"updated" | "already-complete"> {
    try {
      await this.call("UpdateItem", {
        TableName: this.tableName,
        Key: this.key(version),
        UpdateExpression: "SET complete = :c, expireTime = :e",
        ConditionExpression: "complete = :f",
        ExpressionAttributeValues: { ":c": attrS("true"), ":e": attrN(nowSeconds + COMMIT_ENTRY_EXPIRATION_SECONDS), ":f": attrS("false") },
      });
      return "updated";
    } catch (err) {
      if (err instanceof DynamoDbError && err.type === "ConditionalCheckFailedException") return "already-complete";
      throw err;
    }
  }

  /** Deletes an entry unless it is complete (an aborted commit): "deleted" or "complete". */
  async deleteIncompleteEntry(version: number): Promise<"deleted" | "complete"> {
    try {
      await this.call("DeleteItem", {
        TableName: this.tableName,
        Key: this.key(version),
        ConditionExpression: CONDITION_DELETE_INCOMPLETE,
        ExpressionAttributeValues: { ":f": attrS("false") },
      });
      return "deleted";
    } catch (err) {
      if (err instanceof DynamoDbError && err.type === "ConditionalCheckFailedException") return "complete";
      throw err;
    }
  }

  /**
   * Creates the lock table with delta-rs's schema (and a TTL on expireTime), waiting until it is
   * active: "created", or "exists" when a table of that name is already there.
   */
  async create(options: CreateLockTableOptions = {}): Promise<"created" | "exists"> {
    const billing = options.billingMode ?? "PAY_PER_REQUEST";
    let outcome: "created" | "exists" = "created";
    try {
      await this.client.send("CreateTable", {
        TableName: this.tableName,
        AttributeDefinitions: [
          { AttributeName: "tablePath", AttributeType: "S" },
          { AttributeName: "fileName", AttributeType: "S" },
        ],
        KeySchema: [
          { AttributeName: "tablePath", KeyType: "HASH" },
          { AttributeName: "fileName", KeyType: "RANGE" },
        ],
        BillingMode: billing,
        ...(billing === "PROVISIONED" ? { ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } } : {}),
      });
    } catch (err) {
      if (!(err instanceof DynamoDbError && err.type === "ResourceInUseException")) throw err;
      outcome = "exists";
    }
    for (let i = 0; i < 120; i++) {
      const res = await this.client.send<{ Table?: { TableStatus?: string } }>("DescribeTable", { TableName: this.tableName });
      if (res.Table?.TableStatus === "ACTIVE") break;
      await new Promise((r) => setTimeout(r, 500));
    }
    if (outcome === "created" && options.ttl !== false) {
      await this.client.send("UpdateTimeToLive", {
        TableName: this.tableName,
        TimeToLiveSpecification: { AttributeName: "expireTime", Enabled: true },
      });
    }
    return outcome;
  }

  private key(version: number): DynamoItem {
    return { tablePath: attrS(this.tablePath), fileName: attrS(fileNameOf(version)) };
  }

  private parse(item: DynamoItem): CommitEntry {
    const fileName = stringOf(item, "fileName");
    const tempPath = stringOf(item, "tempPath");
    const complete = stringOf(item, "complete");
    const m = fileName === undefined ? null : FILE_NAME.exec(fileName);
    if (m === null || tempPath === undefined || complete === undefined) {
      throw new ProtocolError(`malformed lock table entry in ${this.tableName}: ${JSON.stringify(item)}`, { path: this.tablePath });
    }
    const entry: CommitEntry = { version: Number(m[1]), tempPath, complete: complete === "true" };
    const expire = numberOf(item, "expireTime");
    if (expire !== undefined) entry.expireTime = expire;
    return entry;
  }

  private async call<T = Record<string, unknown>>(operation: string, body: Record<string, unknown>): Promise<T> {
    try {
      return await this.client.send<T>(operation, body);
    } catch (err) {
      if (err instanceof DynamoDbError && err.type === "ResourceNotFoundException") {
        throw new StorageError(
          `lock table "${this.tableName}" not found at ${this.client.endpoint}: create it (HASH tablePath S, RANGE fileName S; see README "Storage backends") or set DELTA_DYNAMO_TABLE_NAME`,
          { path: this.tablePath, cause: err },
        );
      }
      throw err;
    }
  }
}

/** The `fileName` key of a version: `<20 digits>.json`. */
export function fileNameOf(version: number): string {
  return `${padVersion(version)}.json`;
}
