/**
 * RemoteStore: the Node side of the Miniflare RPC worker (see miniflare-r2.ts). Each ObjectStore
 * call becomes one HTTP request to workerd, where an R2BindingStore over the real binding does
 * the work; errors come back as {name, message} and are rebuilt as the same DeltaError class.
 */
import {
  AlreadyExistsError,
  DeltaError,
  InvalidInputError,
  NotFoundError,
  StorageError,
} from "../../../src/core/errors.js";
import { bodyBytes, type GetOptions, type ListOptions, type ObjectMeta, type ObjectStore, type PutBody } from "../../../src/core/storage/object-store.js";

const ERRORS: Record<string, new (message: string) => DeltaError> = {
  NotFoundError,
  AlreadyExistsError,
  InvalidInputError,
  StorageError,
};

/** Options of {@link RemoteStore}. */
export interface RemoteStoreOptions {
  url: string;
  bucket: string;
  prefix: string;
  listPageSize: number;
}

/** An ObjectStore executed by R2BindingStore inside workerd. */
export class RemoteStore implements ObjectStore {
  readonly root: string;
  readonly writable = true;
  readonly listable = true;
  private readonly options: RemoteStoreOptions;

  constructor(options: RemoteStoreOptions) {
    this.options = options;
    const prefix = options.prefix.split("/").filter((s) => s !== "").join("/");
    this.root = `r2://${options.bucket}${prefix === "" ? "" : `/${prefix}`}`;
  }

  async get(key: string, options: GetOptions = {}): Promise<Uint8Array> {
    const extra: Record<string, string> = options.range === undefined ? {} : { range: JSON.stringify(options.range) };
    return new Uint8Array(await (await this.call("get", key, extra)).arrayBuffer());
  }

  async head(key: string): Promise<ObjectMeta> {
    return (await (await this.call("head", key)).json()) as ObjectMeta;
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectMeta> {
    const extra: Record<string, string> = { listPrefix: prefix };
    if (options.startAfter !== undefined) extra.startAfter = options.startAfter;
    yield* (await (await this.call("list", "", extra)).json()) as ObjectMeta[];
  }

  async put(key: string, body: PutBody): Promise<void> {
    await this.call("put", key, {}, bodyBytes(body));
  }

  async putIfAbsent(key: string, body: PutBody): Promise<void> {
    await this.call("putIfAbsent", key, {}, bodyBytes(body));
  }

  async delete(key: string): Promise<void> {
    await this.call("delete", key);
  }

  private async call(op: string, key: string, extra: Record<string, string> = {}, body?: Uint8Array): Promise<Response> {
    const params = new URLSearchParams({
      bucket: this.options.bucket,
      prefix: this.options.prefix,
      pageSize: String(this.options.listPageSize),
      key,
      ...extra,
    });
    const init: RequestInit = { method: body === undefined ? "GET" : "PUT" };
    if (body !== undefined) init.body = body as BodyInit;
    const res = await fetch(`${this.options.url.replace(/\/$/, "")}/${op}?${params}`, init);
    if (res.ok) return res;
    const text = await res.text();
    let error: { name?: string; message?: string } = {};
    try {
      error = (JSON.parse(text) as { error: typeof error }).error;
    } catch {
      error = { message: text };
    }
    const Kind = ERRORS[error.name ?? ""];
    if (Kind !== undefined) throw new Kind(error.message ?? "");
    throw new StorageError(`${error.name ?? "Error"}: ${error.message ?? text}`);
  }
}
