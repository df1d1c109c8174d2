/**
 * A small JSON parser and serializer that keep integers exact: an integer literal outside
 * JavaScript's safe range (|n| > 2^53-1) becomes a bigint instead of a rounded number, and bigints
 * serialize back as plain digits. Delta schema strings carry column metadata that may hold 64-bit
 * values (identity column `highWaterMark`, `start`), which `JSON.parse` would silently round.
 * With `numbers: "text"` (what data rows use) every number but a safe integer is kept as its
 * literal text ({@link JsonNumberText}), so the column type decides how to read it (a decimal
 * keeps every digit, an error quotes what was sent).
 * Everything else behaves like JSON.parse / JSON.stringify (compact output, keys in insertion order).
 * Nesting is parsed recursively: input beyond the stack's depth is a SyntaxError, not a crash.
 */

import { InvalidInputError } from "../errors.js";

/** A JSON value as produced by {@link parseJsonLossless}. */
export type JsonValue = null | boolean | number | bigint | string | JsonNumberText | JsonValue[] | { [key: string]: JsonValue };

/** A JSON number literal kept as its text (`parseJsonLossless(text, { numbers: "text" })`). */
export class JsonNumberText {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Options of {@link parseJsonLossless}. */
export interface ParseJsonLosslessOptions {
  /**
   * "exact" (default): integers beyond the safe range become bigints, other numbers JS numbers.
   * "text": safe integers become JS numbers, every other number a {@link JsonNumberText}.
   */
  numbers?: "exact" | "text";
}

const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// JSON strings may not contain raw control characters, so the class must name them.
// eslint-disable-next-line no-control-regex
const STRING_RE = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const WS_RE = /[ \t\n\r]*/y;

/**
 * Parses JSON text; integers beyond Number.MAX_SAFE_INTEGER become bigints.
 * @throws SyntaxError on malformed JSON (callers wrap it with context).
 */
export function parseJsonLossless(text: string, options: ParseJsonLosslessOptions = {}): JsonValue {
  const parser = new Parser(text, options.numbers === "text");
  let value: JsonValue;
  try {
    value = parser.value();
  } catch (e) {
    if (e instanceof RangeError) parser.fail("nested too deeply");
    throw e;
  }
  parser.ws();
  if (parser.pos !== text.length) parser.fail("unexpected trailing characters");
  return value;
}

class Parser {
  pos = 0;
  constructor(
    private readonly text: string,
    private readonly keepText: boolean,
  ) {}

  fail(what: string): never {
    throw new SyntaxError(`JSON: ${what} at offset ${this.pos}`);
  }

  ws(): void {
    WS_RE.lastIndex = this.pos;
    WS_RE.exec(this.text);
    this.pos = WS_RE.lastIndex;
  }

  value(): JsonValue {
    this.ws();
    const c = this.text[this.pos];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"') return this.string();
    if (c === "t" && this.text.startsWith("true", this.pos)) return this.literal(4, true);
    if (c === "f" && this.text.startsWith("false", this.pos)) return this.literal(5, false);
    if (c === "n" && this.text.startsWith("null", this.pos)) return this.literal(4, null);
    return this.number();
  }

  private literal<T>(length: number, value: T): T {
    this.pos += length;
    return value;
  }

  private number(): number | bigint | JsonNumberText {
    NUMBER_RE.lastIndex = this.pos;
    const m = NUMBER_RE.exec(this.text);
    if (m === null) this.fail("unexpected character");
    this.pos = NUMBER_RE.lastIndex;
    const literal = m[0];
    const integer = !/[.eE]/.test(literal);
    const n = Number(literal);
    if (this.keepText) return integer && Number.isSafeInteger(n) ? n : new JsonNumberText(literal);
    if (integer && !Number.isSafeInteger(n)) return BigInt(literal);
    return n;
  }

  private string(): string {
    STRING_RE.lastIndex = this.pos;
    const m = STRING_RE.exec(this.text);
    if (m === null) this.fail("malformed string");
    this.pos = STRING_RE.lastIndex;
    return JSON.parse(m[0]) as string;
  }

  private array(): JsonValue[] {
    this.pos++;
    const out: JsonValue[] = [];
    this.ws();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.ws();
      const c = this.text[this.pos++];
      if (c === "]") return out;
      if (c !== ",") this.fail("expected , or ]");
    }
  }

  private object(): { [key: string]: JsonValue } {
    this.pos++;
    const out: { [key: string]: JsonValue } = {};
    this.ws();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.text[this.pos] !== '"') this.fail("expected a key");
      const key = this.string();
      this.ws();
      if (this.text[this.pos++] !== ":") this.fail("expected :");
      // defineProperty so that a "__proto__" key stays an own data property
      Object.defineProperty(out, key, { value: this.value(), enumerable: true, writable: true, configurable: true });
      this.ws();
      const c = this.text[this.pos++];
      if (c === "}") return out;
      if (c !== ",") this.fail("expected , or }");
    }
  }
}

/**
 * Serializes a value like JSON.stringify (compact), writing bigints as plain integer literals.
 * `undefined` members of objects are skipped; non-finite numbers are refused.
 */
export function stringifyJsonLossless(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      return value.toString();
    case "string":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new InvalidInputError(`cannot write ${value} as JSON`);
      return JSON.stringify(value);
    case "object": {
      if (value instanceof JsonNumberText) return value.text;
      if (Array.isArray(value)) return `[${value.map((v) => stringifyJsonLossless(v ?? null)).join(",")}]`;
      const parts: string[] = [];
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (v === undefined) continue;
        parts.push(`${JSON.stringify(k)}:${stringifyJsonLossless(v)}`);
      }
      return `{${parts.join(",")}}`;
    }
    default:
      throw new InvalidInputError(`cannot write a ${typeof value} as JSON`);
  }
}
