// Partition pruning: exact on partition columns, "maybe" for the others, with must-match files.
import { describe, expect, it } from "vitest";
import {
  OUTCOME_FALSE,
  OUTCOME_NULL,
  OUTCOME_TRUE,
  parsePredicate,
  partitionMayMatch,
  partitionMustMatch,
  partitionOutcomes,
  partitionValuesAccessor,
  type BoundExpr,
} from "../../src/core/expr/index.js";
import type { Scalar } from "../../src/core/schema/types.js";
import { cols } from "./fixtures.js";

const bind = (text: string): BoundExpr => parsePredicate(text, { columns: cols });

describe("partition pruning", () => {
  // partition columns: dt (date) and str (string); everything else is a data column
  const parts = (dt: number | null, str: string | null): Record<string, Scalar> => ({ dt, str });
  const cases: Array<[string, Record<string, Scalar>, boolean, boolean]> = [
    // [predicate, partition values, mayMatch, mustMatch]
    ["dt = '2021-01-01'", parts(18628, "a"), true, true],
    ["dt = '2021-01-02'", parts(18628, "a"), false, false],
    ["dt = '2021-01-01'", parts(null, "a"), false, false],
    ["dt IS NULL", parts(null, "a"), true, true],
    ["NOT dt = '2021-01-01'", parts(null, "a"), false, false],
    ["dt >= '2021-01-01' AND dt < '2021-02-01'", parts(18628, "a"), true, true],
    ["dt >= '2021-01-01' AND dt < '2021-02-01'", parts(18628 + 31, "a"), false, false],
    ["i = 5", parts(18628, "a"), true, false],
    ["dt = '2021-01-01' AND i = 5", parts(18628, "a"), true, false],
    ["dt = '2021-01-02' AND i = 5", parts(18628, "a"), false, false],
    ["dt = '2021-01-01' OR i = 5", parts(18628, "a"), true, true],
    ["dt = '2021-01-02' OR i = 5", parts(18628, "a"), true, false],
    ["NOT (dt = '2021-01-02' OR i = 5)", parts(18628, "a"), true, false],
    ["NOT (dt = '2021-01-01' OR i = 5)", parts(18628, "a"), false, false],
    ["str IN ('a', 'b') AND dt IS NOT NULL", parts(18628, "b"), true, true],
    ["str NOT IN ('a', NULL)", parts(18628, "b"), false, false],
    ["i = NULL OR dt IS NOT NULL", parts(18628, "b"), true, true],
  ];
  it.each(cases)("%s on %o", (text, values, may, must) => {
    const e = bind(text);
    const acc = partitionValuesAccessor(values);
    expect(partitionMayMatch(e, acc)).toBe(may);
    expect(partitionMustMatch(e, acc)).toBe(must);
  });

  it("reports the possible outcomes", () => {
    const acc = partitionValuesAccessor(new Map<string, Scalar>([["dt", null]]));
    expect(partitionOutcomes(bind("dt = '2021-01-01'"), acc)).toBe(OUTCOME_NULL);
    expect(partitionOutcomes(bind("i = 1"), acc)).toBe(OUTCOME_TRUE | OUTCOME_FALSE | OUTCOME_NULL);
    expect(partitionOutcomes(bind("dt IS NULL AND i = 1"), acc)).toBe(OUTCOME_TRUE | OUTCOME_FALSE | OUTCOME_NULL);
    expect(partitionOutcomes(bind("dt IS NOT NULL AND i = 1"), acc)).toBe(OUTCOME_FALSE);
    expect(partitionOutcomes(bind("dt = '2021-01-01' AND i = 1"), acc)).toBe(OUTCOME_FALSE | OUTCOME_NULL);
  });

  it("treats nested paths as unknown", () => {
    expect(partitionMayMatch(bind("st.x = 1"), partitionValuesAccessor({ st: null }))).toBe(true);
  });
});
