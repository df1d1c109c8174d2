/**
 * The size and shape rules every predicate walker relies on, for parsed (Expr) and bound
 * (BoundExpr) trees alike. AND and OR are binary nodes, so `a OR b OR ...` with 5000 terms is a
 * chain 5000 nodes deep: walkers never recurse along such a chain. They take a run of one
 * connective as a flat list of terms (`junctionTerms`, iterative), and `bind` rebuilds each run
 * as a balanced tree (`balancedJunction`, depth log2 of its length; AND and OR are associative in
 * three-valued logic and the term order is kept, so short-circuit order is unchanged). What
 * remains recursive is nesting: a NOT, or a run of one connective inside the other. That is
 * bounded: a predicate may nest at most MAX_PREDICATE_DEPTH levels, checked without recursion
 * (`checkNesting`) before any recursive walk, and refused with an InvalidInputError naming the
 * bound. Every walk is linear in the size of the tree.
 */
import { InvalidInputError } from "../errors.js";

/**
 * The deepest nesting a predicate may have: every NOT and every run of one connective (AND or
 * OR, of any length) inside the other is a level; a comparison is level 1. The parser also
 * counts each opening parenthesis as a level.
 */
export const MAX_PREDICATE_DEPTH = 256;

type Junction<T> = T & { kind: "and" | "or"; left: T; right: T };

function isJunction<T extends { kind: string }>(e: T): e is Junction<T> {
  return e.kind === "and" || e.kind === "or";
}

/** The error for a predicate nested deeper than the bound. */
export function nestingError(where = ""): InvalidInputError {
  return new InvalidInputError(
    `predicate nests deeper than ${MAX_PREDICATE_DEPTH} levels (each NOT, parenthesis, and AND inside OR or OR inside AND is a level)${where}`,
  );
}

/**
 * The terms of the run of `e.kind` rooted at `e`, left to right: `(a AND b) AND (c AND d)` gives
 * [a, b, c, d]; a node of another kind is its own only term. Iterative, linear.
 */
export function junctionTerms<T extends { kind: string }>(e: T): T[] {
  if (!isJunction(e)) return [e];
  const kind = e.kind;
  const out: T[] = [];
  const stack: T[] = [e];
  while (stack.length > 0) {
    const x = stack.pop() as T;
    if (isJunction(x) && x.kind === kind) stack.push(x.right as T, x.left as T);
    else out.push(x);
  }
  return out;
}

/** A balanced tree of `kind` over `terms` (in order; at least one), made with `make`. */
export function balancedJunction<T>(kind: "and" | "or", terms: readonly T[], make: (kind: "and" | "or", left: T, right: T) => T): T {
  if (terms.length === 0) throw new Error("balancedJunction needs a term");
  const build = (lo: number, hi: number): T => {
    if (hi - lo === 1) return terms[lo] as T;
    const mid = lo + Math.ceil((hi - lo) / 2); // left-heavy: three terms stay ((a, b), c)
    return make(kind, build(lo, mid), build(mid, hi));
  };
  return build(0, terms.length);
}

/** The nesting depth of a tree (see MAX_PREDICATE_DEPTH), computed without recursion. */
export function nestingDepth(root: { kind: string }): number {
  let max = 0;
  const stack: [{ kind: string }, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [e, depth] = stack.pop() as [{ kind: string }, number];
    if (depth > max) max = depth;
    if (e.kind === "not") stack.push([(e as unknown as { arg: { kind: string } }).arg, depth + 1]);
    else if (isJunction(e)) {
      for (const child of [e.left, e.right] as { kind: string }[]) stack.push([child, child.kind === e.kind ? depth : depth + 1]);
    }
  }
  return max;
}

/** Throws InvalidInputError when `expr` nests deeper than MAX_PREDICATE_DEPTH. */
export function checkNesting(expr: { kind: string }): void {
  if (nestingDepth(expr) > MAX_PREDICATE_DEPTH) throw nestingError();
}
