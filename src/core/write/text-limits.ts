/**
 * Size limits of text inputs (NDJSON and CSV for writes) and how text is measured against them.
 * A line (an NDJSON line, or a CSV record with the line breaks inside its quoted fields) may hold
 * at most `maxLineBytes` UTF-8 bytes and a CSV field at most `maxFieldBytes`; past either, the
 * reader stops with an InvalidInputError naming the source and the line, having held at most about
 * the limit in memory (plus one input chunk). Sizes are counted in UTF-8 bytes of the decoded text
 * (the input's own bytes), cheaply: chunks without non-ASCII characters count one byte per unit.
 */

import { InvalidInputError } from "../errors.js";

/** Default largest line (NDJSON line or CSV record), in UTF-8 bytes: 16 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

/** Default largest CSV field, in UTF-8 bytes: 16 MiB (a field is never larger than its line). */
export const DEFAULT_MAX_FIELD_BYTES = 16 * 1024 * 1024;

/** The limits of one text input. */
export interface TextLimits {
  /** Named in error messages with the line number (a file name, "request body"). */
  source: string;
  maxLineBytes: number;
  maxFieldBytes: number;
}

/** Resolves optional limits to numbers, checking they are positive integers. */
export function textLimits(source: string, options: { maxLineBytes?: number | undefined; maxFieldBytes?: number | undefined }): TextLimits {
  const check = (name: string, v: number | undefined, fallback: number): number => {
    if (v === undefined) return fallback;
    if (!Number.isSafeInteger(v) || v <= 0) throw new InvalidInputError(`${name} must be a positive integer, got ${v}`);
    return v;
  };
  return { source, maxLineBytes: check("maxLineBytes", options.maxLineBytes, DEFAULT_MAX_LINE_BYTES), maxFieldBytes: check("maxFieldBytes", options.maxFieldBytes, DEFAULT_MAX_FIELD_BYTES) };
}

/** The error for a line past the limit. */
export function lineTooLong(limits: TextLimits, line: number): InvalidInputError {
  return new InvalidInputError(`${limits.source}:${line}: line longer than ${limits.maxLineBytes} bytes (the maxLineBytes limit)`);
}

/** The error for a CSV field past the limit. */
export function fieldTooLong(limits: TextLimits, line: number, column: string | undefined): InvalidInputError {
  const which = column === undefined ? "a field" : `the field of column ${column}`;
  return new InvalidInputError(`${limits.source}:${line}: ${which} is longer than ${limits.maxFieldBytes} bytes (the maxFieldBytes limit)`);
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\u0000-\u007f]/;

/** Measures UTF-8 bytes of ranges of one chunk of text. */
export type ChunkMeter = (start: number, end: number) => number;

/** A meter for `text`: ASCII-only chunks (the common case) count one byte per unit without a scan. */
export function chunkMeter(text: string): ChunkMeter {
  if (!NON_ASCII.test(text)) return (start, end) => end - start;
  return (start, end) => utf8Length(text, start, end);
}

/** UTF-8 length of `text.slice(start, end)` (a surrogate pair counts 4, each half 2). */
export function utf8Length(text: string, start = 0, end = text.length): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3;
  }
  return n;
}
