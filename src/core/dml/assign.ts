/**
 * SET lists of UPDATE and MERGE (`{ col: "EXPR" }`): each target column resolved against the
 * table's top-level columns, each expression parsed and bound with the one expression grammar
 * (expr/) and typed against its column: a value of another type is refused unless it converts
 * implicitly (numbers into numbers, checked per value; dates into timestamps), naming the column.
 * Then the new rows: every column keeps its value unless assigned, built as Arrow rows of the
 * table schema.
 */
import type { RecordBatch } from "apache-arrow";
import { InvalidInputError } from "../errors.js";
import type { ColumnDef } from "../expr/bound.js";
import { castTo, valueColumns, valuePredicates, type BoundValue } from "../expr/bound-value.js";
import { boundColumns } from "../expr/bound.js";
import { bindValue } from "../expr/bind.js";
import { typeName } from "../expr/coerce.js";
import { evalValue, type ColumnReader } from "../expr/eval-value.js";
import { parseValue } from "../expr/parse.js";
import { assignable } from "../expr/value-types.js";
import type { BoundColumn } from "../expr/bound.js";
import type { StructType } from "../schema/types.js";
import { rowsToRecordBatch } from "../write/rows-to-arrow.js";

/** Bound SET list: per top-level field of the table, its new value (undefined: unchanged). */
export interface CompiledAssignments {
  values: (BoundValue | undefined)[];
  /** Columns (of the scope) the values read. */
  columns: BoundColumn[];
}

/** Options of {@link compileAssignments}. */
export interface CompileAssignmentsOptions {
  set: Readonly<Record<string, string>>;
  /** The table's schema (assignment targets are its top-level columns). */
  schema: StructType;
  /** The columns expressions may reference. */
  scope: readonly ColumnDef[];
  /** Prefixes a target column may carry (e.g. the MERGE target alias). */
  targetPrefixes?: readonly string[];
  /** For messages: "update", "whenMatched[0]"... */
  what: string;
}

/**
 * Binds a SET list against the table.
 * @throws InvalidInputError for an unknown or repeated target column, a bad expression, or a
 *   value type the column does not accept (naming the column).
 */
export function compileAssignments(o: CompileAssignmentsOptions): CompiledAssignments {
  const values: (BoundValue | undefined)[] = o.schema.fields.map(() => undefined);
  const columns: BoundColumn[] = [];
  for (const [rawName, text] of Object.entries(o.set)) {
    const index = targetIndex(o.schema, rawName, o.targetPrefixes ?? []);
    if (index < 0) {
      throw new InvalidInputError(`${o.what}: unknown column ${rawName} to set (the table has: ${o.schema.fields.map((f) => f.name).join(", ")})`);
    }
    const field = o.schema.fields[index] as StructType["fields"][number];
    if (values[index] !== undefined) throw new InvalidInputError(`${o.what}: column ${field.name} is set twice`);
    if (typeof text !== "string" || text.trim() === "") throw new InvalidInputError(`${o.what}: the value of column ${field.name} must be an expression`);
    let bound: BoundValue;
    try {
      bound = bindValue(parseValue(text), { columns: o.scope });
    } catch (err) {
      if (err instanceof InvalidInputError) throw new InvalidInputError(`${o.what}: column ${field.name} = ${text}: ${err.message}`, { cause: err });
      throw err;
    }
    if (!assignable(bound.type, field.type)) {
      throw new InvalidInputError(
        `${o.what}: cannot set column ${field.name} of type ${typeName(field.type)} to ${text}, a value of type ${typeName(bound.type)} (use CAST(... AS ${typeName(field.type)}))`,
      );
    }
    values[index] = castTo(bound, field.type);
    columns.push(...valueColumns(bound), ...valuePredicates(bound).flatMap(boundColumns));
  }
  return { values, columns };
}

function targetIndex(schema: StructType, raw: string, prefixes: readonly string[]): number {
  let name = raw.trim().replace(/^`(.*)`$/s, "$1");
  for (const p of prefixes) if (name.toLowerCase().startsWith(`${p.toLowerCase()}.`)) name = name.slice(p.length + 1).replace(/^`(.*)`$/s, "$1");
  const exact = schema.fields.findIndex((f) => f.name === name);
  if (exact >= 0) return exact;
  const folded = schema.fields.flatMap((f, i) => (f.name.toLowerCase() === name.toLowerCase() ? [i] : []));
  return folded.length === 1 ? (folded[0] as number) : -1;
}

/**
 * Builds the new rows: for each row, every table column's current value (from `current`) or its
 * assigned value (evaluated with `reader(row)`), as one batch of the table schema.
 * @throws InvalidInputError when a value does not fit its column (overflow, NULL into NOT NULL...).
 */
export function assignedRows(
  compiled: CompiledAssignments,
  schema: StructType,
  rows: readonly number[],
  current: (field: number, row: number) => unknown,
  reader: (row: number) => ColumnReader,
  what: string,
): RecordBatch {
  const out: Record<string, unknown>[] = [];
  for (const row of rows) {
    const read = reader(row);
    const r: Record<string, unknown> = {};
    schema.fields.forEach((f, i) => {
      const v = compiled.values[i];
      if (v === undefined) r[f.name] = current(i, row);
      else {
        try {
          r[f.name] = evalValue(v, read);
        } catch (err) {
          if (err instanceof InvalidInputError) throw new InvalidInputError(`${what}: column ${f.name}: ${err.message}`, { cause: err });
          throw err;
        }
      }
    });
    out.push(r);
  }
  return rowsToRecordBatch(out, schema);
}
