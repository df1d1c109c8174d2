/**
 * Parsing one ListObjectsV2 result page (`<ListBucketResult>`) into object metadata, the
 * truncation flag and the continuation token. Keys arrive URL-encoded when the request asked for
 * `encoding-type=url` and the server honoured it (the response then says `<EncodingType>url`);
 * they are decoded as S3 encodes them (form encoding: `+` is a space).
 */
import { StorageError } from "../errors.js";
import type { ObjectMeta } from "./object-store.js";
import { child, childText, children, parseXml } from "./s3-xml.js";

/** The position of one ListObjectsV2 page request (full bucket keys, not store-relative). */
export interface ListPageRequest {
  prefix: string;
  /** Only keys after this one (first page). */
  startAfter?: string | undefined;
  /** The previous page's continuation token (later pages; start-after is then not sent). */
  continuationToken?: string | undefined;
  maxKeys: number;
}

/** The query of a ListObjectsV2 page request (URL-encoded keys in the response), in the order S3Store sends it. */
export function listQuery(page: ListPageRequest): [string, string | undefined][] {
  return [
    ["list-type", "2"],
    ["prefix", page.prefix === "" ? undefined : page.prefix],
    ["max-keys", String(page.maxKeys)],
    ["encoding-type", "url"],
    page.continuationToken === undefined ? ["start-after", page.startAfter] : ["continuation-token", page.continuationToken],
  ];
}

/** One page of a listing. */
export interface ListPage {
  objects: ObjectMeta[];
  truncated: boolean;
  nextToken?: string;
}

/** Parses a ListObjectsV2 response body; keys are full bucket keys (prefix not stripped). */
export function parseListPage(xml: string, root: string): ListPage {
  const doc = parseXml(xml, `listing of ${root}`);
  if (doc.name !== "ListBucketResult" && !doc.name.endsWith(":ListBucketResult")) {
    throw new StorageError(`unexpected listing response <${doc.name}>`, { path: root });
  }
  const encoded = childText(doc, "EncodingType")?.trim().toLowerCase() === "url";
  const objects: ObjectMeta[] = [];
  for (const entry of children(doc, "Contents")) {
    const rawKey = childText(entry, "Key");
    if (rawKey === undefined) throw new StorageError("listing entry without a <Key>", { path: root });
    const key = encoded ? decodeFormComponent(rawKey, root) : rawKey;
    const modified = Date.parse(childText(entry, "LastModified") ?? "");
    const meta: ObjectMeta = {
      key,
      size: Number(childText(entry, "Size") ?? 0),
      lastModified: Number.isNaN(modified) ? 0 : modified,
    };
    const etag = child(entry, "ETag")?.text;
    if (etag !== undefined && etag !== "") meta.etag = etag;
    objects.push(meta);
  }
  const page: ListPage = { objects, truncated: childText(doc, "IsTruncated")?.trim() === "true" };
  const token = childText(doc, "NextContinuationToken");
  if (token !== undefined && token !== "") page.nextToken = token;
  return page;
}

function decodeFormComponent(value: string, root: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch (cause) {
    throw new StorageError(`listing returned a badly encoded key "${value}"`, { path: root, cause });
  }
}
