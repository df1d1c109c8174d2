/**
 * The fluent form of MERGE, delta-rs style:
 *   await merge({ store, source, on: "target.id = source.id" })
 *     .whenMatchedUpdate({ set: { value: "source.value" } })
 *     .whenNotMatchedInsertAll()
 *     .execute();
 * It only collects clauses (clauses.ts) into the options of {@link mergeInto}; `toOptions()` gives
 * them as plain data (what the CLI and the Worker pass).
 */
import type { DmlResult } from "../dml-commit.js";
import type { Assignments, MatchedClause, NotMatchedBySourceClause, NotMatchedClause } from "./clauses.js";
import { mergeInto, type MergeMetrics, type MergeOptions } from "./merge.js";

/** A clause condition: the predicate text, or an object holding it. */
type ConditionArg = string | { condition?: string | undefined } | undefined;

const conditionOf = (c: ConditionArg): { condition?: string } => {
  const text = typeof c === "string" ? c : c?.condition;
  return text === undefined ? {} : { condition: text };
};

/** Collects MERGE clauses; `execute()` runs the merge. */
export class MergeBuilder {
  private readonly matched: MatchedClause[] = [];
  private readonly notMatched: NotMatchedClause[] = [];
  private readonly bySource: NotMatchedBySourceClause[] = [];

  constructor(private readonly base: Omit<MergeOptions, "whenMatched" | "whenNotMatched" | "whenNotMatchedBySource">) {}

  /** WHEN MATCHED [AND condition] THEN UPDATE SET col = expr, ... */
  whenMatchedUpdate(clause: { set: Assignments; condition?: string | undefined }): this {
    this.matched.push({ action: "update", set: clause.set, ...conditionOf(clause) });
    return this;
  }

  /** WHEN MATCHED [AND condition] THEN UPDATE SET * (every target column from the source). */
  whenMatchedUpdateAll(condition?: ConditionArg): this {
    this.matched.push({ action: "updateAll", ...conditionOf(condition) });
    return this;
  }

  /** WHEN MATCHED [AND condition] THEN DELETE */
  whenMatchedDelete(condition?: ConditionArg): this {
    this.matched.push({ action: "delete", ...conditionOf(condition) });
    return this;
  }

  /** WHEN NOT MATCHED [AND condition] THEN INSERT (col, ...) VALUES (expr, ...) */
  whenNotMatchedInsert(clause: { values: Assignments; condition?: string | undefined }): this {
    this.notMatched.push({ action: "insert", values: clause.values, ...conditionOf(clause) });
    return this;
  }

  /** WHEN NOT MATCHED [AND condition] THEN INSERT * */
  whenNotMatchedInsertAll(condition?: ConditionArg): this {
    this.notMatched.push({ action: "insertAll", ...conditionOf(condition) });
    return this;
  }

  /** WHEN NOT MATCHED BY SOURCE [AND condition] THEN UPDATE SET col = expr, ... */
  whenNotMatchedBySourceUpdate(clause: { set: Assignments; condition?: string | undefined }): this {
    this.bySource.push({ action: "update", set: clause.set, ...conditionOf(clause) });
    return this;
  }

  /** WHEN NOT MATCHED BY SOURCE [AND condition] THEN DELETE */
  whenNotMatchedBySourceDelete(condition?: ConditionArg): this {
    this.bySource.push({ action: "delete", ...conditionOf(condition) });
    return this;
  }

  /** The options of {@link mergeInto} these clauses make. */
  toOptions(): MergeOptions {
    return { ...this.base, whenMatched: [...this.matched], whenNotMatched: [...this.notMatched], whenNotMatchedBySource: [...this.bySource] };
  }

  /** Runs the merge. */
  execute(): Promise<DmlResult<MergeMetrics>> {
    return mergeInto(this.toOptions());
  }
}

/** Starts a MERGE of `source` into the table at `store` on the join condition `on`. */
export function merge(options: Omit<MergeOptions, "whenMatched" | "whenNotMatched" | "whenNotMatchedBySource">): MergeBuilder {
  return new MergeBuilder(options);
}
