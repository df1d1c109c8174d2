/**
 * RestStore: the base of the REST object stores that address keys under a prefix of a bucket or
 * container (S3Store, and GcsStore through it; AzureStore). It owns what they share: the
 * `scheme://bucket/prefix` root and the normalized prefix, the retrying Transport, the listing
 * page size and the multipart threshold, one {@link StoreRequest} in store terms, sending it with
 * a fresh signature for every attempt (errors name `root/key`), and the two operations that are
 * the same on every such service: `head` (HEAD, size from Content-Length) and `delete` (DELETE,
 * 404 is fine). URL layout, signing (SigV4, SAS, SharedKey), ranges, listing and writes stay with
 * each service's store.
 */
import type { ByteRange, GetOptions, ListOptions, ObjectMeta, ObjectStore, PutBody } from "./object-store.js";
import { objectMetaFromHeaders } from "./object-store.js";
import { Transport, type OutgoingRequest } from "./retry.js";
import { errorFromResponse } from "./s3-transport.js";
import { normalizePrefix, prefixedRoot } from "./s3-url.js";
import type { ClientConfig } from "./storage-options.js";

/** One request of a keyed REST store, before its URL is signed. */
export interface StoreRequest<Method extends string, Body> {
  method: Method;
  /** Key relative to the store root; absent for bucket- or container-level requests (listing). */
  key?: string;
  query?: readonly (readonly [string, string | undefined])[];
  headers?: Record<string, string>;
  body?: Body;
  idempotent: boolean;
  signal?: AbortSignal | undefined;
  /** Statuses retried although the request is not idempotent (409 for a conditional S3 put). */
  retryStatuses?: readonly number[];
  /** The range a GET asks for (its `Range` or `x-ms-range` header): the answer is checked against it. */
  range?: ByteRange | undefined;
}

/** What {@link RestStore} is built from. */
export interface RestStoreSetup {
  /** URL scheme of the root (`s3`, `gs`, `az`). */
  scheme: string;
  /** Bucket or container. */
  bucket: string;
  /** Key prefix of the table root (normalized here). */
  prefix: string | undefined;
  fetch: typeof fetch | undefined;
  client: ClientConfig | undefined;
  /** Bodies at least this large are uploaded in parts or blocks (default 16 MiB). */
  multipartThresholdBytes: number | undefined;
}

const MiB = 1024 * 1024;

/** A writable, listable ObjectStore over a REST API, rooted at a key prefix of a bucket. */
export abstract class RestStore implements ObjectStore {
  readonly root: string;
  readonly writable = true;
  readonly listable = true;
  /** Normalized key prefix (`a/b/` or empty). */
  readonly prefix: string;
  readonly multipartThreshold: number;
  /** Keys per listing page (LIST_PAGE_SIZE, default 1000). */
  readonly listPageSize: number;
  protected readonly transport: Transport;

  protected constructor(setup: RestStoreSetup) {
    this.prefix = normalizePrefix(setup.prefix);
    this.root = prefixedRoot(setup.scheme, setup.bucket, this.prefix);
    this.multipartThreshold = setup.multipartThresholdBytes ?? 16 * MiB;
    this.listPageSize = setup.client?.listPageSize ?? 1000;
    this.transport = new Transport({ fetch: setup.fetch, client: setup.client });
  }

  abstract get(key: string, options?: GetOptions): Promise<Uint8Array>;
  abstract list(prefix: string, options?: ListOptions): AsyncIterable<ObjectMeta>;
  abstract put(key: string, body: PutBody): Promise<void>;
  abstract putIfAbsent(key: string, body: PutBody): Promise<void>;
  /** Signs and sends one request through the retrying transport. */
  abstract send(request: StoreRequest<"HEAD" | "DELETE", never>): Promise<Response>;

  async head(key: string): Promise<ObjectMeta> {
    const res = await this.send({ method: "HEAD", key, idempotent: true });
    if (!res.ok) throw await errorFromResponse(res, this.pathOf(key), "HEAD");
    await res.body?.cancel();
    return objectMetaFromHeaders(key, Number(res.headers.get("Content-Length") ?? 0), res.headers);
  }

  async delete(key: string): Promise<void> {
    const res = await this.send({ method: "DELETE", key, idempotent: true });
    if (!res.ok && res.status !== 404) throw await errorFromResponse(res, this.pathOf(key), "DELETE");
    await res.body?.cancel();
  }

  /** The display path of a key (for error messages). */
  pathOf(key: string): string {
    return `${this.root}/${key}`;
  }

  /** Sends `request` to `url` through the transport, calling `sign` for every attempt. */
  protected sendSigned<R extends StoreRequest<string, unknown>>(request: R, url: string, sign: (request: R, url: string) => Promise<OutgoingRequest>): Promise<Response> {
    return this.transport.send(() => sign(request, url), {
      idempotent: request.idempotent,
      signal: request.signal,
      path: request.key === undefined ? this.root : this.pathOf(request.key),
      ...(request.retryStatuses ? { retryStatuses: request.retryStatuses } : {}),
      range: request.range,
    });
  }
}
