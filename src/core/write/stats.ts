/**
 * Delta file statistics of the Arrow data being written:
 * `{"numRecords":N,"minValues":{...},"maxValues":{...},"nullCount":{...}}`, nested like the schema,
 * keyed by physical names under column mapping, for the columns stats-columns.ts selects. As Delta
 * Spark does:
 * - min/max for byte, short, integer, long, float, double, decimal, date, timestamp,
 *   timestamp_ntz and string; none for boolean, binary, arrays, maps, variant;
 * - nullCount for every selected leaf, an array or map counting as one leaf (null arrays, not null
 *   elements); a row whose struct is null counts as null for each of the struct's leaves;
 * - all-null columns have no min/max entry; numRecords counts every row.
 * Floats: NaN is excluded from min; when any NaN is present max is omitted (Spark would write
 * "NaN", which other readers cannot parse, and a max without the NaN would let Spark wrongly skip
 * `x > c`); infinite bounds are omitted (JSON has no infinity; a missing bound means unbounded).
 * -0.0 and 0.0 compare equal, the first seen is kept. Value formats: stats-format.ts. `tightBounds`
 * is not written: files written here are whole. Input is canonical data (data-validate.ts).
 *
 * Counts and float/decimal bounds are computed from the rows. With `boundsFromFile` (the data-file
 * writer's setting), integer, date, timestamp and string bounds are read from the column-chunk
 * statistics arrow-rs wrote into the file, which are exact for those types (it computes them
 * anyway: reading them saves a pass over the rows, a tenth of a write's CPU); where they are
 * missing or truncated the rows are used. Both ways give the same JSON (test/write-data/
 * stats-property.test.ts checks it on random data).
 */

import type { Data, RecordBatch } from "apache-arrow";
import { physicalName, type ColumnMappingMode } from "../schema/column-mapping.js";
import type { DataType, StructType } from "../schema/types.js";
import { isValid, validityMask } from "../arrow/data.js";
import { statsColumnsSchema } from "./stats-columns.js";
import { fileColumnStatistics, type ChunkStatistics, type PhysicalBound } from "../parquet/column-statistics.js";
import { codePoints, decimalBounds, int64Bounds, lessThan, numberBounds, stringBounds, type Bounds } from "./stats-bounds.js";
import {
  DEFAULT_STRING_PREFIX_LENGTH,
  jsonDate,
  jsonDecimal,
  jsonDouble,
  jsonFloat,
  jsonString,
  jsonTimestamp,
  truncateMaxString,
  truncateMinString,
} from "./stats-format.js";

/** Options of {@link StatsCollector}. */
export interface StatsCollectorOptions {
  /** The schema of the data written to the file (logical names, no partition columns). */
  schema: StructType;
  /** Column mapping mode; default "none". */
  columnMapping?: ColumnMappingMode;
  /** Table configuration: dataSkippingNumIndexedCols / dataSkippingStatsColumns. */
  properties?: Readonly<Record<string, string>> | undefined;
  /** String prefix length in code points; default 32. */
  stringPrefixLength?: number;
  /**
   * Take the min/max of byte, short, integer, long, date, timestamp, timestamp_ntz and string
   * leaves from the written file's column-chunk statistics ({@link StatsCollector.useFileBounds})
   * instead of computing them from the rows; default false.
   */
  boundsFromFile?: boolean;
}

type Kind = "int" | "float" | "double" | "big" | "decimal" | "string" | "date" | "timestamp" | "timestamp_ntz" | "none";

interface Leaf extends Bounds {
  kind: "leaf";
  name: string;
  index: number;
  type: Kind;
  scale: number;
  nulls: number;
  /** Physical path in the file, NUL-joined. */
  path: string;
  /** Bounds come from the file's statistics (useFileBounds), not from the rows. */
  fromFile: boolean;
}

/**
 * Kinds whose Parquet statistics (arrow-rs's writer) are the Delta bounds: integers and dates
 * (INT32), longs and timestamps (INT64, micros), strings (BYTE_ARRAY, unsigned byte order =
 * code-point order). Floats are not (Parquet ignores NaN, which Delta's max must see), nor
 * decimals (rare; FIXED_LEN_BYTE_ARRAY).
 */
const FILE_BOUND_KINDS: ReadonlySet<Kind> = new Set(["int", "date", "big", "timestamp", "timestamp_ntz", "string"]);

interface Node {
  kind: "struct";
  name: string;
  index: number;
  children: (Node | Leaf)[];
}

function kindOf(type: DataType): { kind: Kind; scale: number } {
  if (type.kind !== "primitive") return { kind: "none", scale: 0 };
  switch (type.name) {
    case "byte":
    case "short":
    case "integer":
      return { kind: "int", scale: 0 };
    case "float":
    case "double":
    case "date":
    case "timestamp":
    case "timestamp_ntz":
    case "string":
      return { kind: type.name, scale: 0 };
    case "long":
      return { kind: "big", scale: 0 };
    case "decimal":
      return { kind: "decimal", scale: type.scale };
    default:
      return { kind: "none", scale: 0 };
  }
}

/** Accumulates the stats of one data file over its batches. */
export class StatsCollector {
  private readonly root: Node;
  private readonly prefixLength: number;
  private rows = 0;

  constructor(options: StatsCollectorOptions) {
    const mode = options.columnMapping ?? "none";
    this.prefixLength = options.stringPrefixLength ?? DEFAULT_STRING_PREFIX_LENGTH;
    const selected = statsColumnsSchema({ schema: options.schema, properties: options.properties });
    const fromFile = options.boundsFromFile === true;
    const build = (sel: StructType, full: StructType, name: string, index: number, prefix: string): Node => ({
      kind: "struct",
      name,
      index,
      children: sel.fields.map((f) => {
        const i = full.fields.findIndex((x) => x.name === f.name);
        const fullField = full.fields[i];
        const leafName = physicalName(f, mode);
        const path = prefix + leafName;
        if (f.type.kind === "struct" && fullField?.type.kind === "struct") return build(f.type, fullField.type, leafName, i, `${path}\0`);
        const { kind, scale } = kindOf(f.type);
        return { kind: "leaf", name: leafName, index: i, type: kind, scale, nulls: 0, min: undefined, max: undefined, nan: false, path, fromFile: fromFile && FILE_BOUND_KINDS.has(kind) };
      }),
    });
    this.root = build(selected, options.schema, "", -1, "");
  }

  /** Number of rows seen so far. */
  get numRecords(): number {
    return this.rows;
  }

  /** Adds one batch (canonical layout, logical column names, the collector's schema). */
  add(batch: RecordBatch): void {
    this.rows += batch.numRows;
    this.updateStruct(this.root, batch.data.children, undefined);
  }

  private updateStruct(node: Node, children: readonly Data[], parent: Uint8Array | undefined, only?: ReadonlySet<Leaf>): void {
    for (const child of node.children) {
      const data = children[child.index];
      if (data === undefined) continue;
      if (child.kind === "struct") this.updateStruct(child, data.children, validityMask(data, parent), only);
      else if (only === undefined) updateLeaf(child, data, parent, true);
      else if (only.has(child)) updateLeaf(child, data, parent, false);
    }
  }

  /**
   * Sets the bounds of the leaves marked `fromFile` from the statistics of the file written from
   * the added rows (`file`: its bytes; `batches`: those rows). A leaf whose statistics are missing
   * or inexact (arrow-rs truncates byte arrays to 64 bytes: a truncated min still has the first
   * `stringPrefixLength` code points when it has more than that, a truncated max never serves)
   * is computed from `batches` instead. Call once, before {@link statsJson}.
   */
  useFileBounds(file: Uint8Array, batches: readonly RecordBatch[], path?: string): void {
    const leaves = fileLeaves(this.root);
    if (leaves.length === 0) return;
    const chunks = new Map<string, ChunkStatistics[]>();
    let groups: ChunkStatistics[][];
    try {
      groups = fileColumnStatistics(file, path);
    } catch {
      groups = []; // an unreadable footer (not arrow-rs's): every bound from the rows
    }
    for (const group of groups) {
      for (const c of group) {
        const key = c.path.join("\0");
        const list = chunks.get(key);
        if (list === undefined) chunks.set(key, [c]);
        else list.push(c);
      }
    }
    const fromRows = new Set<Leaf>();
    for (const leaf of leaves) {
      leaf.fromFile = false;
      const list = chunks.get(leaf.path);
      if (list === undefined || list.length !== groups.length || !this.boundsOfChunks(leaf, list)) fromRows.add(leaf);
    }
    if (fromRows.size > 0) for (const b of batches) this.updateStruct(this.root, b.data.children, undefined, fromRows);
  }

  /** Folds the chunks' bounds into the leaf; false when one of them cannot serve. */
  private boundsOfChunks(leaf: Leaf, list: readonly ChunkStatistics[]): boolean {
    const string = leaf.type === "string";
    const want = string ? "bytes" : leaf.type === "int" || leaf.type === "date" ? "number" : "bigint";
    const typeOk = (v: PhysicalBound | undefined) => (want === "bytes" ? v instanceof Uint8Array : typeof v === want);
    let min: PhysicalBound | undefined;
    let max: PhysicalBound | undefined;
    for (const c of list) {
      if (c.nullCount === undefined) return false;
      if (c.nullCount === c.numValues) continue; // no value in this row group
      if (!typeOk(c.min) || !typeOk(c.max) || !c.maxExact) return false;
      if (!c.minExact && !(string && codePoints(c.min as Uint8Array) > this.prefixLength)) return false;
      if (min === undefined || lessThan(c.min!, min)) min = c.min;
      if (max === undefined || lessThan(max, c.max!)) max = c.max;
    }
    leaf.min = min;
    leaf.max = max;
    return true;
  }

  /** The stats JSON string of the rows added so far. */
  statsJson(): string {
    const parts = [`"numRecords":${this.rows}`];
    if (this.root.children.length > 0) {
      if (hasMinMax(this.root)) {
        parts.push(`"minValues":${this.render(this.root, "min") ?? "{}"}`);
        parts.push(`"maxValues":${this.render(this.root, "max") ?? "{}"}`);
      }
      parts.push(`"nullCount":${this.render(this.root, "nulls") ?? "{}"}`);
    }
    return `{${parts.join(",")}}`;
  }

  private render(node: Node, what: "min" | "max" | "nulls"): string | undefined {
    const entries: string[] = [];
    for (const child of node.children) {
      const text = child.kind === "struct" ? this.render(child, what) : what === "nulls" ? String(child.nulls) : this.bound(child, what);
      if (text !== undefined) entries.push(`${jsonString(child.name)}:${text}`);
    }
    return entries.length === 0 && node !== this.root ? undefined : `{${entries.join(",")}}`;
  }

  private bound(leaf: Leaf, which: "min" | "max"): string | undefined {
    const v = leaf[which];
    if (v === undefined) return undefined;
    switch (leaf.type) {
      case "int":
        return String(v);
      case "float":
        return which === "max" && leaf.nan ? undefined : jsonFloat(v as number);
      case "double":
        return which === "max" && leaf.nan ? undefined : jsonDouble(v as number);
      case "big":
        return (v as bigint).toString();
      case "decimal":
        return jsonDecimal(v as bigint, leaf.scale);
      case "date":
        return jsonDate(v as number);
      case "timestamp":
      case "timestamp_ntz":
        return jsonTimestamp(v as bigint, leaf.type === "timestamp");
      case "string": {
        const s = decoder.decode(v as Uint8Array);
        const t = which === "min" ? truncateMinString(s, this.prefixLength) : truncateMaxString(s, this.prefixLength);
        return t === undefined ? undefined : jsonString(t);
      }
      case "none":
        return undefined;
    }
  }
}

const decoder = new TextDecoder();

function hasMinMax(node: Node): boolean {
  return node.children.some((c) => (c.kind === "struct" ? hasMinMax(c) : c.type !== "none"));
}

function updateLeaf(leaf: Leaf, data: Data, parent: Uint8Array | undefined, countNulls: boolean): void {
  const n = data.length;
  const allValid = parent === undefined && data.nullCount === 0;
  // Rows that count (valid, under a valid parent); undefined when all do. One pass, no closure
  // per value. Each kind has its own loop function (the write path's hottest JS): each stays
  // monomorphic and small enough to be optimised on its own.
  let live: Uint8Array | undefined;
  let nulls = 0;
  if (!allValid) {
    live = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if ((parent === undefined || parent[i] === 1) && isValid(data, i)) live[i] = 1;
      else nulls++;
    }
  }
  if (countNulls) leaf.nulls += nulls;
  if (leaf.type === "none" || nulls === n || leaf.fromFile) return;
  switch (leaf.type) {
    case "int":
    case "date":
    case "float":
    case "double":
      return numberBounds(leaf, data.values as Int8Array | Int16Array | Int32Array | Float32Array | Float64Array, n, live);
    case "big":
    case "timestamp":
    case "timestamp_ntz":
      return int64Bounds(leaf, data.values as BigInt64Array, n, live);
    case "decimal":
      return decimalBounds(leaf, data, n, live);
    case "string":
      return stringBounds(leaf, data.values as Uint8Array, data.valueOffsets as Int32Array, n, live);
  }
}

/** The leaves whose bounds are to come from the file. */
function fileLeaves(node: Node): Leaf[] {
  return node.children.flatMap((c) => (c.kind === "struct" ? fileLeaves(c) : c.fromFile ? [c] : []));
}

/** Options of {@link computeStats}. */
export interface ComputeStatsOptions extends StatsCollectorOptions {
  /** The file's rows (canonical layout). */
  batches: readonly RecordBatch[];
}

/** The stats JSON string of a whole file's rows at once. */
export function computeStats(options: ComputeStatsOptions): string {
  const collector = new StatsCollector(options);
  for (const b of options.batches) collector.add(b);
  return collector.statsJson();
}
