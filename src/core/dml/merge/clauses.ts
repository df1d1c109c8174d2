/**
 * MERGE clauses, delta-rs's clause model: any number of WHEN MATCHED (update with `set`, update
 * all columns, delete), WHEN NOT MATCHED [BY TARGET] (insert with `values`, insert all columns)
 * and WHEN NOT MATCHED BY SOURCE (update with `set`, delete) clauses, each with an optional
 * condition; within each kind the first clause whose condition holds wins. Clauses are plain
 * JSON-able data, so the CLI, the Worker and the asset layer can pass them through; the builder
 * (builder.ts) is sugar over them. Expressions are SQL-ish text: `set`/`values` map a target
 * column to an expression, conditions are predicates.
 */
import { InvalidInputError } from "../../errors.js";

/** `set` / `values`: target column -> expression (text, e.g. "source.value + 1"). */
export type Assignments = Readonly<Record<string, string>>;

/** WHEN MATCHED clauses (target row matched by a source row). */
export type MatchedClause =
  | { action: "update"; set: Assignments; condition?: string | undefined }
  | { action: "updateAll"; condition?: string | undefined }
  | { action: "delete"; condition?: string | undefined };

/** WHEN NOT MATCHED [BY TARGET] clauses (source row without a target row). */
export type NotMatchedClause =
  | { action: "insert"; values: Assignments; condition?: string | undefined }
  | { action: "insertAll"; condition?: string | undefined };

/** WHEN NOT MATCHED BY SOURCE clauses (target row without a source row). */
export type NotMatchedBySourceClause =
  | { action: "update"; set: Assignments; condition?: string | undefined }
  | { action: "delete"; condition?: string | undefined };

/** All clauses of one MERGE, in order within each kind. */
export interface MergeClauses {
  whenMatched?: readonly MatchedClause[] | undefined;
  whenNotMatched?: readonly NotMatchedClause[] | undefined;
  whenNotMatchedBySource?: readonly NotMatchedBySourceClause[] | undefined;
}

const MATCHED = new Set(["update", "updateAll", "delete"]);
const NOT_MATCHED = new Set(["insert", "insertAll"]);
const BY_SOURCE = new Set(["update", "delete"]);

/**
 * Checks the clause lists (JSON from a caller): known actions, `set`/`values` present for the
 * actions that need them, string conditions, at least one clause.
 * @throws InvalidInputError naming the clause.
 */
export function checkClauses(clauses: MergeClauses): void {
  const lists: [string, readonly unknown[] | undefined, Set<string>][] = [
    ["whenMatched", clauses.whenMatched, MATCHED],
    ["whenNotMatched", clauses.whenNotMatched, NOT_MATCHED],
    ["whenNotMatchedBySource", clauses.whenNotMatchedBySource, BY_SOURCE],
  ];
  let total = 0;
  for (const [name, list, actions] of lists) {
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new InvalidInputError(`merge ${name} must be a list of clauses`);
    list.forEach((raw, i) => {
      const where = `merge ${name}[${i}]`;
      if (typeof raw !== "object" || raw === null) throw new InvalidInputError(`${where} must be an object`);
      const c = raw as Record<string, unknown>;
      if (typeof c.action !== "string" || !actions.has(c.action)) {
        throw new InvalidInputError(`${where}: unknown action ${JSON.stringify(c.action)} (one of ${[...actions].join(", ")})`);
      }
      if (c.condition !== undefined && typeof c.condition !== "string") throw new InvalidInputError(`${where}: condition must be a string`);
      const key = c.action === "insert" ? "values" : c.action === "update" ? "set" : undefined;
      if (key !== undefined) {
        const map = c[key];
        if (typeof map !== "object" || map === null || Array.isArray(map) || Object.keys(map).length === 0) {
          throw new InvalidInputError(`${where}: ${c.action} needs a non-empty ${key} object (column -> expression)`);
        }
        for (const [col, expr] of Object.entries(map)) {
          if (typeof expr !== "string") throw new InvalidInputError(`${where}: ${key}.${col} must be an expression string`);
        }
      }
      total++;
    });
  }
  if (total === 0) throw new InvalidInputError("merge needs at least one WHEN clause");
}
