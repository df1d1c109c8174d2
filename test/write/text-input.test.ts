/**
 * Text input parsing (issue 9, item 3, and the UTF-8 part of item 2): the CSV reader is a linear
 * state machine (an unclosed quote over megabytes is answered at once, not in quadratic time),
 * lines and fields have a size limit counted in UTF-8 bytes that stops reading early, invalid
 * UTF-8 is refused with its line (and never replaced by U+FFFD), and every error is an
 * InvalidInputError naming the source and the line. Chunks split anywhere (property tests in
 * test/worker/stream-encoding.test.ts).
 */
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/core/errors.js";
import { textBatches, type TextBatchesOptions } from "../../src/core/write/text-input.js";

const utf8 = (s: string) => new TextEncoder().encode(s);

async function rows(input: Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string>, options: Partial<TextBatchesOptions> & { format: "csv" | "ndjson" }): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const b of textBatches(input, { tableSchema: undefined, source: "in", ...options })) out.push(...b.toArray().map((r) => r.toJSON() as Record<string, unknown>));
  return out;
}

async function failure(input: Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string>, options: Partial<TextBatchesOptions> & { format: "csv" | "ndjson" }): Promise<string> {
  try {
    await rows(input, options);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidInputError);
    return (e as Error).message;
  }
  throw new Error("expected the input to be refused");
}

/** `total` bytes of `fill` in chunks of `size`, counting how many chunks were pulled. */
function counted(total: number, size: number, fill: string, prefix = ""): { chunks: AsyncIterable<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const piece = utf8(fill.repeat(Math.ceil(size / fill.length)).slice(0, size));
  async function* gen(): AsyncGenerator<Uint8Array> {
    if (prefix !== "") yield utf8(prefix);
    for (let at = 0; at < total; at += size) {
      pulled++;
      yield piece;
    }
  }
  return { chunks: gen(), pulled: () => pulled };
}

describe("CSV in linear time", () => {
  it("an unclosed quote before megabytes of lines is refused at once, naming the line it opens on", { timeout: 20_000 }, async () => {
    // Today's quadratic reader takes minutes here (20k lines: 81 s); a linear one a blink.
    const lines = Array.from({ length: 80_000 }, (_, i) => `${i},some text for row ${i}`).join("\n");
    const message = await failure([utf8(`id,name\n1,"unclosed\n${lines}\n`)], { format: "csv" });
    expect(message).toBe("in:2: unterminated quoted field (no closing quote before the end of the input)");
  });

  it("megabytes of quoted multi-line fields are read, with line numbers counting the breaks inside them", { timeout: 20_000 }, async () => {
    const field = `"${"x\n".repeat(40_000)}"`;
    const text = `a,b\n1,${field}\n2,${field}\n3,"ok",extra\n`;
    expect(await failure([utf8(text)], { format: "csv" })).toBe("in:80004: 3 fields, the header has 2");
    const good = await rows([utf8(`a,b\n1,${field}\n2,${field}\n`)], { format: "csv" });
    expect(good.map((r) => (r.b as string).length)).toEqual([80_000, 80_000]);
  });

  it("RFC 4180 details: CRLF, empty lines, \"\" escapes, null vs empty, a last line without a break", async () => {
    expect(await rows(["a,b\r\n\r\n1,\"x\"\"y\"\r\n,\"\"\r\n\n2,z"], { format: "csv" })).toEqual([
      { a: 1n, b: 'x"y' },
      { a: null, b: "" },
      { a: 2n, b: "z" },
    ]);
    expect(await rows(['a,b\nx"y,1\n'], { format: "csv" })).toEqual([{ a: 'x"y', b: 1n }]);
    expect(await failure(['a,b\n"x"y,1\n'], { format: "csv" })).toBe('in:2: "y" after the closing quote of a field (expected , or the end of the line)');
    expect(await failure(["a,b\n1,2\n3\n"], { format: "csv" })).toBe("in:3: 1 fields, the header has 2");
  });
});

describe("line and field limits", () => {
  it("NDJSON: a line past maxLineBytes is refused after reading about the limit, not the whole input", async () => {
    const input = counted(64 * 1024 * 1024, 64 * 1024, "x", '{"a": "');
    expect(await failure(input.chunks, { format: "ndjson", maxLineBytes: 1024 * 1024 })).toBe("in:1: line longer than 1048576 bytes (the maxLineBytes limit)");
    expect(input.pulled()).toBeLessThanOrEqual(17);
  });

  it("CSV: an unclosed quote or a long record stops at maxLineBytes, a long field at maxFieldBytes", async () => {
    const quoted = counted(64 * 1024 * 1024, 64 * 1024, "y\n", 'a,b\n1,"');
    expect(await failure(quoted.chunks, { format: "csv", maxLineBytes: 1024 * 1024 })).toBe("in:2: line longer than 1048576 bytes (the maxLineBytes limit)");
    expect(quoted.pulled()).toBeLessThanOrEqual(17);
    const wide = counted(64 * 1024 * 1024, 64 * 1024, "1,", "a\n");
    expect(await failure(wide.chunks, { format: "csv", maxLineBytes: 1024 * 1024 })).toBe("in:2: line longer than 1048576 bytes (the maxLineBytes limit)");
    expect(wide.pulled()).toBeLessThanOrEqual(17);
    const field = counted(64 * 1024 * 1024, 64 * 1024, "z", "a,b\n1,");
    expect(await failure(field.chunks, { format: "csv", maxFieldBytes: 100_000 })).toBe("in:2: the field of column b is longer than 100000 bytes (the maxFieldBytes limit)");
    expect(field.pulled()).toBeLessThanOrEqual(2);
  });

  it("limits count UTF-8 bytes exactly, whatever the chunking", async () => {
    const line = `{"s": "${"é".repeat(500)}"}`; // 1009 bytes, 509 characters
    const bytes = utf8(line).length;
    for (const cut of [1, 7, 8, 100]) {
      const chunks = Array.from({ length: Math.ceil(bytes / cut) }, (_, i) => utf8(line).subarray(i * cut, (i + 1) * cut));
      expect(await rows(chunks, { format: "ndjson", maxLineBytes: bytes })).toHaveLength(1);
      expect(bytes).toBe(1009);
      expect(await failure(chunks, { format: "ndjson", maxLineBytes: bytes - 1 })).toMatch(/^in:1: line longer than 1008 bytes/);
    }
    const csv = `a\n"${"😀".repeat(10)}"\n`; // the field: 40 bytes
    expect(await rows([utf8(csv)], { format: "csv", maxFieldBytes: 40 })).toEqual([{ a: "😀".repeat(10) }]);
    expect(await failure([utf8(csv)], { format: "csv", maxFieldBytes: 39 })).toMatch(/^in:2: the field of column a is longer than 39 bytes/);
  });

  it("refuses limits that are not positive integers", async () => {
    await expect(rows(["a\n1\n"], { format: "csv", maxLineBytes: 0 })).rejects.toThrow(/maxLineBytes must be a positive integer/);
    await expect(rows(["a\n1\n"], { format: "csv", maxFieldBytes: 1.5 })).rejects.toThrow(/maxFieldBytes must be a positive integer/);
  });
});

describe("UTF-8", () => {
  const bytes = (...parts: (string | number[])[]) => new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...utf8(p)] : p)));

  it("invalid UTF-8 is refused with its line, also when a sequence is split across chunks", async () => {
    const ndjson = bytes('{"a": "x"}\n{"a": "y"}\n{"a": "', [0xff], '"}\n');
    expect(await failure([ndjson], { format: "ndjson" })).toBe("in:3: not valid UTF-8 (byte 0xff at offset 29)");
    // E2 82 is the start of a 3-byte sequence; "A" does not continue it.
    const split = [bytes("a\n1\n", [0xe2]), bytes([0x82]), bytes("A\n")];
    expect(await failure(split, { format: "csv" })).toBe("in:3: not valid UTF-8 (byte 0xe2 at offset 4)");
    expect(await failure([bytes("a\n1\n2", [0xf0, 0x9f])], { format: "csv" })).toBe("in:3: not valid UTF-8 (byte 0xf0 at offset 5)");
    for (const bad of [[0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x80]]) {
      expect(await failure([bytes("a\n", bad, "\n")], { format: "csv" }), String(bad)).toMatch(/^in:2: not valid UTF-8/);
    }
  });

  it("valid multi-byte text split at every byte reads the same; a byte-order mark is dropped", async () => {
    const text = bytes([0xef, 0xbb, 0xbf], 'id,s\n1,"日本😀"\n');
    const oneByOne = Array.from(text, (b) => new Uint8Array([b]));
    expect(await rows(oneByOne, { format: "csv" })).toEqual([{ id: 1n, s: "日本😀" }]);
    expect(await rows([bytes([0xef, 0xbb, 0xbf], '{"id": 1}\n')], { format: "ndjson" })).toEqual([{ id: 1n }]);
  });
});

describe("NDJSON lines", () => {
  it("names the line of bad JSON and of non-objects; blank lines and CRLF are fine", async () => {
    expect(await rows(['{"a": 1}\r\n\r\n  \n{"a": 2}'], { format: "ndjson" })).toEqual([{ a: 1n }, { a: 2n }]);
    expect(await failure(['{"a": 1}\n\n{"a": \n'], { format: "ndjson" })).toMatch(/^in:3: not valid JSON/);
    expect(await failure(['{"a": 1}\n[1]\n'], { format: "ndjson" })).toBe("in:2: not a JSON object");
    expect(await failure(['{"a": 12345678901234567, "b": [1,}\n'], { format: "ndjson" })).toMatch(/^in:1: not valid JSON/);
  });

  it("deeply nested values are an InvalidInputError, not a stack overflow", async () => {
    const deep = `{"a": ${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    expect(await failure([deep], { format: "ndjson" })).toBe("in:1: the JSON nests deeper than 32 levels (MAX_JSON_NESTING)");
    const deepExact = `{"a": ${"[".repeat(100_000)}12345678901234567${"]".repeat(100_000)}}`;
    expect(await failure([deepExact], { format: "ndjson" })).toBe("in:1: the JSON nests deeper than 32 levels (MAX_JSON_NESTING)");
  });
});
