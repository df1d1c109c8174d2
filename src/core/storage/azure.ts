/**
 * AzureStore: an ObjectStore over the Azure Blob REST API (block blobs), fetch-only. Auth is
 * SharedKey (WebCrypto HMAC), a SAS token appended to every URL, a bearer token, or none; the
 * emulator mode targets Azurite. Reads use `x-ms-range` (suffix ranges, which Azure lacks, become
 * HEAD + ranged GET pinned to the ETag), listing is List Blobs with `marker` pagination (startAfter
 * is applied client-side: Azure cannot start after a key), large puts go through Put Block + Put
 * Block List, and `putIfAbsent` sends `If-None-Match: *` (409 and 412 both mean "exists").
 */
import { AlreadyExistsError, InvalidInputError } from "../errors.js";
import { compareKeys } from "./memory.js";
import { rangeHeader } from "./http.js";
import { bodyBytes, isEmptyRange, resolveRange, type ByteRange, type GetOptions, type ListOptions, type ObjectMeta, type PutBody } from "./object-store.js";
import { SharedKeySigner } from "./azure-auth.js";
import { putBlocks } from "./azure-blocks.js";
import { AZURITE_ACCOUNT, AZURITE_DEFAULT_URL, AZURITE_KEY, type AzureConfig } from "./azure-config.js";
import { parseBlobList, Utf8Reorder } from "./azure-list.js";
import type { OutgoingRequest } from "./retry.js";
import { errorFromResponse, readBytes, readText } from "./s3-transport.js";
import { RestStore, type StoreRequest } from "./rest-store.js";
import { encodeKey, encodeSegment, queryString } from "./s3-url.js";

/** The Blob service API version sent as `x-ms-version`. */
export const AZURE_API_VERSION = "2023-11-03";

/** Options of {@link AzureStore}: an {@link AzureConfig} plus where the table lives. */
export interface AzureStoreOptions extends AzureConfig {
  container: string;
  /** Key prefix of the table root inside the container. */
  prefix?: string;
  /** The fetch to use; default globalThis.fetch. */
  fetch?: typeof fetch;
}

/** One request of {@link AzureStore.send}. */
export type AzureRequest = StoreRequest<"GET" | "HEAD" | "PUT" | "DELETE", Uint8Array>;

const MiB = 1024 * 1024;

/** An ObjectStore over an Azure Blob container, rooted at a key prefix. */
export class AzureStore extends RestStore {
  readonly account: string;
  readonly container: string;
  /** Account endpoint (no trailing slash), e.g. https://acct.blob.core.windows.net. */
  readonly endpoint: string;
  readonly blockSize: number;
  private readonly signer: SharedKeySigner | undefined;
  private readonly sas: string | undefined;
  private readonly bearer: string | undefined;

  constructor(options: AzureStoreOptions) {
    super({
      scheme: "az",
      bucket: options.container,
      prefix: options.prefix,
      fetch: options.fetch,
      client: options.client,
      multipartThresholdBytes: options.multipartThresholdBytes,
    });
    const emulator = options.useEmulator === true;
    const account = options.accountName ?? (emulator ? AZURITE_ACCOUNT : undefined);
    if (account === undefined) {
      throw new InvalidInputError("no Azure storage account: set AZURE_STORAGE_ACCOUNT_NAME (or use the emulator)", { path: `az://${options.container}` });
    }
    this.account = account;
    this.container = options.container;
    const endpoint = options.endpoint ?? (emulator ? `${AZURITE_DEFAULT_URL}/${account}` : `https://${account}.blob.core.windows.net`);
    this.endpoint = checkEndpoint(endpoint, emulator ? (options.client?.allowHttp ?? true) : (options.client?.allowHttp ?? false), this.root);
    const key = options.accountKey ?? (emulator && account === AZURITE_ACCOUNT ? AZURITE_KEY : undefined);
    if (options.sasToken !== undefined) this.sas = options.sasToken.replace(/^\?/, "");
    else if (options.bearerToken !== undefined) this.bearer = options.bearerToken;
    else if (key !== undefined) this.signer = new SharedKeySigner(account, key);
    else if (options.skipSignature !== true) {
      throw new InvalidInputError(
        `no Azure credentials for ${this.root}: set AZURE_STORAGE_ACCOUNT_KEY, AZURE_STORAGE_SAS_KEY or AZURE_STORAGE_TOKEN (or skip signing for a public container)`,
        { path: this.root },
      );
    }
    this.blockSize = options.blockSizeBytes ?? 8 * MiB;
    if (this.blockSize < 1 || this.blockSize > 4000 * MiB) throw new InvalidInputError("blockSizeBytes must be in 1 B..4000 MiB", { path: this.root });
  }

  /** The request URL of a key (without SAS). */
  urlOf(key: string): string {
    return `${this.endpoint}/${encodeSegment(this.container)}/${encodeKey(this.prefix + key, this.root)}`;
  }

  async get(key: string, options: GetOptions = {}): Promise<Uint8Array> {
    const { range, signal } = options;
    if (range === undefined) return (await this.read(key, undefined, signal)) as Uint8Array;
    if ("suffix" in range || isEmptyRange(range)) {
      // Azure has no suffix ranges: learn the size, then read [size - n, size) of that version
      // (If-Match); if the blob was replaced in between, start over (twice at most).
      for (let attempt = 0; ; attempt++) {
        const meta = await this.head(key);
        const [start, end] = resolveRange(range, meta.size);
        if (start >= end) return new Uint8Array(0);
        const bytes = await this.read(key, { offset: start, length: end - start }, signal, attempt < 2 ? meta.etag : undefined);
        if (bytes !== "changed") return bytes;
      }
    }
    return (await this.read(key, range, signal)) as Uint8Array;
  }

  private async read(key: string, range: ByteRange | undefined, signal?: AbortSignal, etag?: string): Promise<Uint8Array | "changed"> {
    const headers: Record<string, string> = {};
    if (range !== undefined) headers["x-ms-range"] = rangeHeader(range);
    if (etag !== undefined) headers["If-Match"] = etag;
    const res = await this.send({ method: "GET", key, headers, idempotent: true, signal, range });
    if (res.status === 416) {
      await res.body?.cancel();
      return new Uint8Array(0); // range starts at or past the end (or the blob is empty)
    }
    if (res.status === 412 && etag !== undefined) {
      await res.body?.cancel();
      return "changed";
    }
    if (!res.ok) throw await errorFromResponse(res, this.pathOf(key), "GET");
    return readBytes(res, this.pathOf(key));
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectMeta> {
    let marker: string | undefined;
    const startAfter = options.startAfter;
    const reorder = new Utf8Reorder<ObjectMeta>(); // Azurite lists in UTF-16 order
    for (;;) {
      const query: [string, string | undefined][] = [
        ["restype", "container"],
        ["comp", "list"],
        ["prefix", this.prefix + prefix === "" ? undefined : this.prefix + prefix],
        ["marker", marker],
        ["maxresults", String(this.listPageSize)],
      ];
      const res = await this.send({ method: "GET", query, idempotent: true, signal: options.signal });
      if (!res.ok) throw await errorFromResponse(res, `${this.root}/${prefix}`, "LIST");
      const page = parseBlobList(await readText(res, this.root), this.root);
      for (const meta of page.objects) {
        if (!meta.key.startsWith(this.prefix)) continue;
        const key = meta.key.slice(this.prefix.length);
        if (startAfter !== undefined && compareKeys(key, startAfter) <= 0) continue;
        yield* reorder.push({ ...meta, key });
      }
      if (page.nextMarker === undefined) break;
      marker = page.nextMarker;
    }
    yield* reorder.flush();
  }

  async put(key: string, body: PutBody): Promise<void> {
    await this.upload(key, bodyBytes(body), false);
  }

  /** Creates `key` only if absent (`If-None-Match: *`); 409 or 412 = AlreadyExistsError. Never retried. */
  async putIfAbsent(key: string, body: PutBody): Promise<void> {
    await this.upload(key, bodyBytes(body), true);
  }

  private async upload(key: string, bytes: Uint8Array, createOnly: boolean): Promise<void> {
    const condition: Record<string, string> = createOnly ? { "If-None-Match": "*" } : {};
    const res =
      bytes.byteLength >= this.multipartThreshold && bytes.byteLength > 0
        ? await putBlocks(this, key, bytes, condition)
        : await this.send({
            method: "PUT",
            key,
            headers: { "x-ms-blob-type": "BlockBlob", ...condition },
            body: bytes,
            idempotent: !createOnly,
          });
    if (createOnly && (res.status === 409 || res.status === 412)) {
      await res.body?.cancel();
      throw new AlreadyExistsError("object already exists", { path: this.pathOf(key) });
    }
    if (!res.ok) throw await errorFromResponse(res, this.pathOf(key), createOnly ? "conditional PUT" : "PUT");
    await res.body?.cancel();
  }

  /** Creates the container if it does not exist (tests and first-time setup). */
  async createContainer(): Promise<void> {
    const res = await this.send({ method: "PUT", query: [["restype", "container"]], idempotent: true });
    if (!res.ok && res.status !== 409) throw await errorFromResponse(res, `az://${this.container}`, "Create Container");
    await res.body?.cancel();
  }

  /** Signs and sends one request through the retrying transport. */
  send(request: AzureRequest): Promise<Response> {
    const base = request.key === undefined ? `${this.endpoint}/${encodeSegment(this.container)}` : this.urlOf(request.key);
    const query = queryString([...(request.query ?? [])]);
    const sep = (q: string): string => (q === "" ? "" : `?${q}`);
    const full = this.sas === undefined ? `${base}${sep(query)}` : `${base}?${query === "" ? this.sas : `${query}&${this.sas}`}`;
    return this.sendSigned(request, full, (r, u) => this.sign(r, u));
  }

  private async sign(request: AzureRequest, url: string): Promise<OutgoingRequest> {
    const headers = new Headers(request.headers);
    headers.set("x-ms-version", AZURE_API_VERSION);
    headers.set("x-ms-date", new Date().toUTCString());
    if (this.bearer !== undefined) headers.set("Authorization", `Bearer ${this.bearer}`);
    if (this.signer !== undefined) await this.signer.sign(request.method, new URL(url), headers, request.body?.byteLength ?? 0);
    const init: RequestInit = { method: request.method, headers };
    if (request.body !== undefined) init.body = request.body as BodyInit;
    return { url, init };
  }
}

function checkEndpoint(endpoint: string, allowHttp: boolean, root: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch (cause) {
    throw new InvalidInputError(`invalid Azure endpoint "${endpoint}"`, { path: root, cause });
  }
  if (url.protocol === "http:" && !allowHttp) {
    throw new InvalidInputError(`plain http endpoint "${endpoint}" refused: set AZURE_ALLOW_HTTP=true (allowHttp) to allow unencrypted requests`, { path: root });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new InvalidInputError(`Azure endpoint must be http(s): "${endpoint}"`, { path: root });
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}
