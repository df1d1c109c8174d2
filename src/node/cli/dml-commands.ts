/**
 * The CLI's row-level commands (DESIGN.md "CLI"): `delete`, `update`, `merge` and `restore`. Each
 * prints its metrics as one JSON object (status, version and the operation's metrics). MERGE
 * clauses come in command-line order (first matching clause wins); a clause flag may take its
 * condition as its value (`--when-matched-delete "source.gone = true"`) and `--condition COND`
 * sets the condition of the clause flag just before it (the way to condition the SET clauses).
 */
import { InvalidInputError } from "../../core/errors.js";
import type { ObjectStore } from "../../core/storage/object-store.js";
import { parseAssignments } from "../../core/dml/assignments.js";
import { deleteRows } from "../../core/dml/delete.js";
import type { DmlResult } from "../../core/dml/dml-commit.js";
import type { MatchedClause, NotMatchedBySourceClause, NotMatchedClause } from "../../core/dml/merge/clauses.js";
import { mergeInto } from "../../core/dml/merge/merge.js";
import { restoreTable } from "../../core/dml/restore.js";
import { updateRows } from "../../core/dml/update.js";
import { snapshotSchema } from "../../core/scan/plan.js";
import { loadSnapshot } from "../../core/table/snapshot-load.js";
import { flagsOf, intFlag, stringFlag, type FlagSpec, type ParsedArgs } from "./args.js";
import { inputFormat, readMergeSource } from "./input.js";
import type { Output } from "./output.js";

/** Flags of the MERGE command (clause flags keep their order). */
export const MERGE_FLAGS: Record<string, FlagSpec> = {
  ...flagsOf("string", "source", "format", "on", "source-alias", "target-alias"),
  "when-matched-update": { kind: "list" },
  "when-matched-update-all": { kind: "optional" },
  "when-matched-delete": { kind: "optional" },
  "when-not-matched-insert": { kind: "list" },
  "when-not-matched-insert-all": { kind: "optional" },
  "when-not-matched-by-source-update": { kind: "list" },
  "when-not-matched-by-source-delete": { kind: "optional" },
  condition: { kind: "list" },
};

const json = (out: Output, result: DmlResult<object>) => out.write(`${JSON.stringify({ status: result.status, version: result.version, ...result.metrics }, null, 2)}\n`);

/** `delete`: the rows matching --where leave the table. */
export async function deleteCommand(store: ObjectStore, flags: ParsedArgs["flags"], out: Output): Promise<void> {
  const where = stringFlag(flags, "where");
  if (where === undefined) throw new InvalidInputError("delete needs --where EXPR (use --where true to delete every row)");
  await json(out, await deleteRows({ store, where }));
}

/** `update`: --set "col = EXPR" (repeatable, or comma-separated) on the rows matching --where. */
export async function updateCommand(store: ObjectStore, flags: ParsedArgs["flags"], out: Output): Promise<void> {
  const sets = (flags.set as string[] | undefined) ?? [];
  if (sets.length === 0) throw new InvalidInputError('update needs --set "col = EXPR"');
  const set: Record<string, string> = {};
  for (const s of sets) {
    for (const [k, v] of Object.entries(parseAssignments(s))) {
      if (Object.hasOwn(set, k)) throw new InvalidInputError(`column ${k} is assigned twice`);
      set[k] = v;
    }
  }
  await json(out, await updateRows({ store, set, where: stringFlag(flags, "where") }));
}

/** `merge`: a source file merged into the table with the clauses given, in order. */
export async function mergeCommand(store: ObjectStore, args: ParsedArgs, out: Output): Promise<void> {
  const { flags } = args;
  const file = stringFlag(flags, "source");
  const on = stringFlag(flags, "on");
  if (file === undefined || on === undefined) throw new InvalidInputError("merge needs --source FILE and --on EXPR");
  const matched: MatchedClause[] = [];
  const notMatched: NotMatchedClause[] = [];
  const bySource: NotMatchedBySourceClause[] = [];
  let last: { condition?: string | undefined } | undefined;
  const cond = (v: string | true) => (v === true ? {} : { condition: v });
  const add = <C extends { condition?: string | undefined }>(list: C[], clause: C): void => {
    list.push(clause);
    last = clause;
  };
  for (const { name, value } of args.sequence) {
    const text = String(value);
    if (name === "condition") {
      if (!last) throw new InvalidInputError("--condition must follow a --when-... clause flag");
      if (last.condition !== undefined) throw new InvalidInputError("a clause has two conditions");
      last.condition = text;
    } else if (name === "when-matched-update") add<MatchedClause>(matched, { action: "update", set: parseAssignments(text) });
    else if (name === "when-matched-update-all") add<MatchedClause>(matched, { action: "updateAll", ...cond(value) });
    else if (name === "when-matched-delete") add<MatchedClause>(matched, { action: "delete", ...cond(value) });
    else if (name === "when-not-matched-insert") add<NotMatchedClause>(notMatched, { action: "insert", values: parseAssignments(text) });
    else if (name === "when-not-matched-insert-all") add<NotMatchedClause>(notMatched, { action: "insertAll", ...cond(value) });
    else if (name === "when-not-matched-by-source-update") add<NotMatchedBySourceClause>(bySource, { action: "update", set: parseAssignments(text) });
    else if (name === "when-not-matched-by-source-delete") add<NotMatchedBySourceClause>(bySource, { action: "delete", ...cond(value) });
  }
  const format = inputFormat(file, stringFlag(flags, "format"));
  const schema = snapshotSchema(await loadSnapshot({ store }));
  const result = await mergeInto({
    store,
    source: readMergeSource(file, format, schema),
    on,
    sourceAlias: stringFlag(flags, "source-alias"),
    targetAlias: stringFlag(flags, "target-alias"),
    whenMatched: matched,
    whenNotMatched: notMatched,
    whenNotMatchedBySource: bySource,
  });
  await json(out, result);
}

/** `restore`: one commit back to --version N or --timestamp ISO. */
export async function restoreCommand(store: ObjectStore, flags: ParsedArgs["flags"], out: Output): Promise<void> {
  await json(out, await restoreTable({ store, version: intFlag(flags, "version"), timestamp: stringFlag(flags, "timestamp") }));
}
