/**
 * Byte assembly: one owner for joining byte pieces into a single Uint8Array (a request body read
 * chunk by chunk, a deletion vector file's framed bitmaps, a serialized bitmap's parts).
 * Web APIs only.
 */

/** The pieces' bytes one after the other, in one new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.byteLength;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
