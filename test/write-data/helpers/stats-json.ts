/**
 * Test helper: parses a stats JSON string keeping every number as its source text ({num: "1.50"}),
 * so decimal and long bounds can be compared exactly.
 */

/** A JSON number kept as text. */
export interface RawNumber {
  num: string;
}

/** A parsed JSON value with numbers as RawNumber. */
export type RawJson = null | boolean | string | RawNumber | RawJson[] | { [k: string]: RawJson };

/** Parses JSON keeping numbers as their text. */
export function parseRawJson(text: string): RawJson {
  let pos = 0;
  const ws = () => {
    while (/\s/.test(text[pos] ?? "")) pos++;
  };
  const value = (): RawJson => {
    ws();
    const ch = text[pos];
    if (ch === "{") {
      pos++;
      const out: Record<string, RawJson> = {};
      ws();
      if (text[pos] === "}") return pos++, out;
      for (;;) {
        ws();
        const key = value() as string;
        ws();
        pos++; // :
        out[key] = value();
        ws();
        if (text[pos++] === "}") return out;
      }
    }
    if (ch === "[") {
      pos++;
      const out: RawJson[] = [];
      ws();
      if (text[pos] === "]") return pos++, out;
      for (;;) {
        out.push(value());
        ws();
        if (text[pos++] === "]") return out;
      }
    }
    if (ch === '"') {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(pos));
      if (m === null) throw new SyntaxError(`bad string at ${pos}`);
      pos += m[0].length;
      return JSON.parse(m[0]) as string;
    }
    const m = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(pos));
    if (m === null) throw new SyntaxError(`bad value at ${pos}: ${text.slice(pos, pos + 20)}`);
    pos += m[0].length;
    return m[0] === "true" ? true : m[0] === "false" ? false : m[0] === "null" ? null : { num: m[0] };
  };
  const v = value();
  ws();
  if (pos !== text.length) throw new SyntaxError("trailing text");
  return v;
}
