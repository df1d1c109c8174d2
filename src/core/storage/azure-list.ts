/**
 * Parsing one Azure List Blobs page (`<EnumerationResults>`) into object metadata and the next
 * marker. Names flagged `Encoded="true"` (names with characters XML cannot carry) are
 * percent-decoded; sizes come from `Content-Length`, times from `Last-Modified` (RFC 1123).
 */
import { StorageError } from "../errors.js";
import { compareKeys } from "./memory.js";
import type { ObjectMeta } from "./object-store.js";
import { child, childText, children, parseXml } from "./s3-xml.js";

/** One page of a blob listing (full blob names, container prefix not stripped). */
export interface BlobListPage {
  objects: ObjectMeta[];
  /** Marker of the next page; absent on the last page. */
  nextMarker?: string;
}

/** Parses a List Blobs response body. */
export function parseBlobList(xml: string, root: string): BlobListPage {
  const doc = parseXml(xml, `listing of ${root}`);
  if (doc.name !== "EnumerationResults") throw new StorageError(`unexpected listing response <${doc.name}>`, { path: root });
  const objects: ObjectMeta[] = [];
  for (const blob of children(child(doc, "Blobs"), "Blob")) {
    const nameElement = child(blob, "Name");
    if (nameElement === undefined) throw new StorageError("listing entry without a <Name>", { path: root });
    let key = nameElement.text;
    if (nameElement.attributes.Encoded === "true") {
      try {
        key = decodeURIComponent(key);
      } catch (cause) {
        throw new StorageError(`listing returned a badly encoded name "${key}"`, { path: root, cause });
      }
    }
    const props = child(blob, "Properties");
    const modified = Date.parse(childText(props, "Last-Modified") ?? "");
    const meta: ObjectMeta = {
      key,
      size: Number(childText(props, "Content-Length") ?? 0),
      lastModified: Number.isNaN(modified) ? 0 : modified,
    };
    const etag = childText(props, "Etag");
    if (etag !== undefined && etag !== "") meta.etag = etag.startsWith('"') ? etag : `"${etag}"`;
    objects.push(meta);
  }
  const page: BlobListPage = { objects };
  const next = childText(doc, "NextMarker");
  if (next !== undefined && next !== "") page.nextMarker = next;
  return page;
}

/**
 * Restores UTF-8 byte order over a listing that a server returns in UTF-16 code-unit order
 * (Azurite does; the two orders differ only where one key has a supplementary character — a
 * surrogate pair — and the other a character in U+E000..U+FFFF at the same position). Keys with
 * surrogates are held back until the listing has moved past the prefix before their first
 * surrogate; everything is released in UTF-8 order. On a server that already sorts by UTF-8 this
 * only delays such keys. Keys without supplementary characters pass straight through.
 */
export class Utf8Reorder<T extends { key: string }> {
  private readonly pending: T[] = [];

  /** Adds the next item in server order; returns the items that can be emitted now, in order. */
  push(item: T): T[] {
    const at = this.pending.findIndex((p) => compareKeys(item.key, p.key) < 0);
    if (at < 0) this.pending.push(item);
    else this.pending.splice(at, 0, item);
    const out: T[] = [];
    while (this.pending.length > 0 && this.isSafe(this.pending[0] as T, item.key)) out.push(this.pending.shift() as T);
    return out;
  }

  /** Everything still held (at the end of the listing). */
  flush(): T[] {
    return this.pending.splice(0);
  }

  private isSafe(held: T, current: string): boolean {
    const surrogate = held.key.search(/[\uD800-\uDBFF]/);
    return surrogate < 0 || !current.startsWith(held.key.slice(0, surrogate));
  }
}
