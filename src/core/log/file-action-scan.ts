/**
 * The replay fast path's proof: a linear scanner over the char codes of the commonest commit line,
 * `{"add":{...}}` or `{"remove":{...}}` without a deletion vector. It accepts a line only when the
 * whole line is one complete, valid JSON value of exactly the shape `toAction` (actions.ts) accepts
 * for that action, and then reports the path (as text positions) and the size, without building
 * any object. Whenever it is not sure (escapes in the path or in a key, a deletion vector, a known
 * field twice, a number that is not a plain integer of at most 15 digits, whitespace before the
 * action name, ...) it answers "not mine" and the caller takes the exact path: JSON.parse and
 * `toAction`. It never accepts a line that JSON.parse or `toAction` would refuse (the property
 * tests in test/log/file-action-scan.test.ts check exactly this). No recursion and no allocation.
 * Must not import anything.
 */

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const LBRACE = 123;
const RBRACE = 125;
const LBRACKET = 91;
const RBRACKET = 93;
const LOWER_E = 101;
const UPPER_E = 69;
const LOWER_U = 117;

// Known fields of add/remove, as bits (a field seen twice means "not mine": JSON.parse keeps the last).
const PATH = 1;
const PARTITION_VALUES = 2;
const SIZE = 4;
const MODIFICATION_TIME = 8;
const DATA_CHANGE = 16;
const STATS = 32;
const TAGS = 64;
const DELETION_VECTOR = 128;
const BASE_ROW_ID = 256;
const DEFAULT_ROW_COMMIT_VERSION = 512;
const CLUSTERING_PROVIDER = 1024;
const DELETION_TIMESTAMP = 2048;
const EXTENDED_FILE_METADATA = 4096;

const ADD_REQUIRED = PATH | PARTITION_VALUES | SIZE | MODIFICATION_TIME | DATA_CHANGE;
const REMOVE_REQUIRED = PATH | DATA_CHANGE;

const OBJECT = 1;
const ARRAY = 2;

/** Result of a successful {@link FileActionScanner.scan}; fields are valid until the next scan. */
export class FileActionScanner {
  /** True for an add line, false for a remove line. */
  isAdd = false;
  /** The path's text is `text.slice(pathStart, pathEnd)` (it has no escapes). */
  pathStart = 0;
  pathEnd = 0;
  /** add.size, or remove.size (-1 when a remove has none). */
  size = -1;
  private escaped = false;
  private num = 0;
  private readonly stack: number[] = [];

  /**
   * Scans `text[start, end)`, where `end` is the index of the line's `\n` or the end of the text.
   * @returns true when the line is proven to be a complete add or remove of the expected shape.
   */
  scan(text: string, start: number, end: number): boolean {
    let isAdd: boolean;
    let i: number;
    if (text.startsWith('{"add":', start)) {
      isAdd = true;
      i = start + 7;
    } else if (text.startsWith('{"remove":', start)) {
      isAdd = false;
      i = start + 10;
    } else return false;
    i = ws(text, i, end);
    if (text.charCodeAt(i) !== LBRACE) return false;
    i = ws(text, i + 1, end);
    let seen = 0;
    let size = -1;
    let pathStart = 0;
    let pathEnd = 0;
    if (text.charCodeAt(i) === RBRACE) i++;
    else {
      for (;;) {
        if (text.charCodeAt(i) !== QUOTE) return false;
        const keyStart = i + 1;
        const keyEnd = this.string(text, i, end);
        if (keyEnd < 0 || this.escaped) return false;
        i = ws(text, keyEnd + 1, end);
        if (text.charCodeAt(i) !== COLON) return false;
        i = ws(text, i + 1, end);
        const field = fieldOf(text, keyStart, keyEnd - keyStart, isAdd);
        if ((seen & field) !== 0) return false;
        seen |= field;
        switch (field) {
          case PATH:
            if (text.charCodeAt(i) !== QUOTE) return false;
            pathStart = i + 1;
            pathEnd = this.string(text, i, end);
            if (pathEnd < 0 || this.escaped) return false;
            i = pathEnd + 1;
            break;
          case SIZE:
            if (!isAdd && text.startsWith("null", i)) i += 4;
            else {
              i = this.int(text, i, end, false);
              size = this.num;
            }
            break;
          case MODIFICATION_TIME:
            i = this.int(text, i, end, true);
            break;
          case BASE_ROW_ID:
          case DEFAULT_ROW_COMMIT_VERSION:
          case DELETION_TIMESTAMP:
            i = text.startsWith("null", i) ? i + 4 : this.int(text, i, end, true);
            break;
          case DATA_CHANGE:
            i = boolean(text, i, false);
            break;
          case EXTENDED_FILE_METADATA:
            i = boolean(text, i, true);
            break;
          case STATS:
          case CLUSTERING_PROVIDER:
            if (text.startsWith("null", i)) i += 4;
            else if (text.charCodeAt(i) === QUOTE) {
              i = this.string(text, i, end);
              if (i >= 0) i++;
            } else return false;
            break;
          case PARTITION_VALUES:
            i = this.stringMap(text, i, end, !isAdd);
            break;
          case TAGS:
            i = this.stringMap(text, i, end, true);
            break;
          case DELETION_VECTOR:
            // A deletion vector changes the file's identity: the exact path handles it.
            if (!text.startsWith("null", i)) return false;
            i += 4;
            break;
          default:
            i = this.value(text, i, end);
        }
        if (i < 0) return false;
        i = ws(text, i, end);
        const c = text.charCodeAt(i);
        if (c === COMMA) {
          i = ws(text, i + 1, end);
          continue;
        }
        if (c !== RBRACE) return false;
        i++;
        break;
      }
    }
    i = ws(text, i, end);
    if (text.charCodeAt(i) !== RBRACE) return false;
    if (ws(text, i + 1, end) !== end) return false;
    const required = isAdd ? ADD_REQUIRED : REMOVE_REQUIRED;
    if ((seen & required) !== required) return false;
    this.isAdd = isAdd;
    this.pathStart = pathStart;
    this.pathEnd = pathEnd;
    this.size = size;
    return true;
  }

  /** Index of the closing quote of the string opening at i, or -1; sets `escaped`. */
  private string(text: string, i: number, end: number): number {
    let escaped = false;
    i++;
    for (;;) {
      if (i >= end) return -1;
      const c = text.charCodeAt(i);
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        if (i + 1 >= end) return -1;
        const e = text.charCodeAt(i + 1);
        if (e === LOWER_U) {
          if (i + 5 >= end) return -1;
          for (let k = i + 2; k < i + 6; k++) if (!isHex(text.charCodeAt(k))) return -1;
          i += 6;
        } else if (isSimpleEscape(e)) i += 2;
        else return -1;
      } else if (c < 0x20) return -1;
      else i++;
    }
    this.escaped = escaped;
    return i;
  }

  /** A plain integer of at most 15 digits (exact as a double); its value goes to `num`. */
  private int(text: string, i: number, end: number, signed: boolean): number {
    let negative = false;
    if (signed && text.charCodeAt(i) === MINUS) {
      negative = true;
      i++;
    }
    let c = text.charCodeAt(i);
    let n: number;
    if (c === ZERO) {
      n = 0;
      i++;
    } else if (c > ZERO && c <= NINE) {
      n = c - ZERO;
      let digits = 1;
      for (i++; i < end; i++) {
        c = text.charCodeAt(i);
        if (c < ZERO || c > NINE) break;
        if (++digits > 15) return -1;
        n = n * 10 + (c - ZERO);
      }
    } else return -1;
    c = text.charCodeAt(i);
    if (c === DOT || c === LOWER_E || c === UPPER_E) return -1;
    this.num = negative ? -n : n;
    return i;
  }

  /** An object whose values are strings or null (or, when nullable, null itself). */
  private stringMap(text: string, i: number, end: number, nullable: boolean): number {
    if (nullable && text.startsWith("null", i)) return i + 4;
    if (text.charCodeAt(i) !== LBRACE) return -1;
    i = ws(text, i + 1, end);
    if (text.charCodeAt(i) === RBRACE) return i + 1;
    for (;;) {
      if (text.charCodeAt(i) !== QUOTE) return -1;
      i = this.string(text, i, end);
      if (i < 0) return -1;
      i = ws(text, i + 1, end);
      if (text.charCodeAt(i) !== COLON) return -1;
      i = ws(text, i + 1, end);
      if (text.charCodeAt(i) === QUOTE) {
        i = this.string(text, i, end);
        if (i < 0) return -1;
        i++;
      } else if (text.startsWith("null", i)) i += 4;
      else return -1;
      i = ws(text, i, end);
      const c = text.charCodeAt(i);
      if (c === COMMA) i = ws(text, i + 1, end);
      else if (c === RBRACE) return i + 1;
      else return -1;
    }
  }

  /** Any JSON value starting at i (no whitespace before it); index after it, or -1. */
  private value(text: string, i: number, end: number): number {
    const stack = this.stack;
    let depth = 0;
    for (;;) {
      let c = text.charCodeAt(i);
      if (c === LBRACE) {
        i = ws(text, i + 1, end);
        if (text.charCodeAt(i) === RBRACE) i++;
        else {
          stack[depth++] = OBJECT;
          i = this.key(text, i, end);
          if (i < 0) return -1;
          continue;
        }
      } else if (c === LBRACKET) {
        i = ws(text, i + 1, end);
        if (text.charCodeAt(i) === RBRACKET) i++;
        else {
          stack[depth++] = ARRAY;
          continue;
        }
      } else {
        i = this.scalar(text, i, end);
        if (i < 0) return -1;
      }
      // A value is complete: close containers until one continues with a comma.
      for (;;) {
        if (depth === 0) return i;
        i = ws(text, i, end);
        c = text.charCodeAt(i);
        const top = stack[depth - 1];
        if (c === COMMA) {
          i = ws(text, i + 1, end);
          if (top === OBJECT) {
            i = this.key(text, i, end);
            if (i < 0) return -1;
          }
          break;
        }
        if (c !== (top === OBJECT ? RBRACE : RBRACKET)) return -1;
        depth--;
        i++;
      }
    }
  }

  /** `"key" :` followed by whitespace; index of the value, or -1. */
  private key(text: string, i: number, end: number): number {
    if (text.charCodeAt(i) !== QUOTE) return -1;
    i = this.string(text, i, end);
    if (i < 0) return -1;
    i = ws(text, i + 1, end);
    if (text.charCodeAt(i) !== COLON) return -1;
    return ws(text, i + 1, end);
  }

  /** A string, number, true, false or null; index after it, or -1. */
  private scalar(text: string, i: number, end: number): number {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const close = this.string(text, i, end);
      return close < 0 ? -1 : close + 1;
    }
    if (c === LOWER_T) return text.startsWith("true", i) ? i + 4 : -1;
    if (c === LOWER_F) return text.startsWith("false", i) ? i + 5 : -1;
    if (c === LOWER_N) return text.startsWith("null", i) ? i + 4 : -1;
    return number(text, i, end);
  }
}

const LOWER_T = 116;
const LOWER_F = 102;
const LOWER_N = 110;

/** Skips JSON whitespace, never past end. */
function ws(text: string, i: number, end: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) break;
    i++;
  }
  return i;
}

/** `true` / `false` (or, when nullable, `null`); index after it, or -1. */
function boolean(text: string, i: number, nullable: boolean): number {
  if (text.startsWith("true", i)) return i + 4;
  if (text.startsWith("false", i)) return i + 5;
  if (nullable && text.startsWith("null", i)) return i + 4;
  return -1;
}

/** A JSON number (RFC 8259 grammar); index after it, or -1. */
function number(text: string, i: number, end: number): number {
  if (text.charCodeAt(i) === MINUS) i++;
  let c = text.charCodeAt(i);
  if (c === ZERO) i++;
  else if (c > ZERO && c <= NINE) i = digits(text, i + 1, end);
  else return -1;
  if (text.charCodeAt(i) === DOT) {
    c = text.charCodeAt(i + 1);
    if (!(c >= ZERO && c <= NINE) || i + 1 >= end) return -1;
    i = digits(text, i + 2, end);
  }
  c = text.charCodeAt(i);
  if (c === LOWER_E || c === UPPER_E) {
    i++;
    c = text.charCodeAt(i);
    if (c === 43 || c === MINUS) i++;
    c = text.charCodeAt(i);
    if (!(c >= ZERO && c <= NINE) || i >= end) return -1;
    i = digits(text, i + 1, end);
  }
  return i;
}

function digits(text: string, i: number, end: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) break;
    i++;
  }
  return i;
}

function isHex(c: number): boolean {
  return (c >= ZERO && c <= NINE) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** `"`, `\`, `/`, b, f, n, r, t. */
function isSimpleEscape(c: number): boolean {
  return c === QUOTE || c === BACKSLASH || c === 47 || c === 98 || c === 102 || c === 110 || c === 114 || c === 116;
}

/** The bit of a known add/remove field named text[start, start + length), or 0. */
function fieldOf(text: string, start: number, length: number, isAdd: boolean): number {
  switch (length) {
    case 4:
      if (text.startsWith("path", start)) return PATH;
      if (text.startsWith("size", start)) return SIZE;
      if (text.startsWith("tags", start)) return TAGS;
      return 0;
    case 5:
      return text.startsWith("stats", start) ? STATS : 0;
    case 9:
      return text.startsWith("baseRowId", start) ? BASE_ROW_ID : 0;
    case 10:
      return text.startsWith("dataChange", start) ? DATA_CHANGE : 0;
    case 14:
      return text.startsWith("deletionVector", start) ? DELETION_VECTOR : 0;
    case 15:
      return text.startsWith("partitionValues", start) ? PARTITION_VALUES : 0;
    case 16:
      return isAdd && text.startsWith("modificationTime", start) ? MODIFICATION_TIME : 0;
    case 17:
      return !isAdd && text.startsWith("deletionTimestamp", start) ? DELETION_TIMESTAMP : 0;
    case 18:
      return isAdd && text.startsWith("clusteringProvider", start) ? CLUSTERING_PROVIDER : 0;
    case 20:
      return !isAdd && text.startsWith("extendedFileMetadata", start) ? EXTENDED_FILE_METADATA : 0;
    case 23:
      return text.startsWith("defaultRowCommitVersion", start) ? DEFAULT_ROW_COMMIT_VERSION : 0;
    default:
      return 0;
  }
}
