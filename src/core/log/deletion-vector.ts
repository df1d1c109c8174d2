/**
 * Deletion vectors (PROTOCOL.md "Deletion Vectors" and "Deletion Vector Format"): from a
 * descriptor to the sorted row indexes it deletes. Inline (`i`) DVs are Z85 text in the log;
 * `u` (a UUID-named file relative to the table root, after an optional random prefix) and `p`
 * (an absolute URI) DVs live in files that start with a version byte 1, then per DV a
 * big-endian u32 size, the bitmap, and a big-endian CRC-32 of the bitmap. The bitmap is Delta's
 * magic 1681511377 (u32 LE) followed by the portable 64-bit Roaring format (roaring.ts). One DV
 * costs exactly one ranged read, done by a caller-supplied loader so that this module stays
 * IO-free. Also here: the replay identity of a DV, the keep-mask the scan applies, CRC-32, and
 * the writer-side framing helpers.
 */

import type { DeletionVectorDescriptor } from "./actions.js";
import { decodeRoaring64, encodeRoaring64, type RoaringEncodeOptions, type SortedRowIndexes } from "./roaring.js";
import { dvFileKeyFromPathOrInlineDv, z85Decode } from "./z85.js";
import { DeltaError, NotFoundError, ProtocolError, StorageError, UnsupportedFeatureError } from "../errors.js";

export type { SortedRowIndexes } from "./roaring.js";

/** Magic of the portable RoaringBitmapArray format (u32 LE), the one Delta writers use. */
export const DV_PORTABLE_MAGIC = 1681511377;
/** Magic of the native RoaringBitmapArray format (seen in the spec's inline example); refused. */
export const DV_NATIVE_MAGIC = 1681511376;
/** Offset of the first DV in a file (just after the version byte): the default when absent. */
export const DV_DEFAULT_OFFSET = 1;

/**
 * Where a file DV lives: `relative` keys are relative to the table root (storage type `u`,
 * already decoded: `[prefix/]deletion_vector_<uuid>.bin`); `absolute` paths are the descriptor's
 * URI verbatim (storage type `p`, URI-encoded like `add.path`), for the caller to map to a store.
 */
export type DvLocation = { kind: "relative"; key: string } | { kind: "absolute"; uri: string };

/** The byte range of one DV within its file. */
export interface DvByteRange {
  offset: number;
  length: number;
}

/** Loads `range` of a DV file; should throw NotFoundError when the file does not exist. */
export type DvByteReader = (location: DvLocation, range: DvByteRange) => Promise<Uint8Array>;

/** Options of `loadDeletionVector`. */
export interface LoadDeletionVectorOptions {
  descriptor: DeletionVectorDescriptor;
  /** The table root (URL or path), used in error messages. */
  tableRoot: string;
  /** Loads bytes of DV files (not called for inline DVs). */
  read: DvByteReader;
}

/**
 * The replay identity of a DV (PROTOCOL.md "Derived Fields", `uniqueId`):
 * `storageType + pathOrInlineDv`, plus `"@" + offset` when an offset is present.
 */
export function dvUniqueId(descriptor: DeletionVectorDescriptor): string {
  const base = descriptor.storageType + descriptor.pathOrInlineDv;
  return descriptor.offset === undefined || descriptor.offset === null ? base : `${base}@${descriptor.offset}`;
}

/** The file a DV lives in, or undefined for inline DVs. Throws ProtocolError for bad descriptors. */
export function deletionVectorLocation(descriptor: DeletionVectorDescriptor): DvLocation | undefined {
  switch (descriptor.storageType) {
    case "i":
      return undefined;
    case "u":
      return { kind: "relative", key: dvFileKeyFromPathOrInlineDv(descriptor.pathOrInlineDv) };
    case "p":
      return { kind: "absolute", uri: descriptor.pathOrInlineDv };
    default:
      throw new ProtocolError(`unknown deletion vector storage type "${descriptor.storageType}"`);
  }
}

/**
 * Loads a deletion vector and returns the row indexes it deletes, sorted ascending (Uint32Array
 * when all are below 2^32). File DVs cost one ranged read of `4 + sizeInBytes + 4` bytes at
 * `offset` (default 1). Verifies the stored size, the CRC-32, the magic and that the number of
 * indexes equals `descriptor.cardinality`. Throws ProtocolError for corrupt data,
 * UnsupportedFeatureError for the native bitmap format, NotFoundError for a missing DV file.
 */
export async function loadDeletionVector(options: LoadDeletionVectorOptions): Promise<SortedRowIndexes> {
  const { descriptor, tableRoot } = options;
  let where = describeInline(descriptor);
  try {
    checkDescriptor(descriptor);
    const location = deletionVectorLocation(descriptor);
    let bitmap: Uint8Array;
    if (location === undefined) {
      bitmap = z85Decode(descriptor.pathOrInlineDv, descriptor.sizeInBytes);
    } else {
      where = `file ${location.kind === "relative" ? joinRoot(tableRoot, location.key) : location.uri}`;
      const offset = descriptor.offset ?? DV_DEFAULT_OFFSET;
      const range = { offset, length: 4 + descriptor.sizeInBytes + 4 };
      bitmap = unframe(await readRange(options.read, location, range, where, tableRoot), descriptor.sizeInBytes);
    }
    return decodeDeletionVectorBitmap(bitmap, descriptor.cardinality);
  } catch (err) {
    if (err instanceof UnsupportedFeatureError) {
      throw new UnsupportedFeatureError(err.feature, `deletion vector ${where}: ${err.message}`, { path: tableRoot, cause: err });
    }
    if (err instanceof ProtocolError) {
      throw new ProtocolError(`corrupt deletion vector ${where}: ${err.message}`, { path: tableRoot, cause: err });
    }
    throw err;
  }
}

/**
 * Decodes a DV bitmap: magic 1681511377 (u32 LE), then the portable 64-bit Roaring format.
 * With `cardinality`, a different number of indexes is a ProtocolError (checked before the
 * indexes are materialized). The native format (magic 1681511376) is refused with
 * UnsupportedFeatureError.
 */
export function decodeDeletionVectorBitmap(bytes: Uint8Array, cardinality?: number): SortedRowIndexes {
  if (bytes.length < 4) throw new ProtocolError(`bitmap of ${bytes.length} bytes has no magic number`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, true);
  if (magic === DV_PORTABLE_MAGIC) {
    return decodeRoaring64(bytes.subarray(4), cardinality === undefined ? {} : { cardinality });
  }
  if (magic === DV_NATIVE_MAGIC || view.getUint32(0, false) === DV_NATIVE_MAGIC) {
    throw new UnsupportedFeatureError(
      "deletionVectors",
      `native RoaringBitmapArray format (magic ${DV_NATIVE_MAGIC}) is not supported; only the portable format (magic ${DV_PORTABLE_MAGIC}) is`,
    );
  }
  throw new ProtocolError(`bad magic number ${magic}, expected ${DV_PORTABLE_MAGIC}`);
}

/** Encodes row indexes as a DV bitmap (magic + portable Roaring), e.g. for inline DVs. */
export function encodeDeletionVectorBitmap(rows: Iterable<number | bigint>, options: RoaringEncodeOptions = {}): Uint8Array {
  const roaring = encodeRoaring64(rows, options);
  const out = new Uint8Array(4 + roaring.length);
  new DataView(out.buffer).setUint32(0, DV_PORTABLE_MAGIC, true);
  out.set(roaring, 4);
  return out;
}

/** Frames a DV bitmap for a DV file: big-endian size, the bitmap, big-endian CRC-32. */
export function frameDeletionVector(bitmap: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + bitmap.length + 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, bitmap.length, false);
  out.set(bitmap, 4);
  view.setUint32(4 + bitmap.length, crc32(bitmap), false);
  return out;
}

/**
 * A keep-mask for the physical rows [start, end) of a file: 1 = keep, 0 = deleted by `deleted`
 * (sorted ascending, as `loadDeletionVector` returns). Costs O(log n + deletions in range).
 */
export function keepMask(deleted: SortedRowIndexes, start: number, end: number): Uint8Array {
  return rowMask(deleted, start, end, 1);
}

/**
 * A select-mask for the physical rows [start, end) of a file: 1 only for the rows in `selected`
 * (sorted ascending), 0 for all others. The change data feed reads the rows whose deletion state
 * changed in a commit this way. Costs O(log n + selected rows in range).
 */
export function selectMask(selected: SortedRowIndexes, start: number, end: number): Uint8Array {
  return rowMask(selected, start, end, 0);
}

/** A mask of [start, end) filled with `fill`, with the listed rows set to the other value. */
function rowMask(rows: SortedRowIndexes, start: number, end: number, fill: 0 | 1): Uint8Array {
  const mark = fill === 1 ? 0 : 1;
  const mask = new Uint8Array(Math.max(0, end - start)).fill(fill);
  if (rows instanceof Uint32Array) {
    for (let i = lowerBound(rows, start); i < rows.length; i++) {
      const row = rows[i] ?? end;
      if (row >= end) break;
      mask[row - start] = mark;
    }
  } else {
    const bigEnd = BigInt(end);
    for (let i = lowerBound(rows, BigInt(start)); i < rows.length; i++) {
      const row = rows[i] ?? bigEnd;
      if (row >= bigEnd) break;
      mask[Number(row) - start] = mark;
    }
  }
  return mask;
}

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) of `bytes`, as an unsigned number. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Checks the size and CRC of one framed DV and returns its bitmap bytes. */
function unframe(framed: Uint8Array, sizeInBytes: number): Uint8Array {
  const view = new DataView(framed.buffer, framed.byteOffset, framed.byteLength);
  const dataSize = view.getUint32(0, false);
  if (dataSize !== sizeInBytes) {
    throw new ProtocolError(`size mismatch: the log says ${sizeInBytes} bytes, the file says ${dataSize}`);
  }
  const bitmap = framed.subarray(4, 4 + dataSize);
  const stored = view.getUint32(4 + dataSize, false);
  const actual = crc32(bitmap);
  if (stored !== actual) {
    throw new ProtocolError(`CRC-32 mismatch: stored ${hex(stored)}, computed ${hex(actual)}`);
  }
  return bitmap;
}

async function readRange(
  read: DvByteReader,
  location: DvLocation,
  range: DvByteRange,
  where: string,
  tableRoot: string,
): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await read(location, range);
  } catch (err) {
    if (err instanceof NotFoundError || (err instanceof DeltaError && err.code === "NOT_FOUND")) {
      throw new NotFoundError(`deletion vector ${where} not found`, { path: tableRoot, cause: err });
    }
    if (err instanceof DeltaError) throw err;
    throw new StorageError(`reading deletion vector ${where} failed: ${String(err)}`, { path: tableRoot, cause: err });
  }
  if (bytes.length !== range.length) {
    throw new ProtocolError(`truncated: read ${bytes.length} bytes at offset ${range.offset}, expected ${range.length}`);
  }
  return bytes;
}

function checkDescriptor(d: DeletionVectorDescriptor): void {
  const { sizeInBytes, cardinality, offset } = d;
  if (!Number.isSafeInteger(sizeInBytes) || sizeInBytes < 4) throw new ProtocolError(`invalid sizeInBytes ${sizeInBytes}`);
  if (!Number.isSafeInteger(cardinality) || cardinality < 0) throw new ProtocolError(`invalid cardinality ${cardinality}`);
  if (offset !== undefined && offset !== null) {
    if (d.storageType === "i") throw new ProtocolError(`inline deletion vector with offset ${offset}`);
    if (!Number.isSafeInteger(offset) || offset < 0) throw new ProtocolError(`invalid offset ${offset}`);
  }
}

function lowerBound<T extends number | bigint>(sorted: ArrayLike<T>, value: T): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as T) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function describeInline(d: DeletionVectorDescriptor): string {
  const text = d.pathOrInlineDv.length > 24 ? `${d.pathOrInlineDv.slice(0, 24)}...` : d.pathOrInlineDv;
  return d.storageType === "i" ? `inline "${text}"` : `"${d.storageType}${text}"`;
}

function joinRoot(root: string, key: string): string {
  return root.endsWith("/") ? root + key : `${root}/${key}`;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, "0")}`;
}
