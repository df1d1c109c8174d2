/**
 * Delta file statistics computed from the Arrow data being written (not from the parquet footer):
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
 */

import type { Data, RecordBatch } from "apache-arrow";
import { physicalName, type ColumnMappingMode } from "../schema/column-mapping.js";
import type { DataType, StructType } from "../schema/types.js";
import { byteRange, decimalAt, isValid, validityMask } from "../arrow/data.js";
import { statsColumnsSchema } from "./stats-columns.js";
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
}

type Kind = "int" | "float" | "double" | "big" | "decimal" | "string" | "date" | "timestamp" | "timestamp_ntz" | "none";

interface Leaf {
  kind: "leaf";
  name: string;
  index: number;
  type: Kind;
  scale: number;
  nulls: number;
  min: number | bigint | Uint8Array | undefined;
  max: number | bigint | Uint8Array | undefined;
  nan: boolean;
}

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
    const build = (sel: StructType, full: StructType, name: string, index: number): Node => ({
      kind: "struct",
      name,
      index,
      children: sel.fields.map((f) => {
        const i = full.fields.findIndex((x) => x.name === f.name);
        const fullField = full.fields[i];
        if (f.type.kind === "struct" && fullField?.type.kind === "struct") return build(f.type, fullField.type, physicalName(f, mode), i);
        const { kind, scale } = kindOf(f.type);
        return { kind: "leaf", name: physicalName(f, mode), index: i, type: kind, scale, nulls: 0, min: undefined, max: undefined, nan: false };
      }),
    });
    this.root = build(selected, options.schema, "", -1);
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

  private updateStruct(node: Node, children: readonly Data[], parent: Uint8Array | undefined): void {
    for (const child of node.children) {
      const data = children[child.index];
      if (data === undefined) continue;
      if (child.kind === "struct") this.updateStruct(child, data.children, validityMask(data, parent));
      else updateLeaf(child, data, parent);
    }
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

function updateLeaf(leaf: Leaf, data: Data, parent: Uint8Array | undefined): void {
  const n = data.length;
  const allValid = parent === undefined && data.nullCount === 0;
  const live = (i: number): boolean => allValid || ((parent === undefined || parent[i] === 1) && isValid(data, i));
  let nulls = 0;
  if (!allValid) for (let i = 0; i < n; i++) if (!live(i)) nulls++;
  leaf.nulls += nulls;
  if (leaf.type === "none" || nulls === n) return;
  switch (leaf.type) {
    case "int":
    case "date":
    case "float":
    case "double": {
      const values = data.values as ArrayLike<number>;
      let { min, max } = leaf as { min: number | undefined; max: number | undefined };
      for (let i = 0; i < n; i++) {
        if (!live(i)) continue;
        const v = values[i] as number;
        if (v !== v) {
          leaf.nan = true;
          continue;
        }
        if (min === undefined || v < min) min = v;
        if (max === undefined || v > max) max = v;
      }
      leaf.min = min;
      leaf.max = max;
      return;
    }
    case "big":
    case "timestamp":
    case "timestamp_ntz":
    case "decimal": {
      const values = data.values as BigInt64Array;
      let { min, max } = leaf as { min: bigint | undefined; max: bigint | undefined };
      for (let i = 0; i < n; i++) {
        if (!live(i)) continue;
        const v = leaf.type === "decimal" ? decimalAt(data, i) : (values[i] as bigint);
        if (min === undefined || v < min) min = v;
        if (max === undefined || v > max) max = v;
      }
      leaf.min = min;
      leaf.max = max;
      return;
    }
    case "string": {
      const bytes = data.values as Uint8Array;
      let min: [number, number] | undefined;
      let max: [number, number] | undefined;
      for (let i = 0; i < n; i++) {
        if (!live(i)) continue;
        const r = byteRange(data, i);
        if (min === undefined || compareRanges(bytes, r, bytes, min) < 0) min = r;
        if (max === undefined || compareRanges(bytes, r, bytes, max) > 0) max = r;
      }
      if (min !== undefined && (leaf.min === undefined || compareBytes(bytes, min, leaf.min as Uint8Array) < 0)) leaf.min = bytes.slice(min[0], min[1]);
      if (max !== undefined && (leaf.max === undefined || compareBytes(bytes, max, leaf.max as Uint8Array) > 0)) leaf.max = bytes.slice(max[0], max[1]);
      return;
    }
  }
}

function compareRanges(a: Uint8Array, [as, ae]: [number, number], b: Uint8Array, [bs, be]: [number, number]): number {
  const n = Math.min(ae - as, be - bs);
  for (let k = 0; k < n; k++) {
    const x = a[as + k] as number;
    const y = b[bs + k] as number;
    if (x !== y) return x - y;
  }
  return ae - as - (be - bs);
}

function compareBytes(a: Uint8Array, r: [number, number], b: Uint8Array): number {
  return compareRanges(a, r, b, [0, b.length]);
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
