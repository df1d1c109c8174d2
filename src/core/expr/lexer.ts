/**
 * Tokenizer for the predicate grammar. Produces identifiers (bare or backtick-quoted, with ``
 * escaping a backtick), numbers (digits, optional fraction, optional exponent), single-quoted
 * strings ('' escapes a quote), punctuation (including the arithmetic operators `+ - * /` and
 * `||`) and comparison operators. Keywords are recognised by
 * the parser from bare identifiers, case-insensitively. Positions are 0-based offsets; error
 * messages report them 1-based ("position 1" is the first character).
 */
import { InvalidInputError } from "../errors.js";

/** Token kinds. */
export type TokenKind = "ident" | "quotedIdent" | "number" | "string" | "op" | "punct" | "eof";

/** One token: its kind, its value (identifier name, unescaped string, operator) and source range. */
export interface Token {
  kind: TokenKind;
  value: string;
  start: number;
  end: number;
}

/** Reserved words: a column with one of these names must be backtick-quoted. */
export const RESERVED = new Set(["and", "or", "not", "in", "is", "null", "true", "false"]);

/** Bare identifier syntax (a letter or `_`, then letters, digits and `_`). */
export const BARE_IDENT = /^[\p{L}_][\p{L}\p{N}_]*$/u;

const IDENT = /[\p{L}_][\p{L}\p{N}_]*/uy;
const IDENT_PART = /[\p{L}\p{N}_]/uy;
const NUMBER = /\d+(?:\.\d*)?(?:[eE][+-]?\d+)?/y;

/**
 * Builds the standard predicate error: what, where (1-based), an optional hint and the whole
 * input, e.g. `unexpected token ')' at position 5 (expected a column or a literal) in: a = )`.
 */
export function syntaxError(message: string, source: string, offset: number, hint?: string): InvalidInputError {
  const h = hint === undefined ? "" : ` (${hint})`;
  return new InvalidInputError(`${message} at position ${offset + 1}${h} in: ${clipSource(source)}`);
}

/** Longest predicate text repeated whole in an error message. */
const MAX_QUOTED_SOURCE = 500;

/** The predicate text for an error message: whole, or its start and length when long. */
export function clipSource(source: string): string {
  if (source.length <= MAX_QUOTED_SOURCE) return source;
  return `${source.slice(0, MAX_QUOTED_SOURCE)}... (${source.length} characters)`;
}

/** Describes a token for an error message: `'x'` or `end of input`. */
export function describeToken(token: Token, source: string): string {
  return token.kind === "eof" ? "end of input" : `'${source.slice(token.start, token.end)}'`;
}

/** Splits `source` into tokens, ending with an `eof` token. Throws InvalidInputError. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, value: string, start: number): void => {
    tokens.push({ kind, value, start, end: i });
  };
  while (i < source.length) {
    const c = source[i] as string;
    const start = i;
    if (/\s/u.test(c)) {
      i++;
    } else if (c === "'") {
      const { value, end } = readQuoted(source, start);
      i = end;
      push("string", value, start);
    } else if (c === "`") {
      const { value: name, end } = readQuoted(source, start);
      i = end;
      if (name === "") throw syntaxError("empty quoted identifier", source, start);
      push("quotedIdent", name, start);
    } else if (c === '"') {
      throw syntaxError(
        "unexpected '\"' (use 'single quotes' for strings and `backticks` for column names)",
        source,
        start,
      );
    } else if (/[0-9]/.test(c)) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(source) as RegExpExecArray;
      i += m[0].length;
      if (matchEnd(IDENT_PART, source, i) !== -1) {
        throw syntaxError(`unexpected token '${source.slice(start, i + 1)}'`, source, start);
      }
      push("number", m[0], start);
    } else if (matchEnd(IDENT, source, i) !== -1) {
      i = matchEnd(IDENT, source, i);
      push("ident", source.slice(start, i), start);
    } else {
      const two = source.slice(i, i + 2);
      if (two === "<=" || two === ">=" || two === "!=" || two === "<>" || two === "==") {
        i += 2;
        push("op", two === "<>" ? "!=" : two === "==" ? "=" : two, start);
      } else if (two === "||") {
        i += 2;
        push("punct", two, start);
      } else if (c === "<" || c === ">" || c === "=") {
        i++;
        push("op", c, start);
      } else if (c === "(" || c === ")" || c === "," || c === "." || c === "-" || c === "+" || c === "*" || c === "/") {
        i++;
        push("punct", c, start);
      } else {
        const ch = String.fromCodePoint(source.codePointAt(i) as number);
        throw syntaxError(`unexpected character '${ch}'`, source, start);
      }
    }
  }
  tokens.push({ kind: "eof", value: "", start: source.length, end: source.length });
  return tokens;
}

/** Where a sticky regex match starting at `at` ends, or -1 (works per code point, not per unit). */
function matchEnd(sticky: RegExp, source: string, at: number): number {
  sticky.lastIndex = at;
  return sticky.test(source) ? sticky.lastIndex : -1;
}

/**
 * Reads the quoted run opening at `start` (the quote character is `source[start]`); a doubled
 * quote inside is one literal quote. Returns the unescaped text and the offset after the close.
 */
function readQuoted(source: string, start: number): { value: string; end: number } {
  const quote = source[start] as string;
  let value = "";
  let i = start + 1;
  for (;;) {
    const next = source.indexOf(quote, i);
    if (next === -1) {
      const what = quote === "'" ? "string" : "quoted identifier";
      throw syntaxError(`unterminated ${what} ${source.slice(start, start + 20)}`, source, start);
    }
    value += source.slice(i, next);
    if (source[next + 1] === quote) {
      value += quote;
      i = next + 2;
    } else {
      return { value, end: next + 1 };
    }
  }
}
