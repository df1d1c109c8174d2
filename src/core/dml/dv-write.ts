/**
 * Writing deletion vectors (PROTOCOL.md "Deletion Vector Format"), as Spark does: all the DVs of
 * one commit go into one new file `[<random prefix>/]deletion_vector_<uuid>.bin` holding the
 * version byte 1 and then, per DV, the big-endian size, the bitmap (magic 1681511377 + portable
 * 64-bit roaring, run containers where smaller) and the big-endian CRC-32. Each DV's descriptor
 * has storage type `u`, `pathOrInlineDv` = prefix + the Z85 form of the uuid, `offset` = where its
 * size field starts, `sizeInBytes` = the bitmap's length and `cardinality` = the number of rows.
 * A file's new DV is its old DV plus the newly deleted rows (merging is the caller's job here:
 * pass the union). The random prefix is used when `delta.randomizeFilePrefixes` is true.
 * Imports log/ (the codec) and storage; never scan/ or write/ internals beyond the prefix helpers.
 */
import type { DeletionVectorDescriptor } from "../log/actions.js";
import { encodeDeletionVectorBitmap, frameDeletionVector } from "../log/deletion-vector.js";
import { z85EncodeUuid } from "../log/z85.js";
import type { ObjectStore } from "../storage/object-store.js";
import { randomDirectory, randomPrefixLength } from "../write/data-files.js";
import { concatBytes } from "../util/bytes.js";

/** The deleted rows of one data file: physical row indexes, in any order, duplicates allowed. */
export interface DeletionVectorRows<K> {
  /** The caller's key for the file (returned with its descriptor). */
  key: K;
  rows: Iterable<number>;
}

/** Options of {@link writeDeletionVectors}. */
export interface WriteDeletionVectorsOptions<K> {
  /** Store rooted at the table. */
  store: ObjectStore;
  /** Table properties (`delta.randomizeFilePrefixes`, `delta.randomPrefixLength`). */
  properties: Readonly<Record<string, string>>;
  vectors: readonly DeletionVectorRows<K>[];
}

/** What {@link writeDeletionVectors} wrote. */
export interface WrittenDeletionVectors<K> {
  /** The DV file's key relative to the table root (undefined when there was nothing to write). */
  fileKey: string | undefined;
  /** Bytes written. */
  bytes: number;
  /** One descriptor per input, in input order. */
  descriptors: { key: K; descriptor: DeletionVectorDescriptor }[];
}

/** DV file format version (the first byte of every DV file). */
const DV_FILE_VERSION = 1;

/** Writes the DVs into one new DV file and returns their descriptors. */
export async function writeDeletionVectors<K>(options: WriteDeletionVectorsOptions<K>): Promise<WrittenDeletionVectors<K>> {
  if (options.vectors.length === 0) return { fileKey: undefined, bytes: 0, descriptors: [] };
  const uuid = crypto.randomUUID();
  const prefixLength = randomPrefixLength(options.properties, false);
  const prefix = prefixLength > 0 ? randomDirectory(prefixLength) : "";
  const name = `deletion_vector_${uuid}.bin`;
  const fileKey = prefix === "" ? name : `${prefix}/${name}`;
  const pathOrInlineDv = prefix + z85EncodeUuid(uuid);
  const parts: Uint8Array[] = [Uint8Array.of(DV_FILE_VERSION)];
  let offset = 1;
  const descriptors: { key: K; descriptor: DeletionVectorDescriptor }[] = [];
  for (const v of options.vectors) {
    const rows = distinctSorted(v.rows);
    const bitmap = encodeDeletionVectorBitmap(rows, { runs: true });
    const framed = frameDeletionVector(bitmap);
    descriptors.push({ key: v.key, descriptor: { storageType: "u", pathOrInlineDv, offset, sizeInBytes: bitmap.length, cardinality: rows.length } });
    parts.push(framed);
    offset += framed.length;
  }
  const body = concatBytes(parts);
  await options.store.put(fileKey, body);
  return { fileKey, bytes: body.length, descriptors };
}

function distinctSorted(rows: Iterable<number>): Float64Array {
  const sorted = Float64Array.from(rows).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[n++] = sorted[i] as number;
  return sorted.subarray(0, n);
}
