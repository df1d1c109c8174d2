/**
 * Partition directory names and the encoding of `add.path`. Writers lay data files out as
 * `col=value/...` with Hive escaping (the characters Spark's ExternalCatalogUtils escapes, as `%XX`
 * uppercase; null as `__HIVE_DEFAULT_PARTITION__`), then store the relative path in the log
 * URI-encoded once more, as Hadoop's `Path.toUri` does: the directory `x=A%2FA` appears in the log
 * as `x=A%252FA`, and a space as `%20`. Readers undo both: URI-decode the log path to find the
 * object, Hive-unescape a directory segment to recover a value.
 */

/** The directory value of a null partition value. */
export const HIVE_DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__";

/** Characters Spark escapes in partition directory names (besides control characters). */
const HIVE_SPECIAL = new Set('"#%\'*/:=?\\{[]^'.split(""));

function needsHiveEscape(code: number): boolean {
  return code < 0x20 || code === 0x7f || HIVE_SPECIAL.has(String.fromCharCode(code));
}

function hex2(code: number): string {
  return `%${code.toString(16).toUpperCase().padStart(2, "0")}`;
}

/**
 * Hive-escapes a partition column name or value for a directory name (Spark's escapePathName;
 * NUL is escaped too). Non-ASCII characters are kept.
 */
export function escapePartitionPathComponent(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    out += needsHiveEscape(code) ? hex2(code) : text[i];
  }
  return out;
}

/** Undoes Hive escaping: every `%XX` becomes the character XX; a `%` not followed by two hex digits stays. */
export function unescapePartitionPathComponent(text: string): string {
  return text.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** `col=value` for one partition column (null or "" -> `__HIVE_DEFAULT_PARTITION__`). */
export function partitionPathSegment(column: string, value: string | null): string {
  const v = value === null || value === "" ? HIVE_DEFAULT_PARTITION : escapePartitionPathComponent(value);
  return `${escapePartitionPathComponent(column)}=${v}`;
}

/**
 * The partition directory of a file, `a=1/b=__HIVE_DEFAULT_PARTITION__` (no trailing slash; "" for
 * an unpartitioned table). Values are the serialized partition values, in partition-column order;
 * under column mapping pass physical names (as Spark does).
 */
export function partitionDirectory(values: ReadonlyArray<readonly [column: string, value: string | null]>): string {
  return values.map(([c, v]) => partitionPathSegment(c, v)).join("/");
}

/**
 * Parses the `col=value` segments of a (URI-decoded) relative file path; other segments are
 * skipped. `__HIVE_DEFAULT_PARTITION__` becomes null.
 */
export function parsePartitionDirectory(path: string): Array<[column: string, value: string | null]> {
  const out: Array<[string, string | null]> = [];
  for (const segment of path.split("/")) {
    const eq = segment.indexOf("=");
    if (eq <= 0) continue;
    const raw = segment.slice(eq + 1);
    out.push([unescapePartitionPathComponent(segment.slice(0, eq)), raw === HIVE_DEFAULT_PARTITION ? null : unescapePartitionPathComponent(raw)]);
  }
  return out;
}

/** ASCII characters java.net.URI leaves unquoted in a path (unreserved, punct, '/', '@'). */
const URI_PATH_SAFE = /[A-Za-z0-9_\-!.~'()*,;:$&+=/@]/;
/** Non-ASCII characters URI still quotes: C1 controls and Unicode space separators. */
const URI_NON_ASCII_QUOTED = /[\u0080-\u009f\p{Zs}\p{Zl}\p{Zp}]/u;

/**
 * URI-encodes a relative file path the way Spark/Hadoop store `add.path`: `%` and characters not
 * legal in a URI path (space, `"`, `#`, `?`, `<`, `>`, `[`, `]`, `^`, `{`, `|`, `}`, backslash,
 * controls...) become `%XX` of their UTF-8 bytes; other non-ASCII characters are kept as they are.
 */
export function encodeAddPath(path: string): string {
  let out = "";
  const encoder = new TextEncoder();
  for (const ch of path) {
    const code = ch.codePointAt(0) ?? 0;
    const keep = code < 0x80 ? URI_PATH_SAFE.test(ch) : !URI_NON_ASCII_QUOTED.test(ch) && !(code >= 0xd800 && code <= 0xdfff);
    if (keep) out += ch;
    else for (const b of encoder.encode(ch)) out += hex2(b);
  }
  return out;
}

/**
 * Decodes `%XX` escapes of a log path (runs of them as UTF-8). A `%` not followed by two hex digits
 * is kept literally; invalid UTF-8 becomes U+FFFD.
 */
export function decodeAddPath(path: string): string {
  if (!path.includes("%")) return path;
  const decoder = new TextDecoder();
  return path.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
    return decoder.decode(bytes);
  });
}
