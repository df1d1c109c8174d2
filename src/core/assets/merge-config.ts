/**
 * The I/O manager's `mode: "merge"` settings (what dagster-io/dagster#32644 asks of
 * dagster-deltalake, after dagster-delta's MergeConfig): the merge predicate (`target.id =
 * source.id`), the clauses as a merge type (upsert by default) or as explicit MERGE clauses
 * (core/dml/merge/clauses.ts), and the aliases. They come from the I/O manager config
 * (`mergeConfig`) and per asset from metadata (`merge_config` with the same keys, or the
 * shortcuts `merge_predicate`, `merge_type`, `merge_clauses`), metadata first. For a partitioned
 * output the merge is confined to the output's partitions: their predicate on the target is
 * ANDed into the merge predicate and into every WHEN NOT MATCHED BY SOURCE clause, so rows of
 * other partitions are neither matched nor deleted.
 */
import { InvalidInputError } from "../errors.js";
import type { MergeClauses, NotMatchedBySourceClause } from "../dml/merge/clauses.js";

/** dagster-delta's merge types: the clause sets of the common merges. */
export type MergeType = "upsert" | "deduplicateInsert" | "updateOnly" | "replaceDeleteUnmatched";

/** How an asset output is merged into its table (mode "merge"). */
export interface DeltaMergeConfig {
  /** The merge condition, e.g. `target.id = source.id` (required). */
  predicate?: string | undefined;
  /**
   * The clauses, by name (default "upsert"): upsert = update every column of matched rows,
   * insert the others; deduplicateInsert = insert only rows whose key is new; updateOnly =
   * update matched rows only; replaceDeleteUnmatched = upsert, and delete the target rows the
   * output does not have (within the output's partitions).
   */
  mergeType?: MergeType | undefined;
  /** Explicit MERGE clauses instead of a merge type. */
  clauses?: MergeClauses | undefined;
  /** Name of the output in expressions (default "source"). */
  sourceAlias?: string | undefined;
  /** Name of the table in expressions (default "target"). */
  targetAlias?: string | undefined;
}

/** The merge settings in force for one output. */
export interface MergeSettings extends MergeClauses {
  predicate: string;
  mergeType: MergeType | "clauses";
  sourceAlias: string;
  targetAlias: string;
}

const KEYS = ["predicate", "mergeType", "clauses", "sourceAlias", "targetAlias"];
const TYPES: Record<string, MergeType> = {
  upsert: "upsert",
  deduplicateInsert: "deduplicateInsert",
  deduplicate_insert: "deduplicateInsert",
  updateOnly: "updateOnly",
  update_only: "updateOnly",
  replaceDeleteUnmatched: "replaceDeleteUnmatched",
  replace_delete_unmatched: "replaceDeleteUnmatched",
};

/** Checks a mergeConfig object (config or `merge_config` metadata). */
function checked(value: unknown, where: string): DeltaMergeConfig {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw new InvalidInputError(`${where} must be an object (${KEYS.join(", ")})`);
  for (const k of Object.keys(value)) if (!KEYS.includes(k)) throw new InvalidInputError(`${where}: unknown key "${k}" (${KEYS.join(", ")})`);
  const c = value as Record<string, unknown>;
  for (const k of ["predicate", "sourceAlias", "targetAlias", "mergeType"]) {
    if (c[k] !== undefined && (typeof c[k] !== "string" || c[k] === "")) throw new InvalidInputError(`${where}: ${k} must be a non-empty string`);
  }
  if (c.clauses !== undefined && (typeof c.clauses !== "object" || c.clauses === null || Array.isArray(c.clauses))) {
    throw new InvalidInputError(`${where}: clauses must be an object of clause lists (whenMatched, whenNotMatched, whenNotMatchedBySource)`);
  }
  if (c.mergeType !== undefined && c.clauses !== undefined) throw new InvalidInputError(`${where}: give either mergeType or clauses, not both`);
  return c as DeltaMergeConfig;
}

/**
 * The merge settings of an output: metadata (`merge_config`, `merge_predicate`, `merge_type`,
 * `merge_clauses`) over the I/O manager's `mergeConfig`; clauses from the most specific level
 * that names a merge type or clauses.
 * @throws InvalidInputError for unknown keys or merge types, or no predicate.
 */
export function mergeSettings(md: Readonly<Record<string, unknown>>, config: DeltaMergeConfig | undefined, assetName: string): MergeSettings {
  const base = checked(config, `asset ${assetName}: mergeConfig`);
  const meta = checked(
    {
      ...checked(md["merge_config"], `asset ${assetName}: merge_config metadata`),
      ...(md["merge_predicate"] !== undefined ? { predicate: md["merge_predicate"] } : {}),
      ...(md["merge_type"] !== undefined ? { mergeType: md["merge_type"] } : {}),
      ...(md["merge_clauses"] !== undefined ? { clauses: md["merge_clauses"] } : {}),
    },
    `asset ${assetName}: merge metadata`,
  );
  const clausesFrom = meta.mergeType !== undefined || meta.clauses !== undefined ? meta : base;
  const predicate = meta.predicate ?? base.predicate;
  if (predicate === undefined) {
    throw new InvalidInputError(`asset ${assetName}: mode "merge" needs a merge predicate (mergeConfig.predicate or merge_predicate metadata), e.g. "target.id = source.id"`);
  }
  const sourceAlias = meta.sourceAlias ?? base.sourceAlias ?? "source";
  const targetAlias = meta.targetAlias ?? base.targetAlias ?? "target";
  if (clausesFrom.clauses !== undefined) return { predicate, sourceAlias, targetAlias, mergeType: "clauses", ...clausesFrom.clauses };
  const mergeType = TYPES[clausesFrom.mergeType ?? "upsert"];
  if (mergeType === undefined) {
    throw new InvalidInputError(`asset ${assetName}: unknown merge type ${JSON.stringify(clausesFrom.mergeType)} (upsert, deduplicateInsert, updateOnly, replaceDeleteUnmatched)`);
  }
  return { predicate, sourceAlias, targetAlias, mergeType, ...clausesOf(mergeType) };
}

function clausesOf(type: MergeType): MergeClauses {
  switch (type) {
    case "upsert":
      return { whenMatched: [{ action: "updateAll" }], whenNotMatched: [{ action: "insertAll" }] };
    case "deduplicateInsert":
      return { whenNotMatched: [{ action: "insertAll" }] };
    case "updateOnly":
      return { whenMatched: [{ action: "updateAll" }] };
    case "replaceDeleteUnmatched":
      return { whenMatched: [{ action: "updateAll" }], whenNotMatched: [{ action: "insertAll" }], whenNotMatchedBySource: [{ action: "delete" }] };
  }
}

/** The settings confined to a partition predicate over the target (`target.col = ...`). */
export function withinPartitions(settings: MergeSettings, targetPredicate: string): MergeSettings {
  const and = (c: string | undefined) => (c === undefined ? targetPredicate : `(${targetPredicate}) AND (${c})`);
  return {
    ...settings,
    predicate: `(${settings.predicate}) AND (${targetPredicate})`,
    // (not a list: left for checkClauses to refuse)
    whenNotMatchedBySource: Array.isArray(settings.whenNotMatchedBySource)
      ? settings.whenNotMatchedBySource.map((c: NotMatchedBySourceClause): NotMatchedBySourceClause => ({ ...c, condition: and(c.condition) }))
      : settings.whenNotMatchedBySource,
  };
}
