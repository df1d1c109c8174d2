/**
 * Nesting of NDJSON lines, checked before they are parsed: rows nested deeper than the writer
 * can take (parquet-wasm's flatbuffer reader stops at 64 levels of its own, about 40 of ours;
 * schema inference recurses per level) are refused with a clear error instead of a stack
 * overflow. One linear scan per line, strings skipped; JSON syntax itself is the parser's job.
 * Applied by text-input.ts to every NDJSON line (the CLI's `write --input` and the Worker's bodies).
 */

/** The deepest JSON nesting (objects and arrays) a written row may have. */
export const MAX_JSON_NESTING = 32;

const QUOTE = 34;
const BACKSLASH = 92;

/** Options of {@link scanJsonLine}. */
export interface ScanJsonLineOptions {
  /** Deepest nesting of objects and arrays allowed (the line's top-level object is level 1). */
  maxDepth: number;
  /** The error thrown past maxDepth. */
  deep: () => Error;
  /** Collects the line's leaf key paths (parent path + key, for values that are not objects). */
  paths?: Set<string> | undefined;
}

/** Checks one line's nesting (and collects its key paths) in one linear scan, without parsing it. */
export function scanJsonLine(line: string, options: ScanJsonLineOptions): void {
  const { maxDepth, deep, paths } = options;
  const prefixes: string[] = [""];
  let key: string | undefined; // the path of the key whose value comes next
  let lastString = "";
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === QUOTE) {
      const start = i + 1;
      for (i = start; i < line.length; i++) {
        const d = line.charCodeAt(i);
        if (d === BACKSLASH) i++;
        else if (d === QUOTE) break;
      }
      lastString = line.slice(start, i);
    } else if (c === 0x7b || c === 0x5b) {
      // { or [: a struct's fields extend the key's path; a list's elements keep it
      if (prefixes.length > maxDepth) throw deep();
      prefixes.push(key ?? (prefixes[prefixes.length - 1] as string));
      key = undefined;
    } else if (c === 0x7d || c === 0x5d) {
      if (prefixes.length > 1) prefixes.pop();
      key = undefined;
    } else if (c === 0x3a) {
      // ':' after a key: a leaf unless an object follows
      key = `${prefixes[prefixes.length - 1]}\u0000${lastString}`;
      let j = i + 1;
      while (j < line.length && line.charCodeAt(j) <= 0x20) j++;
      if (paths !== undefined && line.charCodeAt(j) !== 0x7b) paths.add(key);
    } else if (c === 0x2c) {
      key = undefined;
    }
  }
}
