/**
 * FileTable: replay's tables of live files and tombstones, an insertion-ordered map from a file
 * key to an entry, with exactly the Map semantics replay relies on: `set` on a present key keeps
 * its position, `delete` then `set` moves it to the end, `values()` runs in insertion order.
 *
 * Why not a Map: replay of a large log is dominated by bookkeeping, not parsing. A Map needs a key
 * string and a value per line (two allocations that all survive, so the garbage collector copies
 * them around) and V8 hashes each freshly sliced key string slowly: about 0.7 µs per line for the
 * 300k paths of the replay benchmark, more than the rest of replay. Here a key or a line can be a
 * range of the commit text it came from (`setLine`), so a proven commit line costs no allocation
 * at all; it becomes a string only when read (`values()`). Keys hash with FNV-1a over their
 * characters into open-addressed Int32Array slots. A probe longer than MAX_PROBE (keys crafted to
 * collide) moves everything into a Map (V8 seeds its hash), so every operation stays bounded.
 * Must not import anything.
 */

const EMPTY = 0;
const DELETED = -1;
/** Longest probe before falling back to a Map (random keys stay far below it). */
const MAX_PROBE = 128;

/** Options of {@link FileTable} (for tests). */
export interface FileTableOptions {
  /** Probe length that switches to a Map (default 128). */
  maxProbe?: number;
}

/** An insertion-ordered map from key text to a value or a line of text (see the module comment). */
export class FileTable<V extends object> {
  // Per entry, in insertion order. keyText[e] is undefined for a deleted entry; otherwise the key is
  // keyText[e].slice(keyStart[e], keyEnd[e]). vals[e] is the value, or (when lineStart[e] >= 0) the
  // text whose [lineStart, lineEnd) is the entry's line.
  private keyText: (string | undefined)[] = [];
  private vals: (V | string | undefined)[] = [];
  private keyStart = new Int32Array(16);
  private keyEnd = new Int32Array(16);
  private lineStart = new Int32Array(16);
  private lineEnd = new Int32Array(16);
  private hashes = new Int32Array(16);
  /**
   * Pairs (entry index + 1 or EMPTY or DELETED, hash): DELETED is a removed entry's slot (probes
   * go on past it). The hash sits beside the index so that a probe reads one cache line.
   */
  private slots = new Int32Array(64);
  /** Slots not EMPTY. */
  private used = 0;
  private live = 0;
  /** Set once a probe ran too long; from then on every operation goes to it. */
  private map: Map<string, V | string> | undefined;
  private readonly maxProbe: number;

  constructor(options: FileTableOptions = {}) {
    this.maxProbe = options.maxProbe ?? MAX_PROBE;
  }

  /** Number of entries. */
  get size(): number {
    return this.map ? this.map.size : this.live;
  }

  /** Sets key's value (in place when present, else appended). */
  set(key: string, value: V): void {
    if (this.map) this.map.set(key, value);
    else this.put(key, 0, key.length, value, -1, -1);
  }

  /**
   * Sets the entry whose key is `keyText[keyStart, keyEnd)` to the line `text[lineStart, lineEnd)`,
   * keeping only positions (both texts stay referenced).
   */
  setLine(keyText: string, keyStart: number, keyEnd: number, text: string, lineStart: number, lineEnd: number): void {
    if (this.map) this.map.set(keyText.slice(keyStart, keyEnd), text.slice(lineStart, lineEnd));
    else this.put(keyText, keyStart, keyEnd, text, lineStart, lineEnd);
  }

  /** Removes the key `text[start, end)` (the whole string by default); false when absent. */
  delete(text: string, start = 0, end = text.length): boolean {
    if (this.map) return this.map.delete(text.slice(start, end));
    if (this.live === 0) return false;
    const h = hash(text, start, end);
    const mask = (this.slots.length >> 1) - 1;
    let i = h & mask;
    for (let probes = 0; ; probes++) {
      if (probes > this.maxProbe) return this.toMap().delete(text.slice(start, end));
      const s = this.slots[2 * i] as number;
      if (s === EMPTY) return false;
      if (s !== DELETED && this.slots[2 * i + 1] === h && this.keyIs(s - 1, text, start, end)) {
        const e = s - 1;
        this.slots[2 * i] = DELETED;
        this.keyText[e] = undefined;
        this.vals[e] = undefined;
        this.live--;
        return true;
      }
      i = (i + 1) & mask;
    }
  }

  /**
   * Makes room for about `n` more entries at once (a hint: replay knows roughly how many lines a
   * commit has), saving the rebuilds that growing one entry at a time would cost.
   */
  reserve(n: number): void {
    if (this.map || n <= 0) return;
    const entries = this.keyText.length + n;
    if (entries > this.hashes.length) this.growEntries(entries);
    if ((this.used + n) * 4 > this.slots.length) this.rebuild(this.live + n);
  }

  /** The values in insertion order; an entry set by `setLine` yields its line as a string. */
  *values(): IterableIterator<V | string> {
    if (this.map) {
      yield* this.map.values();
      return;
    }
    for (let e = 0; e < this.keyText.length; e++) {
      if (this.keyText[e] !== undefined) yield this.valueAt(e);
    }
  }

  private valueAt(e: number): V | string {
    const start = this.lineStart[e] as number;
    const v = this.vals[e] as V | string;
    return start >= 0 ? (v as string).slice(start, this.lineEnd[e]) : v;
  }

  private put(keyText: string, keyStart: number, keyEnd: number, val: V | string, lineStart: number, lineEnd: number): void {
    const h = hash(keyText, keyStart, keyEnd);
    const mask = (this.slots.length >> 1) - 1;
    let i = h & mask;
    let reuse = -1;
    for (let probes = 0; ; probes++) {
      if (probes > this.maxProbe) {
        this.toMap().set(keyText.slice(keyStart, keyEnd), lineStart >= 0 ? (val as string).slice(lineStart, lineEnd) : val);
        return;
      }
      const s = this.slots[2 * i] as number;
      if (s === EMPTY) break;
      if (s === DELETED) {
        if (reuse < 0) reuse = i;
      } else if (this.slots[2 * i + 1] === h && this.keyIs(s - 1, keyText, keyStart, keyEnd)) {
        this.vals[s - 1] = val;
        this.lineStart[s - 1] = lineStart;
        this.lineEnd[s - 1] = lineEnd;
        return;
      }
      i = (i + 1) & mask;
    }
    const e = this.keyText.length;
    if (e >= this.hashes.length) this.growEntries(e * 2);
    this.keyText.push(keyText);
    this.vals.push(val);
    this.keyStart[e] = keyStart;
    this.keyEnd[e] = keyEnd;
    this.lineStart[e] = lineStart;
    this.lineEnd[e] = lineEnd;
    this.hashes[e] = h;
    if (reuse >= 0) i = reuse;
    else this.used++;
    this.slots[2 * i] = e + 1;
    this.slots[2 * i + 1] = h;
    this.live++;
    if (this.used * 4 > this.slots.length) this.rebuild();
  }

  /** Whether entry e's key equals `text[start, end)`. */
  private keyIs(e: number, text: string, start: number, end: number): boolean {
    const kt = this.keyText[e] as string;
    const ks = this.keyStart[e] as number;
    if ((this.keyEnd[e] as number) - ks !== end - start) return false;
    if (kt === text && ks === start) return true;
    for (let k = 0; k < end - start; k++) if (kt.charCodeAt(ks + k) !== text.charCodeAt(start + k)) return false;
    return true;
  }

  private growEntries(capacity: number): void {
    const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(capacity);
      b.set(a.subarray(0, Math.min(a.length, capacity)));
      return b;
    };
    this.keyStart = grow(this.keyStart);
    this.keyEnd = grow(this.keyEnd);
    this.lineStart = grow(this.lineStart);
    this.lineEnd = grow(this.lineEnd);
    this.hashes = grow(this.hashes);
  }

  /**
   * Drops deleted entries (keeping order) when there are many, and re-slots into a table at most
   * 1/4 full (of `expected` entries, when more are coming).
   */
  private rebuild(expected = this.live): void {
    const n = this.keyText.length;
    if (this.live * 2 < n) {
      let out = 0;
      for (let e = 0; e < n; e++) {
        if (this.keyText[e] === undefined) continue;
        this.keyText[out] = this.keyText[e];
        this.vals[out] = this.vals[e];
        this.keyStart[out] = this.keyStart[e] as number;
        this.keyEnd[out] = this.keyEnd[e] as number;
        this.lineStart[out] = this.lineStart[e] as number;
        this.lineEnd[out] = this.lineEnd[e] as number;
        this.hashes[out] = this.hashes[e] as number;
        out++;
      }
      this.keyText.length = out;
      this.vals.length = out;
    }
    let capacity = 32;
    while (capacity < Math.max(this.live, expected) * 4) capacity *= 2;
    const slots = new Int32Array(2 * capacity);
    const mask = capacity - 1;
    for (let e = 0; e < this.keyText.length; e++) {
      if (this.keyText[e] === undefined) continue;
      const h = this.hashes[e] as number;
      let i = h & mask;
      while (slots[2 * i] !== EMPTY) i = (i + 1) & mask;
      slots[2 * i] = e + 1;
      slots[2 * i + 1] = h;
    }
    this.slots = slots;
    this.used = this.live;
  }

  /** Moves the entries, in order, into a Map. */
  private toMap(): Map<string, V | string> {
    const map = new Map<string, V | string>();
    for (let e = 0; e < this.keyText.length; e++) {
      const kt = this.keyText[e];
      if (kt !== undefined) map.set(kt.slice(this.keyStart[e], this.keyEnd[e]), this.valueAt(e));
    }
    this.map = map;
    this.keyText = [];
    this.vals = [];
    return map;
  }
}

/** FNV-1a over the UTF-16 code units of text[start, end), with a final mix so the low bits vary. */
function hash(text: string, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}
