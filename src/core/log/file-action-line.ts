/**
 * The replay fast path's proof: one sticky regular expression per action that matches a commit
 * line only when the whole line is a complete, valid JSON add or remove of exactly the shape
 * `toAction` (actions.ts) accepts, in the compact form and field order Spark, delta-rs and kernel
 * write (`{"add":{"path":...,"partitionValues":{...},"size":N,"modificationTime":N,"dataChange":B,
 * ...optional fields}}`), with a path that has no escapes and no deletion vector. Any other line
 * (whitespace between tokens, another order, unknown fields, escapes in the path, a deletion
 * vector, a number that is not a plain integer of at most 15 digits...) does not match, and the
 * caller takes the exact path: JSON.parse and `toAction`. A regular expression runs natively, at a
 * fraction of JSON.parse's cost, and these are linear: every repetition starts with a distinct
 * token, so nothing backtracks more than a few characters. test/log/file-action-line.test.ts
 * checks that no line JSON.parse or `toAction` would refuse ever matches. Must not import anything.
 */

// A JSON string (escapes allowed), written unrolled so that it cannot backtrack.
const STRING = String.raw`"[^"\\\u0000-\u001f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\u0000-\u001f]*)*"`;
// A string without escapes: its text is its value.
const PLAIN_STRING = String.raw`"[^"\\\u0000-\u001f]*"`;
const STRING_OR_NULL = `(?:${STRING}|null)`;
// A string-to-string map (values may be null).
const MAP = `\\{(?:${STRING}:${STRING_OR_NULL}(?:,${STRING}:${STRING_OR_NULL})*)?\\}`;
const MAP_OR_NULL = `(?:${MAP}|null)`;
// Integers of at most 15 digits are exact as doubles (toAction wants integers within 2^53).
const UINT = String.raw`(?:0|[1-9]\d{0,14})`;
const INT = `-?${UINT}`;
const INT_OR_NULL = `(?:${INT}|null)`;
const BOOL = "(?:true|false)";

/** Optional add fields, in any order (JSON.parse keeps the last of duplicates; each is type-checked). */
const ADD_OPTIONAL = [
  `"stats":${STRING_OR_NULL}`,
  `"tags":${MAP_OR_NULL}`,
  `"deletionVector":null`,
  `"baseRowId":${INT_OR_NULL}`,
  `"defaultRowCommitVersion":${INT_OR_NULL}`,
  `"clusteringProvider":${STRING_OR_NULL}`,
].join("|");

/** Optional remove fields, in any order (dataChange, required, comes once among them). */
const REMOVE_OPTIONAL = [
  `"deletionTimestamp":${INT_OR_NULL}`,
  `"extendedFileMetadata":(?:${BOOL}|null)`,
  `"partitionValues":${MAP_OR_NULL}`,
  `"size":(?:${UINT}|null)`,
  `"stats":${STRING_OR_NULL}`,
  `"tags":${MAP_OR_NULL}`,
  `"deletionVector":null`,
  `"baseRowId":${INT_OR_NULL}`,
  `"defaultRowCommitVersion":${INT_OR_NULL}`,
].join("|");

// Trailing spaces, tabs and a CR are JSON whitespace; the caller checks the match ends the line.
const ADD_LINE = new RegExp(
  `\\{"add":\\{"path":${PLAIN_STRING},"partitionValues":${MAP},"size":${UINT},"modificationTime":${INT},"dataChange":${BOOL}(?:,(?:${ADD_OPTIONAL}))*\\}\\}[ \\t\\r]*`,
  "y",
);
const REMOVE_LINE = new RegExp(
  `\\{"remove":\\{"path":${PLAIN_STRING}(?:,(?:${REMOVE_OPTIONAL}))*,"dataChange":${BOOL}(?:,(?:${REMOVE_OPTIONAL}))*\\}\\}[ \\t\\r]*`,
  "y",
);

/** Offset of the path's text in a matched line: after `{"add":{"path":"` or `{"remove":{"path":"`. */
export const ADD_PATH_OFFSET = 16;
export const REMOVE_PATH_OFFSET = 19;

/**
 * Whether `text[start, end)` (a whole line: `end` is its `\n` or the end of the text) is a proven
 * add (1) or remove (2) line; 0 when the exact path must decide. The path of a matched line is
 * `text.slice(start + offset, text.indexOf('"', start + offset))`, its text being its value.
 */
export function matchFileActionLine(text: string, start: number, end: number): 0 | 1 | 2 {
  // Cheap first-character dispatch: `{"a` or `{"r`.
  const c = text.charCodeAt(start + 2);
  const re = c === 97 ? ADD_LINE : c === 114 ? REMOVE_LINE : undefined;
  if (re === undefined) return 0;
  re.lastIndex = start;
  if (!re.test(text) || re.lastIndex !== end) return 0;
  return re === ADD_LINE ? 1 : 2;
}

const SIZE_KEY = '},"size":';

/**
 * add.size of a line {@link matchFileActionLine} proved to be an add. In such a line the first
 * `},"size":` is the end of partitionValues and the size key: strings hold no unescaped quote, so
 * the sequence cannot start inside one.
 */
export function provenAddSize(line: string): number {
  let i = line.indexOf(SIZE_KEY, ADD_PATH_OFFSET) + SIZE_KEY.length;
  let n = 0;
  for (let c = line.charCodeAt(i); c >= 48 && c <= 57; c = line.charCodeAt(++i)) n = n * 10 + (c - 48);
  return n;
}
