/**
 * Row selection ("take") on canonical Arrow Data (see data-values.ts): a new Data holding rows
 * `indices` of the input, in that order, at offset 0 with fresh buffers. Partition splitting uses
 * it to gather the rows of each partition, dictionary decoding to expand indices. Fixed-width
 * values are copied element-wise, Utf8/Binary bytes range by range, struct children with the same
 * indices, list/map children with the index ranges of the chosen rows.
 */

import { Data, Type } from "apache-arrow";
import { packValidity } from "../arrow/builders.js";
import { boolAt, isValid } from "../scan/arrow-data.js";

/** Rows `indices` of `data` (canonical layout), as a new Data. */
export function takeRows(data: Data, indices: Int32Array): Data {
  const n = indices.length;
  if (data.typeId === Type.Null) return new Data(data.type, 0, n, n);
  const valid = data.nullCount === 0 ? undefined : new Uint8Array(n);
  if (valid !== undefined) for (let k = 0; k < n; k++) valid[k] = isValid(data, indices[k] as number) ? 1 : 0;
  const { bitmap, nullCount } = packValidity(valid, n);
  const make = (buffers: unknown[], children: Data[] = []): Data =>
    new Data(data.type, 0, n, nullCount, [buffers[0], buffers[1], bitmap, undefined] as never, children);
  switch (data.typeId) {
    case Type.Bool: {
      const out = new Uint8Array((n + 7) >> 3);
      for (let k = 0; k < n; k++) if (boolAt(data, indices[k] as number)) out[k >> 3]! |= 1 << (k & 7);
      return make([undefined, out]);
    }
    case Type.Utf8:
    case Type.Binary:
      return make(takeBytes(data, indices));
    case Type.Struct:
      return make([undefined, undefined], data.children.map((c) => takeRows(c, indices)));
    case Type.List:
    case Type.Map: {
      const { offsets, childIndices } = takeRanges(data.valueOffsets as Int32Array, indices);
      const child = data.children[0];
      if (child === undefined) throw new TypeError("list without a child");
      return make([offsets, undefined], [takeRows(child, childIndices)]);
    }
    default: {
      const stride = data.stride;
      const values = data.values as unknown as { length: number; constructor: new (n: number) => ArrayLikeMut };
      const src = data.values as unknown as ArrayLikeMut;
      const out = new values.constructor(n * stride);
      if (stride === 1) {
        for (let k = 0; k < n; k++) out[k] = src[indices[k] as number];
      } else {
        for (let k = 0; k < n; k++) {
          const from = (indices[k] as number) * stride;
          for (let w = 0; w < stride; w++) out[k * stride + w] = src[from + w];
        }
      }
      return make([undefined, out]);
    }
  }
}

type ArrayLikeMut = { [i: number]: unknown; length: number };

function takeBytes(data: Data, indices: Int32Array): [Int32Array, Uint8Array] {
  const srcOffsets = data.valueOffsets as Int32Array;
  const src = data.values as Uint8Array;
  const n = indices.length;
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let k = 0; k < n; k++) {
    const i = indices[k] as number;
    total += (srcOffsets[i + 1] as number) - (srcOffsets[i] as number);
    offsets[k + 1] = total;
  }
  const out = new Uint8Array(total);
  for (let k = 0; k < n; k++) {
    const i = indices[k] as number;
    out.set(src.subarray(srcOffsets[i] as number, srcOffsets[i + 1] as number), offsets[k] as number);
  }
  return [offsets, out];
}

function takeRanges(srcOffsets: Int32Array, indices: Int32Array): { offsets: Int32Array; childIndices: Int32Array } {
  const n = indices.length;
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let k = 0; k < n; k++) {
    const i = indices[k] as number;
    total += (srcOffsets[i + 1] as number) - (srcOffsets[i] as number);
    offsets[k + 1] = total;
  }
  const childIndices = new Int32Array(total);
  let at = 0;
  for (let k = 0; k < n; k++) {
    const i = indices[k] as number;
    for (let j = srcOffsets[i] as number; j < (srcOffsets[i + 1] as number); j++) childIndices[at++] = j;
  }
  return { offsets, childIndices };
}
