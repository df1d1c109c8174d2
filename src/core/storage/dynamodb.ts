/**
 * DynamoDbClient: a small fetch-only client for DynamoDB's JSON protocol (POST with
 * `X-Amz-Target: DynamoDB_20120810.<Operation>`), signed with SigV4 by aws4fetch's signer, so it
 * runs in Workers and browsers as well as Node. It sends raw request objects and returns raw
 * response objects; the DynamoDB commit strategy (logstore/dynamodb.ts) builds on it. Transient
 * failures (network, 5xx) are retried by the shared Transport and throttling errors
 * (ProvisionedThroughputExceeded, Throttling, RequestLimitExceeded) here, within
 * `maxElapsedRequestTimeMs`. Every operation delta-edge sends is a read or a conditional write
 * whose "condition failed" answer the caller settles by reading, so all of them may be repeated.
 * Service errors become {@link DynamoDbError}s carrying the error type (`ConditionalCheckFailedException`, ...).
 */
import { AwsV4Signer } from "aws4fetch";
import { InvalidInputError, StorageError, type DeltaErrorOptions } from "../errors.js";
import { Transport, type OutgoingRequest } from "./retry.js";
import { readText } from "./s3-transport.js";
import type { ClientConfig } from "./storage-options.js";

/** A DynamoDB attribute value (the types the lock table uses). */
export type AttributeValue = { S: string } | { N: string } | { BOOL: boolean } | { NULL: true };

/** One item: attribute name -> value. */
export type DynamoItem = Record<string, AttributeValue>;

/** Options of {@link DynamoDbClient}. */
export interface DynamoDbClientOptions {
  /** Signing region (default us-east-1). */
  region?: string | undefined;
  /** Endpoint URL (default `https://dynamodb.<region>.amazonaws.com`). */
  endpoint?: string | undefined;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  /** Timeouts, retries, allowHttp (plain http endpoints are refused unless set). */
  client?: ClientConfig | undefined;
  /** How long throttled requests are retried, in ms (DELTA_DYNAMO_MAX_ELAPSED_REQUEST_TIME; default 60 s). */
  maxElapsedRequestTimeMs?: number | undefined;
  fetch?: typeof fetch | undefined;
}

/** A DynamoDB service error: `type` is the short error name, e.g. `ConditionalCheckFailedException`. */
export class DynamoDbError extends StorageError {
  readonly type: string;
  /** The parsed error body (e.g. `Item` with ReturnValuesOnConditionCheckFailure=ALL_OLD). */
  readonly body: Record<string, unknown>;
  constructor(type: string, message: string, options: DeltaErrorOptions & { status?: number | undefined; body?: Record<string, unknown> } = {}) {
    super(message, options);
    this.type = type;
    this.body = options.body ?? {};
  }
}

const THROTTLED = new Set(["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"]);

/** Signs and sends DynamoDB JSON requests. */
export class DynamoDbClient {
  readonly endpoint: string;
  readonly region: string;
  private readonly options: DynamoDbClientOptions;
  private readonly transport: Transport;
  private readonly signingCache = new Map<string, ArrayBuffer>();
  private readonly maxElapsedMs: number;

  constructor(options: DynamoDbClientOptions) {
    this.options = options;
    this.region = options.region ?? "us-east-1";
    this.endpoint = (options.endpoint ?? `https://dynamodb.${this.region}.amazonaws.com`).replace(/\/+$/, "");
    if (!/^https?:\/\//i.test(this.endpoint)) {
      throw new InvalidInputError(`the DynamoDB endpoint must be an http(s) URL, got "${this.endpoint}"`);
    }
    if (/^http:/i.test(this.endpoint) && options.client?.allowHttp !== true) {
      throw new InvalidInputError(`plain http DynamoDB endpoint ${this.endpoint} refused: set AWS_ALLOW_HTTP=true to allow it`);
    }
    this.maxElapsedMs = options.maxElapsedRequestTimeMs ?? 60_000;
    this.transport = new Transport({ fetch: options.fetch, client: options.client });
  }

  /**
   * Sends one operation (`PutItem`, `GetItem`, `Query`, ...) with a JSON body and returns the
   * parsed response. Throws DynamoDbError for service errors, StorageError for transport failures.
   */
  async send<T = Record<string, unknown>>(operation: string, body: Record<string, unknown>, options: { signal?: AbortSignal } = {}): Promise<T> {
    const started = Date.now();
    const text = JSON.stringify(body);
    for (let attempt = 0; ; attempt++) {
      const res = await this.transport.send(() => this.sign(operation, text), {
        idempotent: true,
        signal: options.signal,
        path: `${this.endpoint} ${operation}`,
      });
      const raw = await readText(res, this.endpoint);
      if (res.ok) return (raw === "" ? {} : JSON.parse(raw)) as T;
      const error = parseError(raw, res.status, operation, this.endpoint);
      if (THROTTLED.has(error.type) && Date.now() - started < this.maxElapsedMs) {
        await sleep(Math.min(5_000, 50 * 2 ** Math.min(attempt, 7)) * (0.5 + Math.random() / 2));
        continue;
      }
      throw error;
    }
  }

  private async sign(operation: string, body: string): Promise<OutgoingRequest> {
    const headers = new Headers({
      "Content-Type": "application/x-amz-json-1.0",
      "X-Amz-Target": `DynamoDB_20120810.${operation}`,
    });
    const signer = new AwsV4Signer({
      method: "POST",
      url: `${this.endpoint}/`,
      headers,
      body,
      accessKeyId: this.options.accessKeyId,
      secretAccessKey: this.options.secretAccessKey,
      ...(this.options.sessionToken !== undefined ? { sessionToken: this.options.sessionToken } : {}),
      service: "dynamodb",
      region: this.region,
      cache: this.signingCache,
    });
    const signed = await signer.sign();
    return { url: signed.url.toString(), init: { method: "POST", headers: signed.headers, body } };
  }
}

/** The DynamoDbError of an error response (`{"__type": "...#Name", "message": "..."}`). */
function parseError(raw: string, status: number, operation: string, endpoint: string): DynamoDbError {
  let type = `HTTP${status}`;
  let message = raw.slice(0, 300);
  let body: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(raw) as { __type?: string; message?: string; Message?: string };
    body = parsed as Record<string, unknown>;
    if (parsed.__type !== undefined) type = parsed.__type.slice(parsed.__type.lastIndexOf("#") + 1);
    message = parsed.message ?? parsed.Message ?? "";
  } catch {
    // not JSON: keep the raw text
  }
  return new DynamoDbError(type, `DynamoDB ${operation} failed: HTTP ${status} ${type}${message ? `: ${message}` : ""}`, { path: endpoint, status, body });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A string attribute. */
export function attrS(value: string): AttributeValue {
  return { S: value };
}

/** A number attribute. */
export function attrN(value: number | bigint): AttributeValue {
  return { N: String(value) };
}

/** The string value of an attribute, or undefined when absent or of another type. */
export function stringOf(item: DynamoItem | undefined, name: string): string | undefined {
  const v = item?.[name];
  return v !== undefined && "S" in v ? v.S : undefined;
}

/** The number value of an attribute, or undefined when absent or of another type. */
export function numberOf(item: DynamoItem | undefined, name: string): number | undefined {
  const v = item?.[name];
  return v !== undefined && "N" in v ? Number(v.N) : undefined;
}
