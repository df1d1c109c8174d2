/**
 * PresignedS3Store: a read-only ObjectStore over an S3-compatible bucket for pages that must not
 * hold the bucket's keys. Every request (GET with Range, HEAD, ListObjectsV2 pages) is sent to a
 * presigned URL that a signing service made (the Worker's `POST /api/presign`, which holds the
 * keys as secrets); the bytes come straight from the bucket, and no request to the bucket carries
 * an Authorization header. S3Store does the requests (ranges, listing, errors, retries) with its
 * `presign` hook; PresignClient signs in batches, so a plan step (the commits of a log segment,
 * the files of a scan) costs one signing round trip (`prepareReads`). A request the bucket
 * refuses with 403 is signed afresh and sent once more (a cached URL may have expired); a second
 * refusal is an error that says what is likely wrong. The bucket needs CORS for the page's
 * origin: GET and HEAD, the Range header allowed, Content-Range, Content-Length and ETag exposed.
 */
import { InvalidInputError, StorageError } from "../errors.js";
import type { GetOptions, ListOptions, ObjectMeta } from "./object-store.js";
import { PresignClient, type PresignClientOptions, type PresignStats } from "./presign-batch.js";
import { ReadOnlyStore } from "./read-only.js";
import { S3Store, type PresignInput } from "./s3.js";
import { MAX_LIST_KEYS, type PresignItem } from "./s3-presign.js";
import { parseBucketUrl, prefixedRoot } from "./s3-url.js";
import type { ClientConfig } from "./storage-options.js";

/**
 * Options of {@link PresignedS3Store}: the table, and the signing client's options
 * ({@link PresignClientOptions}: signer, token, maxPerCall, now; the bucket comes from `url`).
 */
export interface PresignedS3StoreOptions extends Omit<PresignClientOptions, "bucket" | "fetch" | "client"> {
  /** The table: `s3://bucket/prefix` (or `s3a://`). */
  url: string;
  /** The fetch for the signer and the bucket (default globalThis.fetch). */
  fetch?: typeof fetch | undefined;
  /** Timeouts, retries and listing page size (at most 1000) of bucket and signer requests. */
  client?: ClientConfig | undefined;
}

/** A read-only S3 store whose requests are presigned by a signing service. */
export class PresignedS3Store extends ReadOnlyStore {
  readonly root: string;
  readonly listable = true;
  readonly bucket: string;
  /** Normalized key prefix of the table (`a/b/` or empty). */
  readonly prefix: string;
  private readonly signer: PresignClient;
  private readonly inner: S3Store;

  constructor(options: PresignedS3StoreOptions) {
    super("a presigned store is read-only (the signer signs reads only)");
    const { bucket, prefix } = parseBucketUrl(options.url, ["s3", "s3a"]);
    this.bucket = bucket;
    this.prefix = prefix;
    this.root = prefixedRoot("s3", bucket, prefix);
    const listPageSize = Math.min(options.client?.listPageSize ?? MAX_LIST_KEYS, MAX_LIST_KEYS);
    this.signer = new PresignClient({ ...options, bucket });
    this.inner = new S3Store({
      bucket,
      prefix,
      client: { ...options.client, listPageSize },
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      presign: (input) => this.signer.sign(presignItem(input, this.root)),
    });
  }

  /** The signing endpoint. */
  get signerEndpoint(): string {
    return this.signer.endpoint;
  }

  /** Signing round trips and URLs so far. */
  signingStats(): PresignStats {
    return this.signer.stats();
  }

  get(key: string, options?: GetOptions): Promise<Uint8Array> {
    return this.retried(() => this.inner.get(key, options));
  }

  head(key: string): Promise<ObjectMeta> {
    return this.retried(() => this.inner.head(key));
  }

  async *list(prefix: string, options?: ListOptions): AsyncIterable<ObjectMeta> {
    let yielded = false;
    try {
      for await (const meta of this.inner.list(prefix, options)) {
        yielded = true;
        yield meta;
      }
    } catch (error) {
      if (yielded || !refused(error)) throw error;
      this.signer.forget();
      try {
        yield* this.inner.list(prefix, options);
      } catch (again) {
        throw explain(again, this.signer.endpoint);
      }
    }
  }

  /** Signs GET URLs for these keys in one round trip (a plan step about to read them). */
  async prepareReads(keys: readonly string[]): Promise<void> {
    await this.signer.prepare(keys.map((k) => ({ method: "GET", key: this.prefix + k })));
  }

  /** Runs a request; a 403 (an expired or stale URL) is signed afresh and sent once more. */
  private async retried<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (!refused(error)) throw error;
      this.signer.forget();
      try {
        return await run();
      } catch (again) {
        throw explain(again, this.signer.endpoint);
      }
    }
  }
}

/** The signing request of one S3Store request. */
function presignItem(input: PresignInput, root: string): PresignItem {
  if ((input.method === "GET" || input.method === "HEAD") && input.key !== undefined) return { method: input.method, key: input.key };
  const query = new Map(input.query.filter((p): p is readonly [string, string] => p[1] !== undefined));
  if (input.method === "GET" && input.key === undefined && query.get("list-type") === "2") {
    const item: PresignItem = { method: "LIST", prefix: query.get("prefix") ?? "" };
    const startAfter = query.get("start-after");
    const token = query.get("continuation-token");
    const maxKeys = query.get("max-keys");
    if (startAfter !== undefined) item.startAfter = startAfter;
    if (token !== undefined) item.continuationToken = token;
    if (maxKeys !== undefined) item.maxKeys = Number(maxKeys);
    return item;
  }
  throw new InvalidInputError(`a presigned store cannot send ${input.method} requests (reads only)`, { path: root });
}

function refused(error: unknown): boolean {
  return error instanceof StorageError && error.status === 403;
}

/** A bucket refusal with what it likely means. */
function explain(error: unknown, signer: string): unknown {
  if (!refused(error)) return error;
  const e = error as StorageError;
  const text = e.path !== undefined && e.message.endsWith(` (path ${e.path})`) ? e.message.slice(0, -` (path ${e.path})`.length) : e.message;
  const hint = /Request has expired/i.test(text)
    ? `the presigned URL had expired when the bucket received it, although it was just signed: the clocks of the signer (${signer}) and the bucket disagree`
    : /SignatureDoesNotMatch/.test(text)
      ? "the bucket computed another signature: the signer's secret access key (AWS_SECRET_ACCESS_KEY) is not the bucket's"
      : /InvalidAccessKeyId/.test(text)
        ? "the bucket does not know the signer's access key id (AWS_ACCESS_KEY_ID)"
        : "the signer's credentials may not read this key";
  return new StorageError(`${text}: ${hint}`, { path: e.path, status: 403, cause: error });
}
