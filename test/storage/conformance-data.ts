/**
 * Data of the storage conformance suite: awkward keys every backend must round-trip, a listing
 * fixture of 1500 keys with mixed prefixes, a key set whose UTF-8 order differs from UTF-16 order,
 * and an independent UTF-8 byte comparator to check listing order against.
 */

/** Keys with characters that URL encoding, file systems and signing commonly get wrong. */
export const ODD_KEYS: readonly string[] = [
  "odd/with space.txt",
  "odd/100%.txt",
  "odd/%41 looks escaped",
  "odd/%2F slash escape",
  "odd/year=2024/month=01/part-0.parquet",
  "odd/k=v+w.json",
  "odd/a+b c",
  "odd/hash#tag",
  "odd/what?.json",
  "odd/amp&x=y;z",
  "odd/café.txt",
  "odd/é/naïve",
  "odd/日本/データ.json",
  "odd/emoji 😀.bin",
  "odd/date=2024-01-01 00%3A00%3A00/part.parquet",
  "odd/quotes'\"`",
  "odd/colon:semi;comma,",
  "odd/tilde~bang!at@dollar$paren()star*",
  "odd/brackets[]{}<>|^",
  "odd/.hidden",
  "odd/..double-dot-prefix",
];

/** Keys under `order/`, listed in their expected (UTF-8 byte) order. */
export const ORDERED_KEYS: readonly string[] = [
  "order/A",
  "order/Z",
  "order/_",
  "order/a b",
  "order/a+b",
  "order/a-b",
  "order/a.b",
  "order/a/b",
  "order/a=b",
  "order/aa",
  "order/~",
  "order/é",
  "order/日本",
  "order/ｚ", // U+FF5A: before the emoji in UTF-16 code units, after it in UTF-8
  "order/😀",
];

/** 1500 keys with mixed prefixes (unpadded numbers, `sub/` vs `sub-`, `many-` vs `many/`). */
export function manyKeys(): string[] {
  const keys: string[] = [];
  for (let i = 0; i < 700; i++) keys.push(`many/${i}`);
  for (let i = 0; i < 300; i++) keys.push(`many/sub/${i}.json`);
  for (let i = 0; i < 200; i++) keys.push(`many/sub-${i}`);
  for (let i = 0; i < 150; i++) keys.push(`many-${i}`);
  for (let i = 0; i < 100; i++) keys.push(`many.${i}`);
  for (let i = 0; i < 50; i++) keys.push(`manyz/${i}`);
  return keys;
}

const utf8 = new TextEncoder();

/** Orders strings by their UTF-8 bytes (written independently of the library's compareKeys). */
export function byUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(utf8.encode(a)), Buffer.from(utf8.encode(b)));
}

/** A deterministic body for a key (its name plus a few bytes that vary with it). */
export function bodyOf(key: string): Uint8Array {
  const text = utf8.encode(`body of ${key}\n`);
  const out = new Uint8Array(text.byteLength + (key.length % 7));
  out.set(text);
  return out;
}

/** Bytes 0, 1, ..., n-1 (mod 256). */
export function counting(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => i % 256);
}
