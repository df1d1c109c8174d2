/**
 * Z85 (ZeroMQ RFC 32 base-85) for deletion vectors: inline DV bytes and the 20-character UUIDs
 * of `u` descriptors. Byte lengths that are not a multiple of 4 come in two forms in real logs:
 * Spark's (zero-pad to a multiple of 4, encode, and let the reader truncate to `sizeInBytes`)
 * and the Rust `z85` crate's tail form (the last 5-char chunk starts with k `#` characters and
 * its other 5-k characters encode the last 4-k bytes as a big-endian number, e.g. `##093` =
 * bytes 03 00). A normal chunk never starts with `#` (84 * 85^4 > 2^32), so the forms cannot be
 * confused; the decoder accepts both.
 */

import { ProtocolError } from "../errors.js";

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
const TAIL_MARK = 0x23; // '#'
const U32_LIMIT = 0x1_0000_0000;

/** Character code -> digit value, or -1 for characters outside the alphabet. */
const DIGITS: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/** How `z85Encode` handles a length that is not a multiple of 4. */
export type Z85Padding = "zero" | "tail";

/** Options of `z85Encode`. */
export interface Z85EncodeOptions {
  /**
   * `zero` (default, Spark's form: readers truncate to the known size, so `sizeInBytes` must be
   * stored next to the text) or `tail` (the Rust `z85` crate's self-describing `#` tail).
   */
  padding?: Z85Padding;
}

/**
 * Encodes bytes as Z85. Lengths that are not a multiple of 4 are padded as `options.padding`
 * says; `zero` output is `ceil(n / 4) * 5` characters, `tail` output is `ceil(n * 5 / 4)`
 * characters rounded up to whole chunks.
 */
export function z85Encode(bytes: Uint8Array, options: Z85EncodeOptions = {}): string {
  const padding = options.padding ?? "zero";
  const whole = bytes.length - (bytes.length % 4);
  let out = "";
  for (let i = 0; i < whole; i += 4) {
    out += encodeChunk(readU32BE(bytes, i, 4), 5);
  }
  const rest = bytes.length - whole;
  if (rest === 0) return out;
  if (padding === "tail") {
    return out + "#".repeat(4 - rest) + encodeChunk(readU32BE(bytes, whole, rest), rest + 1);
  }
  // Zero padding: the missing low-order bytes of the last big-endian word are zero.
  return out + encodeChunk(readU32BE(bytes, whole, rest) * 256 ** (4 - rest), 5);
}

/**
 * Decodes Z85 text. Without `size`, the text must be whole 5-char chunks (the last one may use
 * the `#` tail form). With `size` (a DV's `sizeInBytes`), Spark's zero padding is also accepted:
 * the decoded bytes are truncated to `size`, and the dropped padding must be zero.
 * Throws ProtocolError on characters outside the alphabet, bad lengths, chunks above 2^32 - 1,
 * and a decoded length that does not match `size`.
 */
export function z85Decode(text: string, size?: number): Uint8Array {
  if (text.length % 5 !== 0) {
    throw new ProtocolError(`invalid Z85 text: length ${text.length} is not a multiple of 5`);
  }
  const chunks = text.length / 5;
  const lastIsTail = chunks > 0 && text.charCodeAt(text.length - 5) === TAIL_MARK;
  const tailHashes = lastIsTail ? countTailMarks(text, text.length - 5) : 0;
  const decodedLength = chunks * 4 - tailHashes;
  const out = new Uint8Array(decodedLength);
  for (let c = 0; c < chunks; c++) {
    const start = c * 5;
    const skip = c === chunks - 1 ? tailHashes : 0;
    const value = decodeDigits(text, start + skip, start + 5);
    writeU32BE(out, c * 4, value, 4 - skip, start);
  }
  if (size === undefined || size === decodedLength) return out;
  if (lastIsTail || size > decodedLength || size < decodedLength - 3) {
    throw new ProtocolError(`invalid Z85 text: decodes to ${decodedLength} bytes, expected ${size}`);
  }
  for (let i = size; i < decodedLength; i++) {
    if (out[i] !== 0) throw new ProtocolError(`invalid Z85 text: non-zero padding after ${size} bytes`);
  }
  return out.subarray(0, size);
}

/** Length of the Z85 form of a UUID (16 bytes). */
export const Z85_UUID_LENGTH = 20;

/**
 * Decodes the 20-character Z85 form of a UUID (as in `u` deletion-vector descriptors) into its
 * canonical lowercase textual form `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
 */
export function z85DecodeUuid(text: string): string {
  if (text.length !== Z85_UUID_LENGTH) {
    throw new ProtocolError(`invalid Z85 UUID "${text}": expected ${Z85_UUID_LENGTH} characters`);
  }
  const bytes = z85Decode(text);
  if (bytes.length !== 16) throw new ProtocolError(`invalid Z85 UUID "${text}": decodes to ${bytes.length} bytes`);
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Encodes a canonical textual UUID as its 20-character Z85 form (for a future DV writer). */
export function z85EncodeUuid(uuid: string): string {
  const hex = uuid.replace(/-/g, "");
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new ProtocolError(`invalid UUID "${uuid}"`);
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return z85Encode(bytes);
}

/**
 * The relative key of a `u` deletion vector's file: `[<prefix>/]deletion_vector_<uuid>.bin`,
 * where `pathOrInlineDv` = optional random prefix + the 20-character Z85 UUID.
 */
export function dvFileKeyFromPathOrInlineDv(pathOrInlineDv: string): string {
  if (pathOrInlineDv.length < Z85_UUID_LENGTH) {
    throw new ProtocolError(
      `invalid deletion vector path "${pathOrInlineDv}": expected a prefix and a ${Z85_UUID_LENGTH}-character Z85 UUID`,
    );
  }
  const split = pathOrInlineDv.length - Z85_UUID_LENGTH;
  const prefix = pathOrInlineDv.slice(0, split);
  const name = `deletion_vector_${z85DecodeUuid(pathOrInlineDv.slice(split))}.bin`;
  return prefix === "" ? name : `${prefix}/${name}`;
}

function countTailMarks(text: string, start: number): number {
  let k = 0;
  while (k < 5 && text.charCodeAt(start + k) === TAIL_MARK) k++;
  if (k > 3) throw new ProtocolError(`invalid Z85 text: tail chunk "${text.slice(start)}" has ${k} '#' marks`);
  return k;
}

function decodeDigits(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    const digit = code < 128 ? (DIGITS[code] ?? -1) : -1;
    if (digit < 0) throw new ProtocolError(`invalid Z85 character ${JSON.stringify(text[i])} at position ${i}`);
    value = value * 85 + digit;
  }
  return value;
}

function encodeChunk(value: number, digits: number): string {
  let out = "";
  for (let d = digits - 1; d >= 0; d--) {
    const p = 85 ** d;
    const digit = Math.floor(value / p);
    value -= digit * p;
    out += ALPHABET[digit];
  }
  return out;
}

function readU32BE(bytes: Uint8Array, at: number, count: number): number {
  let value = 0;
  for (let i = 0; i < count; i++) value = value * 256 + (bytes[at + i] ?? 0);
  return value;
}

function writeU32BE(out: Uint8Array, at: number, value: number, count: number, textPos: number): void {
  if (value >= 256 ** count || value >= U32_LIMIT) {
    throw new ProtocolError(`invalid Z85 text: chunk at position ${textPos} overflows ${count} bytes`);
  }
  for (let i = count - 1; i >= 0; i--) {
    out[at + i] = value % 256;
    value = Math.floor(value / 256);
  }
}
