/**
 * The byte sources readers read from: a file in an ObjectStore (ranged GETs, size known from the
 * Delta log or a HEAD, so the footer costs no extra request) and bytes already in memory. Uses
 * the ObjectStore contract only, never a backend.
 */
import type { ObjectStore } from "../storage/object-store.js";
import type { ParquetSource } from "./reader.js";

/** Options of {@link sourceFromStore}. */
export interface StoreSourceOptions {
  store: ObjectStore;
  /** Key of the file in the store. */
  key: string;
  /** Size of the file in bytes (from the add action, a listing or a HEAD). */
  size: number;
  /** Name used in error messages (default: the store root joined with the key). */
  path?: string | undefined;
}

/** A source reading byte ranges of one file of a store. */
export function sourceFromStore(options: StoreSourceOptions): ParquetSource {
  const { store, key } = options;
  return {
    byteLength: options.size,
    path: options.path ?? `${store.root}/${key}`,
    read: (start, end) => store.get(key, { range: { offset: start, length: end - start } }),
  };
}

/** A source over bytes in memory (reads are views, nothing is copied). */
export function sourceFromBytes(bytes: Uint8Array, path?: string): ParquetSource {
  return {
    byteLength: bytes.byteLength,
    ...(path === undefined ? {} : { path }),
    read: async (start, end) => bytes.subarray(start, end),
  };
}

/** A byte range [start, end) of a file. */
export interface ByteSpan {
  start: number;
  end: number;
}

/**
 * Fetches the given ranges of a source (in parallel, one request each) and serves later reads
 * inside them from memory; reads elsewhere go to the source. A read that ends inside a fetched
 * range and starts before it fetches only the part in front.
 */
export async function sourceWithPrefetch(source: ParquetSource, spans: readonly ByteSpan[]): Promise<ParquetSource> {
  const wanted = spans.filter((s) => s.end > s.start);
  if (wanted.length === 0) return source;
  return sourceWithPieces(source, await Promise.all(wanted.map(async (s) => ({ start: s.start, bytes: await readExact(source, s.start, s.end) }))));
}

/** Bytes of a file already fetched, at their file offset. */
export interface FetchedPiece {
  start: number;
  bytes: Uint8Array;
}

/**
 * A source that serves reads inside `pieces` from memory and the rest from `source`; a read that
 * ends inside a piece and starts before it fetches only the part in front.
 */
export function sourceWithPieces(source: ParquetSource, pieces: readonly FetchedPiece[]): ParquetSource {
  const regions = pieces.map((p) => ({ start: p.start, end: p.start + p.bytes.byteLength, bytes: p.bytes }));
  return {
    byteLength: source.byteLength,
    ...(source.path === undefined ? {} : { path: source.path }),
    async read(start, end) {
      const r = regions.find((x) => x.start <= end && end <= x.end && start < x.end);
      if (r === undefined) return source.read(start, end);
      if (start >= r.start) return r.bytes.subarray(start - r.start, end - r.start);
      const head = await readExact(source, start, r.start);
      const out = new Uint8Array(end - start);
      out.set(head, 0);
      out.set(r.bytes.subarray(0, end - r.start), head.byteLength);
      return out;
    },
  };
}

/**
 * Merges ranges that overlap or lie at most `gap` bytes apart, and leaves out what `covered`
 * already holds (ranges inside it, or the part of a range running into its start).
 */
export function coalesceSpans(spans: readonly ByteSpan[], gap: number, covered?: ByteSpan): ByteSpan[] {
  const sorted = [...spans].filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const out: ByteSpan[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && s.start <= last.end + gap) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  if (covered === undefined) return out;
  return out.flatMap((s) => {
    if (s.start >= covered.start && s.end <= covered.end) return [];
    if (s.start < covered.start && s.end > covered.start && s.end <= covered.end) return [{ start: s.start, end: covered.start }];
    return [s];
  });
}

async function readExact(source: ParquetSource, start: number, end: number): Promise<Uint8Array> {
  const got = await source.read(start, end);
  return got instanceof Uint8Array ? got : new Uint8Array(got);
}
