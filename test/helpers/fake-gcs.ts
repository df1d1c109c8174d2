/**
 * A fake Google Cloud Storage XML API as a fetch function over a MemoryStore (there is no GCS
 * emulator here): path-style object URLs, GET with Range (206, 416), HEAD, PUT (create-only with
 * `x-goog-if-generation-match: 0`, 412 when the object exists; server-side copy with
 * `x-goog-copy-source`), DELETE, and ListObjectsV2 (`list-type=2`, prefix, start-after, max-keys,
 * continuation tokens, `encoding-type=url`). Signatures are not checked. For GcsStore tests.
 */
import { AlreadyExistsError, NotFoundError } from "../../src/core/errors.js";
import { MemoryStore } from "../../src/core/storage/memory.js";

/** A fake GCS endpoint: `fetch` serves every bucket from `buckets` (created on first use). */
export class FakeGcs {
  readonly buckets = new Map<string, MemoryStore>();

  bucket(name: string): MemoryStore {
    let store = this.buckets.get(name);
    if (store === undefined) {
      store = new MemoryStore({ name: `gcs-${name}` });
      this.buckets.set(name, store);
    }
    return store;
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const [bucketName = "", ...rest] = url.pathname.slice(1).split("/");
    const store = this.bucket(decodeURIComponent(bucketName));
    const key = rest.map(decodeURIComponent).join("/");
    try {
      if (key === "" && request.method === "GET") return await list(store, url.searchParams);
      if (request.method === "GET") return await get(store, key, request.headers.get("Range"));
      if (request.method === "HEAD") {
        const meta = await store.head(key);
        return new Response(null, { headers: { "Content-Length": String(meta.size), ETag: meta.etag ?? '"x"', "Last-Modified": new Date(meta.lastModified).toUTCString() } });
      }
      if (request.method === "PUT") {
        const source = request.headers.get("x-goog-copy-source");
        const bytes = source === null ? new Uint8Array(await request.arrayBuffer()) : await this.copySource(source);
        if (request.headers.get("x-goog-if-generation-match") === "0") await store.putIfAbsent(key, bytes);
        else await store.put(key, bytes);
        return new Response(source === null ? null : "<CopyObjectResult/>", { status: 200 });
      }
      if (request.method === "DELETE") {
        await store.delete(key);
        return new Response(null, { status: 204 });
      }
      return new Response("<Error><Code>NotImplemented</Code></Error>", { status: 501 });
    } catch (error) {
      if (error instanceof NotFoundError) return new Response(request.method === "HEAD" ? null : "<Error><Code>NoSuchKey</Code></Error>", { status: 404 });
      if (error instanceof AlreadyExistsError) return new Response("<Error><Code>PreconditionFailed</Code></Error>", { status: 412 });
      throw error;
    }
  };

  private async copySource(source: string): Promise<Uint8Array> {
    const [bucketName = "", ...rest] = source.replace(/^\//, "").split("/");
    return this.bucket(decodeURIComponent(bucketName)).get(rest.map(decodeURIComponent).join("/"));
  }
}

async function get(store: MemoryStore, key: string, range: string | null): Promise<Response> {
  const bytes = await store.get(key);
  const meta = await store.head(key);
  const headers = { ETag: meta.etag ?? '"x"', "Last-Modified": new Date(meta.lastModified).toUTCString() };
  const m = range === null ? null : /^bytes=(\d*)-(\d*)$/.exec(range);
  if (m === null) return new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { ...headers, "Content-Length": String(bytes.byteLength) } });
  const size = bytes.byteLength;
  const start = m[1] === "" ? Math.max(0, size - Number(m[2])) : Number(m[1]);
  const end = m[1] === "" || m[2] === "" ? size : Math.min(size, Number(m[2]) + 1);
  if (start >= size) return new Response("<Error><Code>InvalidRange</Code></Error>", { status: 416, headers: { "Content-Range": `bytes */${size}` } });
  return new Response(bytes.slice(start, end), {
    status: 206,
    headers: { ...headers, "Content-Range": `bytes ${start}-${end - 1}/${size}`, "Content-Length": String(end - start) },
  });
}

async function list(store: MemoryStore, params: URLSearchParams): Promise<Response> {
  const prefix = params.get("prefix") ?? "";
  const after = params.get("continuation-token") ?? params.get("start-after") ?? undefined;
  const max = Number(params.get("max-keys") ?? 1000);
  const encode = params.get("encoding-type") === "url";
  const page: string[] = [];
  let truncated = false;
  let last = "";
  for await (const meta of store.list(prefix, after === undefined ? {} : { startAfter: after })) {
    if (page.length === max) {
      truncated = true;
      break;
    }
    const key = encode ? encodeURIComponent(meta.key) : escape(meta.key);
    page.push(`<Contents><Key>${key}</Key><Size>${meta.size}</Size><LastModified>${new Date(meta.lastModified).toISOString()}</LastModified></Contents>`);
    last = meta.key;
  }
  const token = truncated ? `<NextContinuationToken>${escape(last)}</NextContinuationToken>` : "";
  const encoding = encode ? "<EncodingType>url</EncodingType>" : "";
  return new Response(`<ListBucketResult>${encoding}<IsTruncated>${truncated}</IsTruncated>${page.join("")}${token}</ListBucketResult>`);
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
