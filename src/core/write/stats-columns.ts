/**
 * Which columns get file statistics (Delta Spark's StatisticsCollection.getIndexedColumns):
 * `delta.dataSkippingStatsColumns` (a comma-separated list of column names, dotted for nested
 * fields, backticks quoting names with dots or commas, matched case-insensitively; a struct means
 * all its fields) takes precedence; otherwise the first `delta.dataSkippingNumIndexedCols` (default
 * 32, -1 = all) LEAF columns in schema order, where a struct's fields count one by one and an array,
 * map or variant counts as one leaf. Both apply to the data schema, i.e. without partition columns.
 */

import { InvalidInputError } from "../errors.js";
import type { StructField, StructType } from "../schema/types.js";

/** Table property: number of leaf columns to collect stats for. */
export const NUM_INDEXED_COLS_KEY = "delta.dataSkippingNumIndexedCols";
/** Table property: explicit list of columns to collect stats for. */
export const STATS_COLUMNS_KEY = "delta.dataSkippingStatsColumns";
/** Spark's default number of indexed columns. */
export const DEFAULT_NUM_INDEXED_COLS = 32;

/** Options of {@link statsColumnsSchema}. */
export interface StatsColumnsOptions {
  /** The data schema (logical; partition columns excluded). */
  schema: StructType;
  /** Table configuration (`metaData.configuration`). */
  properties?: Readonly<Record<string, string>> | undefined;
}

/**
 * The part of the data schema stats are collected for (fields keep their metadata, so physical
 * names can be derived).
 * @throws InvalidInputError for a malformed property value.
 */
export function statsColumnsSchema(options: StatsColumnsOptions): StructType {
  const props = options.properties ?? {};
  const list = props[STATS_COLUMNS_KEY];
  if (list !== undefined) return filterSchema(options.schema, parseStatsColumnNames(list).map((p) => p.map((s) => s.toLowerCase())));
  const raw = props[NUM_INDEXED_COLS_KEY];
  const n = raw === undefined ? DEFAULT_NUM_INDEXED_COLS : Number(raw.trim());
  if (!Number.isInteger(n) || n < -1) throw new InvalidInputError(`${NUM_INDEXED_COLS_KEY} must be an integer >= -1, got ${JSON.stringify(raw)}`);
  return n === -1 ? options.schema : truncateSchema(options.schema, n).struct;
}

function truncateSchema(struct: StructType, limit: number): { struct: StructType; count: number } {
  const fields: StructField[] = [];
  let count = 0;
  for (const f of struct.fields) {
    if (count >= limit) break;
    if (f.type.kind === "struct") {
      const inner = truncateSchema(f.type, limit - count);
      fields.push({ ...f, type: inner.struct });
      count += inner.count;
    } else {
      fields.push(f);
      count++;
    }
  }
  return { struct: { kind: "struct", fields }, count };
}

function filterSchema(struct: StructType, paths: string[][]): StructType {
  const fields: StructField[] = [];
  for (const f of struct.fields) {
    const mine = paths.filter((p) => p[0] === f.name.toLowerCase()).map((p) => p.slice(1));
    if (mine.length === 0) continue;
    if (mine.some((p) => p.length === 0)) fields.push(f);
    else if (f.type.kind === "struct") {
      const inner = filterSchema(f.type, mine);
      if (inner.fields.length > 0) fields.push({ ...f, type: inner });
    }
  }
  return { kind: "struct", fields };
}

/**
 * Parses a `dataSkippingStatsColumns` value into column paths: `a, b.c, \`x.y\`.z` ->
 * [["a"], ["b","c"], ["x.y","z"]]. Inside backticks a doubled backtick is a literal one.
 * @throws InvalidInputError for an unterminated backtick or an empty name.
 */
export function parseStatsColumnNames(text: string): string[][] {
  if (text.trim() === "") return [];
  const out: string[][] = [];
  let path: string[] = [];
  let part = "";
  let quoted = false;
  let hadQuote = false;
  const fail = (why: string): never => {
    throw new InvalidInputError(`cannot parse ${STATS_COLUMNS_KEY} ${JSON.stringify(text)}: ${why}`);
  };
  const endPart = (): void => {
    const name = hadQuote ? part : part.trim();
    if (name === "" && !hadQuote) fail("empty column name");
    path.push(name);
    part = "";
    hadQuote = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === "`" && text[i + 1] === "`") {
        part += "`";
        i++;
      } else if (ch === "`") quoted = false;
      else part += ch;
    } else if (ch === "`") {
      if (part.trim() !== "") fail("a backtick inside a name");
      part = "";
      quoted = true;
      hadQuote = true;
    } else if (ch === ".") endPart();
    else if (ch === ",") {
      endPart();
      out.push(path);
      path = [];
    } else if (hadQuote) {
      if (ch.trim() !== "") fail("text after a closing backtick");
    } else part += ch;
  }
  if (quoted) fail("unterminated backtick");
  endPart();
  out.push(path);
  return out;
}
