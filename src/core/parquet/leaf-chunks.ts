/**
 * Joins the pieces of one leaf column that hyparquet's page callback delivers (typed arrays
 * for required flat columns, JS arrays otherwise, each tagged with its absolute row range and
 * possibly reaching outside the requested rows) into one array covering exactly [start, end).
 */

/** One decoded piece of a leaf column. */
export interface LeafChunk {
  data: ArrayLike<unknown>;
  /** Absolute index of the first row in `data`. */
  rowStart: number;
  /** Absolute index after the last row in `data`. */
  rowEnd: number;
}

type TypedArray = Exclude<ArrayLike<unknown>, unknown[]> & { constructor: new (n: number) => TypedArrayLike; subarray(a: number, b: number): TypedArrayLike };
interface TypedArrayLike extends ArrayLike<unknown> {
  set(src: ArrayLike<unknown>, offset: number): void;
  subarray(a: number, b: number): TypedArrayLike;
}

function isTyped(a: ArrayLike<unknown>): a is TypedArray {
  return ArrayBuffer.isView(a);
}

/** Concatenates chunks into one array of the rows [start, end). */
export function concatChunks(chunks: readonly LeafChunk[], start: number, end: number): ArrayLike<unknown> {
  const parts = [...chunks]
    .sort((a, b) => a.rowStart - b.rowStart)
    .map((c) => ({ c, from: Math.max(start, c.rowStart), to: Math.min(end, c.rowEnd) }))
    .filter((p) => p.to > p.from);
  const total = parts.reduce((sum, p) => sum + (p.to - p.from), 0);
  const first = parts[0];
  if (parts.length === 1 && first !== undefined && first.from === first.c.rowStart && first.to === first.c.rowEnd) {
    return first.c.data;
  }
  const ctor = first !== undefined && isTyped(first.c.data) ? first.c.data.constructor : undefined;
  if (ctor !== undefined && parts.every((p) => isTyped(p.c.data) && p.c.data.constructor === ctor)) {
    const out = new ctor(total);
    let at = 0;
    for (const p of parts) {
      const data = p.c.data as TypedArray;
      out.set(data.subarray(p.from - p.c.rowStart, p.to - p.c.rowStart), at);
      at += p.to - p.from;
    }
    return out;
  }
  const out = new Array<unknown>(total);
  let at = 0;
  for (const p of parts) {
    for (let i = p.from; i < p.to; i++) out[at++] = p.c.data[i - p.c.rowStart];
  }
  return out;
}
