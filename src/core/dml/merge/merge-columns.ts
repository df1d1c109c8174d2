/**
 * The columns a MERGE expression may reference and how they are read. Target columns are
 * `<targetAlias>.col`, source columns `<sourceAlias>.col` (defaults `target` and `source`), and a
 * name that only one side has may also be written unqualified. Expressions bind with the one
 * predicate grammar (expr/); each clause kind checks which sides it may see (WHEN NOT MATCHED:
 * source only; WHEN NOT MATCHED BY SOURCE: target only). Evaluation reads one target row and/or
 * one source row through per-batch value readers.
 */
import { InvalidInputError } from "../../errors.js";
import type { BoundColumn, BoundExpr, ColumnDef } from "../../expr/bound.js";
import { boundColumns } from "../../expr/bound.js";
import { bind } from "../../expr/bind.js";
import { columnsOf } from "../../expr/columns-of.js";
import { evalRow, type Truth } from "../../expr/eval-row.js";
import { parse } from "../../expr/parse.js";
import type { BatchValues } from "../row-values.js";
import type { StructType } from "../../schema/types.js";

/** Which relation a column belongs to. */
export type Side = "target" | "source";

/** The column space of one MERGE. */
export class MergeColumns {
  /** Every referable column (qualified, then unqualified where unambiguous). */
  readonly defs: ColumnDef[] = [];
  /** Per def: its side and its path within that side's schema. */
  private readonly owner: { side: Side; path: string[] }[] = [];

  constructor(
    readonly target: StructType,
    readonly source: StructType,
    readonly aliases: { target: string; source: string },
  ) {
    if (aliases.target.toLowerCase() === aliases.source.toLowerCase()) throw new InvalidInputError(`merge target and source aliases must differ (both ${aliases.target})`);
    const names = (s: StructType) => new Set(s.fields.map((f) => f.name.toLowerCase()));
    const targetNames = names(target);
    const sourceNames = names(source);
    const add = (side: Side, schema: StructType, qualified: boolean, other: Set<string>) => {
      for (const c of columnsOf(schema)) {
        const top = (c.path[0] as string).toLowerCase();
        if (!qualified && (other.has(top) || top === aliases.target.toLowerCase() || top === aliases.source.toLowerCase())) continue;
        this.defs.push({ path: qualified ? [aliases[side], ...c.path] : [...c.path], type: c.type });
        this.owner.push({ side, path: [...c.path] });
      }
    };
    add("target", target, true, sourceNames);
    add("source", source, true, targetNames);
    add("target", target, false, sourceNames);
    add("source", source, false, targetNames);
  }

  /** The side and in-side path of a bound column. */
  ownerOf(column: BoundColumn): { side: Side; path: readonly string[] } {
    return this.owner[column.index] as { side: Side; path: string[] };
  }

  /**
   * Parses and binds a predicate; `allowed` lists the sides it may reference.
   * @throws InvalidInputError for syntax, unknown columns, type mismatches or a forbidden side.
   */
  bindPredicate(text: string, what: string, allowed: readonly Side[]): BoundExpr {
    let bound: BoundExpr;
    try {
      bound = bind(parse(text), { columns: this.defs });
    } catch (err) {
      if (err instanceof InvalidInputError) throw new InvalidInputError(`${what}: ${err.message}`, { cause: err });
      throw err;
    }
    this.checkSides(boundColumns(bound), what, allowed);
    return bound;
  }

  /** Refuses columns of a side the clause may not see. */
  checkSides(columns: readonly BoundColumn[], what: string, allowed: readonly Side[]): void {
    for (const c of columns) {
      const { side } = this.ownerOf(c);
      if (!allowed.includes(side)) {
        throw new InvalidInputError(`${what} cannot reference ${side} column ${c.path.join(".")} (it may reference ${allowed.map((s) => this.aliases[s]).join(" and ")} columns)`);
      }
    }
  }
}

/** A column reader over a (target row, source row) pair, for value expressions; an absent side reads NULL. */
export function pairReader(
  columns: MergeColumns,
  target: { values: BatchValues; row: number } | undefined,
  source: { values: BatchValues; row: number } | undefined,
): (column: BoundColumn) => never {
  return (column) => {
    const { side, path } = columns.ownerOf(column);
    const at = side === "target" ? target : source;
    return (at ? at.values.get(path, at.row) : null) as never;
  };
}

/** Evaluates bound MERGE predicates on a (target row, source row) pair; either may be absent (reads as null). */
export function evalPair(
  expr: BoundExpr,
  columns: MergeColumns,
  target: { values: BatchValues; row: number } | undefined,
  source: { values: BatchValues; row: number } | undefined,
): Truth {
  return evalRow(expr, (_path, column) => {
    const { side, path } = columns.ownerOf(column);
    const at = side === "target" ? target : source;
    return (at ? at.values.get(path, at.row) : null) as never;
  });
}
