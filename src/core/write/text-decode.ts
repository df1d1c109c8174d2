/**
 * The one UTF-8 decoder of text inputs (CLI files and Worker request bodies alike): byte chunks
 * in, text chunks out, sequences split across chunks handled, a leading byte-order mark dropped.
 * Invalid UTF-8 is refused (never replaced by U+FFFD) with an InvalidInputError naming the source,
 * the line and the byte: line numbers come from counting LF bytes, which never occur inside a
 * multi-byte sequence. Strings pass through unchanged (already decoded text).
 */

import { InvalidInputError } from "../errors.js";

/** Text input as the readers take it: byte chunks, or already decoded text chunks. */
export type TextChunks = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

const LF = 0x0a;

/** Decodes UTF-8 chunks strictly; see the header. `source` names the input in errors. */
export async function* decodeUtf8(chunks: TextChunks, source: string): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let lines = 0; // LF bytes before the current chunk
  let tail: Uint8Array = new Uint8Array(0); // an incomplete sequence at the end of the bytes so far
  let offset = 0; // bytes before the current chunk
  let first = true;
  for await (const chunk of chunks) {
    if (typeof chunk === "string") {
      const text = first && chunk.startsWith("\ufeff") ? chunk.slice(1) : chunk;
      if (chunk !== "") first = false;
      if (text !== "") yield text;
      continue;
    }
    if (chunk.length > 0) first = false;
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      const joined = concat(tail, chunk);
      const bad = Math.max(0, firstInvalidUtf8(joined));
      throw invalid(source, lines + countLf(joined, bad) + 1, offset - tail.length + bad, joined[bad]);
    }
    lines += countLf(chunk, chunk.length);
    offset += chunk.length;
    tail = incompleteTail(chunk.length >= 3 ? chunk : concat(tail, chunk));
    if (text !== "") yield text;
  }
  let last: string;
  try {
    last = decoder.decode();
  } catch {
    throw invalid(source, lines + 1, offset - tail.length, tail[0]);
  }
  if (last !== "") yield last;
}

function invalid(source: string, line: number, at: number, byte: number | undefined): InvalidInputError {
  const what = byte === undefined ? "" : ` (byte 0x${byte.toString(16).padStart(2, "0")} at offset ${at})`;
  return new InvalidInputError(`${source}:${line}: not valid UTF-8${what}`);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function countLf(bytes: Uint8Array, end: number): number {
  let n = 0;
  for (let i = bytes.indexOf(LF); i >= 0 && i < end; i = bytes.indexOf(LF, i + 1)) n++;
  return n;
}

/** Length of the sequence a lead byte starts (0 for a continuation or invalid byte). */
function sequenceLength(lead: number): number {
  return lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
}

/** The incomplete sequence at the end of valid UTF-8 bytes (empty when the last one is complete). */
function incompleteTail(bytes: Uint8Array): Uint8Array {
  for (let i = bytes.length - 1; i >= 0 && i >= bytes.length - 3; i--) {
    const b = bytes[i] as number;
    if (b >= 0x80 && b < 0xc0) continue; // continuation
    return i + sequenceLength(b) > bytes.length ? bytes.slice(i) : new Uint8Array(0);
  }
  return new Uint8Array(0);
}

/**
 * Index of the first byte of the first invalid sequence (WHATWG rules: no overlongs, surrogates or
 * code points past U+10FFFF; a sequence cut by the end is invalid too), or -1.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] as number;
    const len = sequenceLength(lead);
    if (len === 0) return i;
    let lower = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    let upper = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k < len; k++) {
      const b = bytes[i + k];
      if (b === undefined || b < lower || b > upper) return i;
      lower = 0x80;
      upper = 0xbf;
    }
    i += len;
  }
  return -1;
}
