/**
 * Rows whose deletion state changed (delta-kernel-rs table changes, resolve_dvs): when a commit
 * removes (path, DV before) and adds (path, DV after), the rows deleted by the new DV but not by
 * the old one are deletes, and the rows deleted by the old DV but not by the new one are inserts
 * (a restore). No DV means no row is deleted. Both DVs cost one ranged read each (none inline).
 */
import type { DeletionVectorDescriptor } from "../log/actions.js";
import { loadDeletionVector, type SortedRowIndexes } from "../log/deletion-vector.js";
import { deletionVectorReader } from "../scan/execute.js";
import type { ObjectStore } from "../storage/object-store.js";

/** The rows of one file that a DV change deleted and restored, sorted. */
export interface DvChange {
  deleted: SortedRowIndexes;
  restored: SortedRowIndexes;
}

/** Options of {@link dvChange}. */
export interface DvChangeOptions {
  store: ObjectStore;
  before: DeletionVectorDescriptor | null | undefined;
  after: DeletionVectorDescriptor | null | undefined;
  context: { path: string; version: number };
}

/** Loads both deletion vectors of a file and compares them. */
export async function dvChange(options: DvChangeOptions): Promise<DvChange> {
  const [before, after] = await Promise.all([load(options, options.before), load(options, options.after)]);
  return { deleted: difference(after, before), restored: difference(before, after) };
}

async function load(options: DvChangeOptions, descriptor: DeletionVectorDescriptor | null | undefined): Promise<SortedRowIndexes> {
  if (descriptor === null || descriptor === undefined) return new Uint32Array(0);
  const { store, context } = options;
  return loadDeletionVector({ descriptor, tableRoot: context.path, read: deletionVectorReader(store, context) });
}

/** The rows of `a` not in `b` (both sorted ascending), in `a`'s representation. */
export function difference(a: SortedRowIndexes, b: SortedRowIndexes): SortedRowIndexes {
  if (a instanceof Uint32Array && b instanceof Uint32Array) {
    const out = new Uint32Array(a.length);
    let n = 0;
    let j = 0;
    for (const x of a) {
      while (j < b.length && (b[j] as number) < x) j++;
      if (j < b.length && b[j] === x) continue;
      out[n++] = x;
    }
    return out.subarray(0, n);
  }
  // Some row index is beyond 2^32: compare as bigints.
  const kept: bigint[] = [];
  let j = 0;
  for (const v of a) {
    const x = BigInt(v);
    while (j < b.length && BigInt(b[j] as number | bigint) < x) j++;
    if (j < b.length && BigInt(b[j] as number | bigint) === x) continue;
    kept.push(x);
  }
  return a instanceof Uint32Array ? Uint32Array.from(kept, Number) : BigUint64Array.from(kept);
}
