// Property: for any expression tree, parse(print(e)) deep-equals e, and printing is idempotent.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parse, print, type Expr, type Literal, type Operand } from "../../src/core/expr/index.js";
import { formatDate, formatTimestamp } from "../../src/core/expr/temporal.js";

const name = fc.oneof(
  fc.constantFrom("a", "b", "x_1", "date", "timestamp", "AND", "Null", "in", "größe", "my col", "a.b", "`", "x``y"),
  fc.string({ minLength: 1, maxLength: 6 }),
  fc.string({ minLength: 1, maxLength: 4, unit: "binary" }),
);
const column: fc.Arbitrary<Operand> = fc.array(name, { minLength: 1, maxLength: 3 }).map((path) => ({ kind: "column", path }));

const digits = fc.stringMatching(/^\d{1,12}$/);
const numberLiteral: fc.Arbitrary<Literal> = fc
  .tuple(fc.boolean(), digits, fc.option(fc.stringMatching(/^\d{0,6}$/)), fc.option(fc.stringMatching(/^[eE][+-]?\d{1,3}$/)))
  .map(([neg, whole, frac, exp]) => {
    const text = `${neg ? "-" : ""}${whole}${frac === null ? "" : "." + frac}${exp ?? ""}`;
    const type = exp !== null ? "float" : frac !== null ? "decimal" : "integer";
    return { kind: "literal", type, text };
  });

const days = fc.integer({ min: -719162, max: 2932896 }); // 0001-01-01 .. 9999-12-31
const micros = fc.bigInt({ min: -62135596800000000n, max: 253402300799999999n });
const literal: fc.Arbitrary<Literal> = fc.oneof(
  fc.constant<Literal>({ kind: "literal", type: "null" }),
  fc.boolean().map<Literal>((value) => ({ kind: "literal", type: "boolean", value })),
  numberLiteral,
  fc.string({ maxLength: 8, unit: "grapheme" }).map<Literal>((value) => ({ kind: "literal", type: "string", value })),
  fc.string({ maxLength: 4, unit: "binary" }).map<Literal>((value) => ({ kind: "literal", type: "string", value })),
  days.map<Literal>((d) => ({ kind: "literal", type: "date", text: formatDate(d) })),
  fc
    .tuple(micros, fc.constantFrom("", "Z", "+02:00", "-0530", " +01"), fc.constantFrom("timestamp", "timestamp_ntz"))
    .map<Literal>(([m, zone, type]) =>
      type === "timestamp"
        ? { kind: "literal", type, text: formatTimestamp(m) + zone }
        : { kind: "literal", type, text: formatTimestamp(m).replace(" ", "T") },
    ),
);
const operand: fc.Arbitrary<Operand> = fc.oneof(column, literal);

const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    operand,
    fc.record({ kind: fc.constant("compare" as const), op: fc.constantFrom("=", "!=", "<", "<=", ">", ">=" as const), left: operand, right: operand }),
    fc.record({ kind: fc.constant("in" as const), value: operand, list: fc.array(literal, { minLength: 1, maxLength: 3 }), negated: fc.boolean() }),
    fc.record({ kind: fc.constant("isNull" as const), value: operand, negated: fc.boolean() }),
    fc.record({ kind: fc.constant("not" as const), arg: tie("expr") }),
    fc.record({ kind: fc.constantFrom("and" as const, "or" as const), left: tie("expr"), right: tie("expr") }),
  ),
}));

describe("print/parse round trip", () => {
  it("parse(print(e)) equals e", () => {
    fc.assert(
      fc.property(expr, (e) => {
        const text = print(e);
        expect(parse(text)).toEqual(e);
        expect(print(parse(text))).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });
});
