/**
 * Folder expr/ (kernel): predicates and value expressions (grammar, binding, evaluation on rows,
 * partitions and stats). Built on schema/ only; must not import log/, table/, scan/, write/,
 * parquet/ or storage/.
 *
 * The predicate module's public surface: parse and print the SQL-ish grammar, bind to a schema's
 * columns, and evaluate on rows, partition values and file stats.
 */
export type {
  BooleanLiteral,
  ColumnRef,
  CompareOp,
  Comparison,
  Expr,
  InList,
  IsNull,
  Junction,
  Literal,
  Not,
  NullLiteral,
  NumberLiteral,
  Operand,
  SourceSpan,
  StringLiteral,
  TemporalLiteral,
} from "./ast.js";
export { columns, sourceSpan } from "./ast.js";
export { parse, parseValue } from "./parse.js";
export type { Arithmetic, CaseWhen, Cast, Coalesce, Concat, Negate, ValueNode } from "./value-ast.js";
export type { ArithmeticOp, BoundValue } from "./bound-value.js";
export { evalValue, type ColumnReader } from "./eval-value.js";
export { castScalar } from "./cast.js";
export { and, cmp, col, isIn, isNull, literalOf, not, or } from "./build.js";
export { print, printColumn, printLiteral, printName } from "./print.js";
export type { BoundColumn, BoundExpr, ColumnDef } from "./bound.js";
export { boundColumns, normalizeBound, toNegationNormalForm } from "./bound.js";
export { MAX_PREDICATE_DEPTH } from "./shape.js";
export { bind, bindValue, parsePredicate, type BindOptions } from "./bind.js";
export { columnsOf } from "./columns-of.js";
export { compareValues, valuesEqual } from "./compare.js";
export { compareStrings } from "../schema/scalar.js";
export { evalRow, rowMatches, type RowAccessor, type Truth } from "./eval-row.js";
export {
  OUTCOME_FALSE,
  OUTCOME_NULL,
  OUTCOME_TRUE,
  partitionMayMatch,
  partitionMustMatch,
  partitionOutcomes,
  partitionValuesAccessor,
  type PartitionAccessor,
} from "./eval-partition.js";
export { statsMayMatch, TIMESTAMP_STATS_SLACK_MICROS, type ColumnStats, type StatsAccessor } from "./eval-stats.js";
