/**
 * Z85: the RFC 32 vector, both paddings seen in real logs (Spark's zero padding truncated to
 * `sizeInBytes`, the Rust z85 crate's `#` tail), round trips of arbitrary lengths, strict
 * rejection of malformed text, and the Z85 UUIDs of `u` deletion vectors.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProtocolError } from "../../src/core/errors.js";
import {
  dvFileKeyFromPathOrInlineDv,
  z85Decode,
  z85DecodeUuid,
  z85Encode,
  z85EncodeUuid,
} from "../../src/core/log/z85.js";

const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));

/** The 34-byte inline DV of kernel/cdf-table-with-dv (rows [3]), as the Rust z85 crate wrote it. */
const TAIL_FORM = "^Bg9^0rr910000000000iXQKl0rr91000005c8Xg##093";
const TAIL_BYTES = hex("d1d339640100000000000000000000003a3000000100000000000000100000000300");

describe("z85", () => {
  it("matches the RFC 32 test vector", () => {
    const bytes = hex("864fd26fb559f75b");
    expect(z85Encode(bytes)).toBe("HelloWorld");
    expect(z85Decode("HelloWorld")).toEqual(bytes);
  });

  it("decodes the Rust z85 crate's tail form (##093 = bytes 03 00)", () => {
    expect(z85Decode(TAIL_FORM)).toEqual(TAIL_BYTES);
    expect(z85Decode(TAIL_FORM, 34)).toEqual(TAIL_BYTES);
    expect(z85Decode("##093")).toEqual(hex("0300"));
    expect(z85Encode(TAIL_BYTES, { padding: "tail" })).toBe(TAIL_FORM);
  });

  it("decodes Spark's zero padding, truncated to the known size", () => {
    const spark = z85Encode(TAIL_BYTES);
    expect(spark).toHaveLength(45);
    expect(spark.slice(0, 40)).toBe(TAIL_FORM.slice(0, 40));
    expect(spark.includes("#")).toBe(false);
    expect(z85Decode(spark, 34)).toEqual(TAIL_BYTES);
    // Without the size, the padding stays (Spark's readers always know sizeInBytes).
    expect(z85Decode(spark)).toEqual(Uint8Array.from([...TAIL_BYTES, 0, 0]));
  });

  it("round-trips arbitrary bytes in both paddings", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const zero = z85Encode(bytes, { padding: "zero" });
        expect(zero).toHaveLength(Math.ceil(bytes.length / 4) * 5);
        expect(z85Decode(zero, bytes.length)).toEqual(bytes);
        const tail = z85Encode(bytes, { padding: "tail" });
        expect(tail).toHaveLength(Math.ceil(bytes.length / 4) * 5);
        expect(z85Decode(tail)).toEqual(bytes);
        expect(z85Decode(tail, bytes.length)).toEqual(bytes);
        if (bytes.length % 4 === 0) expect(tail).toBe(zero);
      }),
      { numRuns: 500 },
    );
  });

  it("encodes the extreme chunk values", () => {
    expect(z85Decode(z85Encode(hex("ffffffff")))).toEqual(hex("ffffffff"));
    expect(z85Encode(hex("00000000"))).toBe("00000");
    expect(z85Encode(hex("ff"), { padding: "tail" })).toBe("###30");
    expect(z85Decode("###30")).toEqual(hex("ff"));
  });

  it.each([
    ["a length that is not a multiple of 5", "Hello", "HelloWorl"],
    ["a character outside the alphabet", "Hello", "Hell\"World"],
    ["a non-ASCII character", "", "Hellé"],
    ["a chunk above 2^32 - 1", "", "%%%%%"],
    ["a tail with four marks", "", "####0"],
    ["a tail value that overflows its bytes", "", "###%%"],
  ])("rejects %s", (_what, _ok, text) => {
    expect(() => z85Decode(text)).toThrow(ProtocolError);
  });

  it("rejects sizes that the text cannot have", () => {
    const spark = z85Encode(TAIL_BYTES);
    expect(() => z85Decode(spark, 30)).toThrow(/expected 30/);
    expect(() => z85Decode(spark, 41)).toThrow(ProtocolError);
    expect(() => z85Decode(TAIL_FORM, 33)).toThrow(ProtocolError);
    // Non-zero bytes where Spark's padding should be.
    expect(() => z85Decode(z85Encode(hex("01020304")), 3)).toThrow(/non-zero padding/);
  });
});

describe("Z85 UUIDs", () => {
  it("decodes the DV file name of PROTOCOL.md example 1 (with a random prefix)", () => {
    expect(dvFileKeyFromPathOrInlineDv("ab^-aqEH.-t@S}K{vb[*k^")).toBe(
      "ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin",
    );
  });

  it("decodes a real table's UUID without a prefix", () => {
    expect(z85DecodeUuid("vBn[lx{q8@P<9BNH/isA")).toBe("61d16c75-6994-46b7-a15b-8b538852e50e");
    expect(dvFileKeyFromPathOrInlineDv("vBn[lx{q8@P<9BNH/isA")).toBe(
      "deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin",
    );
  });

  it("round-trips UUIDs", () => {
    fc.assert(
      fc.property(fc.uuid(), (uuid) => {
        const text = z85EncodeUuid(uuid);
        expect(text).toHaveLength(20);
        expect(z85DecodeUuid(text)).toBe(uuid.toLowerCase());
      }),
    );
  });

  it("rejects paths too short to hold a UUID and malformed UUIDs", () => {
    expect(() => dvFileKeyFromPathOrInlineDv("vBn[lx{q8@P<9BNH/is")).toThrow(ProtocolError);
    expect(() => z85DecodeUuid("vBn[lx{q8@P<9BNH/isA0")).toThrow(ProtocolError);
    expect(() => z85DecodeUuid("vBn[lx{q8@P<9BN#0isA")).toThrow(/16|bytes/);
    expect(() => z85EncodeUuid("not-a-uuid")).toThrow(ProtocolError);
  });
});
