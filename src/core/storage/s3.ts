/**
 * S3Store: an ObjectStore over the S3 REST API with SigV4 signing by aws4fetch's signer (its own
 * retry loop is never used: the Transport retries idempotent requests only). Works with AWS, R2,
 * MinIO, moto and — through the GCS dialect — Google Cloud Storage's XML API. Reads use Range
 * (suffix included), listing is ListObjectsV2 with continuation tokens and `start-after`, large
 * puts go multipart, `putIfAbsent` is a conditional PUT (412 = exists, 409 = retry). For commit
 * strategies it also offers `copy`, `copyIfAbsent` (CopyObject with a configurable create-only
 * header) and `rename` (copy + delete, not atomic); it never chooses a strategy itself.
 */
import { AwsV4Signer } from "aws4fetch";
import { AlreadyExistsError, InvalidInputError, NotFoundError, StorageError } from "../errors.js";
import { rangeHeader } from "./http.js";
import { bodyBytes, isEmptyRange, resolveRange, type GetOptions, type ListOptions, type ObjectMeta, type PutBody } from "./object-store.js";
import type { S3CommitOptions, S3Config } from "./s3-config.js";
import { listQuery, parseListPage } from "./s3-list.js";
import { multipartUpload } from "./s3-multipart.js";
import { S3_DIALECT, type CopyCondition, type S3Dialect } from "./s3-dialect.js";
import type { OutgoingRequest } from "./retry.js";
import { errorFromResponse, parseErrorBody, readBytes, readText } from "./s3-transport.js";
import { RestStore, type StoreRequest } from "./rest-store.js";
import { bucketEndpoint, defaultRegion, encodeKey, encodeUrlPath, queryString } from "./s3-url.js";
import type { CommitTarget } from "./object-store.js";

export { S3_DIALECT, type CopyCondition, type S3Dialect } from "./s3-dialect.js";

/** Options of {@link S3Store}: an {@link S3Config} plus where the table lives. */
export interface S3StoreOptions extends S3Config {
  bucket: string;
  /** Key prefix of the table root inside the bucket (`path/to/table`). */
  prefix?: string;
  /** The fetch to use (inject for tests or a Worker); default globalThis.fetch. */
  fetch?: typeof fetch;
  /** API dialect (default {@link S3_DIALECT}). */
  dialect?: S3Dialect;
  /**
   * Signs requests some other way than with keys held here: returns the URL to send instead of
   * the unsigned one (PresignedS3Store asks a signing service for presigned URLs). Called for
   * every attempt; the credentials check is skipped when it is set.
   */
  presign?: (request: PresignInput) => Promise<string>;
}

/** What {@link S3StoreOptions.presign} gets: one request in bucket terms, and its unsigned URL. */
export interface PresignInput {
  method: S3Request["method"];
  bucket: string;
  /** Full bucket key (store prefix included); absent for bucket-level requests (listing). */
  key?: string;
  query: readonly (readonly [string, string | undefined])[];
  url: string;
}

/** One request of {@link S3Store.send}. */
export type S3Request = StoreRequest<"GET" | "HEAD" | "PUT" | "POST" | "DELETE", Uint8Array | string>;

const MiB = 1024 * 1024;

/** An ObjectStore over an S3 bucket (or S3-compatible service), rooted at a key prefix. */
export class S3Store extends RestStore {
  readonly bucket: string;
  readonly dialect: S3Dialect;
  /** Base URL of the bucket (no trailing slash). */
  readonly bucketUrl: string;
  readonly region: string;
  readonly partSize: number;
  private readonly config: S3StoreOptions;
  private readonly signingCache = new Map<string, ArrayBuffer>();

  constructor(options: S3StoreOptions) {
    const dialect = options.dialect ?? S3_DIALECT;
    super({
      scheme: dialect.scheme,
      bucket: options.bucket,
      prefix: options.prefix,
      fetch: options.fetch,
      client: options.client,
      multipartThresholdBytes: options.multipartThresholdBytes,
    });
    this.config = options;
    this.dialect = dialect;
    this.bucket = options.bucket;
    this.region = options.region ?? defaultRegion(options.endpoint);
    this.bucketUrl = bucketEndpoint({
      bucket: this.bucket,
      endpoint: options.endpoint,
      region: this.region,
      virtualHostedStyle: options.virtualHostedStyle,
      allowHttp: options.client?.allowHttp ?? false,
      allowHttpKey: this.dialect.allowHttpKey,
    });
    if (options.skipSignature !== true && options.presign === undefined) {
      const [idKey, secretKey] = this.dialect.credentialKeys;
      if (options.accessKeyId === undefined || options.secretAccessKey === undefined) {
        const missing = options.accessKeyId === undefined ? idKey : secretKey;
        throw new InvalidInputError(
          `no credentials for ${this.root}: set ${idKey} and ${secretKey} (${missing} is missing), or skip signing for a public bucket`,
          { path: this.root },
        );
      }
    }
    this.partSize = options.multipartPartSizeBytes ?? 8 * MiB;
    if (this.partSize < 5 * MiB) throw new InvalidInputError("multipartPartSizeBytes must be at least 5 MiB", { path: this.root });
  }

  /** Commit-strategy options (AWS_CONDITIONAL_PUT, AWS_COPY_IF_NOT_EXISTS, ...) for the LogStore layer. */
  get commit(): S3CommitOptions | undefined {
    return this.config.commit;
  }

  /** The location as the commit strategy choice sees it (ObjectStore.commitTarget). */
  commitTarget(): CommitTarget {
    const prefix = this.prefix.replace(/\/+$/, "");
    return {
      commit: this.commit,
      tableUri: `${this.dialect.scheme}://${this.bucket}${prefix === "" ? "" : `/${encodeUrlPath(prefix)}`}`,
      region: this.region,
      httpEndpoint: this.bucketUrl.startsWith("http:"),
    };
  }

  /** The request URL of a key. */
  urlOf(key: string): string {
    return `${this.bucketUrl}/${encodeKey(this.prefix + key, this.root)}`;
  }

  async get(key: string, options: GetOptions = {}): Promise<Uint8Array> {
    const { range, signal } = options;
    if (range !== undefined && isEmptyRange(range)) {
      await this.head(key); // nothing to read, but a missing key must still be NotFound
      return new Uint8Array(0);
    }
    const headers: Record<string, string> = range === undefined ? {} : { Range: rangeHeader(range) };
    const res = await this.send({ method: "GET", key, headers, idempotent: true, signal, range });
    const path = this.pathOf(key);
    if (res.status === 206) return readBytes(res, path);
    if (res.status === 416) {
      await res.body?.cancel();
      return new Uint8Array(0); // range starts at or past the end: the clamped range is empty
    }
    if (res.ok) {
      const bytes = await readBytes(res, path);
      if (range === undefined) return bytes;
      const [start, end] = resolveRange(range, bytes.byteLength);
      return bytes.slice(start, end);
    }
    throw await errorFromResponse(res, path, "GET");
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectMeta> {
    let token: string | undefined;
    const startAfter = options.startAfter === undefined ? undefined : this.prefix + options.startAfter;
    for (;;) {
      const query = listQuery({ prefix: this.prefix + prefix, startAfter, continuationToken: token, maxKeys: this.listPageSize });
      const res = await this.send({ method: "GET", query, idempotent: true, signal: options.signal });
      if (!res.ok) throw await errorFromResponse(res, `${this.root}/${prefix}`, "LIST");
      const page = parseListPage(await readText(res, this.root), this.root);
      for (const meta of page.objects) {
        if (!meta.key.startsWith(this.prefix)) continue;
        yield { ...meta, key: meta.key.slice(this.prefix.length) };
      }
      if (!page.truncated) return;
      if (page.nextToken === undefined) throw new StorageError("truncated listing without a continuation token", { path: this.root });
      token = page.nextToken;
    }
  }

  async put(key: string, body: PutBody): Promise<void> {
    const bytes = bodyBytes(body);
    if (bytes.byteLength >= this.multipartThreshold && bytes.byteLength > 0) {
      await multipartUpload(this, key, bytes);
      return;
    }
    const res = await this.send({ method: "PUT", key, body: bytes, idempotent: true });
    if (!res.ok) throw await errorFromResponse(res, this.pathOf(key), "PUT");
    await res.body?.cancel();
  }

  /**
   * Creates `key` only if it does not exist (one PUT with the dialect's create-only header).
   * 412 means it exists: AlreadyExistsError. 409 (a concurrent conditional write in flight) is
   * retried a bounded number of times. Never retried on 5xx or network errors: the caller must
   * read the object back to learn whether its own write landed.
   */
  async putIfAbsent(key: string, body: PutBody): Promise<void> {
    const [name, value] = this.dialect.createOnly;
    const res = await this.send({
      method: "PUT",
      key,
      body: bodyBytes(body),
      headers: { [name]: value },
      idempotent: false,
      retryStatuses: [409],
    });
    if (res.status === 412) {
      await res.body?.cancel();
      throw new AlreadyExistsError("object already exists", { path: this.pathOf(key) });
    }
    if (!res.ok) throw await errorFromResponse(res, this.pathOf(key), "conditional PUT");
    await res.body?.cancel();
  }

  /** Copies `from` to `to` server-side (CopyObject), overwriting `to`. */
  async copy(from: string, to: string): Promise<void> {
    await this.copyObject(from, to, undefined);
  }

  /**
   * Copies `from` to `to` only if `to` does not exist, using `condition` (default: the dialect's,
   * e.g. `If-None-Match: *`; R2 wants `cf-copy-destination-if-none-match: *`). The condition's
   * status (412 by default) means "exists": AlreadyExistsError. Not retried on 5xx or network errors.
   */
  async copyIfAbsent(from: string, to: string, condition: CopyCondition = this.dialect.copyCreateOnly): Promise<void> {
    await this.copyObject(from, to, condition);
  }

  /** Moves `from` to `to` by copy then delete. Not atomic: a reader may see both or, on failure, both remain. */
  async rename(from: string, to: string): Promise<void> {
    await this.copy(from, to);
    await this.delete(from);
  }

  private async copyObject(from: string, to: string, condition: CopyCondition | undefined): Promise<void> {
    const source = `${encodeURIComponent(this.bucket)}/${encodeKey(this.prefix + from, this.root)}`;
    const headers: Record<string, string> = { [this.dialect.copySourceHeader]: source };
    if (condition !== undefined) headers[condition.header] = condition.value;
    const res = await this.send({
      method: "PUT",
      key: to,
      headers,
      idempotent: condition === undefined,
      ...(condition === undefined ? {} : { retryStatuses: [409] }),
    });
    const path = this.pathOf(to);
    if (condition !== undefined && res.status === (condition.status ?? 412)) {
      await res.body?.cancel();
      throw new AlreadyExistsError("copy destination already exists", { path });
    }
    if (res.status === 404) {
      await res.body?.cancel();
      throw new NotFoundError("copy source not found", { path: this.pathOf(from) });
    }
    if (!res.ok) throw await errorFromResponse(res, path, "COPY");
    // CopyObject can fail after answering 200: the error is then in the body.
    const { code, message } = parseErrorBody(await readText(res, path));
    if (code !== undefined) throw new StorageError(`COPY failed: ${code}${message ? `: ${message}` : ""}`, { path });
  }

  /** Signs (unless skipSignature) and sends one request through the retrying transport. */
  send(request: S3Request): Promise<Response> {
    const query = request.query === undefined ? "" : queryString(request.query);
    const base = request.key === undefined ? `${this.bucketUrl}/` : this.urlOf(request.key);
    const url = query === "" ? base : `${base}?${query}`;
    return this.sendSigned(request, url, (r, u) => this.sign(r, u));
  }

  /** The transport's retry budget (multipart uses it for completion checks). */
  get retries(): number {
    return this.transport.retries;
  }

  private async sign(request: S3Request, url: string): Promise<OutgoingRequest> {
    const headers = new Headers(request.headers);
    if (this.config.requestPayer === true) headers.set("x-amz-request-payer", "requester");
    const body = request.body;
    const init: RequestInit = { method: request.method };
    if (body !== undefined) init.body = body as BodyInit;
    if (this.config.skipSignature === true) return { url, init: { ...init, headers } };
    if (this.config.presign !== undefined) {
      const input: PresignInput = { method: request.method, bucket: this.bucket, query: request.query ?? [], url };
      if (request.key !== undefined) input.key = this.prefix + request.key;
      return { url: await this.config.presign(input), init: { ...init, headers } };
    }
    const signer = new AwsV4Signer({
      method: request.method,
      url,
      headers,
      accessKeyId: this.config.accessKeyId as string,
      secretAccessKey: this.config.secretAccessKey as string,
      ...(this.config.sessionToken !== undefined ? { sessionToken: this.config.sessionToken } : {}),
      service: "s3",
      region: this.region,
      cache: this.signingCache,
    });
    const signed = await signer.sign();
    return { url: signed.url.toString(), init: { ...init, headers: signed.headers } };
  }
}
