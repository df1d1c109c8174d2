/**
 * Fetches a Parquet footer with ranged reads: the last `initialFetchSize` bytes (64 KiB by
 * default) in one request, then, only when the Thrift footer is longer than that, the missing
 * front part in a second request. Returns the bytes `footer | length | "PAR1"` exactly, which is
 * what Thrift footer parsers expect. Implementation-agnostic (no decoder involved).
 */
import { ParquetFormatError } from "./errors.js";
import type { ParquetSource } from "./reader.js";
import { UnsupportedFeatureError } from "../errors.js";

/** Default size of the first (suffix) read. */
export const DEFAULT_FOOTER_FETCH = 64 * 1024;

const MAGIC = 0x31524150; // "PAR1" little-endian
const ENCRYPTED_MAGIC = 0x45524150; // "PARE"

/** Options of `readFooterBytes`. */
export interface FooterReadOptions {
  /** Size of the first suffix read (default 64 KiB). */
  initialFetchSize?: number;
  signal?: AbortSignal | undefined;
}

/** Reads `[start, end)` from a source as a Uint8Array, checking the length. */
export async function readRange(source: ParquetSource, start: number, end: number): Promise<Uint8Array> {
  const got = await source.read(start, end);
  const bytes = got instanceof Uint8Array ? got : new Uint8Array(got);
  if (bytes.byteLength !== end - start) {
    throw new ParquetFormatError(`short read: asked bytes ${start}-${end}, got ${bytes.byteLength}`, {
      path: source.path,
    });
  }
  return bytes;
}

/** Reads the footer bytes (Thrift footer + 4-byte length + magic) of a Parquet file. */
export async function readFooterBytes(source: ParquetSource, options: FooterReadOptions = {}): Promise<Uint8Array> {
  const size = source.byteLength;
  const path = source.path;
  if (!Number.isSafeInteger(size) || size < 12) {
    throw new ParquetFormatError(`not a Parquet file: ${size} bytes is too small`, { path });
  }
  options.signal?.throwIfAborted();
  const first = Math.min(size, Math.max(8, options.initialFetchSize ?? DEFAULT_FOOTER_FETCH));
  const tail = await readRange(source, size - first, size);
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  const magic = view.getUint32(tail.byteLength - 4, true);
  if (magic === ENCRYPTED_MAGIC) {
    throw new UnsupportedFeatureError("parquetEncryption", "encrypted Parquet footers are not supported", { path });
  }
  if (magic !== MAGIC) {
    throw new ParquetFormatError("not a Parquet file: missing PAR1 magic at the end", { path });
  }
  const footerLength = view.getUint32(tail.byteLength - 8, true);
  const needed = footerLength + 8;
  if (needed + 4 > size) {
    throw new ParquetFormatError(`corrupt footer: length ${footerLength} exceeds the file size ${size}`, { path });
  }
  if (needed <= tail.byteLength) return tail.subarray(tail.byteLength - needed);
  options.signal?.throwIfAborted();
  const head = await readRange(source, size - needed, size - tail.byteLength);
  const all = new Uint8Array(needed);
  all.set(head, 0);
  all.set(tail, head.byteLength);
  return all;
}
